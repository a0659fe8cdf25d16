package web

import (
	"net/http"
	"slices"

	"github.com/coopdir/coopdir/directory"
)

// inviteForm returns the controls of a new invitation.
func inviteForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "email", Label: "Email address", Type: "email", Required: true, Auto: "off"},
		&adminField{Name: "name", Label: "Name", Type: "text", Auto: "off", Hint: "Optional; the person can change it."},
		&adminField{Name: "role", Label: "Role", Type: "select", Required: true, Options: []adminOption{
			{Value: "editor", Label: "Editor: manages one enterprise"},
			{Value: "admin", Label: "Admin: manages the whole network"}}},
		&adminField{Name: "enterprise", Label: "Enterprise (for editors)", Type: "text", Auto: "off",
			Hint: "The handle of the enterprise the editor manages, such as shakyhands."},
	)
}

// adminUsersView is the data of admin_users.html.
type adminUsersView struct {
	adminPage
	Users       []adminUser
	Invitations []*directory.Invitation
	Form        *adminForm
}

// adminUser is one account of the list.
type adminUser struct {
	*directory.User
	Self    bool
	TwoStep bool // signs in in two steps
}

// adminUsers answers GET /admin/users (admins): the accounts, the pending
// invitations and a form to invite someone.
func (s *server) adminUsers(w http.ResponseWriter, r *http.Request) {
	s.renderUsers(w, r, http.StatusOK, inviteForm())
}

func (s *server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f *adminForm) {
	users, err := s.svc.Users(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	invs, err := s.svc.Invitations(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminUsersView{adminPage: s.adminPage(w, r, "Accounts and invitations"), Invitations: invs, Form: f}
	twoStep, err := s.svc.TwoStepUsers(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	me := directory.UserFromContext(r.Context())
	for _, u := range users {
		v.Users = append(v.Users, adminUser{User: u, Self: me != nil && me.ID == u.ID, TwoStep: slices.Contains(twoStep, u.ID)})
	}
	s.render(w, r, status, "admin_users.html", v)
}

// adminInvite answers POST /admin/users/invite (admins). The invitation
// link is shown once, on the page the browser is sent to.
func (s *server) adminInvite(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	inv := &directory.Invitation{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Role: directory.Role(r.PostFormValue("role")), EnterpriseHandle: r.PostFormValue("enterprise")}
	if inv.Role == directory.RoleAdmin {
		inv.EnterpriseHandle = ""
	}
	secret, err := s.svc.Invite(r.Context(), inv)
	if err != nil {
		f := inviteForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderUsers(w, r, adminFormStatus(err), f)
		}
		return
	}
	s.redirectWith(w, r, "/admin/users", "invited", secret)
}

// adminCancelInvitation answers POST /admin/invitations/{id}/cancel.
func (s *server) adminCancelInvitation(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err == nil {
		err = s.svc.CancelInvitation(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin/users", "invitation-cancelled", "")
}

// adminDeleteUser answers POST /admin/users/{id}/delete.
func (s *server) adminDeleteUser(w http.ResponseWriter, r *http.Request) {
	id, err := adminPathID(r)
	if err == nil {
		err = s.svc.DeleteUser(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin/users", "user-deleted", "")
}
