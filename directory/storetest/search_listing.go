package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// seedListings stores the listing search fixtures: three enterprises (one a
// partner's) and seven listings. Ids follow the order below; creation times
// do not ("flour supplier" is oldest). today is 2026-03-15.
func seedListings(t *testing.T, s directory.Store) map[string]*directory.Listing {
	t.Helper()
	bakery := newEnterprise("riverwest-bakery", "Riverwest Bakery")
	bakery.Location = point(milwaukee, "Milwaukee")
	tools := newEnterprise("harbor-tools", "Harbor Tool Library")
	mesh := newEnterprise("mesh_mke", "Mesh MKE")
	mesh.Origin = "partner.example"
	for _, e := range []*directory.Enterprise{bakery, tools, mesh} {
		mustCreateEnterprise(t, s, e)
	}
	type row struct {
		e           *directory.Enterprise
		typ         directory.ListingType
		title, desc string
		category    directory.Category
		quantity    *float64
		unit        string
		loc         directory.Location
		validUntil  string
		status      directory.Status
		minute      int
	}
	rows := []row{
		{bakery, directory.Offer, "Day-old bread", "Free sourdough every evening", "food", ptr(20.0), "loaves",
			point(milwaukee, "Milwaukee"), "", directory.StatusOpen, 10},
		{bakery, directory.Need, "Delivery bicycle", "Cargo bike for bread delivery", "transport", nil, "",
			point(milwaukee, "Milwaukee"), "2026-06-30", directory.StatusOpen, 20},
		{tools, directory.Offer, "Power drill lending", "Cordless drills for members", "tools", nil, "",
			directory.Location{}, "2026-03-14", directory.StatusOpen, 30},
		{tools, directory.Need, "Volunteer repair café hosts", "Help fix toasters at the Reparación café", "skills", nil, "",
			directory.Location{}, "", directory.StatusFulfilled, 40},
		{mesh, directory.Offer, "Rooftop antenna install", "We install wireless antennas", "tech", nil, "",
			point(eastMKE, "Milwaukee"), "", directory.StatusOpen, 50},
		{tools, directory.Offer, "Ladder to share", "Aluminium, three metres", "tools", nil, "",
			directory.Location{}, "2026-03-15", directory.StatusWithdrawn, 60},
		{bakery, directory.Need, "flour supplier", "Organic flour by the sack", "food", ptr(5.0), "sacks",
			directory.Location{}, "2026-03-15", directory.StatusOpen, 5},
	}
	out := map[string]*directory.Listing{}
	for _, r := range rows {
		l := newListing(r.e, r.typ, r.title)
		l.Description, l.Category, l.Quantity, l.Unit = r.desc, r.category, r.quantity, r.unit
		l.Location, l.ValidUntil, l.Status = r.loc, r.validUntil, r.status
		l.CreatedAt, l.UpdatedAt = at(r.minute), at(r.minute)
		out[r.title] = mustCreateListing(t, s, l)
		out[r.title].EnterpriseHandle, out[r.title].EnterpriseName = r.e.Handle, r.e.Name
	}
	return out
}

func testListingSearch(t *testing.T, open opener) {
	s := open(t)
	seeded := seedListings(t, s)
	find := func(t *testing.T, q directory.ListingQuery) *directory.ListingPage {
		t.Helper()
		return searchListings(t, s, q)
	}
	const (
		bread   = "Day-old bread"
		bicycle = "Delivery bicycle"
		drill   = "Power drill lending"
		cafe    = "Volunteer repair café hosts"
		antenna = "Rooftop antenna install"
		ladder  = "Ladder to share"
		flour   = "flour supplier"
	)
	newest := []string{ladder, antenna, cafe, drill, bicycle, bread, flour}

	t.Run("finds every listing newest first with its enterprise", func(t *testing.T) {
		p := find(t, directory.ListingQuery{})
		wantOrder(t, "all", listingTitles(p), p.Total, newest...)
		for _, r := range p.Items {
			assertSame(t, r.Title, r.Listing, seeded[r.Title])
			if r.DistanceKM != nil {
				t.Errorf("%s has a distance without a distance filter", r.Title)
			}
		}
	})

	t.Run("finds listings by title and description", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Text: "sourdough"})
		wantOrder(t, "sourdough", listingTitles(p), p.Total, bread)
		p = find(t, directory.ListingQuery{Text: "drill"})
		wantOrder(t, "drill", listingTitles(p), p.Total, drill)
		p = find(t, directory.ListingQuery{Text: "organic flour"})
		wantOrder(t, "organic flour", listingTitles(p), p.Total, flour)
	})

	t.Run("finds listings by unit and category", func(t *testing.T) {
		for text, want := range map[string]string{"loaves": bread, "sacks": flour, "transport": bicycle, "tech": antenna} {
			p := find(t, directory.ListingQuery{Text: text})
			wantOrder(t, text, listingTitles(p), p.Total, want)
		}
	})

	t.Run("folds diacritics", func(t *testing.T) {
		for _, text := range []string{"reparacion", "Reparación", "cafe", "CAFÉ"} {
			p := find(t, directory.ListingQuery{Text: text})
			wantOrder(t, text, listingTitles(p), p.Total, cafe)
		}
	})

	t.Run("ranks a title match above a description match", func(t *testing.T) {
		for _, q := range []directory.ListingQuery{
			{Text: "bread"},
			{Text: "bread", Status: directory.StatusOpen},
			{Text: "bread", Enterprise: "riverwest-bakery"},
			{Text: "bread", Geo: &directory.Geo{Near: milwaukee, KM: 5}},
		} {
			p := find(t, q)
			if p.Total != 2 || len(p.Items) != 2 || p.Items[0].Title != bread {
				t.Errorf("%+v by relevance: %q (total %d), want %q first of 2", q, listingTitles(p), p.Total, bread)
			}
		}
	})

	t.Run("filters by type", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Type: directory.Need})
		wantOrder(t, "needs", listingTitles(p), p.Total, cafe, bicycle, flour)
		p = find(t, directory.ListingQuery{Type: directory.Offer})
		wantOrder(t, "offers", listingTitles(p), p.Total, ladder, antenna, drill, bread)
	})

	t.Run("filters by any of the categories", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Categories: []directory.Category{"food", "tools"}})
		wantOrder(t, "food and tools", listingTitles(p), p.Total, ladder, drill, bread, flour)
	})

	t.Run("status open excludes expired listings", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Status: directory.StatusOpen})
		wantOrder(t, "open", listingTitles(p), p.Total, antenna, bicycle, bread, flour)
	})

	t.Run("status expired finds open listings past their date", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Status: directory.StatusExpired})
		wantOrder(t, "expired", listingTitles(p), p.Total, drill)
	})

	t.Run("filters by stored status", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Status: directory.StatusFulfilled})
		wantOrder(t, "fulfilled", listingTitles(p), p.Total, cafe)
		p = find(t, directory.ListingQuery{Status: directory.StatusWithdrawn})
		wantOrder(t, "withdrawn", listingTitles(p), p.Total, ladder)
	})

	t.Run("filters by enterprise handle", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Enterprise: "harbor-tools"})
		wantOrder(t, "harbor-tools", listingTitles(p), p.Total, ladder, cafe, drill)
		p = find(t, directory.ListingQuery{Enterprise: "nobody"})
		wantOrder(t, "nobody", listingTitles(p), p.Total)
	})

	t.Run("filters by origin", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Origin: directory.OriginLocal})
		wantOrder(t, "local", listingTitles(p), p.Total, ladder, cafe, drill, bicycle, bread, flour)
		p = find(t, directory.ListingQuery{Origin: directory.OriginPartners})
		wantOrder(t, "partners", listingTitles(p), p.Total, antenna)
		p = find(t, directory.ListingQuery{Origin: "partner.example"})
		wantOrder(t, "partner.example", listingTitles(p), p.Total, antenna)
		p = find(t, directory.ListingQuery{Origin: "other.example"})
		wantOrder(t, "other.example", listingTitles(p), p.Total)
	})

	t.Run("combines text with filters", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Text: "bread", Type: directory.Need})
		wantOrder(t, "bread needs", listingTitles(p), p.Total, bicycle)
		p = find(t, directory.ListingQuery{Type: directory.Offer, Status: directory.StatusOpen})
		wantOrder(t, "open offers", listingTitles(p), p.Total, antenna, bread)
		p = find(t, directory.ListingQuery{Text: "flour", Status: directory.StatusOpen, Enterprise: "riverwest-bakery"})
		wantOrder(t, "open flour of the bakery", listingTitles(p), p.Total, flour)
	})

	t.Run("finds listings within 10 km sorted by distance", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Geo: &directory.Geo{Near: milwaukee, KM: 10}, Sort: directory.SortDistance})
		wantOrder(t, "10 km", listingTitles(p), p.Total, bread, bicycle, antenna)
		for _, r := range p.Items {
			wantDistance(t, r.Title, r.DistanceKM, milwaukee, r.Location)
		}
		p = find(t, directory.ListingQuery{Geo: &directory.Geo{Near: chicago, KM: 100}})
		wantOrder(t, "near chicago", listingTitles(p), p.Total)
	})

	t.Run("sorts by title ignoring case", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Sort: directory.SortName})
		wantOrder(t, "by title", listingTitles(p), p.Total, bread, bicycle, flour, ladder, drill, antenna, cafe)
	})

	t.Run("sorts by creation time, not insertion order", func(t *testing.T) {
		p := find(t, directory.ListingQuery{Sort: directory.SortNewest, Type: directory.Need})
		wantOrder(t, "newest needs", listingTitles(p), p.Total, cafe, bicycle, flour)
	})

	t.Run("pages with a total counting every match", func(t *testing.T) {
		var got []string
		for page := 1; page <= 3; page++ {
			p := find(t, directory.ListingQuery{Page: directory.Page{Page: page, PerPage: 3}})
			if p.Total != 7 {
				t.Errorf("page %d: total %d", page, p.Total)
			}
			got = append(got, listingTitles(p)...)
		}
		wantOrder(t, "pages", got, len(got), newest...)
		p := find(t, directory.ListingQuery{Text: "bread", Page: directory.Page{Page: 2, PerPage: 1}})
		if p.Total != 2 || len(p.Items) != 1 || p.Items[0].Title != bicycle {
			t.Errorf("bread page 2: %q (total %d), want %q of 2", listingTitles(p), p.Total, bicycle)
		}
	})

	testHostileText(t, "bread", len(seeded),
		func(t *testing.T, text string) *directory.ListingPage {
			return find(t, directory.ListingQuery{Text: text})
		},
		func(p *directory.ListingPage) int { return p.Total })
	t.Run("caps the counts of a text search", func(t *testing.T) { testCappedListingSearch(t, open) })
}
