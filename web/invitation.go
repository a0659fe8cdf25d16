package web

import (
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

// acceptForm returns the controls with which an invited person creates
// their account.
func acceptForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "name", Label: "Your name", Type: "text", Required: true, Auto: "name"},
		&adminField{Name: "password", Label: "Choose a password", Type: "password", Required: true, Auto: "new-password",
			Hint: "At least " + strconv.Itoa(directory.MinPasswordLength) + " characters. A few unrelated words make a good one."},
		&adminField{Name: "confirm", Label: "Type the password again", Type: "password", Required: true, Auto: "new-password"},
	)
}

// invitationView is the data of invitation.html.
type invitationView struct {
	adminPage
	Inv  *directory.Invitation
	Form *adminForm
}

// invitationPage answers GET /invitations/{secret}: what the invitation
// is for and the form to accept it.
func (s *server) invitationPage(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.findInvitation(w, r)
	if !ok {
		return
	}
	f := acceptForm()
	f.fill(map[string][]string{"name": {inv.Name}})
	s.renderInvitation(w, r, http.StatusOK, inv, f)
}

func (s *server) renderInvitation(w http.ResponseWriter, r *http.Request, status int, inv *directory.Invitation, f *adminForm) {
	v := invitationView{adminPage: s.adminPage(w, r, "Create your account"), Inv: inv, Form: f}
	// The address holds the secret: keep the page out of every cache.
	s.render(noStore(w), r, status, "invitation.html", v)
}

// findInvitation loads the invitation of the path's secret; an unknown,
// used or expired one gets a 404 page saying what to do.
func (s *server) findInvitation(w http.ResponseWriter, r *http.Request) (*directory.Invitation, bool) {
	inv, err := s.svc.Invitation(r.Context(), chi.URLParam(r, "secret"))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		s.renderError(noStore(w), r, http.StatusNotFound, "This invitation link is unknown, already used or expired. "+
			"Ask your network's admins for a new one.")
		return nil, false
	}
	if err != nil {
		s.failPage(w, r, err)
		return nil, false
	}
	return inv, true
}

// acceptInvitation answers POST /invitations/{secret}: it creates the
// account and signs the person in.
func (s *server) acceptInvitation(w http.ResponseWriter, r *http.Request) {
	inv, ok := s.findInvitation(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	password := r.PostFormValue("password")
	err := confirmedPassword(r)
	if err == nil {
		_, err = s.svc.AcceptInvitation(r.Context(), chi.URLParam(r, "secret"), r.PostFormValue("name"), password)
	}
	if err != nil {
		f := acceptForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderInvitation(w, r, adminFormStatus(err), inv, f)
		}
		return
	}
	secret, _, err := s.svc.StartSession(r.Context(), inv.Email, password, s.sessionClient(r))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.replaceSession(w, r, secret)
	s.redirectWith(w, r, "/admin", "welcome", "")
}
