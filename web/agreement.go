package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// Agreer offers and decides agreements (FEP-0837); cmd's federation Node
// is one (it sends the activities a partner's listing needs). Without it,
// agreements are made only between enterprises of this instance.
type Agreer interface {
	// OfferAgreement answers listing id for the local enterprise handle
	// (see directory.Service.OfferAgreement).
	OfferAgreement(ctx context.Context, handle string, id int64, terms directory.AgreementTerms) (*directory.Agreement, error)
	// DecideAgreement accepts or rejects agreement id about a local
	// listing (see directory.Service.DecideAgreement).
	DecideAgreement(ctx context.Context, id int64, accept bool, reason string) (*directory.Agreement, error)
}

// agreer is the federation's Agreer when it has one, else agreements
// between local enterprises only.
func (s *server) agreer() Agreer {
	if a, ok := s.opt.Federation.(Agreer); ok {
		return a
	}
	return localAgreer{s.svc}
}

// localAgreer makes agreements between this instance's enterprises.
type localAgreer struct{ svc *directory.Service }

func (l localAgreer) OfferAgreement(ctx context.Context, handle string, id int64, terms directory.AgreementTerms) (*directory.Agreement, error) {
	listing, err := l.svc.Listing(ctx, id)
	if err != nil {
		return nil, err
	}
	if listing.Origin != "" {
		return nil, errNoFederation
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	return l.svc.OfferAgreement(ctx, handle, id, terms, "urn:coopdir:offer:"+hex.EncodeToString(b[:]))
}

func (l localAgreer) DecideAgreement(ctx context.Context, id int64, accept bool, reason string) (*directory.Agreement, error) {
	return l.svc.DecideAgreement(ctx, id, accept, "urn:coopdir:agreement:"+strconv.FormatInt(id, 10), reason)
}

// agreementBox is the listing page's part about agreements: who met the
// listing, and the form by which a signed-in editor answers it.
type agreementBox struct {
	Listing     *directory.Listing
	Action      string                  // the form's target; "" when no form is shown
	Enterprises []*directory.Enterprise // the enterprises the user may answer for
	Met         []metRow                // the accepted agreements, newest first
	Listings    []*directory.Listing    // the user's open listings of the other kind, to go with the answer
}

// metRow is one accepted agreement on a listing's page: one that met this
// listing (Answer false), or in which this listing answered another.
type metRow struct {
	A      *directory.Agreement
	Answer bool
	// LinkURL and LinkTitle name the agreement's other listing: the
	// responder's (when it gave one) or, for an answer, the listing met.
	LinkURL, LinkTitle, With string
	External                 bool // LinkURL is on another server
}

// metRows describes the accepted agreements as of listing l.
func metRows(l *directory.Listing, as []*directory.Agreement) []metRow {
	var rows []metRow
	for _, a := range as {
		if a.State != directory.AgreementAccepted {
			continue
		}
		row := metRow{A: a, Answer: a.ListingID != l.ID}
		switch {
		case row.Answer:
			row.LinkURL, row.LinkTitle, row.With = listingPath(a.ListingID), a.Listing.Title, a.Listing.EnterpriseName
		case a.ResponderListing != nil:
			row.LinkURL, row.LinkTitle = listingPath(a.ResponderListingID), a.ResponderListing.Title
		case a.ResponderListingURI != "":
			row.LinkURL, row.LinkTitle, row.External = a.ResponderListingURI, a.ResponderListingURI, true
		}
		rows = append(rows, row)
	}
	return rows
}

// agreementBox describes the agreements of listing l for the page's
// viewer: the form while l is open and the viewer edits an enterprise
// other than l's.
func (s *server) agreementBox(r *http.Request, l *directory.Listing, status directory.Status) (*agreementBox, error) {
	as, err := s.svc.ListingAgreements(r.Context(), l.ID)
	if err != nil {
		return nil, err
	}
	box := &agreementBox{Listing: l, Met: metRows(l, as)}
	if status == directory.StatusOpen {
		for _, e := range s.answeringEnterprises(r) {
			if !(l.Origin == "" && e.Handle == l.EnterpriseHandle) {
				box.Enterprises = append(box.Enterprises, e)
			}
		}
		if len(box.Enterprises) > 0 {
			box.Action = listingPath(l.ID) + "/agreements"
		}
		if len(box.Enterprises) == 1 {
			box.Listings = s.answeringListings(r, box.Enterprises[0], l.Type)
		}
	}
	return box, nil
}

// answeringListings are enterprise e's open listings of the other kind than
// t, the newest first (at most 50), one of which may go with an answer.
func (s *server) answeringListings(r *http.Request, e *directory.Enterprise, t directory.ListingType) []*directory.Listing {
	other := directory.Offer
	if t == directory.Offer {
		other = directory.Need
	}
	res, err := s.svc.SearchListings(r.Context(), directory.ListingQuery{Enterprise: e.Handle, Origin: directory.OriginLocal,
		Type: other, Status: directory.StatusOpen, Page: directory.Page{Page: 1, PerPage: 50}})
	if err != nil {
		s.log.ErrorContext(r.Context(), "listings for agreements", "err", err)
		return nil
	}
	return unwrap(res.Items, func(it directory.ListingResult) *directory.Listing { return it.Listing })
}

// unwrap maps the results of a search onto what they carry.
func unwrap[R, T any](items []R, f func(R) T) []T {
	out := make([]T, 0, len(items))
	for _, it := range items {
		out = append(out, f(it))
	}
	return out
}

// answeringEnterprises are the local enterprises the signed-in user may
// answer a listing for: an editor's own, or, for an admin, the first
// hundred by name.
func (s *server) answeringEnterprises(r *http.Request) []*directory.Enterprise {
	u := directory.UserFromContext(r.Context())
	if u == nil {
		return nil
	}
	if !userIsAdmin(u) {
		if u.EnterpriseHandle == "" {
			return nil
		}
		e, err := s.svc.Enterprise(r.Context(), u.EnterpriseHandle)
		if err != nil {
			return nil
		}
		return []*directory.Enterprise{e}
	}
	res, err := s.svc.SearchEnterprises(r.Context(), directory.EnterpriseQuery{Origin: directory.OriginLocal,
		Sort: directory.SortName, Page: directory.Page{Page: 1, PerPage: 100}})
	if err != nil {
		s.log.ErrorContext(r.Context(), "enterprises for agreements", "err", err)
		return nil
	}
	return unwrap(res.Items, func(it directory.EnterpriseResult) *directory.Enterprise { return it.Enterprise })
}

// offerAgreement answers POST /listings/{id}/agreements: the signed-in
// editor's enterprise offers to meet a need or take up an offer, with an
// optional quantity and message, then sees its agreements.
func (s *server) offerAgreement(w http.ResponseWriter, r *http.Request) {
	id, err := listingID(r)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.failPage(w, r, directory.Errorf(directory.EINVALID, "the form could not be read"))
		return
	}
	handle := strings.TrimSpace(r.PostForm.Get("enterprise"))
	terms := directory.AgreementTerms{Message: r.PostForm.Get("message")}
	if raw := strings.TrimSpace(r.PostForm.Get("listing")); raw != "" {
		own, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || own <= 0 {
			s.failPage(w, r, &directory.Error{Code: directory.EINVALID, Message: translate(r, "Choose one of your listings."),
				Fields: []directory.FieldError{{Field: "listing", Rule: "own", Message: translate(r, "must be one of your listings")}}})
			return
		}
		terms.ListingID = own
	}
	if raw := strings.TrimSpace(r.PostForm.Get("quantity")); raw != "" {
		q, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			s.failPage(w, r, &directory.Error{Code: directory.EINVALID, Message: translate(r, "The quantity must be a number."),
				Fields: []directory.FieldError{{Field: "quantity", Rule: "number", Message: translate(r, "must be a number")}}})
			return
		}
		terms.Quantity = &q
	}
	if _, err := s.agreer().OfferAgreement(r.Context(), handle, id, terms); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(handle)+"/agreements", "agreement-offered", "")
}
