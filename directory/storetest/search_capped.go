package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// The capped counts of text searches (directory.DefaultCountCap): exact up
// to the cap, the cap (or the end of the page) marked as such above it,
// facets over the newest CountCap matches, listing types each up to the
// cap. Capping changes counts only, never the results.

// windowMakers is the fixture of the capped enterprise tests: twelve
// enterprises matching "window", ids and creation times in the order of
// i, with kinds, sectors and places that vary with i; and three that do
// not match.
func windowMakers(t *testing.T, s directory.Store) []*directory.Enterprise {
	t.Helper()
	kinds := []directory.Kind{directory.KindWorkerCoop, directory.KindToolLibrary, directory.KindUnion}
	var out []*directory.Enterprise
	for i := range 12 {
		e := newEnterprise(fmt.Sprintf("w%02d", i), fmt.Sprintf("Window Makers %02d", i))
		e.Kind, e.Sectors = kinds[i%3], []string{"frames"}
		if i%2 == 0 {
			e.Sectors = append(e.Sectors, "glass")
		}
		if i%3 == 0 {
			e.Sectors = append(e.Sectors, "wood")
		}
		e.Location = point(milwaukee, "Milwaukee")
		if i%4 == 3 {
			e.Location = point(madison, "Madison")
		}
		e.CreatedAt, e.UpdatedAt = at(i), at(i)
		out = append(out, mustCreateEnterprise(t, s, e))
	}
	for i := range 3 {
		e := newEnterprise(fmt.Sprintf("other%d", i), fmt.Sprintf("Door Makers %d", i))
		e.Sectors, e.CreatedAt, e.UpdatedAt = []string{"frames"}, at(20+i), at(20+i)
		mustCreateEnterprise(t, s, e)
	}
	return out
}

// cappedEnterpriseQueries are text searches of windowMakers taking every
// path of the engines: relevance, other orders, broad and narrow filters.
func cappedEnterpriseQueries() []directory.EnterpriseQuery {
	near := &directory.Geo{Near: milwaukee, KM: 50}
	var out []directory.EnterpriseQuery
	for _, sort := range []string{directory.SortRelevance, directory.SortNewest, directory.SortName} {
		out = append(out,
			directory.EnterpriseQuery{Text: "window", Sort: sort},
			directory.EnterpriseQuery{Text: "window makers", Sort: sort, Kinds: []directory.Kind{directory.KindWorkerCoop}},
			directory.EnterpriseQuery{Text: "window", Sort: sort, Sector: "glass"},
			directory.EnterpriseQuery{Text: "window", Sort: sort, Geo: near},
			directory.EnterpriseQuery{Text: "win", Sort: sort, Origin: directory.OriginLocal})
	}
	return append(out, directory.EnterpriseQuery{Text: "window", Sort: directory.SortDistance, Geo: near})
}

func testCappedEnterpriseSearch(t *testing.T, open opener) {
	s := open(t)
	windowMakers(t, s)
	t.Run("counts exactly up to the cap and stops past it, with the same results", func(t *testing.T) {
		for _, q := range cappedEnterpriseQueries() {
			q.Page = directory.Page{Page: 1, PerPage: 100}
			all := searchEnterprises(t, s, q)
			n := all.Total
			if n == 0 || all.TotalCapped {
				t.Fatalf("%+v: %d matches, capped %v", q, n, all.TotalCapped)
			}
			for _, countCap := range []int{1, n - 1, n, n + 1, 100} {
				for _, pg := range []directory.Page{{Page: 1, PerPage: 1}, {Page: 2, PerPage: 2}, {Page: 3, PerPage: 4}} {
					c := q
					c.CountCap, c.Page = max(countCap, 1), pg
					p := searchEnterprises(t, s, c)
					want, capped := directory.CappedCount(n, directory.TotalLimit(c.CountCap, pg))
					if p.Total != want || p.TotalCapped != capped {
						t.Errorf("%+v: total %d (capped %v), want %d (capped %v) of %d", c, p.Total, p.TotalCapped, want, capped, n)
					}
					from := min(pg.Offset(), n)
					if got, want := enterpriseHandles(p), enterpriseHandles(all)[from:min(from+pg.PerPage, n)]; !slices.Equal(got, want) {
						t.Errorf("%+v: results %q, want %q", c, got, want)
					}
				}
			}
		}
	})
	t.Run("a capped total says that another page follows", func(t *testing.T) {
		q := directory.EnterpriseQuery{Text: "window", CountCap: 5}
		for page, want := range map[int]struct {
			total  int
			capped bool
		}{1: {5, true}, 3: {6, true}, 5: {10, true}, 6: {12, false}, 7: {12, false}} {
			q.Page = directory.Page{Page: page, PerPage: 2}
			p := searchEnterprises(t, s, q)
			if p.Total != want.total || p.TotalCapped != want.capped {
				t.Errorf("page %d: total %d (capped %v), want %d (capped %v)", page, p.Total, p.TotalCapped, want.total, want.capped)
			}
		}
	})
	t.Run("counts searches without words exactly whatever the cap", func(t *testing.T) {
		for _, q := range []directory.EnterpriseQuery{
			{CountCap: 2},
			{CountCap: 2, Text: "…", Kinds: []directory.Kind{directory.KindWorkerCoop}},
			{CountCap: 2, Sector: "frames"},
			{CountCap: 2, Geo: &directory.Geo{Near: milwaukee, KM: 50}},
		} {
			exact := q
			exact.CountCap = 0
			want := searchEnterprises(t, s, exact).Total
			if p := searchEnterprises(t, s, q); p.Total != want || p.TotalCapped || want <= 2 {
				t.Errorf("%+v: total %d (capped %v), want %d", q, p.Total, p.TotalCapped, want)
			}
		}
	})
	t.Run("rejects a negative cap", func(t *testing.T) {
		q := directory.EnterpriseQuery{Text: "window", CountCap: -1}
		wantCode(t, q.Validate(), directory.EINVALID)
	})
}

// crates is the fixture of the capped listing tests: listings matching
// "crate", ids and creation times in order: seven needs and four offers
// open, two that are not (withdrawn, expired), and one that does not match.
func crates(t *testing.T, s directory.Store) []*directory.Listing {
	t.Helper()
	e := mustCreateEnterprise(t, s, newEnterprise("crate-co", "Crate Co"))
	categories := []directory.Category{"food", "tools", "goods"}
	var out []*directory.Listing
	for i := range 13 {
		typ := directory.Need
		if i%3 == 1 {
			typ = directory.Offer
		}
		l := newListing(e, typ, fmt.Sprintf("Crate %02d", i))
		l.Category = categories[i%3]
		if i%2 == 0 {
			l.Category = "food"
		}
		switch i {
		case 5:
			l.Status = directory.StatusWithdrawn
		case 8:
			l.ValidUntil = "2026-03-14" // before today
		}
		l.CreatedAt, l.UpdatedAt = at(i), at(i)
		out = append(out, mustCreateListing(t, s, l))
	}
	other := newListing(e, directory.Need, "Barrel")
	other.CreatedAt, other.UpdatedAt = at(30), at(30)
	mustCreateListing(t, s, other)
	return out
}

func cappedListingQueries() []directory.ListingQuery {
	var out []directory.ListingQuery
	for _, sort := range []string{directory.SortRelevance, directory.SortNewest, directory.SortName} {
		out = append(out,
			directory.ListingQuery{Text: "crate", Sort: sort},
			directory.ListingQuery{Text: "crate", Sort: sort, Status: directory.StatusOpen},
			directory.ListingQuery{Text: "crate", Sort: sort, Status: directory.StatusOpen, Type: directory.Need},
			directory.ListingQuery{Text: "crate", Sort: sort, Categories: []directory.Category{"food"}},
			directory.ListingQuery{Text: "crat", Sort: sort, Enterprise: "crate-co"})
	}
	return out
}

func testCappedListingSearch(t *testing.T, open opener) {
	s := open(t)
	crates(t, s)
	t.Run("counts exactly up to the cap and stops past it, with the same results", func(t *testing.T) {
		for _, q := range cappedListingQueries() {
			q.Page = directory.Page{Page: 1, PerPage: 100}
			all := searchListings(t, s, q)
			n := all.Total
			if n == 0 || all.TotalCapped {
				t.Fatalf("%+v: %d matches, capped %v", q, n, all.TotalCapped)
			}
			for _, countCap := range []int{1, n - 1, n, n + 1} {
				for _, pg := range []directory.Page{{Page: 1, PerPage: 1}, {Page: 2, PerPage: 3}} {
					c := q
					c.CountCap, c.Page = max(countCap, 1), pg
					p := searchListings(t, s, c)
					want, capped := directory.CappedCount(n, directory.TotalLimit(c.CountCap, pg))
					if p.Total != want || p.TotalCapped != capped {
						t.Errorf("%+v: total %d (capped %v), want %d (capped %v) of %d", c, p.Total, p.TotalCapped, want, capped, n)
					}
					from := min(pg.Offset(), n)
					if got, want := listingTitles(p), listingTitles(all)[from:min(from+pg.PerPage, n)]; !slices.Equal(got, want) {
						t.Errorf("%+v: results %q, want %q", c, got, want)
					}
				}
			}
		}
	})
	t.Run("counts searches without words exactly whatever the cap", func(t *testing.T) {
		p := searchListings(t, s, directory.ListingQuery{CountCap: 2, Status: directory.StatusOpen})
		if p.Total != 12 || p.TotalCapped { // eleven crates and the barrel
			t.Errorf("total %d (capped %v), want 12", p.Total, p.TotalCapped)
		}
	})
}

// sampleFacet is what a capped facet of n reports: the values (by value)
// of the newest n of matches (in id order), marked AtLeast when there are
// more, ordered and cut to limit as engines return them.
func sampleFacet[T any](matches []T, n, limit int, value func(T) []string) []directory.FacetCount {
	counts := map[string]int{}
	for i := len(matches) - 1; i >= max(0, len(matches)-n); i-- {
		for _, v := range value(matches[i]) {
			counts[v]++
		}
	}
	var out []directory.FacetCount
	for v, c := range counts {
		out = append(out, directory.FacetCount{Value: v, Count: c, AtLeast: len(matches) > n})
	}
	return directory.SortFacets(out, limit)
}

// where keeps the items that pass keep, in order.
func where[T any](items []T, keep func(T) bool) []T {
	var out []T
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}

func testCappedEnterpriseFacets(t *testing.T, open opener) {
	s := open(t)
	ws := windowMakers(t, s)
	all := func(*directory.Enterprise) bool { return true }
	ofKind := func(e *directory.Enterprise) bool { return e.Kind == directory.KindWorkerCoop }
	inGlass := func(e *directory.Enterprise) bool { return slices.Contains(e.Sectors, "glass") }
	inMilwaukee := func(e *directory.Enterprise) bool { return e.Location.Address == "Milwaukee" }
	kind := func(e *directory.Enterprise) []string { return []string{string(e.Kind)} }
	sectors := func(e *directory.Enterprise) []string { return e.Sectors }
	worker := []directory.Kind{directory.KindWorkerCoop}
	for _, c := range []struct {
		name             string
		q                directory.EnterpriseQuery
		kinds, ofSectors func(*directory.Enterprise) bool // the matches each facet counts
	}{
		{"more matches than the cap: the newest are counted", directory.EnterpriseQuery{Text: "window", CountCap: 5}, all, all},
		{"as many matches as the cap: exact", directory.EnterpriseQuery{Text: "window", CountCap: 12}, all, all},
		{"fewer matches than the cap: exact", directory.EnterpriseQuery{Text: "window", CountCap: 100}, all, all},
		{"kinds ignore the kind filter, sectors keep it", directory.EnterpriseQuery{Text: "window", CountCap: 3, Kinds: worker}, all, ofKind},
		{"sectors ignore the sector filter, kinds keep it", directory.EnterpriseQuery{Text: "window", CountCap: 4, Sector: "glass"}, inGlass, all},
		{"a distance filter narrows both", directory.EnterpriseQuery{Text: "window", CountCap: 5, Geo: &directory.Geo{Near: milwaukee, KM: 50}}, inMilwaukee, inMilwaukee},
		{"a facet with no more matches than the cap is exact", directory.EnterpriseQuery{Text: "windo", CountCap: 4, Kinds: worker}, all, ofKind},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := enterpriseFacets(t, s, c.q)
			n := c.q.CountCap
			if want := sampleFacet(where(ws, c.kinds), n, 0, kind); !slices.Equal(f.Kinds, want) {
				t.Errorf("kinds of %+v:\n got %v\nwant %v", c.q, f.Kinds, want)
			}
			if want := sampleFacet(where(ws, c.ofSectors), n, directory.MaxSectorFacets, sectors); !slices.Equal(f.Sectors, want) {
				t.Errorf("sectors of %+v:\n got %v\nwant %v", c.q, f.Sectors, want)
			}
		})
	}
	t.Run("counts searches without words exactly whatever the cap", func(t *testing.T) {
		capped := enterpriseFacets(t, s, directory.EnterpriseQuery{CountCap: 2, Geo: &directory.Geo{Near: milwaukee, KM: 50}})
		exact := enterpriseFacets(t, s, directory.EnterpriseQuery{Geo: &directory.Geo{Near: milwaukee, KM: 50}})
		if !slices.Equal(capped.Kinds, exact.Kinds) || !slices.Equal(capped.Sectors, exact.Sectors) {
			t.Errorf("capped %v, want %v", capped, exact)
		}
	})
}

func testCappedListingFacets(t *testing.T, open opener) {
	s := open(t)
	ls := crates(t, s)
	isOpen := func(l *directory.Listing) bool {
		return l.Status == directory.StatusOpen && (l.ValidUntil == "" || l.ValidUntil >= today)
	}
	category := func(l *directory.Listing) []string { return []string{string(l.Category)} }
	for _, c := range []directory.ListingQuery{
		{Text: "crate", Status: directory.StatusOpen, CountCap: 3},
		{Text: "crate", Status: directory.StatusOpen, CountCap: 3, Type: directory.Need},
		{Text: "crate", Status: directory.StatusOpen, CountCap: 2, Categories: []directory.Category{"food"}},
		{Text: "crate", Status: directory.StatusOpen, CountCap: 7},
		{Text: "crate", Status: directory.StatusOpen, CountCap: 11},
		{Text: "crate", Status: directory.StatusOpen, CountCap: 100, Type: directory.Offer},
		{Text: "crate", CountCap: 4},
		{Text: "crat", Status: directory.StatusOpen, CountCap: 4, Enterprise: "crate-co"},
	} {
		t.Run(fmt.Sprintf("%+v", c), func(t *testing.T) {
			f := listingFacets(t, s, c)
			matches := where(ls, func(l *directory.Listing) bool { return c.Status == "" || isOpen(l) })
			var types []directory.FacetCount
			for _, typ := range []directory.ListingType{directory.Need, directory.Offer} {
				n := len(where(matches, func(l *directory.Listing) bool {
					return l.Type == typ && (len(c.Categories) == 0 || slices.Contains(c.Categories, l.Category))
				}))
				count, capped := directory.CappedCount(n, c.CountCap)
				types = append(types, directory.FacetCount{Value: string(typ), Count: count, AtLeast: capped})
			}
			if want := directory.SortFacets(types, 0); !slices.Equal(f.Types, want) {
				t.Errorf("types:\n got %v\nwant %v", f.Types, want)
			}
			ofType := where(matches, func(l *directory.Listing) bool { return c.Type == "" || l.Type == c.Type })
			if want := sampleFacet(ofType, c.CountCap, 0, category); !slices.Equal(f.Categories, want) {
				t.Errorf("categories:\n got %v\nwant %v", f.Categories, want)
			}
		})
	}
	t.Run("equal the exact facets when the cap is not reached", func(t *testing.T) {
		q := directory.ListingQuery{Text: "crate", Status: directory.StatusOpen, Categories: []directory.Category{"tools"}}
		exact := listingFacets(t, s, q)
		q.CountCap = 50
		if capped := listingFacets(t, s, q); !slices.Equal(capped.Types, exact.Types) || !slices.Equal(capped.Categories, exact.Categories) {
			t.Errorf("capped %v, want %v", capped, exact)
		}
	})
}
