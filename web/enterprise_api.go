package web

import (
	"net/http"
	"net/url"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// listEnterprises answers GET /api/v1/enterprises with a page of matches.
func (s *server) listEnterprises(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if wantsGeoJSON(r) || r.URL.Query().Has("format") {
		q, a, err := geoJSONQuery(r.URL.Query(), enterpriseQuery)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.enterpriseFeatures(w, r, q, a)
		return
	}
	q, err := enterpriseQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Suggest = true
	page, err := s.svc.SearchEnterprises(r.Context(), q)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	if err := s.svc.MergeSameOrganisations(r.Context(), page); err != nil {
		s.fail(w, r, err)
		return
	}
	s.fillAlsoListedURLs(page)
	for _, it := range page.Items {
		fillEnterpriseLists(it.Enterprise)
	}
	if page.Items == nil {
		page.Items = []directory.EnterpriseResult{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, page)
}

// getEnterprise answers GET /api/v1/enterprises/{handle}.
func (s *server) getEnterprise(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.Enterprise(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, fillEnterpriseLists(e))
}

// createEnterprise answers POST /api/v1/enterprises (admins).
func (s *server) createEnterprise(w http.ResponseWriter, r *http.Request) {
	var e directory.Enterprise
	if err := s.decodeJSON(w, r, &e); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.CreateEnterprise(r.Context(), &e); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", s.url(enterpriseAPIPath(e.Handle)))
	s.writeJSON(w, r, http.StatusCreated, cachePrivate, fillEnterpriseLists(&e))
}

// updateEnterprise answers PATCH /api/v1/enterprises/{handle}: members
// present in the body change, absent ones are kept, null ones are cleared.
func (s *server) updateEnterprise(w http.ResponseWriter, r *http.Request) {
	var u directory.EnterpriseUpdate
	if err := s.decodePatch(w, r, &u); err != nil {
		s.fail(w, r, err)
		return
	}
	e, err := s.svc.UpdateEnterprise(r.Context(), chi.URLParam(r, "handle"), u)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, fillEnterpriseLists(e))
}

// deleteEnterprise answers DELETE /api/v1/enterprises/{handle} (admins).
func (s *server) deleteEnterprise(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.DeleteEnterprise(r.Context(), chi.URLParam(r, "handle")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fillEnterpriseLists makes empty lists encode as [] rather than null, so
// that clients can rely on the type of sectors and languages.
func fillEnterpriseLists(e *directory.Enterprise) *directory.Enterprise {
	if e.Sectors == nil {
		e.Sectors = []string{}
	}
	if e.Languages == nil {
		e.Languages = []string{}
	}
	return e
}

func enterpriseAPIPath(handle string) string {
	return "/api/v1/enterprises/" + url.PathEscape(handle)
}
