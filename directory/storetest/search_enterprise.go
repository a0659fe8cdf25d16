package storetest

import (
	"fmt"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Places of the search fixtures.
var (
	bayView = directory.Point{Lat: 43.0, Lon: -87.9}       // ~4 km from milwaukee
	eastMKE = directory.Point{Lat: 43.05, Lon: -87.92}     // ~2 km from milwaukee
	pilsen  = directory.Point{Lat: 41.88, Lon: -87.63}     // chicago
	suva    = directory.Point{Lat: -17.0, Lon: 179.9}      // west of the antimeridian
	taveuni = directory.Point{Lat: -17.0, Lon: -179.9}     // ~21 km east of suva, across it
	madison = directory.Point{Lat: 43.0731, Lon: -89.4012} // ~120 km west of milwaukee
)

// seedEnterprises stores the enterprise search fixtures. Ids follow the
// order below; creation times do not (suva-fishers is oldest).
func seedEnterprises(t *testing.T, s directory.Store) map[string]*directory.Enterprise {
	t.Helper()
	type row struct {
		handle, name string
		kind         directory.Kind
		sectors      []string
		summary      string
		loc          directory.Location
		origin       string
		minute       int
	}
	rows := []row{
		{"riverwest-bakery", "Riverwest Bakery Cooperative", directory.KindWorkerCoop, []string{"food", "bakery"},
			"Sourdough bread baked by its workers.", point(milwaukee, "Riverwest, Milwaukee, WI"), "", 10},
		{"cooperacion-sur", "Cooperación Mutual Sur", directory.KindMutualAid, []string{"care", "housing"},
			"Apoyo mutuo en el barrio.", point(chicago, "Pilsen, Chicago, IL"), "", 20},
		{"harbor-tools", "Harbor Tool Library", directory.KindToolLibrary, []string{"tools", "repair"},
			"Borrow a drill, share a ladder.", point(bayView, "Bay View, Milwaukee"), "", 30},
		{"flour-power", "Flour Power Collective", directory.KindWorkerCoop, []string{"food"},
			"We mill grain and supply the bakery down the street.", directory.Location{Address: "Madison, WI"}, "", 40},
		{"mesh_mke", "mesh net", directory.KindCommunityNetwork, []string{"internet", "tech"},
			"Wireless for the neighborhood.", point(eastMKE, "Milwaukee"), "partner.example", 50},
		{"print-union", "Print Workers Union", directory.KindUnion, []string{"screen printing"},
			"Screen-printing & T-shirts for the movement.", point(pilsen, "Chicago"), "", 60},
		{"suva-fishers", "Suva Fishers", directory.KindProducerCoop, []string{"fishing"},
			"Fresh catch from the reef.", point(suva, "Suva, Fiji"), "other.example", 5},
	}
	out := map[string]*directory.Enterprise{}
	for _, r := range rows {
		e := newEnterprise(r.handle, r.name)
		e.Kind, e.Sectors, e.Summary, e.Location, e.Origin = r.kind, r.sectors, r.summary, r.loc, r.origin
		e.CreatedAt, e.UpdatedAt = at(r.minute), at(r.minute)
		out[r.handle] = mustCreateEnterprise(t, s, e)
	}
	return out
}

func testEnterpriseSearch(t *testing.T, open opener) {
	s := open(t)
	seeded := seedEnterprises(t, s)
	find := func(t *testing.T, q directory.EnterpriseQuery) *directory.EnterprisePage {
		t.Helper()
		return searchEnterprises(t, s, q)
	}
	newest := []string{"print-union", "mesh_mke", "flour-power", "harbor-tools", "cooperacion-sur", "riverwest-bakery", "suva-fishers"}

	t.Run("finds every enterprise newest first without filters", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{})
		wantOrder(t, "all", enterpriseHandles(p), p.Total, newest...)
		for _, r := range p.Items {
			if r.DistanceKM != nil {
				t.Errorf("%s has a distance without a distance filter", r.Handle)
			}
		}
		got, want := p.Items[1].Enterprise, seeded["mesh_mke"]
		assertSame(t, "search result", got, want)
	})

	t.Run("matches every term", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Text: "bakery sourdough"})
		wantOrder(t, "bakery sourdough", enterpriseHandles(p), p.Total, "riverwest-bakery")
		p = find(t, directory.EnterpriseQuery{Text: "bakery chicago"})
		wantOrder(t, "bakery chicago", enterpriseHandles(p), p.Total)
	})

	t.Run("matches a prefix of three letters or more, shorter terms whole", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Text: "bak"})
		wantSet(t, "bak", enterpriseHandles(p), p.Total, "riverwest-bakery", "flour-power")
		p = find(t, directory.EnterpriseQuery{Text: "coop"})
		wantSet(t, "coop", enterpriseHandles(p), p.Total, "riverwest-bakery", "cooperacion-sur")
		p = find(t, directory.EnterpriseQuery{Text: "ba"})
		wantSet(t, "ba", enterpriseHandles(p), p.Total)
	})

	t.Run("folds diacritics: cooperacion finds Cooperación", func(t *testing.T) {
		for _, text := range []string{"cooperacion", "COOPERACIÓN mutual"} {
			p := find(t, directory.EnterpriseQuery{Text: text})
			wantOrder(t, text, enterpriseHandles(p), p.Total, "cooperacion-sur")
		}
		// Typed with its accent, the word is also stemmed as Spanish
		// ("cooper"), the stem of the English "Cooperative".
		p := find(t, directory.EnterpriseQuery{Text: "Cooperación"})
		wantSet(t, "Cooperación", enterpriseHandles(p), p.Total, "cooperacion-sur", "riverwest-bakery")
	})

	t.Run("searches handle, name, kind, sectors, summary and address", func(t *testing.T) {
		for text, want := range map[string]string{
			"mke": "mesh_mke", "harbor": "harbor-tools", "community": "mesh_mke", "repair": "harbor-tools",
			"ladder": "harbor-tools", "madison": "flour-power", "pilsen": "cooperacion-sur",
			"screen printing": "print-union", "apoyo": "cooperacion-sur",
		} {
			p := find(t, directory.EnterpriseQuery{Text: text})
			wantOrder(t, text, enterpriseHandles(p), p.Total, want)
		}
	})

	t.Run("filters by any of the kinds", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Kinds: []directory.Kind{directory.KindWorkerCoop, directory.KindToolLibrary}})
		wantOrder(t, "kinds", enterpriseHandles(p), p.Total, "flour-power", "harbor-tools", "riverwest-bakery")
	})

	t.Run("filters by exact sector", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Sector: "food"})
		wantOrder(t, "food", enterpriseHandles(p), p.Total, "flour-power", "riverwest-bakery")
		p = find(t, directory.EnterpriseQuery{Sector: "foo"})
		wantOrder(t, "foo", enterpriseHandles(p), p.Total)
		p = find(t, directory.EnterpriseQuery{Sector: "Screen Printing"})
		wantOrder(t, "screen printing", enterpriseHandles(p), p.Total, "print-union")
	})

	t.Run("filters by origin", func(t *testing.T) {
		for origin, want := range map[string][]string{
			directory.OriginAll:      newest,
			directory.OriginLocal:    {"print-union", "flour-power", "harbor-tools", "cooperacion-sur", "riverwest-bakery"},
			directory.OriginPartners: {"mesh_mke", "suva-fishers"},
			"partner.example":        {"mesh_mke"},
			"PARTNER.example":        {"mesh_mke"},
			"unknown.example":        nil,
		} {
			p := find(t, directory.EnterpriseQuery{Origin: origin})
			wantOrder(t, origin, enterpriseHandles(p), p.Total, want...)
		}
	})

	t.Run("combines text with filters", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Text: "bakery", Kinds: []directory.Kind{directory.KindWorkerCoop}})
		wantSet(t, "bakery worker co-ops", enterpriseHandles(p), p.Total, "riverwest-bakery", "flour-power")
		p = find(t, directory.EnterpriseQuery{Text: "bakery", Sector: "bakery"})
		wantSet(t, "bakery in sector bakery", enterpriseHandles(p), p.Total, "riverwest-bakery")
		p = find(t, directory.EnterpriseQuery{Text: "milwaukee", Origin: directory.OriginLocal})
		wantSet(t, "local milwaukee", enterpriseHandles(p), p.Total, "riverwest-bakery", "harbor-tools")
	})

	t.Run("finds enterprises within 10 km sorted by distance", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: milwaukee, KM: 10}, Sort: directory.SortDistance})
		wantOrder(t, "10 km", enterpriseHandles(p), p.Total, "riverwest-bakery", "mesh_mke", "harbor-tools")
		for _, r := range p.Items {
			wantDistance(t, r.Handle, r.DistanceKM, milwaukee, r.Location)
		}
	})

	t.Run("Chicago is about 130 km from Milwaukee", func(t *testing.T) {
		if d := directory.DistanceKM(milwaukee, chicago); d < 125 || d > 135 {
			t.Fatalf("DistanceKM = %.1f", d)
		}
		p := find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: milwaukee, KM: 150}, Sort: directory.SortDistance})
		wantOrder(t, "150 km", enterpriseHandles(p), p.Total,
			"riverwest-bakery", "mesh_mke", "harbor-tools", "print-union", "cooperacion-sur")
		p = find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: milwaukee, KM: 120}})
		wantSet(t, "120 km", enterpriseHandles(p), p.Total, "riverwest-bakery", "mesh_mke", "harbor-tools")
	})

	t.Run("finds across the antimeridian", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: taveuni, KM: 50}})
		wantOrder(t, "near taveuni", enterpriseHandles(p), p.Total, "suva-fishers")
		if len(p.Items) == 1 {
			wantDistance(t, "suva-fishers", p.Items[0].DistanceKM, taveuni, p.Items[0].Location)
		}
		p = find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: taveuni, KM: 10}})
		wantOrder(t, "10 km from taveuni", enterpriseHandles(p), p.Total)
	})

	t.Run("never matches entries without coordinates by distance", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: madison, KM: 10}})
		wantOrder(t, "near madison", enterpriseHandles(p), p.Total)
		p = find(t, directory.EnterpriseQuery{Geo: &directory.Geo{Near: madison, KM: 20000}})
		if p.Total != 6 || contains(enterpriseHandles(p), "flour-power") {
			t.Errorf("whole earth: %q (total %d), want the 6 with coordinates", enterpriseHandles(p), p.Total)
		}
	})

	t.Run("sorts by name ignoring case", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Sort: directory.SortName})
		wantOrder(t, "by name", enterpriseHandles(p), p.Total, "cooperacion-sur", "flour-power", "harbor-tools",
			"mesh_mke", "print-union", "riverwest-bakery", "suva-fishers")
	})

	t.Run("sorts by creation time, not insertion order", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Sort: directory.SortNewest})
		wantOrder(t, "newest", enterpriseHandles(p), p.Total, newest...)
		p = find(t, directory.EnterpriseQuery{Text: "milwaukee", Sort: directory.SortNewest})
		wantOrder(t, "newest milwaukee", enterpriseHandles(p), p.Total, "mesh_mke", "harbor-tools", "riverwest-bakery")
	})

	t.Run("ranks a name match above a summary-only match", func(t *testing.T) {
		for _, q := range []directory.EnterpriseQuery{
			{Text: "bakery"},
			{Text: "bakery", Kinds: []directory.Kind{directory.KindWorkerCoop}},
			{Text: "bakery", Sector: "food"},
			{Text: "bakery", Origin: directory.OriginLocal, Geo: &directory.Geo{Near: madison, KM: 20000}},
		} {
			want := 2
			if q.Geo != nil {
				want = 1 // flour-power has no coordinates
			}
			p := find(t, q)
			if p.Total != want || len(p.Items) != want || p.Items[0].Handle != "riverwest-bakery" {
				t.Errorf("%+v by relevance: %q (total %d), want riverwest-bakery first of %d", q, enterpriseHandles(p), p.Total, want)
			}
		}
	})

	t.Run("sorts text matches by distance", func(t *testing.T) {
		p := find(t, directory.EnterpriseQuery{Text: "milwaukee", Geo: &directory.Geo{Near: milwaukee, KM: 10}, Sort: directory.SortDistance})
		wantOrder(t, "milwaukee by distance", enterpriseHandles(p), p.Total, "riverwest-bakery", "mesh_mke", "harbor-tools")
		for _, r := range p.Items {
			wantDistance(t, r.Handle, r.DistanceKM, milwaukee, r.Location)
		}
		p = find(t, directory.EnterpriseQuery{Text: "milwaukee", Geo: &directory.Geo{Near: milwaukee, KM: 3}})
		wantSet(t, "milwaukee within 3 km", enterpriseHandles(p), p.Total, "riverwest-bakery", "mesh_mke")
		for _, r := range p.Items {
			wantDistance(t, r.Handle, r.DistanceKM, milwaukee, r.Location)
		}
	})

	t.Run("pages with a total counting every match", func(t *testing.T) {
		var got []string
		for page := 1; page <= 4; page++ {
			p := find(t, directory.EnterpriseQuery{Page: directory.Page{Page: page, PerPage: 3}})
			if p.Total != 7 || p.Page.Page != page || p.PerPage != 3 {
				t.Errorf("page %d: total %d, page %+v", page, p.Total, p.Page)
			}
			got = append(got, enterpriseHandles(p)...)
		}
		wantOrder(t, "pages", got, len(got), newest...)
		var ranked []string
		for page := 1; page <= 2; page++ {
			p := find(t, directory.EnterpriseQuery{Text: "milwaukee", Page: directory.Page{Page: page, PerPage: 2}})
			if p.Total != 3 {
				t.Errorf("milwaukee page %d: total %d, want 3", page, p.Total)
			}
			ranked = append(ranked, enterpriseHandles(p)...)
		}
		wantSet(t, "milwaukee pages", ranked, len(ranked), "riverwest-bakery", "harbor-tools", "mesh_mke")
	})

	testHostileText(t, "bakery", len(seeded),
		func(t *testing.T, text string) *directory.EnterprisePage {
			return find(t, directory.EnterpriseQuery{Text: text})
		},
		func(p *directory.EnterprisePage) int { return p.Total })
	t.Run("caps the counts of a text search", func(t *testing.T) { testCappedEnterpriseSearch(t, open) })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// testRankWindow checks relevance paging over more matches than
// directory.RankWindow: the newest RankWindow matches (by id) are ranked,
// the older ones follow newest first, and Total counts them all; with and
// without filters.
func testRankWindow(t *testing.T, open opener) {
	s := open(t)
	const older, extra = 5, 7
	n := directory.RankWindow + older
	handle := func(i int) string { return fmt.Sprintf("w%04d", i) }
	var creates []*directory.Enterprise
	for i := range n + extra {
		e := newEnterprise(handle(i), fmt.Sprintf("Filler %04d", i))
		e.Summary, e.Sectors = "A shared window to the street.", []string{"glass"}
		if i >= n { // newest, and filtered out below
			e.Name, e.Kind, e.Summary, e.Sectors = fmt.Sprintf("Extra %04d", i), directory.KindUnion, "A window box.", []string{"other"}
		}
		creates = append(creates, e)
	}
	creates[2].Name = "Window Makers"    // strong match, but too old to be ranked
	creates[500].Name = "Window Washers" // strong match inside the window
	mustNot(t, s.ImportEnterprises(ctx, creates, nil, t0), "import")
	for i := 1; i < len(creates); i++ {
		if creates[i].ID <= creates[i-1].ID {
			t.Fatalf("import assigned ids out of order: %d after %d", creates[i].ID, creates[i-1].ID)
		}
	}
	newestFirst := func(count int) []string {
		var out []string
		for i := count - 1; i >= 0; i-- {
			out = append(out, handle(i))
		}
		return out
	}
	for _, c := range []struct {
		name  string
		q     directory.EnterpriseQuery
		match []string // every match, newest first
	}{
		{"text only", directory.EnterpriseQuery{Text: "window"}, newestFirst(n + extra)},
		{"with a kind", directory.EnterpriseQuery{Text: "window", Kinds: []directory.Kind{directory.KindWorkerCoop}}, newestFirst(n)},
		{"with a sector", directory.EnterpriseQuery{Text: "window", Sector: "glass"}, newestFirst(n)},
	} {
		page := func(t *testing.T, p, per int) *directory.EnterprisePage {
			t.Helper()
			q := c.q
			q.Page = directory.Page{Page: p, PerPage: per}
			return searchEnterprises(t, s, q)
		}
		outside := c.match[directory.RankWindow:]
		t.Run(c.name+": ranks the best match of the window first and counts every match", func(t *testing.T) {
			p := page(t, 1, 100)
			if p.Total != len(c.match) || len(p.Items) != 100 || p.Items[0].Handle != handle(500) {
				t.Fatalf("page 1: total %d, %d items, first %q; want %d, 100, %s",
					p.Total, len(p.Items), enterpriseHandles(p)[0], len(c.match), handle(500))
			}
			if contains(enterpriseHandles(p), handle(2)) {
				t.Errorf("a match older than the window was ranked")
			}
			p2 := page(t, 2, 100)
			if p2.Total != len(c.match) || len(p2.Items) != 100 {
				t.Errorf("page 2: total %d, %d items", p2.Total, len(p2.Items))
			}
			for _, h := range enterpriseHandles(p2) {
				if contains(enterpriseHandles(p), h) {
					t.Errorf("%s on pages 1 and 2", h)
				}
			}
		})
		t.Run(c.name+": pages past the window continue newest first", func(t *testing.T) {
			var all []string
			for p := 1; p <= (len(c.match)+99)/100; p++ {
				all = append(all, enterpriseHandles(page(t, p, 100))...)
			}
			wantSet(t, "every page", all, len(all), c.match...)
			if len(all) == len(c.match) {
				wantOrder(t, "past the window", all[directory.RankWindow:], len(outside), outside...)
			}
		})
		t.Run(c.name+": a page straddling the window's end takes the rest newest first", func(t *testing.T) {
			// With 3 per page, page 334 starts at the window's last match.
			p := page(t, 334, 3)
			got := enterpriseHandles(p)
			if len(got) != 3 || contains(outside, got[0]) || got[1] != outside[0] || got[2] != outside[1] || p.Total != len(c.match) {
				t.Errorf("page 334: %q (total %d), want one ranked match then %q", got, p.Total, outside[:2])
			}
			p = page(t, 335, 3)
			wantOrder(t, "page 335", enterpriseHandles(p), len(p.Items), outside[2:min(5, len(outside))]...)
		})
		t.Run(c.name+": a capped count stops at the cap, or at the page's end", func(t *testing.T) {
			for _, pg := range []directory.Page{{Page: 1, PerPage: 100}, {Page: 11, PerPage: 100}} {
				q := c.q
				q.CountCap, q.Page = 50, pg
				p := searchEnterprises(t, s, q)
				want, capped := directory.CappedCount(len(c.match), directory.TotalLimit(50, pg))
				if p.Total != want || p.TotalCapped != capped || len(p.Items) == 0 {
					t.Errorf("page %d: total %d (capped %v), %d items; want %d (capped %v)", pg.Page, p.Total, p.TotalCapped, len(p.Items), want, capped)
				}
			}
		})
	}
}
