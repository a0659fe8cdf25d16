// Package places is an embedded gazetteer of the world's populated places:
// GeoNames' cities of at least 1,000 inhabitants (and seats of divisions),
// about 122,000 places with their country, first-level division (state),
// coordinates and population. It lets "near Chicago" or "Jackson, MS" work
// offline. The data is CC BY 4.0 GeoNames (see Attribution); it is
// decompressed and indexed on first use.
package places

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/coopdir/coopdir/directory/fulltext"
)

//go:embed data/places.tsv.gz
var placesGz []byte

//go:embed data/countries.tsv
var countriesTSV string

// Attribution is the credit the GeoNames licence (CC BY 4.0) asks for, to
// show where places are offered.
const Attribution = "Place names from GeoNames (geonames.org), CC BY 4.0."

// AttributionURL is where the data and its licence are described.
const AttributionURL = "https://www.geonames.org/"

// Place is one populated place of the gazetteer.
type Place struct {
	Name       string  // as GeoNames writes it, accents included: "Bogotá"
	Country    string  // ISO 3166-1 alpha-2 code: "CO"
	Admin1     string  // GeoNames first-level division code: "MS" in the US, "05" in Italy
	Lat, Lon   float64 // WGS84 degrees
	Population int
}

// CountryName is the short English name of the place's country ("" for
// an unknown code).
func (p Place) CountryName() string { return mustLoad().countries[p.Country] }

// Admin1Name is the name of the place's state or province when the
// gazetteer knows it ("Mississippi"), else "".
func (p Place) Admin1Name() string { return divisions[p.Country][p.Admin1].Name }

// Label names the place for people: "Jackson, Mississippi, United States",
// "Bologna, Italy".
func (p Place) Label() string {
	parts := []string{p.Name}
	if a := p.Admin1Name(); a != "" {
		parts = append(parts, a)
	}
	if c := p.CountryName(); c != "" {
		parts = append(parts, c)
	} else if p.Country != "" {
		parts = append(parts, p.Country)
	}
	return strings.Join(parts, ", ")
}

// Query is a short name that finds the place again: "Jackson, MS, US",
// "Bologna, IT". The division is given where the gazetteer names it.
func (p Place) Query() string {
	parts := []string{p.Name}
	if d, ok := divisions[p.Country][p.Admin1]; ok {
		parts = append(parts, cmpOr(d.Abbr, p.Admin1))
	}
	return strings.Join(append(parts, p.Country), ", ")
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// gazetteer is the loaded data: the places, biggest first, and their
// indexes by folded name.
type gazetteer struct {
	places    []Place
	byName    map[string]int32  // folded name -> its biggest place
	next      []int32           // place -> the next smaller place of the same folded name, or -1
	countries map[string]string // code -> name
	country   map[string]string // folded code, name or alias -> code
	division  map[string]map[string]string
}

var loadOnce = sync.OnceValues(func() (*gazetteer, error) {
	return load(bytes.NewReader(placesGz), countriesTSV)
})

// Load reads and indexes the embedded data now rather than on the first
// lookup, and reports whether it is sound.
func Load() error {
	_, err := loadOnce()
	return err
}

// mustLoad returns the gazetteer; the embedded data is checked by the
// package's tests, so a failure here is a broken build.
func mustLoad() *gazetteer {
	g, err := loadOnce()
	if err != nil {
		panic(err)
	}
	return g
}

// sizeHint is about the size of the decompressed data, to read it at once.
const sizeHint = 5 << 20

// named returns the places of a folded name, biggest first.
func (g *gazetteer) named(key string) []int32 {
	id, ok := g.byName[key]
	if !ok {
		return nil
	}
	var out []int32
	for ; id >= 0; id = g.next[id] {
		out = append(out, id)
	}
	return out
}

func load(gz io.Reader, countries string) (*gazetteer, error) {
	zr, err := gzip.NewReader(gz)
	if err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	var raw strings.Builder
	raw.Grow(sizeHint)
	if _, err := io.Copy(&raw, zr); err != nil {
		return nil, fmt.Errorf("places: %w", err)
	}
	g := &gazetteer{countries: map[string]string{}, country: map[string]string{}}
	// One string holds every field; the places' strings point into it.
	text := raw.String()
	n := strings.Count(text, "\n")
	g.places, g.next = make([]Place, 0, n), make([]int32, n)
	g.byName = make(map[string]int32, n)
	last := make(map[string]int32, n) // the smallest place of each name so far
	for line := range strings.SplitSeq(strings.TrimSuffix(text, "\n"), "\n") {
		p, err := parsePlace(line)
		if err != nil || len(g.places) == n {
			return nil, fmt.Errorf("places: line %d: %v", len(g.places)+1, err)
		}
		id, key := int32(len(g.places)), fold(p.Name)
		g.next[id] = -1
		if prev, ok := last[key]; ok {
			g.next[prev] = id
		} else {
			g.byName[key] = id
		}
		last[key] = id
		g.places = append(g.places, p)
	}
	if err := g.loadCountries(countries); err != nil {
		return nil, err
	}
	g.indexDivisions()
	return g, nil
}

func parsePlace(line string) (Place, error) {
	f := strings.Split(line, "\t")
	if len(f) != 6 || f[0] == "" {
		return Place{}, fmt.Errorf("want 6 fields, got %d", len(f))
	}
	lat, err1 := strconv.ParseFloat(f[3], 64)
	lon, err2 := strconv.ParseFloat(f[4], 64)
	pop, err3 := strconv.Atoi(f[5])
	if err1 != nil || err2 != nil || err3 != nil || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return Place{}, fmt.Errorf("bad number in %q", line)
	}
	return Place{Name: f[0], Country: f[1], Admin1: f[2], Lat: lat, Lon: lon, Population: pop}, nil
}

func (g *gazetteer) loadCountries(tsv string) error {
	sc := bufio.NewScanner(strings.NewReader(tsv))
	for sc.Scan() {
		code, name, ok := strings.Cut(sc.Text(), "\t")
		if !ok || len(code) != 2 {
			return fmt.Errorf("places: bad country line %q", sc.Text())
		}
		g.countries[code] = name
		g.country[fold(code)] = code
		g.country[fold(name)] = code
	}
	for code, names := range countryAliases {
		for _, n := range names {
			g.country[fold(n)] = code
		}
	}
	return sc.Err()
}

// indexDivisions maps, per country, the folded code, name and abbreviation
// of each named division to its code.
func (g *gazetteer) indexDivisions() {
	g.division = map[string]map[string]string{}
	for country, ds := range divisions {
		m := map[string]string{}
		for code, d := range ds {
			m[fold(code)], m[fold(d.Name)] = code, code
			if d.Abbr != "" {
				m[fold(d.Abbr)] = code
			}
		}
		g.division[country] = m
	}
}

// fold is the matching form of a name: fulltext.Fold (lowercase, accents
// removed, punctuation as spaces), done directly for plain ASCII names,
// which are most of them.
func fold(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return fulltext.Fold(s)
		}
	}
	b := make([]byte, 0, len(s))
	space := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case 'a' <= c && c <= 'z', '0' <= c && c <= '9':
		default:
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = append(b, c)
	}
	return string(b)
}
