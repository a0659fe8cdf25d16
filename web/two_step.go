package web

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/totp"
)

// codeForm returns the control of a sign-in code.
func codeForm(hint string) *adminForm {
	return newAdminForm(
		&adminField{Name: "code", Label: "Code", Type: "text", Required: true, Auto: "one-time-code", Hint: hint},
	)
}

// secondStepView is the data of login_code.html.
type secondStepView struct {
	adminPage
	Form          *adminForm
	Next          string
	Email, Ticket string
}

func (s *server) renderSecondStep(w http.ResponseWriter, r *http.Request, status int, f *adminForm, step *directory.SecondStepError, next string) {
	v := secondStepView{adminPage: s.adminPage(w, r, "Sign-in code"), Form: f, Next: next, Email: step.Email, Ticket: step.Ticket}
	s.render(noStore(w), r, status, "login_code.html", v)
}

// secondStepForm returns the form of the second sign-in step.
func secondStepForm() *adminForm {
	return codeForm(msg("The 6 digits your authenticator app shows now, or one of your recovery codes."))
}

// loginCode answers POST /login/code: the second step of signing in, a
// code after the right password. Wrong codes count against the client as
// wrong passwords do.
func (s *server) loginCode(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	next := safeNext(r.PostFormValue("next"))
	step := &directory.SecondStepError{Email: r.PostFormValue("email"), Ticket: r.PostFormValue("ticket")}
	attempt, ok, wait := s.logins.take(s.clientIP(r), step.Email)
	if !ok {
		s.tooManyLogins(w, r, wait)
		return
	}
	secret, _, err := s.svc.FinishSignIn(r.Context(), step.Ticket, step.Email, r.PostFormValue("code"), s.sessionClient(r))
	code := directory.ErrorCode(err)
	if code != directory.EUNAUTHORIZED && code != directory.EINVALID {
		s.logins.succeeded(attempt)
	}
	if err != nil {
		if code == directory.EINTERNAL {
			s.failPage(w, r, err)
			return
		}
		f := secondStepForm()
		f.fail(err)
		s.renderSecondStep(w, r, http.StatusUnprocessableEntity, f, step, next)
		return
	}
	s.replaceSession(w, r, secret)
	if !strings.HasPrefix(next, "/admin") {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	s.redirectWith(w, r, next, "signed-in", "")
}

// twoStepView is the part of account.html about two-step sign-in.
type twoStepView struct {
	On       bool
	Left     int          // recovery codes left
	Secret   string       // a new secret to turn it on with
	URI      string       // its otpauth:// URI
	QR       template.URL // a data: URL of the URI's QR code, or ""
	Recovery []string     // the recovery codes, shown once, just after turning on
	Form     *adminForm
}

// twoStep fills the two-step part of the account page, with a new secret
// when it is off.
func (s *server) twoStep(r *http.Request, f *adminForm) (*twoStepView, error) {
	on, left, err := s.svc.TwoStepOn(r.Context())
	if err != nil {
		return nil, err
	}
	v := &twoStepView{On: on, Left: left, Form: f}
	if on {
		if f == nil {
			v.Form = disableForm()
		}
		return v, nil
	}
	if f == nil {
		v.Form = codeForm(msg("The 6 digits the app shows once it has the secret."))
	}
	v.Secret, v.URI, err = s.svc.NewTwoStepSecret(r.Context(), s.opt.NetworkName)
	if directory.ErrorCode(err) == directory.EINVALID {
		return &twoStepView{}, nil // not available: the page says nothing of it
	}
	if err != nil {
		return nil, err
	}
	// Without its picture the page still works: the secret is shown as text.
	if img, err := totp.QR(v.URI, 200); err == nil {
		v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(img))
	} else {
		s.log.WarnContext(r.Context(), "two-step QR code", "err", err)
	}
	return v, nil
}

func disableForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "code", Label: "Current code", Type: "text", Auto: "one-time-code", Hint: "From your app, or a recovery code."},
		&adminField{Name: "password", Label: "Or your password", Type: "password", Auto: "current-password"},
	)
}

// accountEnableTwoStep answers POST /admin/account/two-step: it turns on
// two-step sign-in with the secret the page showed, once a current code
// proves the app has it, and shows the recovery codes once.
func (s *server) accountEnableTwoStep(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	codes, err := s.svc.EnableTwoStep(r.Context(), r.PostFormValue("secret"), r.PostFormValue("code"))
	if err != nil {
		f := codeForm(msg("The 6 digits the app shows once it has the secret."))
		if s.adminFormFailed(w, r, f, err) {
			s.renderAccount(w, r, adminFormStatus(err), f)
		}
		return
	}
	s.renderAccountWith(w, r, http.StatusOK, &twoStepView{On: true, Left: len(codes), Recovery: codes, Form: disableForm()})
}

// accountDisableTwoStep answers POST /admin/account/two-step/off: it turns
// off two-step sign-in, given a current code or the password. Failures
// count in the sign-in limit.
func (s *server) accountDisableTwoStep(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	// A wrong code or password here counts as a failed sign-in: a stolen
	// session must not become a way to guess the password.
	attempt, ok, wait := s.logins.take(s.clientIP(r), directory.UserFromContext(r.Context()).Email)
	if !ok {
		s.tooManyLogins(w, r, wait)
		return
	}
	err := s.svc.DisableTwoStep(r.Context(), r.PostFormValue("code"), r.PostFormValue("password"))
	if c := directory.ErrorCode(err); c != directory.EINVALID && c != directory.EUNAUTHORIZED {
		s.logins.succeeded(attempt)
	}
	if err != nil {
		f := disableForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderAccount(w, r, adminFormStatus(err), f)
		}
		return
	}
	s.redirectWith(w, r, "/admin/account", "two-step-off", "")
}

// adminResetTwoStep answers POST /admin/users/{id}/two-step/off (admins):
// it turns off the two-step sign-in of someone who lost their phone.
func (s *server) adminResetTwoStep(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	ended := 0
	if err == nil {
		ended, err = s.svc.ResetTwoStep(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.log.InfoContext(r.Context(), "admin turned off two-step sign-in", "admin", directory.UserFromContext(r.Context()).ID, "user", id, "sessions_ended", ended)
	s.redirectWith(w, r, "/admin/users", "two-step-reset", "")
}
