package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// The copies of partners' entries: ImportRemote, DeleteRemoteEnterprise,
// DeleteRemoteListing, FindRemoteEnterprise and PurgeOrigin.

const coopHost = "coop.example"

// partnerCopy returns origin's enterprise handle as an import gives it,
// created and updated at minute.
func partnerCopy(handle, origin string, minute int) *directory.Enterprise {
	e := remoteEnterprise(handle, origin)
	e.CreatedAt, e.UpdatedAt = at(minute), at(minute)
	return e
}

// fullCopy is fullEnterprise as a copy of origin's.
func fullCopy(handle, origin string) *directory.Enterprise {
	e := fullEnterprise(handle)
	e.Origin, e.RemoteID = origin, "https://"+origin+"/e/"+handle
	return e
}

// partnerListing returns a listing of e (a copy, by its handle) as an
// import gives it, created and updated at minute.
func partnerListing(e *directory.Enterprise, typ directory.ListingType, title string, minute int) *directory.Listing {
	id := "https://" + e.Origin + "/l/" + strings.ReplaceAll(strings.ToLower(title), " ", "-")
	return &directory.Listing{EnterpriseHandle: e.Handle, Type: typ, Title: title, Category: "other",
		Status: directory.StatusOpen, Origin: e.Origin, RemoteID: id, RemoteURL: id,
		CreatedAt: at(minute), UpdatedAt: at(minute)}
}

// fullPartnerListing is fullListing as a copy of e's.
func fullPartnerListing(e *directory.Enterprise) *directory.Listing {
	l := fullListing(e)
	l.EnterpriseHandle, l.RemoteID = e.Handle, "https://"+e.Origin+"/l/bread"
	return l
}

func mustImport(t *testing.T, s directory.Store, origin string, es []*directory.Enterprise, ls []*directory.Listing, want directory.RemoteImport) {
	t.Helper()
	got, err := s.ImportRemote(ctx, origin, es, ls)
	mustNot(t, err, "import from "+origin)
	if got != want {
		t.Fatalf("import from %s: %+v, want %+v", origin, got, want)
	}
}

// coopFixture is what most tests import from coop.example: two
// enterprises, a listing of each.
type coopFixture struct {
	bakery, mill *directory.Enterprise
	bread, flour *directory.Listing
}

// importCoop imports the coop fixture, which counts as want.
func importCoop(t *testing.T, s directory.Store, want directory.RemoteImport) *coopFixture {
	t.Helper()
	f := &coopFixture{bakery: fullCopy("bakery", coopHost), mill: partnerCopy("mill", coopHost, 5)}
	f.bread, f.flour = fullPartnerListing(f.bakery), partnerListing(f.mill, directory.Need, "Flour", 6)
	mustImport(t, s, coopHost, []*directory.Enterprise{f.bakery, f.mill}, []*directory.Listing{f.bread, f.flour}, want)
	return f
}

// wantListing checks listing want as FindListing reads it.
func wantListing(t *testing.T, s directory.Store, want *directory.Listing, enterprise *directory.Enterprise) {
	t.Helper()
	got, err := s.FindListing(ctx, want.ID)
	mustNot(t, err, "find listing "+want.Title)
	w := *want
	w.EnterpriseID, w.EnterpriseHandle, w.EnterpriseName = enterprise.ID, enterprise.Handle, enterprise.Name
	w.Language = enterprise.MainLanguage()
	assertSame(t, "listing "+want.Title, got, &w)
}

func testRemoteEntries(t *testing.T, open opener) {
	t.Run("imports new copies with every field and records no event", func(t *testing.T) {
		s := open(t)
		last := lastEventID(t, s)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		if f.bakery.ID == 0 || f.mill.ID == 0 || f.bread.ID == 0 || f.flour.ID == 0 {
			t.Fatalf("ids not set: %d %d %d %d", f.bakery.ID, f.mill.ID, f.bread.ID, f.flour.ID)
		}
		got, err := s.FindRemoteEnterprise(ctx, coopHost, f.bakery.RemoteID)
		mustNot(t, err, "find remote enterprise")
		assertSame(t, "bakery", got, f.bakery)
		got, err = s.FindEnterprise(ctx, coopHost, "mill")
		mustNot(t, err, "find enterprise")
		assertSame(t, "mill", got, f.mill)
		wantListing(t, s, f.bread, f.bakery)
		wantListing(t, s, f.flour, f.mill)
		wantNoEventsSince(t, s, last)
	})
	t.Run("a re-run changes nothing; a newer entry overwrites its copy and keeps its id", func(t *testing.T) {
		s := open(t)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		last := lastEventID(t, s)
		again := importCoop(t, s, directory.RemoteImport{Unchanged: 4})
		if again.bakery.ID != f.bakery.ID || again.flour.ID != f.flour.ID {
			t.Errorf("ids of unchanged entries: %d %d, want %d %d", again.bakery.ID, again.flour.ID, f.bakery.ID, f.flour.ID)
		}

		older := partnerCopy("mill", coopHost, 4)
		older.Name = "Older mill"
		sameTime := fullCopy("bakery", coopHost)
		sameTime.Name = "Same time"
		newer := partnerCopy("mill", coopHost, 30)
		newer.Name, newer.Kind, newer.Sectors, newer.CreatedAt = "Stone Mill", directory.KindTimeBank, []string{"grain"}, at(29)
		newFlour := partnerListing(f.mill, directory.Offer, "Flour", 31)
		newFlour.Title, newFlour.Status, newFlour.Category = "Rye flour", directory.StatusFulfilled, "food"
		mustImport(t, s, coopHost, []*directory.Enterprise{older, sameTime, newer}, []*directory.Listing{newFlour},
			directory.RemoteImport{Updated: 2, Unchanged: 2})
		if newer.ID != f.mill.ID || newFlour.ID != f.flour.ID || sameTime.ID != f.bakery.ID {
			t.Errorf("ids %d %d %d, want the stored %d %d %d", newer.ID, newFlour.ID, sameTime.ID, f.mill.ID, f.flour.ID, f.bakery.ID)
		}
		got, err := s.FindRemoteEnterprise(ctx, coopHost, f.mill.RemoteID)
		mustNot(t, err, "find mill")
		want := *newer
		want.CreatedAt = f.mill.CreatedAt
		assertSame(t, "mill", got, &want)
		got, err = s.FindRemoteEnterprise(ctx, coopHost, f.bakery.RemoteID)
		mustNot(t, err, "find bakery")
		assertSame(t, "bakery", got, f.bakery)
		wantFlour := *newFlour
		wantFlour.Type, wantFlour.CreatedAt = directory.Need, f.flour.CreatedAt
		wantListing(t, s, &wantFlour, &want)

		// What the searches read follows.
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: "stone"})
		wantOrder(t, "text stone", enterpriseHandles(p), p.Total, "mill")
		p = searchEnterprises(t, s, directory.EnterpriseQuery{Sector: "grain", Origin: coopHost})
		wantOrder(t, "sector grain", enterpriseHandles(p), p.Total, "mill")
		p = searchEnterprises(t, s, directory.EnterpriseQuery{Kinds: []directory.Kind{directory.KindTimeBank}})
		wantOrder(t, "time banks", enterpriseHandles(p), p.Total, "mill")
		wantTextTotals(t, s, "older", 0)
		wantListingTextTotals(t, s, "rye", 1)
		lp := searchListings(t, s, directory.ListingQuery{Status: directory.StatusOpen, Origin: directory.OriginPartners})
		wantOrder(t, "open partner listings", listingTitles(lp), lp.Total, "Day-old bread")
		wantNoEventsSince(t, s, last)
	})
	t.Run("an entry given twice in one import is stored once", func(t *testing.T) {
		s := open(t)
		first, second := partnerCopy("mill", coopHost, 5), partnerCopy("mill", coopHost, 6)
		second.Name = "Second"
		l1, l2 := partnerListing(first, directory.Need, "Grain", 7), partnerListing(first, directory.Need, "Grain", 7)
		mustImport(t, s, coopHost, []*directory.Enterprise{first, second}, []*directory.Listing{l1, l2},
			directory.RemoteImport{Created: 2, Updated: 1, Unchanged: 1})
		if first.ID != second.ID || l1.ID != l2.ID {
			t.Errorf("ids %d %d, %d %d", first.ID, second.ID, l1.ID, l2.ID)
		}
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Origin: coopHost})
		if len(p.Items) != 1 || p.Total != 1 || p.Items[0].Name != "Second" {
			t.Errorf("enterprises %s", show(p))
		}
		lp := searchListings(t, s, directory.ListingQuery{Origin: coopHost})
		wantOrder(t, "listings", listingTitles(lp), lp.Total, "Grain")
	})
	t.Run("a large import is stored whole, and overwritten whole", func(t *testing.T) {
		s := open(t)
		const nE, nL = 1050, 1100 // more than a store may write in one statement
		es, ls := make([]*directory.Enterprise, nE), make([]*directory.Listing, nL)
		for i := range es {
			es[i] = partnerCopy(fmt.Sprintf("coop%d", i), coopHost, 1)
			es[i].Sectors = []string{"grain", fmt.Sprintf("s%d", i%3)}
		}
		for i := range ls {
			ls[i] = partnerListing(es[i%nE], directory.Need, fmt.Sprintf("Grain %d", i), 2)
		}
		mustImport(t, s, coopHost, es, ls, directory.RemoteImport{Created: nE + nL})
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Sector: "grain", Page: directory.Page{Page: 1, PerPage: 1}})
		lp := searchListings(t, s, directory.ListingQuery{Text: "grain", Page: directory.Page{Page: 1, PerPage: 1}})
		if p.Total != nE || lp.Total != nL {
			t.Errorf("found %d enterprises of sector grain and %d listings with grain, want %d and %d", p.Total, lp.Total, nE, nL)
		}
		wantCounts(t, s, directory.Counts{Enterprises: nE, Needs: nL})
		for _, e := range es {
			e.Name, e.UpdatedAt, e.Sectors = "Renamed "+e.Handle, at(10), []string{"rye"}
		}
		for _, l := range ls {
			l.Title, l.Status, l.UpdatedAt = "Rye "+l.Title, directory.StatusFulfilled, at(10)
		}
		mustImport(t, s, coopHost, es, ls, directory.RemoteImport{Updated: nE + nL})
		for _, c := range []struct {
			q    directory.EnterpriseQuery
			want int
		}{
			{directory.EnterpriseQuery{Sector: "grain"}, 0},
			{directory.EnterpriseQuery{Sector: "rye"}, nE},
			{directory.EnterpriseQuery{Text: "renamed"}, nE},
			{directory.EnterpriseQuery{Origin: coopHost}, nE},
		} {
			c.q.Page = directory.Page{Page: 1, PerPage: 1}
			if p := searchEnterprises(t, s, c.q); p.Total != c.want {
				t.Errorf("%+v: %d enterprises, want %d", c.q, p.Total, c.want)
			}
		}
		lp = searchListings(t, s, directory.ListingQuery{Text: "rye", Status: directory.StatusFulfilled,
			Page: directory.Page{Page: 1, PerPage: 1}})
		if lp.Total != nL {
			t.Errorf("%d fulfilled listings with rye, want %d", lp.Total, nL)
		}
		wantCounts(t, s, directory.Counts{Enterprises: nE})
		got, err := s.FindRemoteEnterprise(ctx, coopHost, es[nE-1].RemoteID)
		mustNot(t, err, "find the last enterprise")
		want := *es[nE-1]
		want.CreatedAt = at(1)
		assertSame(t, "last enterprise", got, &want)
	})
	t.Run("a listing whose enterprise is not stored is an orphan", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("local", "Local"))
		mill := partnerCopy("mill", coopHost, 5)
		ghost := partnerListing(partnerCopy("ghost", coopHost, 5), directory.Need, "Ghost", 6)
		// The handle of a local enterprise, and of another partner's.
		local := partnerListing(partnerCopy("local", coopHost, 5), directory.Need, "Local", 6)
		mustImport(t, s, "other.example", []*directory.Enterprise{partnerCopy("press", "other.example", 1)}, nil,
			directory.RemoteImport{Created: 1})
		press := partnerListing(partnerCopy("press", coopHost, 5), directory.Need, "Press", 6)
		mustImport(t, s, coopHost, nil, []*directory.Listing{ghost, local, press}, directory.RemoteImport{Orphans: 3})
		if ghost.ID != 0 || local.ID != 0 || press.ID != 0 {
			t.Errorf("orphans got ids %d %d %d", ghost.ID, local.ID, press.ID)
		}
		lp := searchListings(t, s, directory.ListingQuery{})
		wantOrder(t, "listings", listingTitles(lp), lp.Total)
		// An enterprise stored by an earlier import is found.
		mustImport(t, s, coopHost, []*directory.Enterprise{mill}, nil, directory.RemoteImport{Created: 1})
		flour := partnerListing(mill, directory.Need, "Flour", 6)
		mustImport(t, s, coopHost, nil, []*directory.Listing{flour, ghost}, directory.RemoteImport{Created: 1, Orphans: 1})
		wantListing(t, s, flour, mill)
	})
	t.Run("entries of another origin or without a remote id are refused and nothing is written", func(t *testing.T) {
		s := open(t)
		last := lastEventID(t, s)
		mill := partnerCopy("mill", coopHost, 5)
		noID := partnerCopy("noid", coopHost, 5)
		noID.RemoteID = ""
		elsewhere := partnerCopy("press", "other.example", 5)
		stray := partnerListing(elsewhere, directory.Offer, "Ink", 6)
		for name, c := range map[string]struct {
			origin string
			es     []*directory.Enterprise
			ls     []*directory.Listing
		}{
			"enterprise of another origin": {coopHost, []*directory.Enterprise{mill, elsewhere}, nil},
			"listing of another origin":    {coopHost, []*directory.Enterprise{mill}, []*directory.Listing{stray}},
			"enterprise without remote id": {coopHost, []*directory.Enterprise{mill, noID}, nil},
			"local entries":                {"", []*directory.Enterprise{newEnterprise("local", "Local")}, nil},
		} {
			_, err := s.ImportRemote(ctx, c.origin, c.es, c.ls)
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("%s: error %v, want EINVALID", name, err)
			}
		}
		p := searchEnterprises(t, s, directory.EnterpriseQuery{})
		wantOrder(t, "enterprises", enterpriseHandles(p), p.Total)
		wantNoEventsSince(t, s, last)
	})
	t.Run("imported entries are found by origin and text, and counted", func(t *testing.T) {
		s := open(t)
		local := mustCreateEnterprise(t, s, newEnterprise("local", "Local"))
		mustCreateListing(t, s, newListing(local, directory.Need, "Ovens"))
		importCoop(t, s, directory.RemoteImport{Created: 4})
		const other = "other.example:8443"
		press := partnerCopy("press", other, 1)
		mustImport(t, s, other, []*directory.Enterprise{press},
			[]*directory.Listing{partnerListing(press, directory.Offer, "Ink", 2)}, directory.RemoteImport{Created: 2})

		for origin, want := range map[string][]string{
			coopHost:                 {"bakery", "mill"},
			other:                    {"press"},
			directory.OriginPartners: {"bakery", "mill", "press"},
			directory.OriginLocal:    {"local"},
			directory.OriginAll:      {"bakery", "local", "mill", "press"},
		} {
			p := searchEnterprises(t, s, directory.EnterpriseQuery{Origin: origin})
			wantSet(t, "enterprises of "+origin, enterpriseHandles(p), p.Total, want...)
		}
		for origin, want := range map[string][]string{
			coopHost:                 {"Day-old bread", "Flour"},
			other:                    {"Ink"},
			directory.OriginPartners: {"Day-old bread", "Flour", "Ink"},
			directory.OriginLocal:    {"Ovens"},
		} {
			lp := searchListings(t, s, directory.ListingQuery{Origin: origin, Status: directory.StatusOpen})
			wantSet(t, "listings of "+origin, listingTitles(lp), lp.Total, want...)
		}
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: "riverwest", Origin: directory.OriginPartners})
		wantOrder(t, "text riverwest", enterpriseHandles(p), p.Total, "bakery")
		lp := searchListings(t, s, directory.ListingQuery{Text: "sourdough"})
		wantOrder(t, "text sourdough", listingTitles(lp), lp.Total, "Day-old bread")
		wantCounts(t, s, directory.Counts{Enterprises: 4, Needs: 2, Offers: 2})
	})
	t.Run("deleting a remote enterprise removes its listings and announcements", func(t *testing.T) {
		s := open(t)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		a := mustAnnounce(t, s, f.bakery, coopHost)
		// A local enterprise with a remote id is no copy.
		local := mustCreateEnterprise(t, s, fullEnterprise("local"))
		last := lastEventID(t, s)
		wantDeleted(t, "other origin", directory.Store.DeleteRemoteEnterprise, s, "other.example", f.bakery.RemoteID, false)
		wantDeleted(t, "local", directory.Store.DeleteRemoteEnterprise, s, "", local.RemoteID, false)
		wantDeleted(t, "bakery", directory.Store.DeleteRemoteEnterprise, s, coopHost, f.bakery.RemoteID, true)
		wantDeleted(t, "bakery again", directory.Store.DeleteRemoteEnterprise, s, coopHost, f.bakery.RemoteID, false)
		_, err := s.FindRemoteEnterprise(ctx, coopHost, f.bakery.RemoteID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindRemoteEnterprise(ctx, "", local.RemoteID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindListing(ctx, f.bread.ID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindAnnouncement(ctx, a.ID)
		wantCode(t, err, directory.ENOTFOUND)
		wantListing(t, s, f.flour, f.mill)
		wantTextTotals(t, s, "riverwest", 1) // the local one

		wantDeleted(t, "flour", directory.Store.DeleteRemoteListing, s, coopHost, f.flour.RemoteID, true)
		wantDeleted(t, "flour again", directory.Store.DeleteRemoteListing, s, coopHost, f.flour.RemoteID, false)
		_, err = s.FindListing(ctx, f.flour.ID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindRemoteEnterprise(ctx, coopHost, f.mill.RemoteID)
		mustNot(t, err, "find mill")
		wantCounts(t, s, directory.Counts{Enterprises: 2})
		wantNoEventsSince(t, s, last)
	})
	t.Run("purging an origin removes exactly its entries", func(t *testing.T) {
		s := open(t)
		local := mustCreateEnterprise(t, s, newEnterprise("local", "Local"))
		mustCreateListing(t, s, newListing(local, directory.Need, "Ovens"))
		lone := newListing(local, directory.Offer, "Yeast")
		lone.Origin = coopHost
		mustCreateListing(t, s, lone)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		mustAnnounce(t, s, f.bakery, coopHost)
		const sub = "www.coop.example"
		press := partnerCopy("press", sub, 1)
		mustImport(t, s, sub, []*directory.Enterprise{press},
			[]*directory.Listing{partnerListing(press, directory.Offer, "Ink", 2)}, directory.RemoteImport{Created: 2})
		last := lastEventID(t, s)

		_, err := s.PurgeOrigin(ctx, "")
		wantCode(t, err, directory.EINVALID)
		got, err := s.PurgeOrigin(ctx, coopHost)
		mustNot(t, err, "purge")
		assertSame(t, "purge", got, &directory.DomainPurge{Enterprises: 2, Listings: 3, Announcements: 1})
		got, err = s.PurgeOrigin(ctx, coopHost)
		mustNot(t, err, "purge again")
		assertSame(t, "second purge", got, &directory.DomainPurge{})

		p := searchEnterprises(t, s, directory.EnterpriseQuery{})
		wantSet(t, "enterprises", enterpriseHandles(p), p.Total, "local", "press")
		lp := searchListings(t, s, directory.ListingQuery{})
		wantSet(t, "listings", listingTitles(lp), lp.Total, "Ink", "Ovens")
		wantTextTotals(t, s, "riverwest", 0)
		wantCounts(t, s, directory.Counts{Enterprises: 2, Needs: 1, Offers: 1})
		wantNoEventsSince(t, s, last)
	})
}

// testSweepOrigin checks SweepOrigin: what a complete backfill run did not
// keep, and that did not change since the run started, goes.
func testSweepOrigin(t *testing.T, open opener) {
	t.Run("sweeping an origin removes the copies not kept and not changed since", func(t *testing.T) {
		s := open(t)
		local := mustCreateEnterprise(t, s, newEnterprise("local", "Local"))
		mustCreateListing(t, s, newListing(local, directory.Need, "Ovens"))
		f := importCoop(t, s, directory.RemoteImport{Created: 4}) // bakery 2, mill 5, bread 4, flour 6
		gone := partnerCopy("gone", coopHost, 3)
		fresh := partnerCopy("fresh", coopHost, 50)
		jars := partnerListing(gone, directory.Offer, "Jars", 30) // newer, but its enterprise goes
		late := partnerListing(f.mill, directory.Offer, "Late", 50)
		mustImport(t, s, coopHost, []*directory.Enterprise{gone, fresh}, []*directory.Listing{jars, late},
			directory.RemoteImport{Created: 4})
		mustAnnounce(t, s, gone, coopHost)
		const sub = "www.coop.example"
		press := partnerCopy("press", sub, 1)
		mustImport(t, s, sub, []*directory.Enterprise{press},
			[]*directory.Listing{partnerListing(press, directory.Offer, "Ink", 2)}, directory.RemoteImport{Created: 2})
		last := lastEventID(t, s)

		_, err := s.SweepOrigin(ctx, "", directory.SweepSet{Before: at(20)})
		wantCode(t, err, directory.EINVALID)
		set := directory.SweepSet{Enterprises: []int64{f.bakery.ID, f.mill.ID}, Listings: []int64{f.flour.ID},
			Before: at(20), Refused: []directory.RemoteVersion{
				{RemoteID: late.RemoteID, UpdatedAt: at(50)},  // the copy is that version: it goes
				{RemoteID: fresh.RemoteID, UpdatedAt: at(40)}, // the copy is newer: it stays
				{RemoteID: press.RemoteID, UpdatedAt: at(90)}, // another origin's
			}}
		got, err := s.SweepOrigin(ctx, coopHost, set)
		mustNot(t, err, "sweep")
		// gone (with Jars and its announcement), bread, and Late; fresh
		// changed after the run started.
		assertSame(t, "sweep", got, &directory.DomainPurge{Enterprises: 1, Listings: 3, Announcements: 1})
		got, err = s.SweepOrigin(ctx, coopHost, set)
		mustNot(t, err, "sweep again")
		assertSame(t, "second sweep", got, &directory.DomainPurge{})

		p := searchEnterprises(t, s, directory.EnterpriseQuery{})
		wantSet(t, "enterprises", enterpriseHandles(p), p.Total, "bakery", "fresh", "local", "mill", "press")
		lp := searchListings(t, s, directory.ListingQuery{})
		wantSet(t, "listings", listingTitles(lp), lp.Total, "Flour", "Ink", "Ovens")
		wantCounts(t, s, directory.Counts{Enterprises: 5, Needs: 2, Offers: 1})
		wantNoEventsSince(t, s, last)

		// Nothing kept: every copy older than Before goes.
		got, err = s.SweepOrigin(ctx, coopHost, directory.SweepSet{Before: at(100)})
		mustNot(t, err, "sweep of all")
		assertSame(t, "sweep of all", got, &directory.DomainPurge{Enterprises: 3, Listings: 1})
		p = searchEnterprises(t, s, directory.EnterpriseQuery{})
		wantSet(t, "enterprises", enterpriseHandles(p), p.Total, "local", "press")
	})
}

func wantDeleted(t *testing.T, what string, del func(directory.Store, context.Context, string, string) (bool, error),
	s directory.Store, origin, remoteID string, want bool) {
	t.Helper()
	got, err := del(s, ctx, origin, remoteID)
	mustNot(t, err, "delete "+what)
	if got != want {
		t.Errorf("delete %s reported %v, want %v", what, got, want)
	}
}

func wantCounts(t *testing.T, s directory.Store, want directory.Counts) {
	t.Helper()
	c, err := s.Counts(ctx, today)
	mustNot(t, err, "counts")
	if *c != want {
		t.Errorf("counts = %+v, want %+v", *c, want)
	}
}
