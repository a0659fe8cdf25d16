package federation_test

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/instance"
)

// Partner networks, end to end: three instances A, B and C in this process.
// A partners with B (B's admin approves); B's directory appears in A's and
// stays current; C, no partner of A, never does and cannot change B's
// entries at A; ending the partnership removes B's entries; a partnership
// scoped to tool libraries within 50 km imports only those.

func TestPartnersSQLite(t *testing.T) {
	testPartners(t, func() string { return tempDB(t) })
}

func TestPartnersPostgres(t *testing.T) {
	u := postgresURL(t)
	testPartners(t, func() string { return freshPostgres(t, u) })
}

// The same with A's backfill jobs reading one page a run: what a run
// learnt (for its sweep) goes from one run of the job to the next.
func TestPartnersBackfillInStepsSQLite(t *testing.T) {
	testPartners(t, func() string { return tempDB(t) }, onePagePerStep)
}

func TestPartnersBackfillInStepsPostgres(t *testing.T) {
	u := postgresURL(t)
	testPartners(t, func() string { return freshPostgres(t, u) }, onePagePerStep)
}

func onePagePerStep(c *instance.Config) { c.Federation.BackfillStep = time.Nanosecond }

var sys = directory.AsSystem(context.Background())

func at(lat, lon float64) directory.Location {
	return directory.Location{Address: "somewhere", Lat: &lat, Lon: &lon}
}

// Milwaukee, and Chicago about 130 km south of it.
var (
	milwaukee = at(43.0389, -87.9065)
	chicago   = at(41.8781, -87.6298)
)

func (in *coop) addEnterprise(handle, name string, kind directory.Kind, loc directory.Location) {
	in.T.Helper()
	e := &directory.Enterprise{Handle: handle, Name: name, Kind: kind, Location: loc,
		Summary: "We **share** things. <script>alert(1)</script>"}
	if err := in.Service().CreateEnterprise(sys, e); err != nil {
		in.T.Fatal(err)
	}
}

func (in *coop) addListing(handle string, typ directory.ListingType, title string, cat directory.Category) int64 {
	in.T.Helper()
	l := &directory.Listing{Type: typ, Title: title, Category: cat, Description: "Ask us about *" + title + "*."}
	if err := in.Service().CreateListing(sys, handle, l); err != nil {
		in.T.Fatal(err)
	}
	return l.ID
}

// partner returns in's partnership with other, nil when there is none.
func (in *coop) partner(other *coop) *directory.Partner {
	in.T.Helper()
	ps, err := in.Service().Partners(sys)
	if err != nil {
		in.T.Fatal(err)
	}
	for _, p := range ps {
		if p.Host == other.Host() {
			return p
		}
	}
	return nil
}

// copies returns the handles of in's enterprises from origin.
func (in *coop) copies(origin string) []string {
	in.T.Helper()
	res, err := in.Service().SearchEnterprises(sys, directory.EnterpriseQuery{Origin: origin, Sort: directory.SortName,
		Page: directory.Page{Page: 1, PerPage: 100}})
	if err != nil {
		in.T.Fatal(err)
	}
	var hs []string
	for _, r := range res.Items {
		hs = append(hs, r.Handle)
	}
	return hs
}

// openListings returns the titles of in's open listings from origin.
func (in *coop) openListings(origin string) []string {
	in.T.Helper()
	res, err := in.Service().SearchListings(sys, directory.ListingQuery{Origin: origin, Status: directory.StatusOpen,
		Sort: directory.SortName, Page: directory.Page{Page: 1, PerPage: 100}})
	if err != nil {
		in.T.Fatal(err)
	}
	var ts []string
	for _, r := range res.Items {
		ts = append(ts, r.Title)
	}
	return ts
}

// partnerWith makes a ask b to partner within scope, b approve, and waits
// for a's backfill to finish.
func partnerWith(t *testing.T, a, b *coop, scope directory.Scope) *directory.Partner {
	t.Helper()
	p, err := a.Node().Partners().RequestPartnership(sys, b.Host(), scope)
	if err != nil {
		t.Fatal(err)
	}
	if p.Outgoing != directory.PartnerPending {
		t.Fatalf("a new request is %q, want pending", p.Outgoing)
	}
	var theirs *directory.Partner
	eventually(t, "b sees a's request", func() bool {
		theirs = b.partner(a)
		return theirs != nil && theirs.Incoming == directory.PartnerPending
	})
	if _, err := b.Node().Partners().ApprovePartner(sys, theirs.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a's request is active and backfilled", func() bool {
		p = a.partner(b)
		return p.Outgoing == directory.PartnerActive && p.Backfill.Done
	})
	// What b published before the backfill may still be on its way; a
	// late Update of an entry b deleted since would bring its copy back.
	settled(t, a, b)
	return a.partner(b)
}

func testPartners(t *testing.T, newDB func() string, tuneA ...func(*instance.Config)) {
	a := startInstance(t, "127.0.0.1:0", newDB(), tuneA...)
	b := startInstance(t, "127.0.0.1:0", newDB())
	c := startInstance(t, "127.0.0.1:0", newDB())
	a.addEnterprise("flora", "Flora Cooperative", directory.KindWorkerCoop, milwaukee)
	b.addEnterprise("shakyhands", "Shaky Hands", directory.KindWorkerCoop, milwaukee)
	b.addEnterprise("mketools", "Milwaukee Tool Library", directory.KindToolLibrary, milwaukee)
	b.addEnterprise("chitools", "Chicago Tool Library", directory.KindToolLibrary, chicago)
	need := b.addListing("shakyhands", directory.Need, "Screen frames", "goods")
	b.addListing("mketools", directory.Offer, "Ladders to lend", "tools")
	b.addListing("chitools", directory.Offer, "Drills to lend", "tools")
	done := b.addListing("mketools", directory.Offer, "Old saw", "tools")
	if _, err := b.Service().SetListingStatus(sys, done, directory.StatusFulfilled); err != nil {
		t.Fatal(err)
	}
	c.addEnterprise("cee", "Cee Co-op", directory.KindWorkerCoop, milwaukee)
	bHost, cHost := b.Host(), c.Host()

	var p *directory.Partner
	t.Run("A asks B, B sees the request with A's name, approves, and A imports B's directory", func(t *testing.T) {
		p = partnerWith(t, a, b, directory.Scope{})
		theirs := b.partner(a)
		if theirs.Name != a.Config().NetworkName || theirs.Summary != "A test network." || theirs.Incoming != directory.PartnerActive {
			t.Errorf("B's record of A: %+v", theirs)
		}
		// B's size: 3 enterprises, 3 open listings (the fulfilled one is
		// not counted).
		if p.Name != b.Config().NetworkName || p.Mutual() || p.Backfill.Imported != 6 || p.Backfill.Refused != 0 ||
			p.Enterprises != 3 || p.Listings != 3 {
			t.Errorf("A's record of B: %+v", p)
		}
		if got := a.copies(bHost); !slices.Equal(got, []string{"chitools", "mketools", "shakyhands"}) {
			t.Errorf("B's enterprises at A: %v", got)
		}
		if got := a.openListings(bHost); !slices.Equal(got, []string{"Drills to lend", "Ladders to lend", "Screen frames"}) {
			t.Errorf("B's open listings at A: %v", got)
		}
		if got := a.copies(directory.OriginLocal); !slices.Equal(got, []string{"flora"}) {
			t.Errorf("A's own enterprises: %v", got)
		}
		e, err := a.Database().FindEnterprise(sys, bHost, "shakyhands")
		if err != nil {
			t.Fatal(err)
		}
		if e.RemoteID != b.URLOf("/enterprises/shakyhands") || e.Kind != directory.KindWorkerCoop ||
			!strings.Contains(e.SummaryHTML, "<strong>share</strong>") || strings.Contains(e.SummaryHTML, "<script") {
			t.Errorf("copy of shakyhands: %+v", e)
		}
	})

	t.Run("the merged search finds B's entries by word, and the API says their origin", func(t *testing.T) {
		var res struct {
			Items []directory.EnterpriseResult `json:"items"`
		}
		if st := a.API("GET", "/api/v1/enterprises?q=shaky", nil, &res); st != http.StatusOK {
			t.Fatalf("search: %d", st)
		}
		if len(res.Items) != 1 || res.Items[0].Origin != bHost {
			t.Errorf("search for shaky at A: %+v", res.Items)
		}
	})

	t.Run("B's changes reach A", func(t *testing.T) {
		name := "Shaky Hands Printing"
		if _, err := b.Service().UpdateEnterprise(sys, "shakyhands", directory.EnterpriseUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		b.addListing("shakyhands", directory.Offer, "Posters printed", "goods")
		if err := b.Service().DeleteListing(sys, need); err != nil {
			t.Fatal(err)
		}
		if err := b.Service().DeleteEnterprise(sys, "chitools"); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A has B's changes", func() bool {
			e, err := a.Database().FindEnterprise(sys, bHost, "shakyhands")
			return err == nil && e.Name == name &&
				slices.Equal(a.openListings(bHost), []string{"Ladders to lend", "Posters printed"}) &&
				slices.Equal(a.copies(bHost), []string{"mketools", "shakyhands"})
		})
	})

	t.Run("a backfill run again changes nothing, and one stopped resumes where it was", func(t *testing.T) {
		before, err := a.Database().FindEnterprise(sys, bHost, "mketools")
		if err != nil {
			t.Fatal(err)
		}
		p = a.partner(b)
		p.Backfill = directory.Backfill{}
		if err := a.Database().UpdatePartner(sys, p); err != nil {
			t.Fatal(err)
		}
		if err := a.Node().Partners().Backfill(sys, p.ID); err != nil {
			t.Fatal(err)
		}
		after, err := a.Database().FindEnterprise(sys, bHost, "mketools")
		if err != nil {
			t.Fatal(err)
		}
		if after.ID != before.ID || !after.UpdatedAt.Equal(before.UpdatedAt) {
			t.Errorf("a second run changed the copy: %+v, was %+v", after, before)
		}
		// Stopped after the first enterprise: the rest comes, the first is
		// not read again.
		if _, err := a.Database().PurgeOrigin(sys, bHost); err != nil {
			t.Fatal(err)
		}
		first, err := b.Database().LocalEnterprisesAfter(sys, 0, 1)
		if err != nil {
			t.Fatal(err)
		}
		p = a.partner(b)
		p.Backfill = directory.Backfill{Next: b.URLOf(federation.DirectoryEnterprisesPath) + "?after=" + strconv.FormatInt(first[0].ID, 10)}
		if err := a.Database().UpdatePartner(sys, p); err != nil {
			t.Fatal(err)
		}
		if err := a.Node().Partners().Backfill(sys, p.ID); err != nil {
			t.Fatal(err)
		}
		if got := a.copies(bHost); !slices.Equal(got, []string{"mketools"}) {
			t.Errorf("after resuming past %s: %v", first[0].Handle, got)
		}
	})

	t.Run("C is never in A's directory and cannot change B's entries there", func(t *testing.T) {
		if got := a.copies(cHost); len(got) != 0 {
			t.Errorf("C's enterprises at A: %v", got)
		}
		key, err := c.Keys().PrivateKey(sys, directory.ActorInstance, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		signer := &federation.Signer{KeyID: c.URLOf("/actor#main-key"), Key: key}
		target := b.URLOf("/enterprises/mketools")
		forged := map[string]any{
			"@context": ap.ActivityStreamsContext, "id": c.URLOf("/activities/forged-1"), "type": "Update",
			"actor": c.URLOf("/actor"), "object": map[string]any{"id": target, "type": "Organization",
				"name": "Hijacked", "kind": "worker_coop", "published": time.Now().UTC().Format(time.RFC3339),
				"updated": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)},
		}
		if st := postSigned(t, a.URLOf("/inbox"), forged, signer); st != http.StatusForbidden {
			t.Errorf("C's Update of B's enterprise: %d, want 403", st)
		}
		announce := map[string]any{
			"@context": ap.ActivityStreamsContext, "id": c.URLOf("/activities/forged-2"), "type": "Announce",
			"actor": c.URLOf("/actor"), "object": forged,
		}
		if st := postSigned(t, a.URLOf("/inbox"), announce, signer); st != http.StatusForbidden {
			t.Errorf("C's Announce of an Update of B's enterprise: %d, want 403", st)
		}
		if e, err := a.Database().FindEnterprise(sys, bHost, "mketools"); err != nil || e.Name != "Milwaukee Tool Library" {
			t.Errorf("B's enterprise at A after C's forgeries: %+v %v", e, err)
		}
	})

	t.Run("B partners with A too: mutual on both sides", func(t *testing.T) {
		partnerWith(t, b, a, directory.Scope{})
		eventually(t, "both sides see a mutual partnership", func() bool {
			return a.partner(b).Mutual() && b.partner(a).Mutual()
		})
		if got := b.copies(a.Host()); !slices.Equal(got, []string{"flora"}) {
			t.Errorf("A's enterprises at B: %v", got)
		}
	})

	t.Run("B refuses A's request it had approved, then approves it again", func(t *testing.T) {
		theirs := b.partner(a)
		if _, err := b.Node().Partners().RejectPartner(sys, theirs.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A sees the refusal and drops B's entries", func() bool {
			return a.partner(b).Outgoing == directory.PartnerRejected && len(a.copies(bHost)) == 0
		})
		if _, err := b.Node().Partners().ApprovePartner(sys, theirs.ID); err != nil {
			t.Fatal(err)
		}
		// The second answer to the same Follow is a new activity for A.
		eventually(t, "A is active again and has B's entries back", func() bool {
			p := a.partner(b)
			return p.Outgoing == directory.PartnerActive && p.Backfill.Done &&
				slices.Equal(a.copies(bHost), []string{"mketools", "shakyhands"})
		})
		if !a.partner(b).Mutual() {
			t.Errorf("A's record of B after the new approval: %+v", a.partner(b))
		}
	})

	t.Run("A ends the partnership: B's entries leave A, and B stops", func(t *testing.T) {
		if err := a.Node().Partners().EndPartnership(sys, a.partner(b).ID); err != nil {
			t.Fatal(err)
		}
		if got := a.copies(bHost); len(got) != 0 {
			t.Errorf("B's enterprises at A after the end: %v", got)
		}
		if a.partner(b) != nil {
			t.Error("A still lists B")
		}
		eventually(t, "B sees the end and drops A's entries", func() bool {
			theirs := b.partner(a)
			return theirs != nil && theirs.Incoming == directory.PartnerNone &&
				theirs.Outgoing == directory.PartnerRejected && len(b.copies(a.Host())) == 0
		})
		// B's changes no longer reach A: once B's publisher has planned
		// the new listing's deliveries, none can be for A, which no
		// longer follows B's instance actor.
		b.addListing("mketools", directory.Offer, "Sanders to lend", "tools")
		published(t, b)
		fs, _, err := b.Database().ListFollowers(sys, directory.ActorInstance, directory.Page{Page: 1, PerPage: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if strings.Contains(f.FollowerID, a.Host()) {
				t.Errorf("B still sends to A's %s", f.FollowerID)
			}
		}
		if got := a.openListings(bHost); len(got) != 0 {
			t.Errorf("B's listings at A after the end: %v", got)
		}
	})

	t.Run("a partnership scoped to tool libraries within 50 km imports only those", func(t *testing.T) {
		b.addEnterprise("chitools2", "Chicago Tool Library", directory.KindToolLibrary, chicago)
		b.addListing("chitools2", directory.Offer, "Drills to lend", "tools")
		center := directory.Point{Lat: *milwaukee.Lat, Lon: *milwaukee.Lon}
		scope := directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary}, Center: &center, RadiusKM: 50}
		p := partnerWith(t, a, b, scope)
		if got := a.copies(bHost); !slices.Equal(got, []string{"mketools"}) {
			t.Errorf("scoped import: %v", got)
		}
		if got := a.openListings(bHost); !slices.Equal(got, []string{"Ladders to lend", "Sanders to lend"}) {
			t.Errorf("scoped listings: %v", got)
		}
		if p.Backfill.Refused == 0 {
			t.Errorf("the entries out of scope are not counted: %+v", p.Backfill)
		}
		// A new entry out of scope does not come either.
		b.addEnterprise("printers", "Printers Co-op", directory.KindWorkerCoop, milwaukee)
		b.addListing("mketools", directory.Offer, "Clamps to lend", "tools")
		eventually(t, "the new listing in scope arrives", func() bool {
			return slices.Contains(a.openListings(bHost), "Clamps to lend")
		})
		// Until printers' activities are all in, one could still arrive
		// during the next step's narrowing and remove its copy first.
		settled(t, b)
		if got := a.copies(bHost); !slices.Equal(got, []string{"mketools"}) {
			t.Errorf("scoped import after new entries: %v", got)
		}
	})

	t.Run("a wider scope brings the rest; a narrower one removes what it leaves out", func(t *testing.T) {
		p := rescope(t, a, b, directory.Scope{})
		if got := a.copies(bHost); !slices.Equal(got, []string{"chitools2", "mketools", "printers", "shakyhands"}) {
			t.Errorf("after widening the scope: %v", got)
		}
		if p.Backfill.Removed != 0 || p.Backfill.Refused != 0 {
			t.Errorf("widening removed or refused entries: %+v", p.Backfill)
		}
		p = rescope(t, a, b, directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary}})
		if got := a.copies(bHost); !slices.Equal(got, []string{"chitools2", "mketools"}) {
			t.Errorf("after narrowing the scope to tool libraries: %v", got)
		}
		if got := a.openListings(bHost); slices.Contains(got, "Posters printed") || !slices.Contains(got, "Drills to lend") {
			t.Errorf("listings after narrowing the scope: %v", got)
		}
		// printers and shakyhands, and shakyhands' listing.
		if p.Backfill.Removed != 3 {
			t.Errorf("narrowing removed %d copies, want 3: %+v", p.Backfill.Removed, p.Backfill)
		}
	})

	t.Run("what B deleted while its Delete did not reach A goes at the daily resync", func(t *testing.T) {
		// Copies of entries B no longer has, as if its Deletes were lost.
		old := time.Now().Add(-2 * time.Hour).UTC()
		ghost := &directory.Enterprise{Handle: "ghosttools", Name: "Ghost Tool Library", Kind: directory.KindToolLibrary,
			Location: milwaukee, Origin: bHost, RemoteID: b.URLOf("/enterprises/ghosttools"),
			RemoteURL: b.URLOf("/enterprises/ghosttools"), CreatedAt: old, UpdatedAt: old}
		ghostID := b.URLOf("/listings/999999")
		gone := &directory.Listing{EnterpriseHandle: "mketools", Type: directory.Offer, Title: "Ghost ladder",
			Category: "tools", Status: directory.StatusOpen, Origin: bHost, RemoteID: ghostID, RemoteURL: ghostID,
			CreatedAt: old, UpdatedAt: old}
		if _, err := a.Database().ImportRemote(sys, bHost, []*directory.Enterprise{ghost}, []*directory.Listing{gone}); err != nil {
			t.Fatal(err)
		}
		if got := a.copies(bHost); !slices.Contains(got, "ghosttools") || !slices.Contains(a.openListings(bHost), "Ghost ladder") {
			t.Fatalf("the ghost copies are not there: %v %v", got, a.openListings(bHost))
		}
		// The sweep of a day later: the last run is a day old.
		p, err := a.Database().ChangePartner(sys, a.partner(b).ID, func(p *directory.Partner) error {
			p.Backfill.At = time.Now().Add(-25 * time.Hour)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Node().Sweep(sys); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the resync ran", func() bool {
			p = a.partner(b)
			return p.Backfill.Done && time.Since(p.Backfill.At) < time.Hour
		})
		if got := a.copies(bHost); !slices.Equal(got, []string{"chitools2", "mketools"}) {
			t.Errorf("after the resync: %v", got)
		}
		if got := a.openListings(bHost); slices.Contains(got, "Ghost ladder") || !slices.Contains(got, "Clamps to lend") {
			t.Errorf("listings after the resync: %v", got)
		}
		if p.Backfill.Removed != 2 {
			t.Errorf("the resync removed %d copies, want 2: %+v", p.Backfill.Removed, p.Backfill)
		}
		// A sweep the same day does not read B's directory again.
		if err := a.Node().Sweep(sys); err != nil {
			t.Fatal(err)
		}
		if again := a.partner(b); !again.Backfill.Done || !again.Backfill.At.Equal(p.Backfill.At) {
			t.Errorf("a second sweep the same day started a run: %+v", again.Backfill)
		}
	})

	t.Run("a run that owes a sweep and was resumed reads everything again; a stalled run is restarted", func(t *testing.T) {
		ghostAt := func(handle string) {
			t.Helper()
			old := time.Now().Add(-2 * time.Hour).UTC()
			e := &directory.Enterprise{Handle: handle, Name: "Ghost", Kind: directory.KindToolLibrary, Location: milwaukee,
				Origin: bHost, RemoteID: b.URLOf("/enterprises/" + handle), CreatedAt: old, UpdatedAt: old}
			if _, err := a.Database().ImportRemote(sys, bHost, []*directory.Enterprise{e}, nil); err != nil {
				t.Fatal(err)
			}
		}
		// Resumed at B's listings: it has not seen B's enterprises, so it
		// must not sweep them, and reads everything again instead.
		ghostAt("ghost1")
		resumedAt := time.Now().Add(-time.Minute)
		p, err := a.Database().ChangePartner(sys, a.partner(b).ID, func(p *directory.Partner) error {
			p.Backfill = directory.Backfill{Next: b.URLOf(federation.DirectoryListingsPath) + "?after=0", Sweep: true, At: resumedAt}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Node().Partners().Backfill(sys, p.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the run read everything again and swept", func() bool {
			p = a.partner(b)
			return p.Backfill.Done && !p.Backfill.Sweep && p.Backfill.Removed == 1
		})
		if got := a.copies(bHost); !slices.Equal(got, []string{"chitools2", "mketools"}) {
			t.Errorf("after the run read again: %v", got)
		}
		// Stalled a day ago in the middle (its job gave up): the hourly
		// sweep starts it over.
		ghostAt("ghost2")
		if _, err := a.Database().ChangePartner(sys, p.ID, func(p *directory.Partner) error {
			p.Backfill = directory.Backfill{Next: b.URLOf(federation.DirectoryListingsPath) + "?after=0", Imported: 3,
				Error: "partner unreachable", At: time.Now().Add(-25 * time.Hour)}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if err := a.Node().Sweep(sys); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the stalled run was started over and swept", func() bool {
			p = a.partner(b)
			return p.Backfill.Done && p.Backfill.Error == "" && p.Backfill.Removed == 1
		})
		if got := a.copies(bHost); !slices.Equal(got, []string{"chitools2", "mketools"}) {
			t.Errorf("after the stalled run: %v", got)
		}
	})
}

// rescope sets a's scope of its partnership with b and waits for the new
// backfill run to finish.
func rescope(t *testing.T, a, b *coop, scope directory.Scope) *directory.Partner {
	t.Helper()
	settled(t, a, b)
	p, err := a.Node().Partners().SetPartnerScope(sys, a.partner(b).ID, scope)
	if err != nil {
		t.Fatal(err)
	}
	started := p.Backfill.At
	eventually(t, "the backfill under the new scope is done", func() bool {
		p = a.partner(b)
		return p.Backfill.Done && p.Backfill.At.After(started)
	})
	settled(t, a, b)
	return p
}
