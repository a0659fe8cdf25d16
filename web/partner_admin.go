package web

import (
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
)

// The partner networks page (admins): the partnerships with their state,
// the answers to other networks' requests, a form to ask a network, one
// to change what we import from a partner, and the end of a partnership.

func init() {
	flashMessages["partner-requested"] = msg("The request was sent. It shows as waiting until the other network's admins approve it.")
	flashMessages["partner-approved"] = msg("The request was approved: that network now shows this network's entries.")
	flashMessages["partner-rejected"] = msg("The request was refused: that network gets none of this network's entries.")
	flashMessages["partner-scope-saved"] = msg("The scope was saved. Their entries are imported again under it.")
	flashMessages["partner-share-saved"] = msg("Saved what they may read. What we send them and serve them holds only that from now on.")
	flashMessages["partnership-ended"] = msg("The partnership has ended, and that network's entries were removed from the directory.")
}

// ourStateLabels say where our request to a partner stands.
var ourStateLabels = map[directory.PartnerState]string{
	directory.PartnerNone:     msg("Not asked"),
	directory.PartnerPending:  msg("Waiting for their approval"),
	directory.PartnerActive:   msg("Approved: we show their entries"),
	directory.PartnerRejected: msg("Refused by them"),
}

// theirStateLabels say where a partner's request to us stands.
var theirStateLabels = map[directory.PartnerState]string{
	directory.PartnerNone:     msg("They have not asked"),
	directory.PartnerPending:  msg("Waiting for your approval"),
	directory.PartnerActive:   msg("Approved: they show ours"),
	directory.PartnerRejected: msg("Refused by us"),
}

// adminPartnersView is the data of admin_partners.html.
type adminPartnersView struct {
	adminPage
	Partners []adminPartner
	Enabled  bool // federation is on: the page offers its actions
}

// adminPartner is one partnership as the admin pages show it.
type adminPartner struct {
	ID                     int64
	Name, Host, URL        string
	Summary, Size          string
	Ours, Theirs           directory.PartnerState
	OursLabel, TheirsLabel string
	Mutual                 bool
	Scope, Backfill        string
	Shares                 string // what it may read of ours (its export scope)
	Path                   string // its admin page
	CanApprove, CanReject  bool
	RejectLabel            string
	CanAsk, CanChangeScope bool
}

// adminPartnerRow describes p and the actions its state allows.
func adminPartnerRow(p *directory.Partner) adminPartner {
	row := adminPartner{ID: p.ID, Name: p.DisplayName(), Host: p.Host, URL: webLink(p.URL), Summary: p.Summary,
		Size: countNoun(p.Enterprises, "enterprise", "enterprises") + ", " + countNoun(p.Listings, "need or offer", "needs and offers"),
		Ours: p.Outgoing, Theirs: p.Incoming, OursLabel: ourStateLabels[p.Outgoing], TheirsLabel: theirStateLabels[p.Incoming],
		Mutual: p.Mutual(), Scope: scopeWords(p.Scope), Shares: shareWords(p.ExportScope), Backfill: backfillWords(p), Path: adminPartnerPath(p.ID),
		CanApprove:  p.Incoming == directory.PartnerPending || p.Incoming == directory.PartnerRejected,
		CanReject:   p.Incoming == directory.PartnerPending || p.Incoming == directory.PartnerActive,
		RejectLabel: "Refuse", CanAsk: p.Outgoing == directory.PartnerNone || p.Outgoing == directory.PartnerRejected,
		CanChangeScope: p.Outgoing != directory.PartnerNone}
	if p.Incoming == directory.PartnerActive {
		row.RejectLabel = "Stop sending ours"
	}
	return row
}

// countNoun writes n with the noun that fits it.
func countNoun(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return countLabel(n, false) + " " + many
}

// backfillWords says how far the import of the partner's directory came.
func backfillWords(p *directory.Partner) string {
	b := p.Backfill
	if !p.Importing() && b.Imported == 0 && b.Refused == 0 {
		return msg("Nothing imported: our request is not approved")
	}
	counts := countLabel(b.Imported, false) + " imported, " + countLabel(b.Refused, false) + " refused"
	if b.Removed > 0 {
		counts += ", " + countLabel(b.Removed, false) + " removed"
	}
	when := ""
	if !b.At.IsZero() {
		when = " (" + b.At.UTC().Format("2 January 2006 15:04") + " UTC)"
	}
	switch {
	case b.Error != "":
		return "Stopped after " + counts + ": " + b.Error + when
	case b.Done:
		return "Done: " + counts + when
	case !p.Importing():
		return "Stopped: " + counts + when
	}
	return "In progress: " + counts + " so far" + when
}

// adminPartnerPath is the admin page of a partnership.
func adminPartnerPath(id int64) string { return "/admin/partners/" + strconv.FormatInt(id, 10) }

// adminPartners answers GET /admin/partners (admins).
func (s *server) adminPartners(w http.ResponseWriter, r *http.Request) {
	ps, err := s.svc.Partners(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminPartnersView{adminPage: s.adminPage(w, r, "Partner networks"), Enabled: s.opt.Partnerships != nil}
	for _, p := range ps {
		v.Partners = append(v.Partners, adminPartnerRow(p))
	}
	s.render(w, r, http.StatusOK, "admin_partners.html", v)
}

// adminPartnerFormView is the data of admin_partners_form.html: the form
// asking a new network (P nil), or changing a partner's scope.
type adminPartnerFormView struct {
	adminPage
	P       *adminPartner
	Form    *scopeForm
	Enabled bool
	// Share is set on the form of what the partner may read of ours (its
	// export scope) instead of what we import.
	Share bool
}

// adminNewPartner answers GET /admin/partners/new (admins).
func (s *server) adminNewPartner(w http.ResponseWriter, r *http.Request) {
	s.renderPartnerForm(w, r, http.StatusOK, nil, newScopeForm(true))
}

func (s *server) renderPartnerForm(w http.ResponseWriter, r *http.Request, status int, p *directory.Partner, f *scopeForm) {
	title := "Ask a network to partner"
	v := adminPartnerFormView{Form: f, Enabled: s.opt.Partnerships != nil}
	if p != nil {
		row := adminPartnerRow(p)
		v.P, title = &row, "What we import from "+row.Name
	}
	v.adminPage = s.adminPage(w, r, title)
	s.render(w, r, status, "admin_partners_form.html", v)
}

// adminRequestPartner answers POST /admin/partners/new (admins): the
// request is sent, or the form comes back with what to fix.
func (s *server) adminRequestPartner(w http.ResponseWriter, r *http.Request) {
	if s.opt.Partnerships == nil {
		s.failPage(w, r, errNoFederation)
		return
	}
	if !s.parseAdminForm(w, r) {
		return
	}
	instance := r.PostFormValue("instance")
	scope, err := parseScope(r.PostForm)
	if _, ierr := directory.CheckInstance(instance); ierr != nil {
		// Both are shown at once: the instance first, as in the form.
		fields := append(directory.ErrorFields(ierr), directory.ErrorFields(err)...)
		err = &directory.Error{Code: directory.EINVALID, Message: "invalid form", Fields: fields}
	}
	if err == nil {
		_, err = s.opt.Partnerships.RequestPartnership(r.Context(), instance, scope)
		err = centerOnLatitude(instanceError(err))
		if code := directory.ErrorCode(err); code == directory.ENOTFOUND || code == directory.EFORBIDDEN {
			// No instance there (mistyped, most likely) or one we may not
			// ask: something to fix in the form, like a malformed address.
			err = &directory.Error{Code: directory.EINVALID, Message: directory.ErrorMessage(err),
				Fields: directory.ErrorFields(err), Err: err}
		}
	}
	if err != nil {
		f := newScopeForm(true)
		if s.adminFormFailed(w, r, f.adminForm, err) {
			f.choose(r.PostForm)
			s.renderPartnerForm(w, r, adminFormStatus(err), nil, f)
		}
		return
	}
	s.forgetNetworkNames()
	s.redirectWith(w, r, "/admin/partners", "partner-requested", "")
}

// adminPartner answers GET /admin/partners/{id} (admins): the partnership
// and what we import from it.
func (s *server) adminPartner(w http.ResponseWriter, r *http.Request) {
	p, ok := s.adminFindPartner(w, r)
	if !ok {
		return
	}
	f := newScopeForm(false)
	f.show(p.Scope)
	s.renderPartnerForm(w, r, http.StatusOK, p, f)
}

// adminUpdatePartner answers POST /admin/partners/{id} (admins): the
// scope is changed.
func (s *server) adminUpdatePartner(w http.ResponseWriter, r *http.Request) {
	if s.opt.Partnerships == nil {
		s.failPage(w, r, errNoFederation)
		return
	}
	p, ok := s.adminFindPartner(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	scope, err := parseScope(r.PostForm)
	if err == nil {
		_, err = s.opt.Partnerships.SetPartnerScope(r.Context(), p.ID, scope)
		err = centerOnLatitude(err)
	}
	if err != nil {
		f := newScopeForm(false)
		if s.adminFormFailed(w, r, f.adminForm, err) {
			f.choose(r.PostForm)
			s.renderPartnerForm(w, r, adminFormStatus(err), p, f)
		}
		return
	}
	s.redirectWith(w, r, "/admin/partners", "partner-scope-saved", "")
}

// adminPartnerShare answers GET /admin/partners/{id}/share (admins): the
// form of what the partner may read of this directory.
func (s *server) adminPartnerShare(w http.ResponseWriter, r *http.Request) {
	p, ok := s.adminFindPartner(w, r)
	if !ok {
		return
	}
	f := newScopeForm(false)
	f.show(p.ExportScope)
	s.renderShareForm(w, r, http.StatusOK, p, f)
}

// adminUpdatePartnerShare answers POST /admin/partners/{id}/share
// (admins): the export scope is changed, or the form comes back with what
// to fix.
func (s *server) adminUpdatePartnerShare(w http.ResponseWriter, r *http.Request) {
	p, ok := s.adminFindPartner(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	scope, err := parseScope(r.PostForm)
	if err == nil {
		_, err = s.svc.SetPartnerExportScope(r.Context(), p.ID, scope)
		err = centerOnLatitude(err)
	}
	if err != nil {
		f := newScopeForm(false)
		if s.adminFormFailed(w, r, f.adminForm, err) {
			f.choose(r.PostForm)
			s.renderShareForm(w, r, adminFormStatus(err), p, f)
		}
		return
	}
	s.redirectWith(w, r, "/admin/partners", "partner-share-saved", "")
}

// renderShareForm renders the form of what partner p may read of ours.
func (s *server) renderShareForm(w http.ResponseWriter, r *http.Request, status int, p *directory.Partner, f *scopeForm) {
	row := adminPartnerRow(p)
	v := adminPartnerFormView{P: &row, Form: f, Enabled: true, Share: true}
	v.adminPage = s.adminPage(w, r, "What "+row.Name+" may read")
	s.render(w, r, status, "admin_partners_form.html", v)
}

// shareWords says what a partner may read of ours, for people.
func shareWords(sc directory.Scope) string {
	if sc.IsEmpty() {
		return msg("Everything we list")
	}
	return scopeWords(sc)
}

// adminFindPartner loads the partnership of the {id} in the path;
// otherwise it answers the request.
func (s *server) adminFindPartner(w http.ResponseWriter, r *http.Request) (*directory.Partner, bool) {
	id, err := partnerID(r)
	var p *directory.Partner
	if err == nil {
		p, err = s.svc.Partner(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return nil, false
	}
	return p, true
}

// adminAnswerPartner returns the handler of POST /admin/partners/{id}/approve
// or …/reject (admins).
func (s *server) adminAnswerPartner(answer partnerAnswer, flash string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opt.Partnerships == nil {
			s.failPage(w, r, errNoFederation)
			return
		}
		id, err := partnerID(r)
		if err == nil {
			_, err = answer(s.opt.Partnerships, r.Context(), id)
		}
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		s.forgetNetworkNames()
		s.redirectWith(w, r, "/admin/partners", flash, "")
	}
}

// adminEndView is the data of admin_partners_end.html.
type adminEndView struct {
	adminPage
	P adminPartner
	// Enterprises and Listings count its entries here, in words.
	Enterprises, Listings string
}

// adminConfirmEndPartnership answers GET /admin/partners/{id}/end (admins):
// what ending the partnership removes, and a button to end it.
func (s *server) adminConfirmEndPartnership(w http.ResponseWriter, r *http.Request) {
	p, ok := s.adminFindPartner(w, r)
	if !ok {
		return
	}
	row := adminPartnerRow(p)
	enterprises, err := s.anyEnterprises(r.Context(), p.Host)
	var listings int
	if err == nil {
		listings, err = s.anyListings(r.Context(), p.Host)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminEndView{adminPage: s.adminPage(w, r, "End the partnership with "+row.Name), P: row,
		Enterprises: countNoun(enterprises, "enterprise", "enterprises"),
		Listings:    countNoun(listings, "open need or offer", "open needs and offers")}
	s.render(w, r, http.StatusOK, "admin_partners_end.html", v)
}

// adminEndPartnership answers POST /admin/partners/{id}/end (admins).
func (s *server) adminEndPartnership(w http.ResponseWriter, r *http.Request) {
	if s.opt.Partnerships == nil {
		s.failPage(w, r, errNoFederation)
		return
	}
	id, err := partnerID(r)
	if err == nil {
		err = s.opt.Partnerships.EndPartnership(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	s.forgetNetworkNames()
	s.redirectWith(w, r, "/admin/partners", "partnership-ended", "")
}
