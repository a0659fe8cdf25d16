package web

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// The form of a partnership: the instance to ask (for a new one) and the
// scope, what we import from it.

// scopeForm is the form of a partnership: adminForm's controls, and the
// kinds and categories to tick, which the template lays out itself.
type scopeForm struct {
	*adminForm
	Kinds, Categories []scopeChoice
}

// scopeChoice is one checkbox of the kinds or categories.
type scopeChoice struct {
	Value, Label string
	Checked      bool
}

// newScopeForm returns the controls of a partnership's scope, after the
// instance's address for a new one.
func newScopeForm(withInstance bool) *scopeForm {
	var fields []*adminField
	if withInstance {
		fields = append(fields, &adminField{Name: "instance", Label: "Address of the network's instance", Type: "text",
			Required: true, Auto: "off",
			Hint: "The host of the other network's coopdir server, such as coop.example, or the address of its home page."})
	}
	fields = append(fields,
		&adminField{Name: "scope.kinds", Label: "Kinds of enterprise", Type: "checkboxes",
			Hint: "Import only the enterprises of these kinds, with their needs and offers. None ticked: every kind."},
		&adminField{Name: "scope.categories", Label: "Categories of needs and offers", Type: "checkboxes",
			Hint: "Import only the needs and offers in these categories. None ticked: every category."},
		&adminField{Name: "scope.center.lat", Label: "Latitude of the centre", Type: "text", Mode: "decimal",
			Hint: "Between -90 and 90, such as 43.04."},
		&adminField{Name: "scope.center.lon", Label: "Longitude of the centre", Type: "text", Mode: "decimal",
			Hint: "Between -180 and 180, such as -87.91."},
		&adminField{Name: "scope.radius_km", Label: "Radius in km", Type: "text", Mode: "decimal",
			Hint: fmt.Sprintf("More than 0 and at most %d.", directory.MaxScopeRadiusKM)},
	)
	f := &scopeForm{adminForm: newAdminForm(fields...)}
	f.choose(nil)
	return f
}

// choose ticks the kinds and categories in values (all others unticked).
func (f *scopeForm) choose(values url.Values) {
	f.Kinds, f.Categories = nil, nil
	for _, k := range directory.Kinds {
		f.Kinds = append(f.Kinds, scopeChoice{Value: string(k), Label: k.Label(),
			Checked: slices.Contains(values["scope.kinds"], string(k))})
	}
	for _, c := range directory.Categories {
		f.Categories = append(f.Categories, scopeChoice{Value: string(c), Label: c.Label(),
			Checked: slices.Contains(values["scope.categories"], string(c))})
	}
}

// show puts sc into the controls.
func (f *scopeForm) show(sc directory.Scope) {
	v := scopeValues(sc)
	f.fill(v)
	f.choose(v)
}

// scopeValues are the form values showing sc.
func scopeValues(sc directory.Scope) url.Values {
	v := url.Values{}
	for _, k := range sc.Kinds {
		v.Add("scope.kinds", string(k))
	}
	for _, c := range sc.Categories {
		v.Add("scope.categories", string(c))
	}
	if sc.Center != nil {
		v.Set("scope.center.lat", strconv.FormatFloat(sc.Center.Lat, 'f', -1, 64))
		v.Set("scope.center.lon", strconv.FormatFloat(sc.Center.Lon, 'f', -1, 64))
	}
	if sc.RadiusKM != 0 {
		v.Set("scope.radius_km", strconv.FormatFloat(sc.RadiusKM, 'f', -1, 64))
	}
	return v
}

// parseScope reads the scope controls and checks the scope: what does not
// parse and what breaks a rule, each beside its control.
func parseScope(values url.Values) (directory.Scope, error) {
	p := &adminParser{values: values}
	var sc directory.Scope
	for _, k := range values["scope.kinds"] {
		if k = strings.TrimSpace(k); k != "" {
			sc.Kinds = append(sc.Kinds, directory.Kind(k))
		}
	}
	for _, c := range values["scope.categories"] {
		if c = strings.TrimSpace(c); c != "" {
			sc.Categories = append(sc.Categories, directory.Category(c))
		}
	}
	lat, lon := p.float("scope.center.lat"), p.float("scope.center.lon")
	latGiven, lonGiven := p.str("scope.center.lat") != "", p.str("scope.center.lon") != ""
	switch {
	case lat != nil && lon != nil:
		sc.Center = &directory.Point{Lat: *lat, Lon: *lon}
	case latGiven && !lonGiven:
		p.errs = append(p.errs, directory.FieldError{Field: "scope.center.lon", Rule: "required", Message: "is needed with the latitude"})
	case lonGiven && !latGiven:
		p.errs = append(p.errs, directory.FieldError{Field: "scope.center.lat", Rule: "required", Message: "is needed with the longitude"})
	}
	if r := p.float("scope.radius_km"); r != nil {
		sc.RadiusKM = *r
	}
	return sc, scopeFormError(p.errs, sc.Validate())
}

// scopeFormError joins what did not parse with what validation found,
// leaving out what validation says of a control that did not parse (its
// value is missing, not wrong). Nil when all is well.
func scopeFormError(parse []directory.FieldError, validation error) error {
	validation = centerOnLatitude(validation)
	if len(parse) == 0 {
		return validation
	}
	pointFailed := slices.ContainsFunc(parse, func(p directory.FieldError) bool {
		return strings.HasPrefix(p.Field, "scope.center.")
	})
	radiusFailed := slices.ContainsFunc(parse, func(p directory.FieldError) bool { return p.Field == "scope.radius_km" })
	fields := slices.Clone(parse)
	for _, fe := range directory.ErrorFields(validation) {
		if (fe.Field == "scope.center.lat" && pointFailed) || (fe.Field == "scope.radius_km" && radiusFailed) {
			continue
		}
		fields = append(fields, fe)
	}
	return &directory.Error{Code: directory.EINVALID, Message: "invalid form", Fields: fields}
}

// centerOnLatitude puts an error about the scope's centre beside the
// latitude, the first of its two controls.
func centerOnLatitude(err error) error {
	fields := directory.ErrorFields(err)
	if !slices.ContainsFunc(fields, func(fe directory.FieldError) bool { return fe.Field == "scope.center" }) {
		return err
	}
	moved := slices.Clone(fields)
	for i := range moved {
		if moved[i].Field == "scope.center" {
			moved[i].Field = "scope.center.lat"
		}
	}
	return &directory.Error{Code: directory.ErrorCode(err), Message: directory.ErrorMessage(err), Fields: moved, Err: err}
}

// scopeGroup is a set of checkboxes of the form, for its template.
type scopeGroup struct {
	Field   *adminField
	Choices []scopeChoice
}

// Group returns the checkboxes of the kinds ("scope.kinds") or of the
// categories ("scope.categories").
func (f *scopeForm) Group(name string) (scopeGroup, error) {
	fl, err := f.F(name)
	if err != nil {
		return scopeGroup{}, err
	}
	g := scopeGroup{Field: fl, Choices: f.Kinds}
	if name == "scope.categories" {
		g.Choices = f.Categories
	}
	return g, nil
}
