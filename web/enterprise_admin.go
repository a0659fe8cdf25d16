package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// enterpriseForm returns the controls of an enterprise's profile; a new
// enterprise also chooses its handle.
func enterpriseForm(isNew bool) *adminForm {
	var fields []*adminField
	if isNew {
		fields = append(fields, &adminField{Name: "handle", Label: "Handle", Type: "text", Required: true, Auto: "off",
			Hint: "The short name in the enterprise's addresses, such as shakyhands: lowercase letters, digits and _, " +
				"with . or - inside. It is also its fediverse name and cannot be changed later."})
	}
	kinds := []adminOption{{Value: "", Label: "Choose a kind"}}
	for _, k := range directory.Kinds {
		kinds = append(kinds, adminOption{Value: string(k), Label: k.Label()})
	}
	fields = append(fields,
		&adminField{Name: "name", Label: "Name", Type: "text", Required: true, Auto: "organization"},
		&adminField{Name: "kind", Label: "Kind of enterprise", Type: "select", Required: true, Options: kinds},
		&adminField{Name: "summary", Label: "Summary", Type: "textarea", Rows: 6, Markdown: true,
			Hint: "What the enterprise does and for whom."},
		&adminField{Name: "sectors", Label: "Sectors", Type: "text", Hint: "Separated by commas, such as carpentry, repair."},
		&adminField{Name: "founded", Label: "Year founded", Type: "text", Mode: "numeric"},
		&adminField{Name: "governance", Label: "Governance", Type: "textarea", Rows: 3,
			Hint: "How decisions are made, such as one member, one vote."},
		&adminField{Name: "membership", Label: "Membership", Type: "select", Options: []adminOption{
			{Value: "", Label: "Not said"}, {Value: "open", Label: "Open to new members"},
			{Value: "closed", Label: "Not taking new members"}}},
		&adminField{Name: "languages", Label: "Languages", Type: "text",
			Hint: "Language codes separated by commas, such as en, es."},
		&adminField{Name: "website", Label: "Website", Type: "url", Auto: "url", Hint: "Such as https://example.org."},
		&adminField{Name: "email", Label: "Public email address", Type: "email", Auto: "email"},
		&adminField{Name: "phone", Label: "Phone", Type: "tel", Auto: "tel"},
	)
	return newAdminForm(append(fields, adminLocationFields()...)...)
}

// enterpriseFormValues are the form values showing e.
func enterpriseFormValues(e *directory.Enterprise) url.Values {
	v := url.Values{}
	v.Set("name", e.Name)
	v.Set("kind", string(e.Kind))
	v.Set("summary", e.Summary)
	v.Set("sectors", strings.Join(e.Sectors, ", "))
	if e.Founded != 0 {
		v.Set("founded", strconv.Itoa(e.Founded))
	}
	v.Set("governance", e.Governance)
	v.Set("membership", string(e.Membership))
	v.Set("languages", strings.Join(e.Languages, ", "))
	v.Set("website", e.Website)
	v.Set("email", e.Email)
	v.Set("phone", e.Phone)
	adminLocationValues(v, e.Location)
	return v
}

// enterprise reads the profile controls.
func (p *adminParser) enterprise() directory.Enterprise {
	return directory.Enterprise{
		Handle: p.str("handle"), Name: p.str("name"), Kind: directory.Kind(p.str("kind")),
		Summary: p.values.Get("summary"), Sectors: p.list("sectors"), Founded: p.integer("founded"),
		Governance: p.values.Get("governance"), Membership: directory.Membership(p.str("membership")),
		Languages: p.list("languages"), Website: p.str("website"), Email: p.str("email"),
		Phone: p.str("phone"), Location: p.location(),
	}
}

// enterpriseUpdate sets every profile field the form shows.
func enterpriseUpdate(e *directory.Enterprise) directory.EnterpriseUpdate {
	return directory.EnterpriseUpdate{
		Name: &e.Name, Kind: &e.Kind, Summary: &e.Summary, Sectors: &e.Sectors, Founded: &e.Founded,
		Governance: &e.Governance, Membership: &e.Membership, Languages: &e.Languages,
		Website: &e.Website, Email: &e.Email, Phone: &e.Phone, Location: &e.Location,
	}
}

// adminNewEnterpriseView is the data of admin_enterprise_new.html.
type adminNewEnterpriseView struct {
	adminPage
	Form *adminForm
}

// adminNewEnterprise answers GET /admin/enterprises/new (admins).
func (s *server) adminNewEnterprise(w http.ResponseWriter, r *http.Request) {
	v := adminNewEnterpriseView{adminPage: s.adminPage(w, r, "New enterprise"), Form: enterpriseForm(true)}
	v.withLocationPicker()
	s.render(w, r, http.StatusOK, "admin_enterprise_new.html", v)
}

// adminCreateEnterprise answers POST /admin/enterprises/new (admins).
func (s *server) adminCreateEnterprise(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	p := &adminParser{values: r.PostForm}
	e := p.enterprise()
	var err error
	if len(p.errs) > 0 {
		check := e
		err = p.err(check.Validate(s.svc.Now()))
	} else {
		err = s.svc.CreateEnterprise(r.Context(), &e)
	}
	if err != nil {
		f := enterpriseForm(true)
		if !s.adminFormFailed(w, r, f, err) {
			return
		}
		v := adminNewEnterpriseView{adminPage: s.adminPage(w, r, "New enterprise"), Form: f}
		v.withLocationPicker()
		s.render(w, r, adminFormStatus(err), "admin_enterprise_new.html", v)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle), "enterprise-created", "")
}

// adminEnterpriseView is the data of admin_enterprise.html: the profile form, the
// logo, the listings and the announcements of one enterprise.
type adminEnterpriseView struct {
	adminPage
	E             *directory.Enterprise
	AdminPath     string
	Form, Logo    *adminForm
	Errors        []adminFormError // of the form that failed
	Listings      adminListingList
	Announcements adminAnnouncementList
	CanDelete     bool
	NewMatches    int // matches of its listings not seen yet
	Agreements    int // agreements waiting for its answer
}

// adminEnterprise answers GET /admin/enterprises/{handle}.
func (s *server) adminEnterprise(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	f := enterpriseForm(false)
	f.fill(enterpriseFormValues(e))
	s.renderManage(w, r, http.StatusOK, e, f, logoForm(), nil)
}

// renderManage shows the admin page of e with its two forms; errs are
// those of the form that failed.
func (s *server) renderManage(w http.ResponseWriter, r *http.Request, status int, e *directory.Enterprise, f, logo *adminForm, errs []adminFormError) {
	path := adminEnterprisePath(e.Handle)
	v := adminEnterpriseView{adminPage: s.adminPage(w, r, e.Name), E: e, AdminPath: path, Form: f, Logo: logo, Errors: errs,
		CanDelete: userIsAdmin(directory.UserFromContext(r.Context())), NewMatches: s.newMatches(r, e.Handle),
		Agreements: s.pendingAgreements(r, e.Handle)}
	v.withLocationPicker()
	var err error
	v.Listings, v.Announcements, err = s.enterpriseContent(r, e, path)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, status, "admin_enterprise.html", v)
}

// adminUpdateEnterprise answers POST /admin/enterprises/{handle}.
func (s *server) adminUpdateEnterprise(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	p := &adminParser{values: r.PostForm}
	edited := p.enterprise()
	var err error
	if len(p.errs) > 0 {
		check := *e
		enterpriseUpdate(&edited).Apply(&check)
		err = p.err(check.Validate(s.svc.Now()))
	} else {
		_, err = s.svc.UpdateEnterprise(r.Context(), e.Handle, enterpriseUpdate(&edited))
	}
	if err != nil {
		f := enterpriseForm(false)
		if !s.adminFormFailed(w, r, f, err) {
			return
		}
		s.renderManage(w, r, adminFormStatus(err), e, f, logoForm(), f.Errors)
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle), "enterprise-saved", "")
}

// adminDeleteView is the data of admin_enterprise_delete.html.
type adminDeleteView struct {
	adminPage
	E                       *directory.Enterprise
	Listings, Announcements int
}

// adminConfirmDeleteEnterprise answers GET /admin/enterprises/{handle}/delete
// (admins): what deleting would remove, and a button to do it.
func (s *server) adminConfirmDeleteEnterprise(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	ls, as, err := s.enterpriseContent(r, e, "")
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminDeleteView{adminPage: s.adminPage(w, r, "Delete "+e.Name), E: e, Listings: ls.Total, Announcements: as.Total}
	s.render(w, r, http.StatusOK, "admin_enterprise_delete.html", v)
}

// adminDeleteEnterprise answers POST /admin/enterprises/{handle}/delete.
func (s *server) adminDeleteEnterprise(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	if err := s.svc.DeleteEnterprise(r.Context(), e.Handle); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.redirectWith(w, r, "/admin", "enterprise-deleted", "")
}
