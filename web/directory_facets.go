package web

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// tabs are the enterprises / needs / offers links of the directory, each
// with the number of matches it would show.
func tabs(f searchForm, enterprises directory.FacetCount, types []directory.FacetCount) []facetLink {
	counts := facetCounts(types)
	tab := func(label, show string, n directory.FacetCount) facetLink {
		g := f.with(func(g *searchForm) {
			if (show == showEnterprises) != (g.Show == showEnterprises) {
				// Kinds and sectors belong to enterprises, categories to listings.
				g.Kinds, g.Sector, g.Categories = nil, "", nil
			}
			g.Show = show
		})
		return facetLink{Label: label, Count: n.Count, AtLeast: n.AtLeast, HasCount: true, URL: g.URL(), Current: f.Show == show}
	}
	return []facetLink{
		tab(msg("Enterprises"), showEnterprises, enterprises),
		tab(msg("Needs"), showNeeds, counts[string(directory.Need)]),
		tab(msg("Offers"), showOffers, counts[string(directory.Offer)]),
	}
}

func facetCounts(fc []directory.FacetCount) map[string]directory.FacetCount {
	m := make(map[string]directory.FacetCount, len(fc))
	for _, c := range fc {
		m[c.Value] = c
	}
	return m
}

// toggleFacet builds a multi-valued facet: each value's link adds it to
// the selection, or removes it when selected. Selected values are listed
// even when nothing matches them, and so are the values of vocabulary
// (a closed list, nil for none) that nothing matches, with a count of 0.
func toggleFacet(label string, counts []directory.FacetCount, selected, vocabulary []string, name func(string) string, set func(*searchForm, []string), f searchForm) facetGroup {
	g := facetGroup{Label: label}
	seen := map[string]bool{}
	add := func(value string, n directory.FacetCount) {
		seen[value] = true
		on := slices.Contains(selected, value)
		next := slices.DeleteFunc(slices.Clone(selected), func(s string) bool { return s == value })
		if !on {
			next = append(next, value)
		}
		g.Links = append(g.Links, facetLink{Label: name(value), Count: n.Count, AtLeast: n.AtLeast, HasCount: true, Current: on,
			URL: f.with(func(h *searchForm) { set(h, next) }).URL()})
	}
	for _, c := range counts {
		add(c.Value, c)
	}
	for _, s := range selected {
		if !seen[s] {
			add(s, directory.FacetCount{})
		}
	}
	for _, s := range vocabulary {
		if !seen[s] {
			add(s, directory.FacetCount{})
			g.Links[len(g.Links)-1].None = true
		}
	}
	return g
}

// vocabulary turns a closed list of values into strings.
func vocabulary[T ~string](values []T) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}

func kindFacet(f searchForm, counts []directory.FacetCount) facetGroup {
	return toggleFacet(msg("Kind"), counts, f.Kinds, vocabulary(directory.Kinds), func(v string) string { return directory.Kind(v).Label() },
		func(g *searchForm, v []string) { g.Kinds = v }, f)
}

func categoryFacet(f searchForm, counts []directory.FacetCount) facetGroup {
	return toggleFacet(msg("Category"), counts, f.Categories, vocabulary(directory.Categories), func(v string) string { return directory.Category(v).Label() },
		func(g *searchForm, v []string) { g.Categories = v }, f)
}

// sectorFacet offers the most common sectors; one can be chosen at a time.
func sectorFacet(f searchForm, counts []directory.FacetCount) facetGroup {
	var sel []string
	if f.Sector != "" {
		sel = []string{f.Sector}
	}
	g := toggleFacet(msg("Sector"), counts, sel, nil, func(v string) string { return v },
		func(g *searchForm, v []string) {
			g.Sector = ""
			if len(v) > 0 {
				g.Sector = v[len(v)-1]
			}
		}, f)
	g.Closed = f.Sector == "" && len(g.Links) > 5
	return g
}

// typeFacet is the need / offer choice of the board.
func typeFacet(f searchForm, counts []directory.FacetCount) facetGroup {
	m := facetCounts(counts)
	link := func(label, t string, n directory.FacetCount) facetLink {
		return facetLink{Label: label, Count: n.Count, AtLeast: n.AtLeast, HasCount: true, Current: f.Type == t,
			URL: f.with(func(g *searchForm) { g.Type = t }).URL()}
	}
	return facetGroup{Label: "Type", Links: []facetLink{
		link(msg("Needs and offers"), "", sum(m[string(directory.Need)], m[string(directory.Offer)])),
		link(msg("Needs"), string(directory.Need), m[string(directory.Need)]),
		link(msg("Offers"), string(directory.Offer), m[string(directory.Offer)]),
	}}
}

// dropInapplicable removes from f the filters its results cannot take:
// kinds and sectors describe enterprises, categories needs and offers (a
// search whose tab changed keeps them in its address). It returns what it
// removed, for the page to say so, and the search where they apply.
func dropInapplicable(f *searchForm) (dropped []string, where string) {
	if f.IsListings() {
		if len(f.Kinds) == 0 && f.Sector == "" {
			return nil, ""
		}
		g := searchForm{Base: "/directory", Show: showEnterprises, Q: f.Q, Kinds: f.Kinds, Sector: f.Sector,
			Origin: f.Origin, Near: f.Near, WithinKM: f.WithinKM}
		for _, k := range f.Kinds {
			dropped = append(dropped, "Kind: "+directory.Kind(k).Label())
		}
		if f.Sector != "" {
			dropped = append(dropped, "Sector: "+f.Sector)
		}
		f.Kinds, f.Sector = nil, ""
		return dropped, g.URL()
	}
	if len(f.Categories) == 0 {
		return nil, ""
	}
	g := f.with(func(g *searchForm) { g.Kinds, g.Sector, g.Show, g.Sort = nil, "", showNeeds, "" })
	for _, c := range f.Categories {
		dropped = append(dropped, "Category: "+directory.Category(c).Label())
	}
	f.Categories = nil
	return dropped, g.URL()
}

// activeFilters lists what narrows the search, each with the address of
// the same search without it.
func activeFilters(f searchForm, near *nearPlace, network func(origin string) string) []facetLink {
	var out []facetLink
	add := func(label string, change func(*searchForm)) {
		out = append(out, facetLink{Label: label, URL: f.with(change).URL()})
	}
	if f.Q != "" {
		add("“"+f.Q+"”", func(g *searchForm) { g.Q = "" })
	}
	if f.Type != "" {
		only := msg("Only offers")
		if f.Type == string(directory.Need) {
			only = msg("Only needs")
		}
		add(only, func(g *searchForm) { g.Type = "" })
	}
	for _, k := range f.Kinds {
		add("Kind: "+directory.Kind(k).Label(), func(g *searchForm) { g.Kinds = slices.DeleteFunc(g.Kinds, func(s string) bool { return s == k }) })
	}
	if f.Sector != "" {
		add("Sector: "+f.Sector, func(g *searchForm) { g.Sector = "" })
	}
	for _, c := range f.Categories {
		add("Category: "+directory.Category(c).Label(), func(g *searchForm) {
			g.Categories = slices.DeleteFunc(g.Categories, func(s string) bool { return s == c })
		})
	}
	if near != nil && near.Found {
		add("Within "+f.WithinKM+" km of "+near.Label, func(g *searchForm) {
			g.Near, g.WithinKM = "", ""
			if g.Sort == directory.SortDistance {
				g.Sort = ""
			}
		})
	}
	if f.Origin != "" {
		add("From: "+originLabel(f.Origin, network), func(g *searchForm) { g.Origin = "" })
	}
	return out
}

// originLabel names an origin filter; a partner's host is named by network.
func originLabel(origin string, network func(string) string) string {
	switch origin {
	case directory.OriginLocal:
		return "this network"
	case directory.OriginPartners:
		return "partner networks"
	case directory.OriginMurmurations:
		return "Murmurations"
	}
	return network(origin)
}

// sortOptions are the orders a search offers; distance only when near is set.
func sortOptions(f searchForm) []option {
	def := ""
	if f.Base == "/board" {
		def = directory.SortNewest
	}
	cur := f.Sort
	if cur == "" {
		cur = def
	}
	opts := []option{{Value: def, Label: "Best match"}}
	if f.Base == "/board" {
		opts[0].Label = msg("Newest first")
		opts = append(opts, option{Value: directory.SortRelevance, Label: "Best match"})
	} else {
		opts = append(opts, option{Value: directory.SortNewest, Label: "Newest first"})
	}
	opts = append(opts, option{Value: directory.SortName, Label: "Name, A to Z"})
	if f.Near != "" || f.Sort == directory.SortDistance {
		opts = append(opts, option{Value: directory.SortDistance, Label: "Nearest first"})
	}
	for i := range opts {
		opts[i].Selected = opts[i].Value == cur
	}
	return opts
}

// withinOptions are the radii offered, with the one asked for selected
// (and added, if it is not a usual one).
func withinOptions(f searchForm) []option {
	cur := f.WithinKM
	if cur == "" {
		cur = defaultWithinKM
	}
	choices := withinChoices
	if !slices.Contains(choices, cur) {
		choices = append(slices.Clone(choices), cur)
	}
	opts := make([]option, len(choices))
	for i, c := range choices {
		opts[i] = option{Value: c, Label: c + " km", Selected: c == cur}
	}
	return opts
}

// nearPlace says how the near parameter was understood.
type nearPlace struct {
	Asked       string // as typed
	Label       string // the place used: an address, a place of the gazetteer, or the coordinates
	Found       bool
	Matches     int          // addresses that gave the point, for a place name
	Gazetteer   bool         // the point is a place of the gazetteer (directory/places)
	Choices     []nearChoice // the places an ambiguous name may mean, biggest first
	MoreChoices int          // further places of that name, not offered
}

// placeSample is how many enterprises a place name is looked up in.
const placeSample = 100

// resolveNear turns near into a distance filter: coordinates as given, or
// a place name found among the addresses of the directory's enterprises
// (the centre of those that match every word of it), else in the gazetteer
// (nearGazetteer). A name found nowhere, or naming several places, leaves
// the filter out and says so in v.Near.
func (s *server) resolveNear(ctx context.Context, f searchForm, v *searchView) (*directory.Geo, error) {
	if f.Near == "" {
		return nil, nil
	}
	km, ok := parseNumber(f.WithinKM)
	if !ok {
		return nil, nil // reported by the form
	}
	if p, ok := parsePoint(f.Near); ok {
		v.Near = &nearPlace{Asked: f.Near, Label: formatPoint(p), Found: true}
		return &directory.Geo{Near: p, KM: km}, nil
	}
	if err := checkNear(f.Near); err != nil {
		return nil, err
	}
	p, label, n, err := s.findPlace(ctx, f.Near)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nearGazetteer(f, km, v), nil
	}
	v.Near = &nearPlace{Asked: f.Near, Label: label, Found: true, Matches: n}
	return &directory.Geo{Near: p, KM: km}, nil
}

// parsePoint reads "lat,lon".
func parsePoint(s string) (directory.Point, bool) {
	lat, lon, ok := strings.Cut(s, ",")
	if !ok {
		return directory.Point{}, false
	}
	la, ok1 := parseNumber(strings.TrimSpace(lat))
	lo, ok2 := parseNumber(strings.TrimSpace(lon))
	return directory.Point{Lat: la, Lon: lo}, ok1 && ok2
}

func formatPoint(p directory.Point) string {
	return strconv.FormatFloat(p.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(p.Lon, 'f', -1, 64)
}

// findPlace looks name up in the addresses of enterprises that have
// coordinates. It returns the centre of the matches, the most common
// matching address as the place's label, and the number of matches.
func (s *server) findPlace(ctx context.Context, name string) (directory.Point, string, int, error) {
	words := strings.Fields(fulltext.Fold(name))
	if len(words) == 0 {
		return directory.Point{}, "", 0, nil
	}
	res, err := s.svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Text: name, Page: directory.Page{Page: 1, PerPage: placeSample}})
	if directory.ErrorCode(err) == directory.EINVALID {
		return directory.Point{}, "", 0, nil
	}
	if err != nil {
		return directory.Point{}, "", 0, err
	}
	var sum directory.Point
	var n int
	seen := map[string]int{}
	label := ""
	for _, it := range res.Items {
		loc := it.Location
		if !loc.HasPoint() || !containsWords(fulltext.Fold(loc.Address), words) {
			continue
		}
		sum.Lat, sum.Lon, n = sum.Lat+*loc.Lat, sum.Lon+*loc.Lon, n+1
		if seen[loc.Address]++; seen[loc.Address] > seen[label] {
			label = loc.Address
		}
	}
	if n == 0 {
		return directory.Point{}, "", 0, nil
	}
	return directory.Point{Lat: sum.Lat / float64(n), Lon: sum.Lon / float64(n)}, label, n, nil
}

// containsWords reports whether every word is a word of folded text.
func containsWords(text string, words []string) bool {
	have := strings.Fields(text)
	for _, w := range words {
		if !slices.Contains(have, w) {
			return false
		}
	}
	return true
}
