package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
)

// Content negotiation between the HTML pages and ActivityPub. An
// enterprise's address is both its profile page and its actor id, so one
// URL answers two kinds of clients; the documents themselves come from
// Options.ActivityPub, which web only routes to.

// actorRoots are the instance's own actors; their paths may or may not
// have an HTML page.
var actorRoots = []string{"/network", "/actor", "/needs", "/offers"}

// sharedPrefixes are the paths under which one URL may be both a page and
// an ActivityPub object.
var sharedPrefixes = []string{"/enterprises/", "/announcements/", "/listings/", "/topics/"}

// activityPub sends to Options.ActivityPub every request under
// /.well-known/ and /nodeinfo/, every request for an instance actor's
// paths that no HTML page answers, and every GET or HEAD on a shared URL
// whose Accept asks for application/activity+json or application/ld+json.
// Browsers get the HTML page, with Vary: Accept so that caches keep the two
// apart.
func (s *server) activityPub(next http.Handler) http.Handler {
	ap := s.opt.ActivityPub
	if ap == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		root := isActorPath(path)
		shared := root || hasAnyPrefix(path, sharedPrefixes)
		switch {
		case strings.HasPrefix(path, "/.well-known/"), strings.HasPrefix(path, "/nodeinfo/"):
			ap.ServeHTTP(w, r)
		case r.Method == http.MethodPost && isInbox(path):
			ap.ServeHTTP(w, r)
		case root && !hasPage(r, path):
			ap.ServeHTTP(w, r)
		case shared && (r.Method == http.MethodGet || r.Method == http.MethodHead) && asksForActivity(r.Header.Values("Accept")):
			ap.ServeHTTP(w, r)
		case shared:
			next.ServeHTTP(&varyAccept{ResponseWriter: w}, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// isInbox reports whether path is the shared inbox or an actor's inbox
// (an instance actor's, an enterprise's or a topic's).
func isInbox(path string) bool {
	if path == "/inbox" {
		return true
	}
	actor, ok := strings.CutSuffix(path, "/inbox")
	if !ok {
		return false
	}
	for _, p := range actorRoots {
		if actor == p {
			return true
		}
	}
	h, ok := strings.CutPrefix(actor, "/enterprises/")
	if !ok {
		h, ok = strings.CutPrefix(actor, "/topics/")
	}
	return ok && h != "" && !strings.Contains(h, "/")
}

// isActorPath reports whether path is an instance actor or lies under one
// (its collections).
func isActorPath(path string) bool {
	for _, p := range actorRoots {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

func hasAnyPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// hasPage reports whether a route of the router answers GET path.
func hasPage(r *http.Request, path string) bool {
	rctx := chi.RouteContext(r.Context())
	return rctx != nil && rctx.Routes != nil && rctx.Routes.Match(chi.NewRouteContext(), http.MethodGet, path)
}

// asksForActivity reports whether an Accept header names an ActivityPub
// media type (application/activity+json, or application/ld+json with or
// without the ActivityStreams profile) with a quality above zero.
func asksForActivity(accept []string) bool {
	return asksFor(accept, "application/activity+json", "application/ld+json")
}

// asksFor reports whether an Accept header names one of the media types
// (lower case) with a quality above zero.
func asksFor(accept []string, types ...string) bool {
	for _, header := range accept {
		for _, part := range strings.Split(header, ",") {
			typ, params, _ := strings.Cut(part, ";")
			typ = strings.ToLower(strings.TrimSpace(typ))
			if slices.Contains(types, typ) && !refused(params) {
				return true
			}
		}
	}
	return false
}

// refused reports whether media type parameters say q=0.
func refused(params string) bool {
	for _, p := range strings.Split(params, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
		if strings.EqualFold(name, "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			return err == nil && q == 0
		}
	}
	return false
}

// varyAccept adds Accept to the Vary header of a response as its header is
// written, after the handler has set its own Vary values.
type varyAccept struct {
	http.ResponseWriter
	done bool
}

func (v *varyAccept) addVary() {
	if v.done {
		return
	}
	v.done = true
	h := v.ResponseWriter.Header()
	for _, line := range h.Values("Vary") {
		for _, name := range strings.Split(line, ",") {
			if strings.EqualFold(strings.TrimSpace(name), "Accept") {
				return
			}
		}
	}
	h.Add("Vary", "Accept")
}

// WriteHeader adds Vary: Accept and writes the header.
func (v *varyAccept) WriteHeader(code int) {
	v.addVary()
	v.ResponseWriter.WriteHeader(code)
}

// Write adds Vary: Accept before the first bytes of the body.
func (v *varyAccept) Write(b []byte) (int, error) {
	v.addVary()
	return v.ResponseWriter.Write(b)
}

// Unwrap gives http.ResponseController the underlying writer.
func (v *varyAccept) Unwrap() http.ResponseWriter { return v.ResponseWriter }
