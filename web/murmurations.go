package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/go-chi/chi/v5"
)

// murmurationsSite gives the profiles their absolute links.
func (s *server) murmurationsSite() murmurations.Site { return murmurations.Site{Abs: s.url} }

// enterpriseProfile answers GET /murmurations/enterprises/{handle}.json:
// the Murmurations profile of a local enterprise. Partners' entries have
// their own profiles on their instances.
func (s *server) enterpriseProfile(w http.ResponseWriter, r *http.Request) {
	handle, ok := strings.CutSuffix(chi.URLParam(r, "file"), ".json")
	if !ok {
		s.fail(w, r, directory.Errorf(directory.ENOTFOUND, "no such profile"))
		return
	}
	e, err := s.svc.Enterprise(r.Context(), handle)
	if err == nil && !e.IsLocal() {
		err = directory.Errorf(directory.ENOTFOUND, "no local enterprise %q", truncate(handle, 30))
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, murmurations.EnterpriseProfile(s.murmurationsSite(), e))
}

// listingProfile answers GET /murmurations/listings/{id}.json: the
// Murmurations profile of an open local listing. A closed or expired
// listing has none (404), which is how an index learns to drop it.
func (s *server) listingProfile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	raw, _ := strings.CutSuffix(chi.URLParam(r, "file"), ".json")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, directory.Errorf(directory.ENOTFOUND, "no such profile"))
		return
	}
	l, err := s.svc.Listing(ctx, id)
	if err == nil && (l.Origin != "" || l.EffectiveStatus(s.svc.Now()) != directory.StatusOpen) {
		err = directory.Errorf(directory.ENOTFOUND, "listing %d is not an open listing of this instance", id)
	}
	var e *directory.Enterprise
	if err == nil {
		e, err = s.svc.Enterprise(ctx, l.EnterpriseHandle)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, murmurations.ListingProfile(s.murmurationsSite(), l, e))
}

// murmurationsLink is the page's alternate link to a Murmurations profile.
func murmurationsLink(title, path string) alternateLink {
	return alternateLink{Type: "application/json", Title: title + " (Murmurations profile)", URL: path}
}
