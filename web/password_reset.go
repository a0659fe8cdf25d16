package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// resetForm returns the controls with which a person chooses a new password.
func resetForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "password", Label: "New password", Type: "password", Required: true, Auto: "new-password",
			Hint: "At least " + strconv.Itoa(directory.MinPasswordLength) + " characters. A few unrelated words make a good one."},
		&adminField{Name: "confirm", Label: "Type the password again", Type: "password", Required: true, Auto: "new-password"},
	)
}

// passwordResetView is the data of password_reset.html.
type passwordResetView struct {
	adminPage
	Reset *directory.PasswordReset
	Form  *adminForm
}

// adminResetPassword answers POST /admin/users/{id}/reset (admins): it
// makes a password-reset link for the account, shown once on the page the
// browser is sent to.
func (s *server) adminResetPassword(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	var secret string
	if err == nil {
		secret, err = s.svc.CreatePasswordReset(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin/users", "reset-created", secret)
}

// passwordResetPage answers GET /password-reset/{secret}: the form to
// choose a new password.
func (s *server) passwordResetPage(w http.ResponseWriter, r *http.Request) {
	pr, ok := s.findPasswordReset(w, r)
	if !ok {
		return
	}
	s.renderPasswordReset(w, r, http.StatusOK, pr, resetForm())
}

func (s *server) renderPasswordReset(w http.ResponseWriter, r *http.Request, status int, pr *directory.PasswordReset, f *adminForm) {
	v := passwordResetView{adminPage: s.adminPage(w, r, "Choose a new password"), Reset: pr, Form: f}
	// The address holds the secret: keep the page out of every cache.
	s.render(noStore(w), r, status, "password_reset.html", v)
}

// findPasswordReset loads the link of the path's secret; an unknown, used
// or expired one gets a 404 page saying what to do.
func (s *server) findPasswordReset(w http.ResponseWriter, r *http.Request) (*directory.PasswordReset, bool) {
	pr, err := s.svc.PasswordReset(r.Context(), chi.URLParam(r, "secret"))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		again := msg("Ask your network's admins for a new one.")
		if s.opt.Mail != nil {
			again = msg("Ask for a new one with “Forgot your password?” on the sign-in page, or ask your network's admins.")
		}
		s.renderError(noStore(w), r, http.StatusNotFound, translate(r, "This password-reset link is unknown, already used or expired.")+" "+translate(r, again))
		return nil, false
	}
	if err != nil {
		s.failPage(w, r, err)
		return nil, false
	}
	return pr, true
}

// resetPassword answers POST /password-reset/{secret}: it sets the new
// password, which signs every browser of the account out, and signs this
// one in.
func (s *server) resetPassword(w http.ResponseWriter, r *http.Request) {
	pr, ok := s.findPasswordReset(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	password := r.PostFormValue("password")
	err := confirmedPassword(r)
	if err == nil {
		_, err = s.svc.ResetPassword(r.Context(), chi.URLParam(r, "secret"), password)
	}
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		// Used meanwhile, in another tab.
		s.findPasswordReset(w, r)
		return
	}
	if err != nil {
		f := resetForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderPasswordReset(w, r, adminFormStatus(err), pr, f)
		}
		return
	}
	secret, _, err := s.svc.StartSession(r.Context(), pr.Email, password, s.sessionClient(r))
	if step := directory.IsSecondStep(err); step != nil {
		s.renderSecondStep(w, r, http.StatusOK, secondStepForm(), step, "/admin")
		return
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.replaceSession(w, r, secret)
	s.redirectWith(w, r, "/admin", "password-reset", "")
}
