package web

import (
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// listingPatch is the body of PATCH /api/v1/listings/{id}: the fields of
// directory.ListingUpdate, status included, applied in one transaction.
type listingPatch struct {
	directory.ListingUpdate
}

// listListings answers GET /api/v1/listings with a page of matches.
func (s *server) listListings(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if wantsGeoJSON(r) || r.URL.Query().Has("format") {
		q, a, err := geoJSONQuery(r.URL.Query(), listingQuery)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.listingFeatures(w, r, q, a)
		return
	}
	q, err := listingQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q.Suggest = true
	page, err := s.svc.SearchListings(r.Context(), q)
	if err != nil {
		s.fail(w, r, badQuery(err))
		return
	}
	if page.Items == nil {
		page.Items = []directory.ListingResult{}
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, page)
}

// getListing answers GET /api/v1/listings/{id}.
func (s *server) getListing(w http.ResponseWriter, r *http.Request) {
	id, err := listingID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.svc.Listing(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePublic, l)
}

// createListing answers POST /api/v1/listings. The body names the owning
// enterprise by handle in "enterprise".
func (s *server) createListing(w http.ResponseWriter, r *http.Request) {
	var l directory.Listing
	if err := s.decodeJSON(w, r, &l); err != nil {
		s.fail(w, r, err)
		return
	}
	handle := l.EnterpriseHandle
	err := s.svc.CreateListing(r.Context(), handle, &l)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		// The enterprise is a field of the body, not the resource asked for.
		err = unknownEnterprise(handle)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", s.url("/api/v1/listings/"+strconv.FormatInt(l.ID, 10)))
	s.writeJSON(w, r, http.StatusCreated, cachePrivate, &l)
}

// updateListing answers PATCH /api/v1/listings/{id}: absent members are
// kept, null ones cleared ("quantity": null removes the quantity), and a
// "status" member changes the status after the other fields.
func (s *server) updateListing(w http.ResponseWriter, r *http.Request) {
	id, err := listingID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var p listingPatch
	if err := s.decodePatch(w, r, &p); err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.patchListing(r, id, p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.writeJSON(w, r, http.StatusOK, cachePrivate, l)
}

// patchListing applies p in one Service call: fields and status change
// together or not at all. A null status means keep it.
func (s *server) patchListing(r *http.Request, id int64, p listingPatch) (*directory.Listing, error) {
	return s.svc.UpdateListing(r.Context(), id, p.ListingUpdate)
}

// deleteListing answers DELETE /api/v1/listings/{id}.
func (s *server) deleteListing(w http.ResponseWriter, r *http.Request) {
	id, err := listingID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.svc.DeleteListing(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// listingID reads the {id} of the path; one that is not a positive integer
// names no listing.
func listingID(r *http.Request) (int64, error) {
	raw := chi.URLParam(r, "id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, directory.Errorf(directory.ENOTFOUND, "no listing with id %q", truncate(raw, 30))
	}
	return id, nil
}

// unknownEnterprise is the EINVALID error for a body naming no enterprise.
func unknownEnterprise(handle string) error {
	f := directory.FieldError{Field: "enterprise", Rule: "exists", Message: "no enterprise with handle " + strconv.Quote(truncate(handle, 40))}
	if handle == "" {
		f = directory.FieldError{Field: "enterprise", Rule: "required", Message: "is required: the handle of the enterprise the listing belongs to"}
	}
	return &directory.Error{Code: directory.EINVALID, Message: "invalid listing", Fields: []directory.FieldError{f}}
}
