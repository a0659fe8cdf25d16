package directory_test

import (
	"slices"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestFacetsAndCounts(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	tools := &directory.Enterprise{Handle: "tools", Name: "Tools", Kind: directory.KindToolLibrary, Sectors: []string{"Repair"}}
	must(t, svc.CreateEnterprise(sys, tools))
	// Expired yesterday, by the Service's clock: not counted as open. It
	// was posted the day before, when that date was still to come.
	old := &directory.Listing{Type: directory.Need, Title: "Old", Category: "food",
		ValidUntil: now.AddDate(0, 0, -1).Format(directory.DateLayout)}
	svc.Now = func() time.Time { return now.AddDate(0, 0, -2) }
	must(t, svc.CreateListing(sys, "flora", old))
	svc.Now = func() time.Time { return now }
	must(t, svc.CreateListing(sys, "flora", &directory.Listing{Type: directory.Offer, Title: "Paint", Category: "skills"}))
	must(t, svc.CreateAnnouncement(sys, "tools", &directory.Announcement{Content: "Open on Sundays"}))

	t.Run("counts kinds ignoring the kind filter, and normalises the sector", func(t *testing.T) {
		f, err := svc.EnterpriseFacets(sys, directory.EnterpriseQuery{Kinds: []directory.Kind{directory.KindToolLibrary}, Sector: " REPAIR "})
		must(t, err)
		if !slices.Equal(f.Kinds, []directory.FacetCount{{Value: "tool_library", Count: 1}}) ||
			!slices.Equal(f.Sectors, []directory.FacetCount{{Value: "repair", Count: 1}}) {
			t.Errorf("facets = %+v", f)
		}
	})
	t.Run("uses today for expiry", func(t *testing.T) {
		f, err := svc.ListingFacets(sys, directory.ListingQuery{Status: directory.StatusOpen})
		must(t, err)
		if !slices.Equal(f.Types, []directory.FacetCount{{Value: "offer", Count: 1}}) {
			t.Errorf("types = %+v", f.Types)
		}
		f, err = svc.ListingFacets(sys, directory.ListingQuery{Status: directory.StatusExpired})
		must(t, err)
		if !slices.Equal(f.Categories, []directory.FacetCount{{Value: "food", Count: 1}}) {
			t.Errorf("categories = %+v", f.Categories)
		}
	})
	t.Run("rejects bad queries like the searches", func(t *testing.T) {
		_, err := svc.EnterpriseFacets(sys, directory.EnterpriseQuery{Kinds: []directory.Kind{"castle"}, Sort: "random"})
		wantFields(t, err, "kind", "sort")
		_, err = svc.ListingFacets(sys, directory.ListingQuery{Type: "gift", Status: "lost", Categories: []directory.Category{"x"}})
		wantFields(t, err, "type", "status", "category")
	})
	t.Run("counts the home page", func(t *testing.T) {
		c, err := svc.Counts(sys)
		must(t, err)
		if *c != (directory.Counts{Enterprises: 2, Needs: 0, Offers: 1, Announcements: 1}) {
			t.Errorf("counts = %+v", *c)
		}
	})
}

func TestSortFacets(t *testing.T) {
	got := directory.SortFacets([]directory.FacetCount{fc("b", 2), fc("a", 0), fc("c", 5), fc("a2", 2), fc("z", -1)}, 2)
	if !slices.Equal(got, []directory.FacetCount{fc("c", 5), fc("a2", 2)}) {
		t.Errorf("got %v", got)
	}
	if got := directory.SortFacets(nil, 0); got == nil || len(got) != 0 {
		t.Errorf("empty: %#v", got)
	}
}

// fc is a facet count.
func fc(value string, n int) directory.FacetCount {
	return directory.FacetCount{Value: value, Count: n}
}

func TestListingTally(t *testing.T) {
	type match struct {
		typ directory.ListingType
		cat directory.Category
	}
	need, offer := directory.Need, directory.Offer
	// Newest first: four needs, then three offers, then two more needs.
	matches := []match{{need, "food"}, {need, "tools"}, {need, "food"}, {need, "food"},
		{offer, "tools"}, {offer, "food"}, {offer, "food"}, {need, "tools"}, {need, "goods"}}
	for _, c := range []struct {
		name       string
		q          directory.ListingQuery
		read       int // matches the tally asks for
		types      []directory.FacetCount
		categories []directory.FacetCount
	}{
		{"counts every match below the cap", directory.ListingQuery{CountCap: 20}, 9,
			[]directory.FacetCount{fc("need", 6), fc("offer", 3)},
			[]directory.FacetCount{fc("food", 5), fc("tools", 3), fc("goods", 1)}},
		{"stops once every type is past the cap",
			directory.ListingQuery{CountCap: 2}, 7,
			[]directory.FacetCount{atLeast("need", 2), atLeast("offer", 2)},
			[]directory.FacetCount{atLeast("food", 1), atLeast("tools", 1)}},
		{"is exact at the cap", directory.ListingQuery{CountCap: 3}, 9,
			[]directory.FacetCount{atLeast("need", 3), fc("offer", 3)},
			[]directory.FacetCount{atLeast("food", 2), atLeast("tools", 1)}},
		{"samples categories of the query's type only", directory.ListingQuery{CountCap: 2, Type: offer}, 7,
			[]directory.FacetCount{atLeast("need", 2), atLeast("offer", 2)},
			[]directory.FacetCount{atLeast("food", 1), atLeast("tools", 1)}},
		{"counts types in the query's categories only", directory.ListingQuery{CountCap: 2, Categories: []directory.Category{"tools"}}, 9,
			[]directory.FacetCount{fc("need", 2), fc("offer", 1)},
			[]directory.FacetCount{atLeast("food", 1), atLeast("tools", 1)}},
		{"counts everything without a cap", directory.ListingQuery{}, 9,
			[]directory.FacetCount{fc("need", 6), fc("offer", 3)},
			[]directory.FacetCount{fc("food", 5), fc("tools", 3), fc("goods", 1)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			tally := directory.NewListingTally(c.q)
			read := 0
			for _, m := range matches {
				read++
				if !tally.Add(m.typ, m.cat) {
					break
				}
			}
			f := tally.Facets()
			if read != c.read || !slices.Equal(f.Types, c.types) || !slices.Equal(f.Categories, c.categories) {
				t.Errorf("read %d, types %v, categories %v\nwant %d, %v, %v", read, f.Types, f.Categories, c.read, c.types, c.categories)
			}
		})
	}
}

func TestCapFacetsMarksLowerBounds(t *testing.T) {
	got := directory.CapFacets([]directory.FacetCount{fc("a", 2), atLeast("b", 1)}, false)
	if !slices.Equal(got, []directory.FacetCount{fc("a", 2), atLeast("b", 1)}) {
		t.Errorf("uncapped: %v", got)
	}
	got = directory.CapFacets([]directory.FacetCount{fc("a", 2)}, true)
	if !slices.Equal(got, []directory.FacetCount{atLeast("a", 2)}) {
		t.Errorf("capped: %v", got)
	}
}

// atLeast is a facet count marked as a lower bound.
func atLeast(value string, n int) directory.FacetCount {
	return directory.FacetCount{Value: value, Count: n, AtLeast: true}
}
