package web

import (
	"net/http"

	"github.com/coopdir/coopdir/directory"
)

// accountView is the data of account.html.
type accountView struct {
	adminPage
	Sessions []*directory.Session
	Others   int // sessions besides this browser's
	TwoStep  *twoStepView
}

// currentSecret is the session secret of this browser, or "".
func currentSecret(r *http.Request) string {
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// accountPage answers GET /admin/account: who is signed in and every
// browser signed in to the account, with buttons to sign them out.
func (s *server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil)
}

// renderAccount renders the account page, with f as the form of its
// two-step part when it was refused.
func (s *server) renderAccount(w http.ResponseWriter, r *http.Request, status int, f *adminForm) {
	ts, err := s.twoStep(r, f)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.renderAccountWith(w, r, status, ts)
}

func (s *server) renderAccountWith(w http.ResponseWriter, r *http.Request, status int, ts *twoStepView) {
	list, err := s.svc.Sessions(r.Context(), currentSecret(r))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := accountView{adminPage: s.adminPage(w, r, "Your account"), Sessions: list, TwoStep: ts}
	if ts != nil && ts.QR != "" {
		v.ImgSrc = "'self' https: data:" // the QR code of the new secret
	}
	for _, sess := range list {
		if !sess.Current {
			v.Others++
		}
	}
	s.render(noStore(w), r, status, "account.html", v)
}

// accountEndSession answers POST /admin/account/sessions/{id}/end: it
// signs one of the user's browsers out. Ending this browser's own session
// is signing out.
func (s *server) accountEndSession(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err == nil {
		err = s.svc.EndOwnSession(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if _, err := s.svc.SessionUser(r.Context(), currentSecret(r)); directory.ErrorCode(err) == directory.EUNAUTHORIZED {
		s.clearSessionCookie(w)
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	s.redirectWith(w, r, "/admin/account", "session-ended", "")
}

// accountEndOthers answers POST /admin/account/sessions/end-others: it
// signs out every browser of the user but this one.
func (s *server) accountEndOthers(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.EndOtherSessions(r.Context(), currentSecret(r)); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin/account", "sessions-ended", "")
}
