package federation

import (
	"net/http"

	"github.com/coopdir/coopdir/directory"
)

// announcement answers GET /announcements/{id} (the Note) or, with create,
// /announcements/{id}/create (the Create that published it).
func (s *Server) announcement(create bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		a, err := s.svc.Announcement(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Both builders refuse a partner's announcement with ENOTFOUND.
		build := AnnouncementNote
		if create {
			build = CreateAnnouncement
		}
		doc, err := build(s.urls, a)
		s.writeDocument(w, r, doc, err)
	}
}

// listingBuilder builds one form of a listing: ListingProposal or
// ListingNote.
type listingBuilder func(URLs, *directory.Listing) (map[string]any, error)

// listing answers GET for one form of a listing (/listings/{id} for the
// Proposal, /listings/{id}/note for the Note) or, with create, for the
// Create that published it ({form}/create).
func (s *Server) listing(build listingBuilder, create bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		l, err := s.svc.Listing(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		doc, err := build(s.urls, l)
		if err == nil && create {
			doc, err = Create(s.urls.Enterprise(l.EnterpriseHandle).ID, doc)
		}
		s.writeDocument(w, r, doc, err)
	}
}
