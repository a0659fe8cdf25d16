package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"
)

// cacheMedia lets anyone keep a stored image for a year: an image id is
// random and never reused, so its bytes never change (a new logo gets a
// new id).
const cacheMedia = "public, max-age=31536000, immutable"

// media answers GET /media/{id}: a stored image, with headers that keep a
// browser from taking it for anything but an image.
func (s *server) media(w http.ResponseWriter, r *http.Request) {
	img, err := s.svc.Image(r.Context(), chi.URLParam(r, "id"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", img.ContentType)
	h.Set("Content-Length", strconv.Itoa(len(img.Data)))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'")
	h.Set("Cache-Control", cacheMedia)
	_, _ = w.Write(img.Data)
}
