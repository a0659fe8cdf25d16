package web

import (
	"net/url"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/places"
)

// The Place control of a location form sets the coordinates from the
// gazetteer, so that editors need not look latitude and longitude up.
// When the name has several places, the form comes back with them as
// choices (placeChoiceField), one of which the next submission names.
const (
	placeField       = "location.place"
	placeChoiceField = "location.place_choice"
)

// adminPlaceField is the Place control, first of a location fieldset.
func adminPlaceField() *adminField {
	return &adminField{Name: placeField, Label: "Place", Type: "text", Auto: "off",
		Hint: "A town or city, such as Chicago, IL or Bologna, Italy: it sets the latitude and longitude below " +
			"(and the address, when that is empty). Leave it empty to type the coordinates yourself. " +
			"Place names from GeoNames, CC BY 4.0."}
}

// placeOptions are the places an ambiguous Place value names, for the
// form shown again; none when it names one place or none.
func placeOptions(values url.Values) []adminOption {
	q := values.Get(placeChoiceField)
	if q == "" {
		q = values.Get(placeField)
	}
	if q == "" || checkNear(q) != nil {
		return nil
	}
	r := places.Find(q)
	if _, ok := r.Best(); ok {
		return nil
	}
	opts := make([]adminOption, len(r.Places))
	for i, p := range r.Places {
		opts[i] = adminOption{Value: p.Query(), Label: p.Label() + " (" + countLabel(p.Population, false) + " people)"}
	}
	return opts
}

// place sets l's coordinates from the Place control, if it was filled in
// (or one of its choices picked), and its address when it has none. A
// name that is no place, or several, is a field error: nothing is saved.
func (p *adminParser) place(l *directory.Location) {
	q := p.str(placeChoiceField)
	if q == "" {
		q = p.str(placeField)
	}
	if q == "" {
		return
	}
	fail := func(rule, msg string) {
		p.errs = append(p.errs, directory.FieldError{Field: placeField, Rule: rule, Message: msg})
	}
	if checkNear(q) != nil {
		fail("format", "must be a place name of at most "+strconv.Itoa(maxNearLength)+" characters, such as Chicago, IL")
		return
	}
	r := places.Find(q)
	best, ok := r.Best()
	switch {
	case ok:
		lat, lon := best.Lat, best.Lon
		l.Lat, l.Lon = &lat, &lon
		if l.Address == "" {
			l.Address = best.Label()
		}
	case r.Total == 0:
		fail("unknown", "is no place we know: check the spelling, add the state or the country, or leave it empty and give the latitude and longitude")
	default:
		fail("ambiguous", "names "+strconv.Itoa(r.Total)+" places: choose one below, or add the state or the country")
	}
}
