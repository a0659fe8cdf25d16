package web

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
)

// adminField is one control of an admin form, with what the person typed
// and, after a failed submission, what is wrong with it. The "field" part
// (templates/admin/parts.html) renders it with its label, hint and error.
type adminField struct {
	Name     string // of the control, and of the directory field it sets
	Label    string
	Type     string // an input type, or textarea, select, radio
	Value    string
	Hint     string
	Error    string
	Required bool
	Markdown bool // the hint says Markdown is welcome
	Options  []adminOption
	Rows     int    // of a textarea
	Auto     string // autocomplete token
	Mode     string // inputmode: the keyboard a phone shows (numeric, decimal)
	Accept   string // of a file input
}

// adminOption is one choice of a select or radio group.
type adminOption struct {
	Value, Label string
}

// ID is the element id of the control.
func (f *adminField) ID() string {
	return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(f.Name)
}

// DescribedBy lists the ids of the hint and error of the control.
func (f *adminField) DescribedBy() string {
	var ids []string
	if f.Hint != "" || f.Markdown {
		ids = append(ids, f.ID()+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID()+"-error")
	}
	return strings.Join(ids, " ")
}

// adminFormError is one line of the error summary at the top of a form; it
// links to its control when it has one.
type adminFormError struct {
	ID, Label, Message string
}

// form is the set of controls of one admin form.
type adminForm struct {
	fields []*adminField
	Errors []adminFormError
}

func newAdminForm(fields ...*adminField) *adminForm { return &adminForm{fields: fields} }

// F returns the control named name, for the templates.
func (f *adminForm) F(name string) (*adminField, error) {
	for _, fl := range f.fields {
		if fl.Name == name {
			return fl, nil
		}
	}
	return nil, fmt.Errorf("form has no field %q", name)
}

// Has reports whether the form has a control named name.
func (f *adminForm) Has(name string) bool {
	_, err := f.F(name)
	return err == nil
}

// fill keeps what was submitted, so that a form shown again with errors
// loses nothing.
func (f *adminForm) fill(values url.Values) {
	for _, fl := range f.fields {
		if fl.Type != "password" {
			fl.Value = values.Get(fl.Name)
		}
		if fl.Name == placeField {
			fl.Options = placeOptions(values)
		}
	}
}

// fail shows err on the form: each field error next to its control and in
// the summary; errors about no control of the form in the summary only.
func (f *adminForm) fail(err error) {
	fields := directory.ErrorFields(err)
	if len(fields) == 0 {
		f.Errors = append(f.Errors, adminFormError{Message: capitalize(directory.ErrorMessage(err))})
		return
	}
	for _, fe := range fields {
		f.addError(fe.Field, fe.Message)
	}
	// The summary lists the problems in the order of the form.
	slices.SortStableFunc(f.Errors, func(a, b adminFormError) int { return cmp.Compare(f.index(a.ID), f.index(b.ID)) })
}

// index is the position of the control with element id, -1 for none.
func (f *adminForm) index(id string) int {
	for i, fl := range f.fields {
		if fl.ID() == id {
			return i
		}
	}
	return -1
}

// addError records message about the field name.
func (f *adminForm) addError(name, message string) {
	fl, err := f.F(name)
	if err != nil {
		f.Errors = append(f.Errors, adminFormError{Message: capitalize(humanField(name) + " " + message)})
		return
	}
	if fl.Error != "" {
		fl.Error += "; " + message
	} else {
		fl.Error = capitalize(message)
	}
	f.Errors = append(f.Errors, adminFormError{ID: fl.ID(), Label: fl.Label, Message: message})
}

// capitalize starts s with a capital letter.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// humanField names a field that has no control, for the summary.
func humanField(name string) string {
	return strings.NewReplacer("_", " ", ".", " ").Replace(name)
}

// adminParser reads typed values from a submitted form and collects what
// does not parse, as field errors of the Service would be.
type adminParser struct {
	values url.Values
	errs   []directory.FieldError
}

func (p *adminParser) str(name string) string { return strings.TrimSpace(p.values.Get(name)) }

// float reads an optional number.
func (p *adminParser) float(name string) *float64 {
	v := p.str(name)
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", "."), 64)
	if err != nil {
		p.errs = append(p.errs, directory.FieldError{Field: name, Rule: "number", Message: "must be a number, such as 12.5"})
		return nil
	}
	return &f
}

// integer reads an optional whole number; empty is 0.
func (p *adminParser) integer(name string) int {
	v := p.str(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		p.errs = append(p.errs, directory.FieldError{Field: name, Rule: "number", Message: "must be a whole number such as 2011"})
	}
	return n
}

// list reads a comma-separated list.
func (p *adminParser) list(name string) []string {
	var out []string
	for part := range strings.SplitSeq(p.values.Get(name), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// location reads the location.* controls.
func (p *adminParser) location() directory.Location {
	l := directory.Location{
		Address:  p.str("location.address"),
		Lat:      p.float("location.lat"),
		Lon:      p.float("location.lon"),
		RadiusKM: p.float("location.radius_km"),
	}
	p.place(&l)
	return l
}

// err returns the parse errors together with the errors validation found
// in the parsed value, leaving out the latter for fields that did not
// parse (their value is missing, not wrong). Nil when all is well.
func (p *adminParser) err(validation error) error {
	if len(p.errs) == 0 {
		return validation
	}
	fields := append([]directory.FieldError{}, p.errs...)
	for _, fe := range directory.ErrorFields(validation) {
		if !p.failed(fe.Field) {
			fields = append(fields, fe)
		}
	}
	return &directory.Error{Code: directory.EINVALID, Message: "invalid form", Fields: fields}
}

func (p *adminParser) failed(field string) bool {
	point := func(f string) bool { return f == "location.lat" || f == "location.lon" }
	for _, fe := range p.errs {
		// A coordinate that did not parse makes the pair and the service
		// area look incomplete: that is the same problem, said once.
		if fe.Field == field || point(fe.Field) && (point(field) || field == "location.radius_km") {
			return true
		}
	}
	return false
}

// formatOptionalFloat shows an optional number in a control.
func formatOptionalFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// adminLocationValues puts a location into form values.
func adminLocationValues(v url.Values, l directory.Location) {
	v.Set("location.address", l.Address)
	v.Set("location.lat", formatOptionalFloat(l.Lat))
	v.Set("location.lon", formatOptionalFloat(l.Lon))
	v.Set("location.radius_km", formatOptionalFloat(l.RadiusKM))
}

// adminLocationFields are the controls of a location, for a fieldset.
func adminLocationFields() []*adminField {
	return []*adminField{
		adminPlaceField(),
		{Name: "location.address", Label: "Address", Type: "text", Hint: "A street address, or just the town.", Auto: "street-address"},
		{Name: "location.lat", Label: "Latitude", Type: "text", Mode: "decimal", Hint: "Between -90 and 90, such as 43.04. Give both coordinates or neither."},
		{Name: "location.lon", Label: "Longitude", Type: "text", Mode: "decimal", Hint: "Between -180 and 180, such as -87.91."},
		{Name: "location.radius_km", Label: "Area served (km around the point)", Type: "text", Mode: "decimal", Hint: "Optional; needs the coordinates."},
	}
}

// parseAdminForm reads a urlencoded form body of at most Options.MaxBodyBytes;
// when it cannot, it answers the request and returns false.
func (s *server) parseAdminForm(w http.ResponseWriter, r *http.Request) bool {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read: it may be too long.")
		return false
	}
	return true
}

// adminFormFailed puts a refusal the person can fix (invalid input, a taken
// name, a file too large) on the form f and returns true; any other error
// it answers with an error page and returns false.
func (s *server) adminFormFailed(w http.ResponseWriter, r *http.Request, f *adminForm, err error) bool {
	switch directory.ErrorCode(err) {
	case directory.EINVALID, directory.ECONFLICT, directory.ETOOLARGE:
		f.fill(r.PostForm)
		f.fail(err)
		return true
	}
	s.failPage(w, r, err)
	return false
}

// confirmedPassword checks that the confirm field of a form that chooses a
// password repeats its password field. EINVALID on confirm.
func confirmedPassword(r *http.Request) error {
	if r.PostFormValue("password") == r.PostFormValue("confirm") {
		return nil
	}
	return &directory.Error{Code: directory.EINVALID, Message: "the passwords differ", Fields: []directory.FieldError{
		{Field: "confirm", Rule: "match", Message: "does not match the password"}}}
}

// adminFormStatus is the status of a form shown again with errors.
func adminFormStatus(err error) int {
	switch directory.ErrorCode(err) {
	case directory.ECONFLICT:
		return http.StatusConflict
	case directory.ETOOLARGE:
		return http.StatusRequestEntityTooLarge
	}
	return http.StatusUnprocessableEntity
}
