package web

import (
	"net/http"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/mail"
)

// forgotPath is the page where people ask for a password-reset link.
const forgotPath = "/password-reset"

// forgotForm returns the control of the forgotten-password form.
func forgotForm() *adminForm {
	return newAdminForm(&adminField{Name: "email", Label: "Email address of your account", Type: "email", Required: true, Auto: "username"})
}

// forgotView is the data of password_forgot.html.
type forgotView struct {
	adminPage
	Form   *adminForm
	Stamp  string
	Mailed bool // SMTP is set: the link goes by mail
	Sent   bool
	TTL    string
}

func (s *server) renderForgot(w http.ResponseWriter, r *http.Request, status int, f *adminForm, sent bool) {
	v := forgotView{adminPage: s.adminPage(w, r, "Forgot your password?"), Form: f, Stamp: s.stamps.stamp(forgotPath),
		Mailed: s.opt.Mail != nil, Sent: sent, TTL: durationHours(r, directory.PasswordResetMailTTL)}
	s.render(noStore(w), r, status, "password_forgot.html", v)
}

// durationHours says a whole number of hours, for people.
func durationHours(r *http.Request, d time.Duration) string {
	if h := int(d / time.Hour); h != 1 {
		return translate(r, "%d hours", h)
	}
	return translate(r, "an hour")
}

// forgotPage answers GET /password-reset: the form that mails a
// password-reset link, or, without SMTP, how to get one from an admin.
func (s *server) forgotPage(w http.ResponseWriter, r *http.Request) {
	s.renderForgot(w, r, http.StatusOK, forgotForm(), r.URL.Query().Get("sent") == "1")
}

// forgotPassword answers POST /password-reset: when an account has the
// address, it mails it a password-reset link. The answer is the same
// whether or not one has: the page does not tell who has an account.
// Requests are limited per client address and per email address.
func (s *server) forgotPassword(w http.ResponseWriter, r *http.Request) {
	if s.opt.Mail == nil {
		s.renderForgot(w, r, http.StatusOK, forgotForm(), false)
		return
	}
	if !s.parseAdminForm(w, r) {
		return
	}
	f := forgotForm()
	f.fill(r.PostForm)
	if problem, status := s.guardForm(r, forgotPath); problem != "" {
		f.Errors = append(f.Errors, adminFormError{Message: problem})
		s.renderForgot(w, r, status, f, false)
		return
	}
	email := r.PostFormValue("email")
	if email == "" {
		f.addError("email", "is required")
		s.renderForgot(w, r, http.StatusUnprocessableEntity, f, false)
		return
	}
	if ok, wait := s.resets.take("reset", s.clientIP(r), "email "+limitEmail(email)); !ok {
		s.tooManyPosts(w, r, wait, "password-reset requests")
		return
	}
	secret, address, err := s.svc.RequestPasswordReset(r.Context(), email)
	switch directory.ErrorCode(err) {
	case "":
		s.mailReset(r, address, secret)
	case directory.ENOTFOUND:
	default:
		s.failPage(w, r, err)
		return
	}
	http.Redirect(w, r, forgotPath+"?sent=1", http.StatusSeeOther)
}

// mailReset queues the mail with the link of secret to email.
func (s *server) mailReset(r *http.Request, email, secret string) {
	network := s.settings(r).NetworkName
	body := translate(r, "Someone, probably you, asked to choose a new password for your account %s on %s.", email, network) + "\n\n" +
		translate(r, "Choose it here (the link works once, for %s):", durationHours(r, directory.PasswordResetMailTTL)) + "\n" +
		s.url("/password-reset/"+secret) + "\n\n" +
		translate(r, "If you did not ask for it, ignore this mail: your password stays as it is.") + "\n"
	subject := translate(r, "Choose a new password for %s", network)
	err := s.opt.Mail.Send(r.Context(), mail.Message{To: []string{email}, Subject: subject, Body: body})
	if err != nil {
		s.log.ErrorContext(r.Context(), "queue password-reset mail", "err", err)
	}
}
