package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// routes lists every route of the instance. Reads are public; writes go
// through requireToken, which puts the token's user in the context; the
// Service decides what that user may do. HEAD is answered by the GET routes.
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(s.recoverPanics, securityHeaders, middleware.GetHead)
	r.NotFound(s.notFound)
	r.MethodNotAllowed(s.methodNotAllowed)
	auth := r.With(s.requireToken)

	// Public pages.
	r.Get("/", s.homePage)
	r.Get("/enterprises/{handle}", s.enterprisePage)
	r.Get("/static/{version}/*", s.static)

	// JSON API: enterprises.
	r.Get("/api/v1/enterprises", s.listEnterprises)
	auth.Post("/api/v1/enterprises", s.createEnterprise)
	r.Get("/api/v1/enterprises/{handle}", s.getEnterprise)
	auth.Patch("/api/v1/enterprises/{handle}", s.updateEnterprise)
	auth.Delete("/api/v1/enterprises/{handle}", s.deleteEnterprise)

	// JSON API: announcements of an enterprise.
	r.Get("/api/v1/enterprises/{handle}/announcements", s.listAnnouncements)
	auth.Post("/api/v1/enterprises/{handle}/announcements", s.createAnnouncement)

	// JSON API: needs and offers.
	r.Get("/api/v1/listings", s.listListings)
	auth.Post("/api/v1/listings", s.createListing)
	r.Get("/api/v1/listings/{id}", s.getListing)
	auth.Patch("/api/v1/listings/{id}", s.updateListing)
	auth.Delete("/api/v1/listings/{id}", s.deleteListing)

	// Documentation of the problem types in API error responses.
	r.Get("/problems/{type}", s.problemPage)

	// Operations.
	r.Get("/healthz", s.health)
	return r
}
