package web

import (
	"net/http"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// loginView is the data of login.html.
type loginView struct {
	adminPage
	Form *adminForm
	Next string
}

// loginForm returns the controls of the sign-in form.
func loginForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "email", Label: "Email address", Type: "email", Required: true, Auto: "username"},
		&adminField{Name: "password", Label: "Password", Type: "password", Required: true, Auto: "current-password"},
	)
}

// loginPage answers GET /login: the sign-in form, or straight on to next
// for someone already signed in.
func (s *server) loginPage(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if directory.UserFromContext(r.Context()) != nil {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.renderLogin(w, r, http.StatusOK, loginForm(), next)
}

func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, f *adminForm, next string) {
	v := loginView{adminPage: s.adminPage(w, r, "Sign in"), Form: f, Next: next}
	s.render(noStore(w), r, status, "login.html", v)
}

// login answers POST /login: it checks the email and password, starts a
// session and goes on to next. Failed attempts count against the client's
// address and the (address, email) pair (see loginLimit); over the limit
// it answers 429 and checks nothing.
func (s *server) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	next := safeNext(r.PostFormValue("next"))
	f := loginForm()
	f.fill(r.PostForm)
	email := r.PostFormValue("email")
	attempt, ok, wait := s.logins.take(s.clientIP(r), email)
	if !ok {
		s.tooManyLogins(w, r, wait)
		return
	}
	secret, _, err := s.svc.StartSession(r.Context(), email, r.PostFormValue("password"), s.sessionClient(r))
	if directory.ErrorCode(err) != directory.EUNAUTHORIZED {
		s.logins.succeeded(attempt)
	}
	if step := directory.IsSecondStep(err); step != nil {
		s.renderSecondStep(w, r, http.StatusOK, secondStepForm(), step, next)
		return
	}
	if err != nil {
		if directory.ErrorCode(err) == directory.EINTERNAL {
			s.failPage(w, r, err)
			return
		}
		// 422 rather than 401: the form, not an HTTP authentication
		// scheme, asks for credentials.
		f.fail(err)
		s.renderLogin(w, r, http.StatusUnprocessableEntity, f, next)
		return
	}
	s.replaceSession(w, r, secret)
	if !strings.HasPrefix(next, "/admin") {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.redirectWith(w, r, next, "signed-in", "")
}

// logout answers POST /logout: it ends the session and forgets the cookie.
func (s *server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.svc.EndSession(r.Context(), c.Value); err != nil {
			s.failPage(w, r, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
