package web

import (
	"net/http"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// announcementPage is one page of an enterprise's announcements, newest
// first; Total counts them all.
type announcementPage struct {
	Items []*directory.Announcement `json:"items"`
	Total int                       `json:"total"`
	directory.Page
}

// listAnnouncements answers GET /api/v1/enterprises/{handle}/announcements.
func (s *server) listAnnouncements(w http.ResponseWriter, r *http.Request) {
	p := &queryParams{v: r.URL.Query()}
	pg := p.page()
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return
	}
	items, total, err := s.svc.Announcements(r.Context(), chi.URLParam(r, "handle"), pg)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	// The Service applies these same defaults but does not return the page.
	if pg.Page == 0 {
		pg.Page = 1
	}
	if pg.PerPage == 0 {
		pg.PerPage = directory.DefaultPerPage
	}
	if items == nil {
		items = []*directory.Announcement{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, announcementPage{Items: items, Total: total, Page: pg})
}

// createAnnouncement answers POST /api/v1/enterprises/{handle}/announcements.
// There is no URL for a single announcement yet, so no Location header.
func (s *server) createAnnouncement(w http.ResponseWriter, r *http.Request) {
	var a directory.Announcement
	if err := s.decodeJSON(w, r, &a); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.CreateAnnouncement(r.Context(), chi.URLParam(r, "handle"), &a); err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusCreated, cachePrivate, &a)
}
