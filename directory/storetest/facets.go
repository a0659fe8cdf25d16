package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// enterpriseFacets validates q, as the Service does, and counts it.
func enterpriseFacets(t *testing.T, s directory.Store, q directory.EnterpriseQuery) *directory.EnterpriseFacets {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("invalid query %+v: %v", q, err)
	}
	f, err := s.EnterpriseFacets(ctx, q)
	if err != nil {
		t.Fatalf("enterprise facets %+v: %v", q, err)
	}
	return f
}

// listingFacets validates q, as the Service does, and counts it on today.
func listingFacets(t *testing.T, s directory.Store, q directory.ListingQuery) *directory.ListingFacets {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("invalid query %+v: %v", q, err)
	}
	q.Today = today
	f, err := s.ListingFacets(ctx, q)
	if err != nil {
		t.Fatalf("listing facets %+v: %v", q, err)
	}
	return f
}

// wantFacets checks that got lists exactly the values with a positive
// count in total (value -> the total of the search filtered on it), in
// order of count, then value.
func wantFacets(t *testing.T, what string, got []directory.FacetCount, total map[string]int) {
	t.Helper()
	var want []directory.FacetCount
	for v, n := range total {
		if n > 0 {
			want = append(want, directory.FacetCount{Value: v, Count: n})
		}
	}
	want = directory.SortFacets(want, 0)
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %v\nwant %v", what, got, want)
	}
}

// checkEnterpriseFacets compares the facets of q with the totals of the
// searches filtered on each value: both must count the same matches.
func checkEnterpriseFacets(t *testing.T, s directory.Store, q directory.EnterpriseQuery, sectors []string) {
	t.Helper()
	f := enterpriseFacets(t, s, q)
	kinds := map[string]int{}
	for _, k := range directory.Kinds {
		qk := q
		qk.Kinds = []directory.Kind{k}
		kinds[string(k)] = searchEnterprises(t, s, qk).Total
	}
	wantFacets(t, fmt.Sprintf("kinds of %+v", q), f.Kinds, kinds)
	bySector := map[string]int{}
	for _, sec := range sectors {
		qs := q
		qs.Sector = sec
		bySector[sec] = searchEnterprises(t, s, qs).Total
	}
	wantFacets(t, fmt.Sprintf("sectors of %+v", q), f.Sectors, bySector)
}

// checkListingFacets does for listings what checkEnterpriseFacets does.
func checkListingFacets(t *testing.T, s directory.Store, q directory.ListingQuery) {
	t.Helper()
	f := listingFacets(t, s, q)
	types := map[string]int{}
	for _, typ := range []directory.ListingType{directory.Need, directory.Offer} {
		qt := q
		qt.Type = typ
		types[string(typ)] = searchListings(t, s, qt).Total
	}
	wantFacets(t, fmt.Sprintf("types of %+v", q), f.Types, types)
	categories := map[string]int{}
	for _, c := range directory.Categories {
		qc := q
		qc.Categories = []directory.Category{c}
		categories[string(c)] = searchListings(t, s, qc).Total
	}
	wantFacets(t, fmt.Sprintf("categories of %+v", q), f.Categories, categories)
}

var facetSectors = []string{"food", "bakery", "care", "housing", "tools", "repair", "internet", "tech", "screen printing", "fishing", "new"}

func enterpriseFacetQueries() []directory.EnterpriseQuery {
	worker := []directory.Kind{directory.KindWorkerCoop}
	return []directory.EnterpriseQuery{
		{},
		{Kinds: worker},
		{Kinds: []directory.Kind{directory.KindWorkerCoop, directory.KindToolLibrary}},
		{Sector: "food"},
		{Sector: "food", Kinds: worker, Origin: directory.OriginLocal},
		{Origin: directory.OriginLocal},
		{Origin: directory.OriginPartners},
		{Origin: "partner.example"},
		{Text: "bakery"},
		{Text: "bakery", Kinds: worker},
		{Text: "milwaukee", Origin: directory.OriginLocal, Sector: "tools"},
		{Geo: &directory.Geo{Near: milwaukee, KM: 50}},
		{Geo: &directory.Geo{Near: milwaukee, KM: 50}, Sector: "food", Text: "sourdough"},
		{Geo: &directory.Geo{Near: milwaukee, KM: 50}, Kinds: worker},
		{Text: "nothing-matches-this"},
	}
}

func testEnterpriseFacets(t *testing.T, open opener) {
	s := open(t)
	seeded := seedEnterprises(t, s)
	t.Run("counts every kind and sector without filters", func(t *testing.T) {
		f := enterpriseFacets(t, s, directory.EnterpriseQuery{})
		want := []directory.FacetCount{fc("worker_coop", 2), fc("community_network", 1), fc("mutual_aid", 1),
			fc("producer_coop", 1), fc("tool_library", 1), fc("union", 1)}
		if !slices.Equal(f.Kinds, want) {
			t.Errorf("kinds = %v", f.Kinds)
		}
		if len(f.Sectors) == 0 || f.Sectors[0] != (directory.FacetCount{Value: "food", Count: 2}) {
			t.Errorf("sectors = %v", f.Sectors)
		}
	})
	t.Run("each facet ignores its own filter", func(t *testing.T) {
		f := enterpriseFacets(t, s, directory.EnterpriseQuery{Kinds: []directory.Kind{directory.KindToolLibrary}, Sector: "food"})
		want := []directory.FacetCount{fc("worker_coop", 2)}
		if !slices.Equal(f.Kinds, want) {
			t.Errorf("kinds = %v, want %v", f.Kinds, want)
		}
		if !slices.Equal(f.Sectors, []directory.FacetCount{fc("repair", 1), fc("tools", 1)}) {
			t.Errorf("sectors = %v", f.Sectors)
		}
	})
	t.Run("counts the matches of every kind of query", func(t *testing.T) {
		for _, q := range enterpriseFacetQueries() {
			checkEnterpriseFacets(t, s, q, facetSectors)
		}
	})
	t.Run("counts stay right through updates, imports and deletes", func(t *testing.T) {
		e := seeded["harbor-tools"]
		e.Kind, e.Sectors, e.Origin = directory.KindWorkerCoop, []string{"food", "new"}, ""
		mustNot(t, s.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated, At: t0}), "update")
		imported := newEnterprise("imported", "Imported Bakery")
		imported.Sectors = []string{"bakery"}
		mustNot(t, s.ImportEnterprises(ctx, []*directory.Enterprise{imported}, nil, t0), "import")
		mustNot(t, s.DeleteEnterprise(ctx, seeded["riverwest-bakery"].ID, directory.Event{Type: directory.EventEnterpriseDeleted, At: t0}), "delete")
		for _, q := range enterpriseFacetQueries() {
			checkEnterpriseFacets(t, s, q, facetSectors)
		}
	})
	t.Run("lists the most common sectors only", func(t *testing.T) {
		s := open(t)
		for i := range 25 {
			e := newEnterprise(fmt.Sprintf("e%02d", i), fmt.Sprintf("E %d", i))
			e.Sectors = []string{fmt.Sprintf("s%02d", i), "common"}
			if i%2 == 0 {
				e.Sectors = append(e.Sectors, "even")
			}
			mustCreateEnterprise(t, s, e)
		}
		f := enterpriseFacets(t, s, directory.EnterpriseQuery{})
		if len(f.Sectors) != directory.MaxSectorFacets || f.Sectors[0] != (directory.FacetCount{Value: "common", Count: 25}) ||
			f.Sectors[1] != (directory.FacetCount{Value: "even", Count: 13}) || f.Sectors[2].Value != "s00" || f.Sectors[19].Value != "s17" {
			t.Errorf("sectors = %v", f.Sectors)
		}
		f = enterpriseFacets(t, s, directory.EnterpriseQuery{Text: "e"})
		if len(f.Sectors) != directory.MaxSectorFacets || f.Sectors[0].Count != 25 {
			t.Errorf("sectors of a text search = %v", f.Sectors)
		}
	})
	t.Run("caps the counts of a text search", func(t *testing.T) { testCappedEnterpriseFacets(t, open) })
}

func listingFacetQueries() []directory.ListingQuery {
	return []directory.ListingQuery{
		{},
		{Status: directory.StatusOpen},
		{Status: directory.StatusExpired},
		{Status: directory.StatusFulfilled},
		{Type: directory.Offer},
		{Type: directory.Need, Status: directory.StatusOpen, Origin: directory.OriginLocal},
		{Categories: []directory.Category{"food", "tools"}},
		{Categories: []directory.Category{"food"}, Status: directory.StatusOpen},
		{Origin: directory.OriginPartners},
		{Origin: "partner.example", Status: directory.StatusOpen},
		{Text: "bread"},
		{Text: "flour", Status: directory.StatusOpen},
		{Enterprise: "riverwest-bakery"},
		{Enterprise: "riverwest-bakery", Status: directory.StatusOpen, Type: directory.Need},
		{Geo: &directory.Geo{Near: milwaukee, KM: 10}},
		{Geo: &directory.Geo{Near: milwaukee, KM: 10}, Text: "antenna", Status: directory.StatusOpen},
	}
}

func testListingFacets(t *testing.T, open opener) {
	s := open(t)
	seeded := seedListings(t, s)
	t.Run("counts open listings that have not expired", func(t *testing.T) {
		f := listingFacets(t, s, directory.ListingQuery{Status: directory.StatusOpen})
		if !slices.Equal(f.Types, []directory.FacetCount{fc("need", 2), fc("offer", 2)}) {
			t.Errorf("types = %v", f.Types)
		}
		want := []directory.FacetCount{fc("food", 2), fc("tech", 1), fc("transport", 1)}
		if !slices.Equal(f.Categories, want) {
			t.Errorf("categories = %v, want %v", f.Categories, want)
		}
	})
	t.Run("counts the matches of every kind of query", func(t *testing.T) {
		for _, q := range listingFacetQueries() {
			checkListingFacets(t, s, q)
		}
	})
	t.Run("counts stay right through updates and deletes", func(t *testing.T) {
		l := seeded["Volunteer repair café hosts"]
		l.Status, l.Category = directory.StatusOpen, "food"
		mustNot(t, s.UpdateListing(ctx, l, directory.Event{Type: directory.EventListingUpdated, At: t0}), "update")
		bike := seeded["Delivery bicycle"] // open until June: now expired
		bike.ValidUntil, bike.Category = "2026-03-01", "tools"
		mustNot(t, s.UpdateListing(ctx, bike, directory.Event{Type: directory.EventListingUpdated, At: t0}), "expire")
		drill := seeded["Power drill lending"] // expired: now withdrawn
		drill.Status = directory.StatusWithdrawn
		mustNot(t, s.UpdateListing(ctx, drill, directory.Event{Type: directory.EventListingUpdated, At: t0}), "withdraw")
		mustNot(t, s.DeleteListing(ctx, seeded["Day-old bread"].ID, directory.Event{Type: directory.EventListingDeleted, At: t0}), "delete")
		for _, q := range listingFacetQueries() {
			checkListingFacets(t, s, q)
		}
	})
	t.Run("counts the home page", func(t *testing.T) {
		a := &directory.Announcement{EnterpriseID: seeded["flour supplier"].EnterpriseID, Content: "Hi", CreatedAt: t0}
		mustNot(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), "announce")
		c, err := s.Counts(ctx, today)
		mustNot(t, err, "counts")
		// Open and current: needs "flour supplier" (until today) and the
		// reopened "Volunteer repair café hosts"; offers "Rooftop antenna
		// install" (a partner's).
		want := directory.Counts{Enterprises: 3, Needs: 2, Offers: 1, Announcements: 1}
		if *c != want {
			t.Errorf("counts = %+v, want %+v", *c, want)
		}
	})
	t.Run("caps the counts of a text search", func(t *testing.T) { testCappedListingFacets(t, open) })
}

// fc is a facet count.
func fc(value string, n int) directory.FacetCount {
	return directory.FacetCount{Value: value, Count: n}
}
