package web

import (
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
)

// announcementForm returns the control of an announcement.
func announcementForm() *adminForm {
	return newAdminForm(&adminField{Name: "content", Label: "Announcement", Type: "textarea", Rows: 8,
		Required: true, Markdown: true, Hint: "At most " + strconv.Itoa(directory.MaxAnnouncementLength) +
			" characters. Followers on the fediverse see it in their timelines."})
}

// adminAnnouncementView is the data of admin_announcement.html.
type adminAnnouncementView struct {
	adminPage
	E      *directory.Enterprise
	A      *directory.Announcement // nil for a new one
	Action string
	Form   *adminForm
}

func (s *server) renderAnnouncement(w http.ResponseWriter, r *http.Request, status int, e *directory.Enterprise, a *directory.Announcement, f *adminForm) {
	v := adminAnnouncementView{E: e, A: a, Form: f}
	if a == nil {
		v.adminPage = s.adminPage(w, r, "New announcement")
		v.Action = adminEnterprisePath(e.Handle) + "/announcements/new"
	} else {
		v.adminPage = s.adminPage(w, r, "Edit announcement")
		v.Action = adminAnnouncementPath(a.ID)
	}
	s.render(w, r, status, "admin_announcement.html", v)
}

// adminNewAnnouncement answers GET /admin/enterprises/{handle}/announcements/new.
func (s *server) adminNewAnnouncement(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	s.renderAnnouncement(w, r, http.StatusOK, e, nil, announcementForm())
}

// adminCreateAnnouncement answers POST /admin/enterprises/{handle}/announcements/new.
func (s *server) adminCreateAnnouncement(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	a := directory.Announcement{Content: r.PostFormValue("content")}
	if err := s.svc.CreateAnnouncement(r.Context(), e.Handle, &a); err != nil {
		f := announcementForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderAnnouncement(w, r, adminFormStatus(err), e, nil, f)
		}
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle)+"#announcements", "announcement-created", strconv.FormatInt(a.ID, 10))
}

// managedAnnouncement loads the announcement {id} of the path and checks
// that the user may change it; otherwise it answers the request.
func (s *server) managedAnnouncement(w http.ResponseWriter, r *http.Request) (*directory.Announcement, *directory.Enterprise, bool) {
	id, err := adminPathID(r)
	var a *directory.Announcement
	if err == nil {
		a, err = s.svc.Announcement(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return nil, nil, false
	}
	owner := &directory.Enterprise{ID: a.EnterpriseID, Handle: a.EnterpriseHandle, Name: a.EnterpriseName, Origin: a.Origin}
	if !mayManage(directory.UserFromContext(r.Context()), owner) {
		s.failPage(w, r, directory.Errorf(directory.EFORBIDDEN, "you may only change your own enterprise's announcements"))
		return nil, nil, false
	}
	return a, owner, true
}

// adminAnnouncement answers GET /admin/announcements/{id}: the edit form.
func (s *server) adminAnnouncement(w http.ResponseWriter, r *http.Request) {
	a, owner, ok := s.managedAnnouncement(w, r)
	if !ok {
		return
	}
	f := announcementForm()
	f.fill(map[string][]string{"content": {a.Content}})
	s.renderAnnouncement(w, r, http.StatusOK, owner, a, f)
}

// adminUpdateAnnouncement answers POST /admin/announcements/{id}.
func (s *server) adminUpdateAnnouncement(w http.ResponseWriter, r *http.Request) {
	a, owner, ok := s.managedAnnouncement(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	if _, err := s.svc.UpdateAnnouncement(r.Context(), a.ID, r.PostFormValue("content")); err != nil {
		f := announcementForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderAnnouncement(w, r, adminFormStatus(err), owner, a, f)
		}
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(owner.Handle)+"#announcement-"+strconv.FormatInt(a.ID, 10), "announcement-saved", strconv.FormatInt(a.ID, 10))
}

// adminDeleteAnnouncement answers POST /admin/announcements/{id}/delete and
// returns to the page named by the form's "back" value. Without
// confirm=yes it shows the confirmation page instead.
func (s *server) adminDeleteAnnouncement(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.managedAnnouncement(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	if !confirmed(r) {
		s.adminConfirmDeleteAnnouncement(w, r)
		return
	}
	if err := s.svc.DeleteAnnouncement(r.Context(), a.ID); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, safeNext(r.PostFormValue("back")), "announcement-deleted", "")
}
