package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// The federation API of an enterprise: whom it follows, what it received
// from them, and the replies to its entries. Everything here is for its
// editors and the admins, reads included: a post may have been addressed
// to the enterprise alone.

// followRequest is the body of POST …/following.
type followRequest struct {
	Account string `json:"account"`
}

// followingList is the body of GET …/following: every follow, newest first.
type followingList struct {
	Items []*directory.Following `json:"items"`
	Total int                    `json:"total"`
}

// feedPage is one page of an enterprise's feed, newest first.
type feedPage struct {
	Items []*directory.FeedPost `json:"items"`
	Total int                   `json:"total"`
	directory.Page
}

// responsePage is one page of the replies to an enterprise's entries.
type responsePage struct {
	Items []*directory.Response `json:"items"`
	Total int                   `json:"total"`
	directory.Page
}

// listFollowing answers GET /api/v1/enterprises/{handle}/following.
func (s *server) listFollowing(w http.ResponseWriter, r *http.Request) {
	items, err := s.svc.Following(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if items == nil {
		items = []*directory.Following{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, followingList{Items: items, Total: len(items)})
}

// getFollowing answers GET /api/v1/enterprises/{handle}/following/{id}.
func (s *server) getFollowing(w http.ResponseWriter, r *http.Request) {
	id, err := followingID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.svc.FollowingEntry(r.Context(), chi.URLParam(r, "handle"), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, f)
}

// createFollowing answers POST /api/v1/enterprises/{handle}/following: the
// enterprise asks to follow {"account": "name@host"}. The follow is pending
// until the account accepts it.
func (s *server) createFollowing(w http.ResponseWriter, r *http.Request) {
	if s.opt.Federation == nil {
		s.fail(w, r, errNoFederation)
		return
	}
	var body followRequest
	if err := s.decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	handle := chi.URLParam(r, "handle")
	// An unknown enterprise or a user who may not manage it is answered
	// before the body's content is judged.
	if _, err := s.svc.EditableEnterprise(r.Context(), handle); err != nil {
		s.fail(w, r, err)
		return
	}
	f, err := s.follow(r, handle, body.Account)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", s.url(followingPath(handle, f.ID)))
	s.writeJSON(w, r, http.StatusCreated, cachePrivate, f)
}

// follow checks the account's shape and asks the Federator to follow it.
// A malformed account is a 400 naming the field, like a body that does not
// read; the other refusals are put on the account field.
func (s *server) follow(r *http.Request, handle, account string) (*directory.Following, error) {
	a, err := directory.CheckAccountAddress(account)
	if err == nil {
		var f *directory.Following
		if f, err = s.opt.Federation.Follow(r.Context(), handle, a); err == nil {
			return f, nil
		}
	}
	err = accountError(err)
	if directory.ErrorCode(err) == directory.EINVALID {
		return nil, badRequest(directory.ErrorMessage(err), directory.ErrorFields(err)...)
	}
	return nil, err
}

// deleteFollowing answers DELETE /api/v1/enterprises/{handle}/following/{id}:
// the enterprise stops following (or cancels its request).
func (s *server) deleteFollowing(w http.ResponseWriter, r *http.Request) {
	if s.opt.Federation == nil {
		s.fail(w, r, errNoFederation)
		return
	}
	id, err := followingID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.opt.Federation.Unfollow(r.Context(), chi.URLParam(r, "handle"), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listFeed answers GET /api/v1/enterprises/{handle}/feed: a page of the
// posts of the accounts the enterprise follows, newest first.
func (s *server) listFeed(w http.ResponseWriter, r *http.Request) {
	pg, ok := s.apiPage(w, r)
	if !ok {
		return
	}
	items, total, err := s.svc.Feed(r.Context(), chi.URLParam(r, "handle"), pg)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	if items == nil {
		items = []*directory.FeedPost{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, feedPage{Items: items, Total: total, Page: pageDefaults(pg)})
}

// listResponses answers GET /api/v1/enterprises/{handle}/responses: a page
// of the replies to the enterprise's listings and announcements.
func (s *server) listResponses(w http.ResponseWriter, r *http.Request) {
	pg, ok := s.apiPage(w, r)
	if !ok {
		return
	}
	items, total, err := s.svc.Responses(r.Context(), chi.URLParam(r, "handle"), pg)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	if items == nil {
		items = []*directory.Response{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, responsePage{Items: items, Total: total, Page: pageDefaults(pg)})
}

// apiPage reads page and per_page; when they do not parse it answers the
// request and returns false.
func (s *server) apiPage(w http.ResponseWriter, r *http.Request) (directory.Page, bool) {
	p := &queryParams{v: r.URL.Query()}
	pg := p.page()
	if err := p.err(); err != nil {
		s.fail(w, r, err)
		return pg, false
	}
	return pg, true
}

// pageDefaults fills in the page the Service used when the request left
// page or per_page out: it applies the same defaults but does not return
// the page.
func pageDefaults(pg directory.Page) directory.Page {
	if pg.Page == 0 {
		pg.Page = 1
	}
	if pg.PerPage == 0 {
		pg.PerPage = directory.DefaultPerPage
	}
	return pg
}

// followingID reads the {id} of the path; one that is not a positive
// integer names no follow.
func followingID(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, directory.Errorf(directory.ENOTFOUND, "this enterprise does not follow %q", truncate(raw, 30))
	}
	return id, nil
}

// followingPath is the API address of an enterprise's follow.
func followingPath(handle string, id int64) string {
	return "/api/v1/enterprises/" + url.PathEscape(handle) + "/following/" + strconv.FormatInt(id, 10)
}
