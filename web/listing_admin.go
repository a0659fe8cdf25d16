package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coopdir/coopdir/directory"
)

// renewDays is how long a renewed listing stays open.
const renewDays = 30

// listingForm returns the controls of a listing; its type is chosen once,
// when it is posted.
func listingForm(isNew bool) *adminForm {
	var fields []*adminField
	if isNew {
		fields = append(fields, &adminField{Name: "type", Label: "This is", Type: "radio", Required: true,
			Options: []adminOption{{Value: "need", Label: "A need: something we are looking for"},
				{Value: "offer", Label: "An offer: something we can give, lend, sell or do"}}})
	}
	cats := []adminOption{{Value: "", Label: "Choose a category"}}
	for _, c := range directory.Categories {
		cats = append(cats, adminOption{Value: string(c), Label: c.Label()})
	}
	fields = append(fields,
		&adminField{Name: "title", Label: "Title", Type: "text", Required: true, Hint: "A few words, such as “Oak planks” or “Van for a weekend”."},
		&adminField{Name: "description", Label: "Description", Type: "textarea", Rows: 6, Markdown: true},
		&adminField{Name: "category", Label: "Category", Type: "select", Required: true, Options: cats},
		&adminField{Name: "quantity", Label: "Quantity", Type: "text", Mode: "decimal", Hint: "Optional, such as 20."},
		&adminField{Name: "unit", Label: "Unit", Type: "text", Hint: "Optional, such as kg, hours or seats; needs a quantity."},
		&adminField{Name: "valid_until", Label: "Valid until", Type: "date",
			Hint: "The last day it holds, today or later, as 2026-12-31. Leave empty for no end date."},
	)
	return newAdminForm(append(fields, adminLocationFields()...)...)
}

// listingFormValues are the form values showing l.
func listingFormValues(l *directory.Listing) url.Values {
	v := url.Values{}
	v.Set("type", string(l.Type))
	v.Set("title", l.Title)
	v.Set("description", l.Description)
	v.Set("category", string(l.Category))
	v.Set("quantity", formatOptionalFloat(l.Quantity))
	v.Set("unit", l.Unit)
	v.Set("valid_until", l.ValidUntil)
	adminLocationValues(v, l.Location)
	return v
}

// listing reads the listing controls.
func (p *adminParser) listing() directory.Listing {
	return directory.Listing{
		Type: directory.ListingType(p.str("type")), Title: p.str("title"), Description: p.values.Get("description"),
		Category: directory.Category(p.str("category")), Quantity: p.float("quantity"), Unit: p.str("unit"),
		ValidUntil: p.str("valid_until"), Location: p.location(),
	}
}

// listingUpdate sets every field the edit form shows.
func listingUpdate(l *directory.Listing) directory.ListingUpdate {
	return directory.ListingUpdate{Title: &l.Title, Description: &l.Description, Category: &l.Category,
		Quantity: &l.Quantity, Unit: &l.Unit, ValidUntil: &l.ValidUntil, Location: &l.Location}
}

// adminListingView is the data of admin_listing.html.
type adminListingView struct {
	adminPage
	E      *directory.Enterprise
	L      *directory.Listing // nil for a new one
	Status string
	Action string
	Form   *adminForm
}

// adminNewListing answers GET /admin/enterprises/{handle}/listings/new.
func (s *server) adminNewListing(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return
	}
	f := listingForm(true)
	f.fill(url.Values{"type": {r.URL.Query().Get("type")}})
	s.renderListing(w, r, http.StatusOK, e, nil, f)
}

func (s *server) renderListing(w http.ResponseWriter, r *http.Request, status int, e *directory.Enterprise, l *directory.Listing, f *adminForm) {
	v := adminListingView{E: e, L: l, Form: f}
	if l == nil {
		v.adminPage = s.adminPage(w, r, "New need or offer")
		v.Action = adminEnterprisePath(e.Handle) + "/listings/new"
	} else {
		v.adminPage = s.adminPage(w, r, "Edit: "+l.Title)
		v.Action = adminListingPath(l.ID)
		v.Status = adminStatusLabels[l.EffectiveStatus(s.svc.Now())]
	}
	v.withLocationPicker()
	s.render(w, r, status, "admin_listing.html", v)
}

// adminCreateListing answers POST /admin/enterprises/{handle}/listings/new.
func (s *server) adminCreateListing(w http.ResponseWriter, r *http.Request) {
	e, ok := s.managedEnterprise(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	p := &adminParser{values: r.PostForm}
	l := p.listing()
	var err error
	if len(p.errs) > 0 {
		check := l
		err = p.err(check.ValidateAt(s.svc.Now(), ""))
	} else {
		err = s.svc.CreateListing(r.Context(), e.Handle, &l)
	}
	if err != nil {
		f := listingForm(true)
		if s.adminFormFailed(w, r, f, err) {
			s.renderListing(w, r, adminFormStatus(err), e, nil, f)
		}
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(e.Handle)+"#listings", "listing-created", strconv.FormatInt(l.ID, 10))
}

// managedListing loads the listing {id} of the path and checks that the
// user may change it; otherwise it answers the request.
func (s *server) managedListing(w http.ResponseWriter, r *http.Request) (*directory.Listing, *directory.Enterprise, bool) {
	id, err := adminPathID(r)
	var l *directory.Listing
	if err == nil {
		l, err = s.svc.Listing(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return nil, nil, false
	}
	owner := &directory.Enterprise{ID: l.EnterpriseID, Handle: l.EnterpriseHandle, Name: l.EnterpriseName, Origin: l.Origin}
	if !mayManage(directory.UserFromContext(r.Context()), owner) {
		s.failPage(w, r, directory.Errorf(directory.EFORBIDDEN, "you may only change your own enterprise's listings"))
		return nil, nil, false
	}
	return l, owner, true
}

// adminListing answers GET /admin/listings/{id}: the edit form.
func (s *server) adminListing(w http.ResponseWriter, r *http.Request) {
	l, owner, ok := s.managedListing(w, r)
	if !ok {
		return
	}
	f := listingForm(false)
	f.fill(listingFormValues(l))
	s.renderListing(w, r, http.StatusOK, owner, l, f)
}

// adminUpdateListing answers POST /admin/listings/{id}.
func (s *server) adminUpdateListing(w http.ResponseWriter, r *http.Request) {
	l, owner, ok := s.managedListing(w, r)
	if !ok || !s.parseAdminForm(w, r) {
		return
	}
	p := &adminParser{values: r.PostForm}
	edited := p.listing()
	var err error
	if len(p.errs) > 0 {
		check := *l
		listingUpdate(&edited).Apply(&check)
		err = p.err(check.ValidateAt(s.svc.Now(), l.ValidUntil))
	} else {
		_, err = s.svc.UpdateListing(r.Context(), l.ID, listingUpdate(&edited))
	}
	if err != nil {
		f := listingForm(false)
		if s.adminFormFailed(w, r, f, err) {
			s.renderListing(w, r, adminFormStatus(err), owner, l, f)
		}
		return
	}
	s.redirectWith(w, r, adminEnterprisePath(owner.Handle)+"#listing-"+strconv.FormatInt(l.ID, 10), "listing-saved", strconv.FormatInt(l.ID, 10))
}

// adminListingAction answers the one-click buttons on a listing: POST
// /admin/listings/{id}/{fulfil,withdraw,renew,delete}. It returns to the
// page named by the form's "back" value. Delete asks first: without
// confirm=yes it shows the confirmation page.
func (s *server) adminListingAction(action string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l, _, ok := s.managedListing(w, r)
		if !ok || !s.parseAdminForm(w, r) {
			return
		}
		if action == "delete" && !confirmed(r) {
			s.adminConfirmDeleteListing(w, r)
			return
		}
		var err error
		var key string
		switch action {
		case "fulfil":
			_, err = s.svc.SetListingStatus(r.Context(), l.ID, directory.StatusFulfilled)
			key = "listing-fulfilled"
		case "withdraw":
			_, err = s.svc.SetListingStatus(r.Context(), l.ID, directory.StatusWithdrawn)
			key = "listing-withdrawn"
		case "renew":
			open := directory.StatusOpen
			until := s.svc.Now().UTC().AddDate(0, 0, renewDays).Format(directory.DateLayout)
			_, err = s.svc.UpdateListing(r.Context(), l.ID, directory.ListingUpdate{Status: &open, ValidUntil: &until})
			key = "listing-renewed"
		case "delete":
			err = s.svc.DeleteListing(r.Context(), l.ID)
			key = "listing-deleted"
		}
		if err != nil {
			s.failPage(w, r, err)
			return
		}
		s.redirectWith(w, r, safeNext(r.PostFormValue("back")), key, "")
	}
}
