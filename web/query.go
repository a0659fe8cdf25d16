package web

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// queryParams reads search parameters, collecting every malformed one so
// that a single 400 names them all. Ranges and vocabularies are checked by
// the Service; this only checks that values parse.
type queryParams struct {
	v    url.Values
	errs []directory.FieldError
}

func (p *queryParams) fail(name, rule, format string, args ...any) {
	p.errs = append(p.errs, directory.FieldError{Field: name, Rule: rule, Message: fmt.Sprintf(format, args...)})
}

// str returns a single-valued parameter ("" when absent).
func (p *queryParams) str(name string) string {
	vals := p.v[name]
	if len(vals) > 1 {
		p.fail(name, "single", "may be given only once")
	}
	if len(vals) == 0 {
		return ""
	}
	return strings.TrimSpace(vals[0])
}

// list returns a repeatable parameter, each value possibly a comma list:
// kind=a&kind=b and kind=a,b mean the same.
func (p *queryParams) list(name string) []string {
	var out []string
	for _, v := range p.v[name] {
		for item := range strings.SplitSeq(v, ",") {
			if item = strings.TrimSpace(item); item != "" {
				out = append(out, item)
			}
		}
	}
	return out
}

// integer returns a whole-number parameter, 0 when absent.
func (p *queryParams) integer(name string) int {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.fail(name, "integer", "must be a whole number, not %q", truncate(s, 20))
	}
	return n
}

// parseNumber parses a finite decimal number.
func parseNumber(s string) (float64, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// page returns page and per_page; the Service applies defaults and limits.
func (p *queryParams) page() directory.Page {
	return directory.Page{Page: p.integer("page"), PerPage: p.integer("per_page")}
}

// geo returns the distance filter near=lat,lon&within_km=N (near may
// also be a place name of the gazetteer), or nil when neither is given.
// Each needs the other.
func (p *queryParams) geo() *directory.Geo {
	near, within := p.str("near"), p.str("within_km")
	if near == "" && within == "" {
		return nil
	}
	g := &directory.Geo{}
	ok := true
	if near == "" {
		p.fail("near", "required", "is needed with within_km: a latitude,longitude pair such as 43.04,-87.91")
		ok = false
	} else {
		lat, lon, comma := strings.Cut(near, ",")
		var latOK, lonOK bool
		g.Near.Lat, latOK = parseNumber(strings.TrimSpace(lat))
		g.Near.Lon, lonOK = parseNumber(strings.TrimSpace(lon))
		if !comma || !latOK || !lonOK {
			// Not a pair of numbers: a place name, from the gazetteer.
			var msg string
			if g.Near, msg = gazetteerPoint(near); msg != "" {
				p.fail("near", "place", "%s", msg)
				ok = false
			}
		}
	}
	if within == "" {
		p.fail("within_km", "required", "is needed with near: a distance in kilometres such as 25")
		ok = false
	} else {
		var kmOK bool
		if g.KM, kmOK = parseNumber(within); !kmOK {
			p.fail("within_km", "number", "must be a distance in kilometres such as 25, not %q", truncate(within, 20))
			ok = false
		}
	}
	if !ok {
		return nil
	}
	return g
}

// err returns a 400 naming every malformed parameter, or nil.
func (p *queryParams) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return badRequest("invalid query parameters", p.errs...)
}

// enterpriseQuery reads GET /api/v1/enterprises parameters.
func enterpriseQuery(v url.Values) (directory.EnterpriseQuery, error) {
	p := &queryParams{v: v}
	q := directory.EnterpriseQuery{
		Text:     p.str("q"),
		Sector:   p.str("sector"),
		Origin:   p.str("origin"),
		Geo:      p.geo(),
		Sort:     p.str("sort"),
		Language: p.str("lang"),
		Page:     p.page(),
	}
	for _, k := range p.list("kind") {
		q.Kinds = append(q.Kinds, directory.Kind(k))
	}
	return q, p.err()
}

// listingQuery reads GET /api/v1/listings parameters.
func listingQuery(v url.Values) (directory.ListingQuery, error) {
	p := &queryParams{v: v}
	q := directory.ListingQuery{
		Text:       p.str("q"),
		Type:       directory.ListingType(p.str("type")),
		Status:     directory.Status(p.str("status")),
		Enterprise: p.str("enterprise"),
		Origin:     p.str("origin"),
		Geo:        p.geo(),
		Sort:       p.str("sort"),
		Language:   p.str("lang"),
		Page:       p.page(),
	}
	for _, c := range p.list("category") {
		q.Categories = append(q.Categories, directory.Category(c))
	}
	return q, p.err()
}

// truncate shortens s for quoting in a message.
func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
