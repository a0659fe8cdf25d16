package web

import (
	"fmt"
	"math"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// matchRow is one match as the listing page and the Matches admin page
// show it: the other listing, where it comes from and why it matches.
type matchRow struct {
	ID         int64
	Mine       *directory.Listing // the listing the page is about (admin: the enterprise's)
	Other      *directory.Listing
	OtherURL   string
	Origin     string // the other listing's origin: "" here, else a partner's host
	Reasons    []string
	Percent    string // the score, e.g. "82%"
	New        bool
	DismissURL string // admin only
}

// matchRows describes ms from the side of listing mine (the listing page)
// or of enterprise owner (the admin page, mine 0).
func matchRows(ms []*directory.Match, mine, owner int64) []matchRow {
	rows := make([]matchRow, 0, len(ms))
	for _, m := range ms {
		var own *directory.Listing
		if mine != 0 {
			own = m.Need
			if m.Offer.ID == mine {
				own = m.Offer
			}
		} else {
			own = m.Of(owner)
		}
		other := m.Other(own.ID)
		rows = append(rows, matchRow{ID: m.ID, Mine: own, Other: other, OtherURL: listingPath(other.ID),
			Origin: other.Origin, Reasons: m.Reasons, New: m.New,
			Percent: fmt.Sprintf("%.0f%%", math.Round(m.Score*100))})
	}
	return rows
}

// adminMatchesView is the data of admin_matches.html.
type adminMatchesView struct {
	adminPage
	E         *directory.Enterprise
	AdminPath string
	Matches   []matchRow
	Total     int
	pager
}

// adminMatches answers GET /admin/enterprises/{handle}/matches: the
// matches of the enterprise's needs and offers, best first, those not
// seen before marked new (showing them marks them seen).
func (s *server) adminMatches(w http.ResponseWriter, r *http.Request) {
	handle := chi.URLParam(r, "handle")
	e, pg, ok := s.federationPage(w, r, handle)
	if !ok {
		return
	}
	ms, total, err := s.svc.EnterpriseMatches(r.Context(), handle, pg)
	if err != nil {
		s.failPage(w, r, badQuery(err))
		return
	}
	path := adminEnterprisePath(e.Handle)
	v := adminMatchesView{adminPage: s.adminPage(w, r, "Matches · "+e.Name), E: e, AdminPath: path, Total: total,
		pager: adminPager(path+"/matches", pg.Page, total), Matches: matchRows(ms, 0, e.ID)}
	for i := range v.Matches {
		v.Matches[i].DismissURL = fmt.Sprintf("%s/matches/%d/dismiss", path, v.Matches[i].ID)
	}
	s.render(w, r, http.StatusOK, "admin_matches.html", v)
}

// adminDismissMatch answers POST
// /admin/enterprises/{handle}/matches/{id}/dismiss.
func (s *server) adminDismissMatch(w http.ResponseWriter, r *http.Request) {
	handle := chi.URLParam(r, "handle")
	id, err := adminPathID(r)
	if err == nil {
		err = s.svc.DismissMatch(r.Context(), handle, id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(handle)+"/matches", "match-dismissed", "")
}

// newMatches counts the enterprise's matches its editors have not seen,
// for the admin's shortcuts; a failure shows none.
func (s *server) newMatches(r *http.Request, handle string) int {
	n, err := s.svc.NewMatches(r.Context(), handle)
	if err != nil {
		s.log.ErrorContext(r.Context(), "count new matches", "enterprise", handle, "err", err)
		return 0
	}
	return n
}
