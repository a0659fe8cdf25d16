package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// What the directory shows: one kind of entry at a time.
const (
	showEnterprises = "enterprises"
	showNeeds       = "needs"
	showOffers      = "offers"
)

// defaultWithinKM is the search radius when a place is given without one.
const defaultWithinKM = "25"

// withinChoices are the radii the search forms offer, in kilometres.
var withinChoices = []string{"5", "10", "25", "50", "100", "250"}

// searchForm is a search of the directory, map or board page as its URL
// carries it: the whole query lives in the address, so it can be shared.
// Parse and Encode round-trip. Show is used by /directory and /map, Type
// (need, offer or both) by /board.
type searchForm struct {
	Base       string // path of the page: /directory, /map or /board
	Q          string
	Show       string
	Type       string
	Kinds      []string
	Sector     string
	Categories []string
	Origin     string // "" means every origin
	Near       string // "lat,lon" or a place name
	WithinKM   string
	Sort       string
	Page       int
}

// parseSearchForm reads the query of base from v; malformed values are
// recorded in p.
func parseSearchForm(base string, v url.Values, p *queryParams) searchForm {
	f := searchForm{
		Base: base, Q: p.str("q"), Kinds: p.list("kind"), Sector: p.str("sector"),
		Categories: p.list("category"), Origin: strings.ToLower(p.str("origin")),
		Near: p.str("near"), WithinKM: p.str("within_km"), Sort: p.str("sort"), Page: p.integer("page"),
	}
	if f.Origin == directory.OriginAll {
		f.Origin = ""
	}
	if base == "/board" {
		f.Type = p.str("type")
		if f.Type != "" && !directory.ListingType(f.Type).Valid() {
			p.fail("type", "enum", "must be need or offer")
		}
	} else {
		f.Show = p.str("show")
		switch f.Show {
		case "":
			f.Show = showEnterprises
		case showEnterprises, showNeeds, showOffers:
		default:
			p.fail("show", "enum", "must be enterprises, needs or offers")
		}
	}
	if f.Near != "" && f.WithinKM == "" {
		f.WithinKM = defaultWithinKM
	}
	if f.WithinKM != "" {
		if _, ok := parseNumber(f.WithinKM); !ok {
			p.fail("within_km", "number", "must be a distance in kilometres such as 25, not %q", truncate(f.WithinKM, 20))
		}
	}
	if f.Page == 1 {
		f.Page = 0
	}
	return f
}

// values encodes the form as query parameters, leaving out defaults.
func (f searchForm) values() url.Values {
	v := url.Values{}
	set := func(k, val string) {
		if val != "" {
			v.Set(k, val)
		}
	}
	set("q", f.Q)
	if f.Show != showEnterprises {
		set("show", f.Show)
	}
	set("type", f.Type)
	v["kind"] = slices.Clone(f.Kinds)
	set("sector", f.Sector)
	v["category"] = slices.Clone(f.Categories)
	set("origin", f.Origin)
	set("near", f.Near)
	if f.Near != "" {
		set("within_km", f.WithinKM)
	}
	set("sort", f.Sort)
	if f.Page > 1 {
		set("page", strconv.Itoa(f.Page))
	}
	for k, vals := range v {
		if len(vals) == 0 {
			delete(v, k)
		}
	}
	return v
}

// URL is the address of the page showing this search.
func (f searchForm) URL() string {
	if q := f.values().Encode(); q != "" {
		return f.Base + "?" + q
	}
	return f.Base
}

// with returns a copy of f changed by change, back on the first page.
func (f searchForm) with(change func(*searchForm)) searchForm {
	f.Kinds, f.Categories = slices.Clone(f.Kinds), slices.Clone(f.Categories)
	change(&f)
	f.Page = 0
	return f
}

// At returns the address of page n of this search.
func (f searchForm) At(n int) string {
	f.Page = n
	return f.URL()
}

// IsListings reports whether the search is for needs and offers.
func (f searchForm) IsListings() bool { return f.Show != showEnterprises }

// listingType is the type of listing asked for ("" for both).
func (f searchForm) listingType() directory.ListingType {
	switch {
	case f.Show == showNeeds:
		return directory.Need
	case f.Show == showOffers:
		return directory.Offer
	default:
		return directory.ListingType(f.Type)
	}
}

// enterpriseQuery is the enterprise search of f. Its counts stop at
// directory.DefaultCountCap, as do those of listingQuery.
func (f searchForm) enterpriseQuery(geo *directory.Geo, perPage int) directory.EnterpriseQuery {
	q := directory.EnterpriseQuery{Text: f.Q, Sector: f.Sector, Origin: f.Origin, Geo: geo, Sort: f.Sort,
		CountCap: directory.DefaultCountCap, Page: directory.Page{Page: f.Page, PerPage: perPage}}
	for _, k := range f.Kinds {
		q.Kinds = append(q.Kinds, directory.Kind(k))
	}
	return q
}

// listingQuery is the search of f for open needs and offers.
func (f searchForm) listingQuery(geo *directory.Geo, perPage int) directory.ListingQuery {
	q := directory.ListingQuery{Text: f.Q, Type: f.listingType(), Status: directory.StatusOpen, Origin: f.Origin,
		Geo: geo, Sort: f.Sort, CountCap: directory.DefaultCountCap, Page: directory.Page{Page: f.Page, PerPage: perPage}}
	for _, c := range f.Categories {
		q.Categories = append(q.Categories, directory.Category(c))
	}
	return q
}

// directoryPerPage is the number of results on a page of the directory.
const directoryPerPage = 20

// directoryPage answers GET /directory: a full-text search of the
// enterprises, needs or offers, with facets, sorting and paging.
func (s *server) directoryPage(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept")
	if wantsGeoJSON(r) {
		s.geoJSONSearch(w, r, "/directory")
		return
	}
	v, status := s.search(r, "/directory", directoryPerPage)
	if status == 0 {
		s.failPage(w, r, v.err)
		return
	}
	v.layout = s.searchLayout(r, "Directory", v)
	s.render(w, r, status, "directory.html", v)
}

// searchLayout is the frame of a search page: its title names the search,
// and its canonical address is the normalised query.
func (s *server) searchLayout(r *http.Request, title string, v *searchView) layout {
	l := s.layout(r, title)
	if v.Form.Q != "" {
		l.Title += ": “" + v.Form.Q + "”" // title is translated by layout
	}
	l.Canonical = s.url(v.Form.URL())
	l.Scripts = []string{assets.url("geo.js")}
	if v.Status != http.StatusOK || v.Form.Page > 1 || len(v.Form.values()) > 1 {
		// Result pages of narrow searches are not worth a search engine's time.
		l.NoIndex = true
	}
	return l
}

// ListingType is "need" or "offer" when the search shows one type of
// listing, "" otherwise (the "resultsLabel" template says the count).
func (v *searchView) ListingType() string { return string(v.Form.listingType()) }

// ResultsLabel says how many results the search found, of what: "1,000+
// enterprises" when the count stopped at the cap.
func (v *searchView) ResultsLabel() string {
	n := countLabel(v.Total, v.TotalCapped)
	one := v.Total == 1 && !v.TotalCapped
	plural := func(word string) string {
		if one {
			return word
		}
		return word + "s"
	}
	switch {
	case !v.Form.IsListings():
		return n + " " + plural("enterprise")
	case v.Form.listingType() == directory.Need:
		return n + " open " + plural("need")
	case v.Form.listingType() == directory.Offer:
		return n + " open " + plural("offer")
	}
	return n + " open needs and offers"
}
