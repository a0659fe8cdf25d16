package web

import (
	"context"
	"net/http"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// translationBody is the body of PUT …/translations/{lang}: the entry's
// texts in that language (an enterprise's name and summary, a listing's
// title and description, an announcement's text).
type translationBody struct {
	Title string `json:"title"`
	Text  string `json:"text"`
}

// putTranslation answers PUT /api/v1/…/translations/{lang} with the
// changed entry; set stores the translation.
func (s *server) putTranslation(set func(r *http.Request, lang string, tr directory.Translation) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var b translationBody
		if err := s.decodeJSON(w, r, &b); err != nil {
			s.fail(w, r, err)
			return
		}
		entry, err := set(r, chi.URLParam(r, "lang"), directory.Translation{Title: b.Title, Text: b.Text})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.writeJSON(w, r, http.StatusOK, cachePrivate, entry)
	}
}

// deleteTranslation answers DELETE /api/v1/…/translations/{lang}.
func (s *server) deleteTranslation(remove func(r *http.Request, lang string) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := remove(r, chi.URLParam(r, "lang")); err != nil {
			s.fail(w, r, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

func (s *server) setEnterpriseTranslation(r *http.Request, lang string, tr directory.Translation) (any, error) {
	return s.svc.SetEnterpriseTranslation(r.Context(), chi.URLParam(r, "handle"), lang, tr)
}

func (s *server) removeEnterpriseTranslation(r *http.Request, lang string) error {
	_, err := s.svc.RemoveEnterpriseTranslation(r.Context(), chi.URLParam(r, "handle"), lang)
	return err
}

func (s *server) setListingTranslation(r *http.Request, lang string, tr directory.Translation) (any, error) {
	return withListing(r, func(ctx context.Context, id int64) (any, error) {
		return s.svc.SetListingTranslation(ctx, id, lang, tr)
	})
}

func (s *server) removeListingTranslation(r *http.Request, lang string) error {
	_, err := withListing(r, func(ctx context.Context, id int64) (any, error) {
		return s.svc.RemoveListingTranslation(ctx, id, lang)
	})
	return err
}

// withListing calls fn with the listing {id} of r's path.
func withListing(r *http.Request, fn func(ctx context.Context, id int64) (any, error)) (any, error) {
	id, err := listingID(r)
	if err != nil {
		return nil, err
	}
	return fn(r.Context(), id)
}
