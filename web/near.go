package web

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/places"
)

// maxNearLength is the longest near value read, as the form's maxlength.
const maxNearLength = 100

// nearChoice is one of the places an ambiguous name may mean: a link to
// the same search near it.
type nearChoice struct {
	Label      string
	Population string
	URL        string
}

// checkNear refuses a near value that cannot be a place or a point: too
// long, or without a letter or digit.
func checkNear(near string) error {
	fail := func(rule, msg string) error {
		return badRequest("invalid query parameters", directory.FieldError{Field: "near", Rule: rule, Message: msg})
	}
	if utf8.RuneCountInString(near) > maxNearLength {
		return fail("max_length", "must be at most "+strconv.Itoa(maxNearLength)+" characters")
	}
	if strings.IndexFunc(near, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
		return fail("format", "must be a place name such as Chicago, IL, or a latitude,longitude pair such as 43.04,-87.91")
	}
	return nil
}

// nearGazetteer looks near up among the world's places, once no address
// of the directory matched it. A place that stands out is used; several
// are offered as choices in v.Near, and the search runs without distance.
func nearGazetteer(f searchForm, km float64, v *searchView) *directory.Geo {
	r := places.Find(f.Near)
	v.Near = &nearPlace{Asked: f.Near}
	if p, ok := r.Best(); ok {
		v.Near.Label, v.Near.Found, v.Near.Gazetteer = p.Label(), true, true
		return &directory.Geo{Near: directory.Point{Lat: p.Lat, Lon: p.Lon}, KM: km}
	}
	for _, p := range r.Places {
		q := p.Query()
		v.Near.Choices = append(v.Near.Choices, nearChoice{Label: p.Label(), Population: countLabel(p.Population, false),
			URL: f.with(func(g *searchForm) { g.Near = q }).URL()})
	}
	v.Near.MoreChoices = r.Total - len(r.Places)
	return nil
}

// gazetteerPoint resolves the near parameter of the API: a place that
// stands out, or a message naming the candidates.
func gazetteerPoint(near string) (directory.Point, string) {
	if checkNear(near) != nil {
		return directory.Point{}, "must be a latitude,longitude pair such as 43.04,-87.91 or a place name, not " + strconv.Quote(truncate(near, 40))
	}
	r := places.Find(near)
	if p, ok := r.Best(); ok {
		return directory.Point{Lat: p.Lat, Lon: p.Lon}, ""
	}
	if r.Total == 0 {
		return directory.Point{}, "is no known place and no latitude,longitude pair such as 43.04,-87.91: " + strconv.Quote(truncate(near, 40))
	}
	names := make([]string, len(r.Places))
	for i, p := range r.Places {
		names[i] = p.Query()
	}
	return directory.Point{}, "names " + strconv.Itoa(r.Total) + " places; give one of: " + strings.Join(names, "; ")
}
