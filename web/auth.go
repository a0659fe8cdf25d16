package web

import (
	"net/http"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// requireToken admits requests carrying a valid API token
// (Authorization: Bearer <token>) and runs them as the token's user. It
// does not decide what the user may do: the Service does.
func (s *server) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="coopdir"`)
			s.fail(w, r, directory.Errorf(directory.EUNAUTHORIZED, "this request needs an API token: send Authorization: Bearer <token>"))
			return
		}
		u, err := s.svc.Authenticate(r.Context(), token)
		if err != nil {
			if directory.ErrorCode(err) == directory.EUNAUTHORIZED {
				// RFC 6750: tell the client the token itself was refused.
				w.Header().Set("WWW-Authenticate", `Bearer realm="coopdir", error="invalid_token"`)
			}
			s.fail(w, r, err)
			return
		}
		next.ServeHTTP(w, r.WithContext(directory.WithUser(r.Context(), u)))
	})
}

// bearerToken returns the token of an Authorization: Bearer header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
