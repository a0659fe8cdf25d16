package storetest

import (
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// enterprisePoints validates q and a, as the Service does, and runs them.
func enterprisePoints(t *testing.T, s directory.Store, q directory.EnterpriseQuery, a directory.Area) *directory.EnterprisePoints {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("invalid query %+v: %v", q, err)
	}
	if err := a.Validate(); err != nil {
		t.Fatalf("invalid area %+v: %v", a, err)
	}
	p, err := s.EnterprisePoints(ctx, q, a)
	if err != nil {
		t.Fatalf("enterprise points %+v: %v", q, err)
	}
	return p
}

func listingPoints(t *testing.T, s directory.Store, q directory.ListingQuery, a directory.Area) *directory.ListingPoints {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("invalid query %+v: %v", q, err)
	}
	if err := a.Validate(); err != nil {
		t.Fatalf("invalid area %+v: %v", a, err)
	}
	q.Today = today
	p, err := s.ListingPoints(ctx, q, a)
	if err != nil {
		t.Fatalf("listing points %+v: %v", q, err)
	}
	return p
}

func pointHandles(p *directory.EnterprisePoints) []string {
	out := []string{}
	for _, e := range p.Items {
		out = append(out, e.Handle)
	}
	return out
}

func wantPoints(t *testing.T, what string, got []string, truncated bool, wantTruncated bool, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) || truncated != wantTruncated {
		t.Errorf("%s: got %q (truncated %v), want %q (truncated %v)", what, got, truncated, want, wantTruncated)
	}
}

func testEnterprisePoints(t *testing.T, open opener) {
	s := open(t)
	seeded := seedEnterprises(t, s)
	all := directory.EnterpriseQuery{}
	// Newest by id first; flour-power has no coordinates.
	mapped := []string{"suva-fishers", "print-union", "mesh_mke", "harbor-tools", "cooperacion-sur", "riverwest-bakery"}

	t.Run("gives every match with coordinates, whatever the page", func(t *testing.T) {
		p := enterprisePoints(t, s, directory.EnterpriseQuery{Page: directory.Page{Page: 3, PerPage: 1}}, directory.Area{})
		wantPoints(t, "all", pointHandles(p), p.Truncated, false, mapped...)
		assertSame(t, "point", p.Items[2], seeded["mesh_mke"])
	})

	t.Run("applies the query's filters", func(t *testing.T) {
		p := enterprisePoints(t, s, directory.EnterpriseQuery{Text: "bak"}, directory.Area{})
		wantPoints(t, "bak (flour-power has no point)", pointHandles(p), p.Truncated, false, "riverwest-bakery")
		p = enterprisePoints(t, s, directory.EnterpriseQuery{Kinds: []directory.Kind{directory.KindUnion, directory.KindToolLibrary}}, directory.Area{})
		wantPoints(t, "kinds", pointHandles(p), p.Truncated, false, "print-union", "harbor-tools")
		p = enterprisePoints(t, s, directory.EnterpriseQuery{Sector: "food"}, directory.Area{})
		wantPoints(t, "sector", pointHandles(p), p.Truncated, false, "riverwest-bakery")
		p = enterprisePoints(t, s, directory.EnterpriseQuery{Origin: directory.OriginPartners}, directory.Area{})
		wantPoints(t, "partners", pointHandles(p), p.Truncated, false, "suva-fishers", "mesh_mke")
		p = enterprisePoints(t, s, directory.EnterpriseQuery{Geo: &directory.Geo{Near: milwaukee, KM: 10}}, directory.Area{})
		wantPoints(t, "near", pointHandles(p), p.Truncated, false, "mesh_mke", "harbor-tools", "riverwest-bakery")
	})

	t.Run("keeps to the box", func(t *testing.T) {
		mke := &directory.Box{MinLat: 42.9, MaxLat: 43.2, MinLon: -88.1, MaxLon: -87.8}
		p := enterprisePoints(t, s, all, directory.Area{Box: mke})
		wantPoints(t, "milwaukee", pointHandles(p), p.Truncated, false, "mesh_mke", "harbor-tools", "riverwest-bakery")
		p = enterprisePoints(t, s, directory.EnterpriseQuery{Text: "bakery"}, directory.Area{Box: mke})
		wantPoints(t, "milwaukee bakery", pointHandles(p), p.Truncated, false, "riverwest-bakery")
		fiji := &directory.Box{MinLat: -18, MaxLat: -16, MinLon: 179, MaxLon: -179}
		p = enterprisePoints(t, s, all, directory.Area{Box: fiji})
		wantPoints(t, "across the antimeridian", pointHandles(p), p.Truncated, false, "suva-fishers")
		p = enterprisePoints(t, s, all, directory.Area{Box: &directory.Box{MinLat: 0, MaxLat: 10, MinLon: 0, MaxLon: 10}})
		wantPoints(t, "empty sea", pointHandles(p), p.Truncated, false)
	})

	t.Run("stops at the limit and says so", func(t *testing.T) {
		p := enterprisePoints(t, s, all, directory.Area{Limit: 2})
		wantPoints(t, "limit 2", pointHandles(p), p.Truncated, true, mapped[:2]...)
		p = enterprisePoints(t, s, all, directory.Area{Limit: len(mapped)})
		wantPoints(t, "limit of every match", pointHandles(p), p.Truncated, false, mapped...)
		p = enterprisePoints(t, s, directory.EnterpriseQuery{Text: "milwaukee"}, directory.Area{Limit: 1})
		wantPoints(t, "text, limit 1", pointHandles(p), p.Truncated, true, "mesh_mke")
	})
}

func testListingPoints(t *testing.T, open opener) {
	s := open(t)
	seeded := seedListings(t, s)
	titles := func(p *directory.ListingPoints) []string {
		out := []string{}
		for _, l := range p.Items {
			out = append(out, l.Title)
		}
		return out
	}
	open_ := directory.ListingQuery{Status: directory.StatusOpen}

	t.Run("gives every open match with coordinates", func(t *testing.T) {
		p := listingPoints(t, s, open_, directory.Area{})
		wantPoints(t, "open", titles(p), p.Truncated, false, "Rooftop antenna install", "Delivery bicycle", "Day-old bread")
		assertSame(t, "point", p.Items[1], seeded["Delivery bicycle"])
	})

	t.Run("applies the query's filters", func(t *testing.T) {
		q := open_
		q.Type = directory.Offer
		p := listingPoints(t, s, q, directory.Area{})
		wantPoints(t, "offers", titles(p), p.Truncated, false, "Rooftop antenna install", "Day-old bread")
		q = open_
		q.Text, q.Categories = "bread", []directory.Category{"food"}
		p = listingPoints(t, s, q, directory.Area{})
		wantPoints(t, "bread in food", titles(p), p.Truncated, false, "Day-old bread")
		q = open_
		q.Origin = directory.OriginLocal
		p = listingPoints(t, s, q, directory.Area{})
		wantPoints(t, "local", titles(p), p.Truncated, false, "Delivery bicycle", "Day-old bread")
		q = open_
		q.Enterprise = "mesh_mke"
		p = listingPoints(t, s, q, directory.Area{})
		wantPoints(t, "of one enterprise", titles(p), p.Truncated, false, "Rooftop antenna install")
	})

	t.Run("keeps to the box and the limit", func(t *testing.T) {
		east := &directory.Box{MinLat: 43.045, MaxLat: 43.06, MinLon: -87.95, MaxLon: -87.91}
		p := listingPoints(t, s, open_, directory.Area{Box: east})
		wantPoints(t, "east side", titles(p), p.Truncated, false, "Rooftop antenna install")
		p = listingPoints(t, s, open_, directory.Area{Limit: 1})
		wantPoints(t, "limit 1", titles(p), p.Truncated, true, "Rooftop antenna install")
	})
}
