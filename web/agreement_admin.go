package web

import (
	"fmt"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// agreementRow is one agreement as an enterprise's Agreements page shows
// it: received (about one of its listings) or sent (its answer to another
// enterprise's listing), with the forms that decide a pending one.
type agreementRow struct {
	A          *directory.Agreement
	Received   bool
	Other      string // the other enterprise's name
	ListingURL string
	AcceptURL  string // received and pending only
	DeclineURL string
}

// adminAgreementsView is the data of admin_agreements.html.
type adminAgreementsView struct {
	adminPage
	E         *directory.Enterprise
	AdminPath string
	Pending   []agreementRow // received, waiting for an answer
	Others    []agreementRow // sent, and received ones decided
}

// agreementRows sorts the agreements of enterprise e for its page.
func agreementRows(e *directory.Enterprise, as []*directory.Agreement) (pending, others []agreementRow) {
	path := adminEnterprisePath(e.Handle) + "/agreements/"
	for _, a := range as {
		row := agreementRow{A: a, ListingURL: listingPath(a.ListingID), Other: a.Listing.EnterpriseName,
			Received: a.Listing.Origin == "" && a.Listing.EnterpriseID == e.ID}
		if row.Received {
			row.Other = a.ResponderName
		}
		if row.Received && a.State == directory.AgreementPending {
			row.AcceptURL = fmt.Sprintf("%s%d/accept", path, a.ID)
			row.DeclineURL = fmt.Sprintf("%s%d/decline", path, a.ID)
			pending = append(pending, row)
			continue
		}
		others = append(others, row)
	}
	return pending, others
}

// adminAgreements answers GET /admin/enterprises/{handle}/agreements: the
// agreements offered on the enterprise's listings, pending ones first
// with Accept and Decline, and those it offered.
func (s *server) adminAgreements(w http.ResponseWriter, r *http.Request) {
	e, as, err := s.svc.EnterpriseAgreements(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminAgreementsView{adminPage: s.adminPage(w, r, translate(r, "Agreements · %s", e.Name)), E: e,
		AdminPath: adminEnterprisePath(e.Handle)}
	v.Pending, v.Others = agreementRows(e, as)
	s.render(w, r, http.StatusOK, "admin_agreements.html", v)
}

// adminDecideAgreement answers POST
// /admin/enterprises/{handle}/agreements/{id}/accept and …/decline (with
// an optional reason).
func (s *server) adminDecideAgreement(accept bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		handle := chi.URLParam(r, "handle")
		id, err := adminPathID(r)
		if err == nil {
			err = s.checkAgreementOf(r, handle, id)
		}
		if err == nil {
			_, err = s.agreer().DecideAgreement(r.Context(), id, accept, r.PostFormValue("reason"))
		}
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		key := "agreement-declined"
		if accept {
			key = "agreement-accepted"
		}
		s.redirectWith(w, r, adminEnterprisePath(handle)+"/agreements", key, "")
	}
}

// checkAgreementOf refuses agreement id unless it is about a listing of
// the local enterprise handle: ENOTFOUND, so that ids of others' are not
// told from missing ones.
func (s *server) checkAgreementOf(r *http.Request, handle string, id int64) error {
	a, err := s.svc.Agreement(r.Context(), id)
	if err != nil {
		return err
	}
	if a.Listing.Origin != "" || a.Listing.EnterpriseHandle != handle {
		return directory.Errorf(directory.ENOTFOUND, "agreement not found")
	}
	return nil
}

// pendingAgreements counts the agreements waiting for the enterprise's
// answer, for the admin's shortcuts; a failure shows none.
func (s *server) pendingAgreements(r *http.Request, handle string) int {
	n, err := s.svc.PendingAgreements(r.Context(), handle)
	if err != nil {
		s.log.ErrorContext(r.Context(), "count pending agreements", "enterprise", handle, "err", err)
		return 0
	}
	return n
}
