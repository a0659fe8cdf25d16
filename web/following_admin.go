package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	flashMessages["follow-requested"] = msg("The follow request was sent. It shows as waiting until the account accepts it.")
	flashMessages["unfollowed"] = msg("The enterprise no longer follows that account.")
}

// followForm returns the control of the "Follow an account" form.
func followForm() *adminForm {
	return newAdminForm(&adminField{Name: "account", Label: "Account address", Type: "text", Required: true, Auto: "off",
		Hint: "Its fediverse address, such as name@coop.example, or the address of its profile page."})
}

// followStateLabels show the state of a follow as words.
var followStateLabels = map[directory.FollowState]string{
	directory.FollowPending:  msg("Waiting for approval"),
	directory.FollowAccepted: msg("Following"),
	directory.FollowRejected: msg("Refused"),
}

// adminFollowingView is the data of admin_following.html.
type adminFollowingView struct {
	adminPage
	E         *directory.Enterprise
	AdminPath string
	Items     []adminFollowing
	Form      *adminForm // nil when federation is not enabled
}

// adminFollowing is one row of the following table.
type adminFollowing struct {
	ID                 int64
	Account, Name, URL string
	State              directory.FollowState
	StateLabel         string
	Since              time.Time
	UnfollowURL        string
	UnfollowLabel      string
}

// adminFollowingRow describes a follow and the button that ends it.
func adminFollowingRow(f *directory.Following, adminPath string) adminFollowing {
	row := adminFollowing{ID: f.ID, Account: f.Account, Name: f.Name, URL: webLink(f.URL), State: f.State,
		StateLabel: followStateLabels[f.State], Since: f.UpdatedAt,
		UnfollowURL: adminPath + "/following/" + strconv.FormatInt(f.ID, 10) + "/delete", UnfollowLabel: "Unfollow"}
	if row.StateLabel == "" {
		row.StateLabel = string(f.State)
	}
	if row.Since.IsZero() {
		row.Since = f.CreatedAt
	}
	if row.Account == "" {
		row.Account = f.TargetID
	}
	switch f.State {
	case directory.FollowPending:
		row.UnfollowLabel = msg("Cancel the request")
	case directory.FollowRejected:
		row.UnfollowLabel = "Remove"
	}
	return row
}

// adminFollowing answers GET /admin/enterprises/{handle}/following: whom the
// enterprise follows, and a form to follow someone.
func (s *server) adminFollowing(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.EditableEnterprise(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.renderFollowing(w, r, http.StatusOK, e, followForm())
}

func (s *server) renderFollowing(w http.ResponseWriter, r *http.Request, status int, e *directory.Enterprise, f *adminForm) {
	follows, err := s.svc.Following(r.Context(), e.Handle)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	path := adminEnterprisePath(e.Handle)
	v := adminFollowingView{adminPage: s.adminPage(w, r, "Following · "+e.Name), E: e, AdminPath: path}
	if s.opt.Federation != nil {
		v.Form = f
	}
	for _, fl := range follows {
		v.Items = append(v.Items, adminFollowingRow(fl, path))
	}
	s.render(w, r, status, "admin_following.html", v)
}

// adminFollow answers POST /admin/enterprises/{handle}/following.
func (s *server) adminFollow(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.EditableEnterprise(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if s.opt.Federation == nil {
		s.failPage(w, r, errNoFederation)
		return
	}
	if !s.parseAdminForm(w, r) {
		return
	}
	account, err := directory.CheckAccountAddress(r.PostFormValue("account"))
	if err == nil {
		_, err = s.opt.Federation.Follow(r.Context(), e.Handle, account)
	}
	if err != nil {
		err = accountError(err)
		if code := directory.ErrorCode(err); code == directory.ENOTFOUND || code == directory.EFORBIDDEN {
			// An account not found (mistyped, most likely) or on a blocked
			// domain: something to fix in the form, like a malformed one.
			err = &directory.Error{Code: directory.EINVALID, Message: directory.ErrorMessage(err),
				Fields: directory.ErrorFields(err), Err: err}
		}
		f := followForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderFollowing(w, r, adminFormStatus(err), e, f)
		}
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle)+"/following", "follow-requested", "")
}

// adminUnfollow answers POST /admin/enterprises/{handle}/following/{id}/delete.
func (s *server) adminUnfollow(w http.ResponseWriter, r *http.Request) {
	if s.opt.Federation == nil {
		s.failPage(w, r, errNoFederation)
		return
	}
	handle := chi.URLParam(r, "handle")
	id, err := adminPathID(r)
	if err == nil {
		err = s.opt.Federation.Unfollow(r.Context(), handle, id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(handle)+"/following", "unfollowed", "")
}

// webLink returns link when it is an http(s) address, to put in an href;
// addresses received from other servers may be anything.
func webLink(link string) string {
	u, err := url.Parse(link)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return ""
	}
	return link
}
