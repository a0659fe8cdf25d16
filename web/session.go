package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// sessionCookie holds the secret of a signed-in browser's session.
const sessionCookie = "coopdir_session"

// sessions reads the session cookie of every request and, when it names a
// live session, runs the request as that user (directory.WithUser), so the
// Service applies the same rules as for API tokens. An unknown or expired
// session cookie is cleared and the request goes on signed out.
func (s *server) sessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.svc.SessionUser(r.Context(), c.Value)
		switch {
		case directory.ErrorCode(err) == directory.EUNAUTHORIZED:
			s.clearSessionCookie(w)
			next.ServeHTTP(w, r)
		case err != nil:
			// The database failed: go on signed out, but keep the cookie.
			s.log.ErrorContext(r.Context(), "read session", "err", err)
			next.ServeHTTP(w, r)
		default:
			next.ServeHTTP(w, r.WithContext(directory.WithUser(r.Context(), u)))
		}
	})
}

// setSessionCookie gives the browser its session secret.
func (s *server) setSessionCookie(w http.ResponseWriter, secret string) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/",
		MaxAge: int(directory.SessionTTL / time.Second), HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// replaceSession gives the browser a fresh session, ending the one it had.
func (s *server) replaceSession(w http.ResponseWriter, r *http.Request, secret string) {
	if old, err := r.Cookie(sessionCookie); err == nil {
		_ = s.svc.EndSession(r.Context(), old.Value)
	}
	s.setSessionCookie(w, secret)
}

// sessionClient describes the browser of r for a new session.
func (s *server) sessionClient(r *http.Request) directory.SessionClient {
	return directory.SessionClient{IP: s.clientIP(r), UserAgent: r.UserAgent()}
}

// clearSessionCookie tells the browser to forget its session secret.
func (s *server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode,
	})
}

// secureCookies reports whether cookies may travel over HTTPS only: when
// the instance's public address is https.
func (s *server) secureCookies() bool { return strings.HasPrefix(s.opt.BaseURL, "https://") }

// requireUser sends signed-out visitors to the sign-in page, which brings
// them back here afterwards.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if directory.UserFromContext(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		target := "/login"
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			target += "?next=" + url.QueryEscape(r.URL.RequestURI())
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
	})
}

// safeNext returns next when it is a path on this site, and /admin
// otherwise: a sign-in link must not send people to another site.
func safeNext(next string) string {
	const fallback = "/admin"
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\x00\r\n\t") || len(next) > 2000 {
		return fallback
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") {
		return fallback
	}
	return next
}

// crossOriginProtection returns middleware that refuses state-changing
// requests a browser sends on behalf of another site (the
// Sec-Fetch-Site and Origin headers tell). Requests without those headers,
// such as API calls from scripts and servers, pass.
func (s *server) crossOriginProtection() func(http.Handler) http.Handler {
	p := http.NewCrossOriginProtection()
	if u, err := url.Parse(s.opt.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		// Behind a proxy the Host header may differ from the public address.
		if err := p.AddTrustedOrigin(u.Scheme + "://" + u.Host); err != nil {
			s.log.Error("trusted origin", "origin", u.Host, "err", err)
		}
	}
	p.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := directory.Errorf(directory.EFORBIDDEN, "this request came from another site and was refused")
		if isAPI(r) {
			s.fail(w, r, err)
			return
		}
		s.failPage(w, r, err)
	}))
	return p.Handler
}
