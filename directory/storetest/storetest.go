// Package storetest is the conformance suite of directory.Store: every
// storage engine runs it, so that both engines behave the same. It asserts
// only what the contract promises (for relevance, the clear top hit, not the
// whole order), never an engine's internals.
package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Run runs the suite. open must return a fresh, empty, migrated store on
// every call; the suite closes it.
func Run(t *testing.T, open func(t *testing.T) directory.Store) {
	fresh := func(t *testing.T) directory.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("enterprises", func(t *testing.T) { testEnterprises(t, fresh) })
	t.Run("import and export", func(t *testing.T) { testImportExport(t, fresh) })
	t.Run("whole-directory exchange", func(t *testing.T) { testExchange(t, fresh) })
	t.Run("listings", func(t *testing.T) { testListings(t, fresh) })
	t.Run("announcements", func(t *testing.T) { testAnnouncements(t, fresh) })
	t.Run("users and tokens", func(t *testing.T) { testUsers(t, fresh) })
	t.Run("events", func(t *testing.T) { testEvents(t, fresh) })
	t.Run("enterprise search", func(t *testing.T) { testEnterpriseSearch(t, fresh) })
	t.Run("enterprise relevance window", func(t *testing.T) { testRankWindow(t, fresh) })
	t.Run("listing search", func(t *testing.T) { testListingSearch(t, fresh) })
	t.Run("language-aware search", func(t *testing.T) { testLanguageSearch(t, fresh) })
	t.Run("search suggestions", func(t *testing.T) { testSuggestions(t, fresh) })
	t.Run("enterprise points", func(t *testing.T) { testEnterprisePoints(t, fresh) })
	t.Run("listing points", func(t *testing.T) { testListingPoints(t, fresh) })
	t.Run("enterprise facets", func(t *testing.T) { testEnterpriseFacets(t, fresh) })
	t.Run("listing facets", func(t *testing.T) { testListingFacets(t, fresh) })
	t.Run("announcement edits", func(t *testing.T) { testAnnouncementEdits(t, fresh) })
	t.Run("sessions and user admin", func(t *testing.T) { testSessions(t, fresh) })
	t.Run("two-step sign-in", func(t *testing.T) { testTwoStep(t, fresh) })
	t.Run("invitations", func(t *testing.T) { testInvitations(t, fresh) })
	t.Run("password resets", func(t *testing.T) { testPasswordResets(t, fresh) })
	t.Run("settings", func(t *testing.T) { testSettings(t, fresh) })
	t.Run("images", func(t *testing.T) { testImages(t, fresh) })
	t.Run("actor keys", func(t *testing.T) { testActorKeys(t, fresh) })
	t.Run("followers", func(t *testing.T) { testFollowers(t, fresh) })
	t.Run("following", func(t *testing.T) { testFollowing(t, fresh) })
	t.Run("feed", func(t *testing.T) { testFeed(t, fresh) })
	t.Run("responses", func(t *testing.T) { testResponses(t, fresh) })
	t.Run("contact messages", func(t *testing.T) { testContactMessages(t, fresh) })
	t.Run("reports", func(t *testing.T) { testReports(t, fresh) })
	t.Run("inbox activities", func(t *testing.T) { testActivities(t, fresh) })
	t.Run("remote actors", func(t *testing.T) { testRemoteActors(t, fresh) })
	t.Run("delivery hosts", func(t *testing.T) { testDeliveryHosts(t, fresh) })
	t.Run("domain blocks", func(t *testing.T) { testDomainBlocks(t, fresh) })
	t.Run("cursors", func(t *testing.T) { testCursors(t, fresh) })
	t.Run("recorded events", func(t *testing.T) { testRecordEvent(t, fresh) })
	t.Run("listings expiring", func(t *testing.T) { testListingsExpiring(t, fresh) })
	t.Run("partners", func(t *testing.T) { testPartners(t, fresh) })
	t.Run("matches", func(t *testing.T) { testMatches(t, fresh) })
	t.Run("agreements", func(t *testing.T) { testAgreements(t, fresh) })
	t.Run("saved searches", func(t *testing.T) { testSavedSearches(t, fresh) })
	t.Run("same organisations", func(t *testing.T) { testSameOrganisations(t, fresh) })
	t.Run("translations", func(t *testing.T) { testTranslations(t, fresh) })
}

// RunFacets runs the facet tests alone, for an engine to check the other
// plans of its facet queries.
func RunFacets(t *testing.T, open func(t *testing.T) directory.Store) {
	fresh := func(t *testing.T) directory.Store {
		t.Helper()
		s := open(t)
		t.Cleanup(func() { s.Close() })
		return s
	}
	t.Run("enterprise facets", func(t *testing.T) { testEnterpriseFacets(t, fresh) })
	t.Run("listing facets", func(t *testing.T) { testListingFacets(t, fresh) })
}

type opener func(t *testing.T) directory.Store

var ctx = context.Background()

// t0 is the suite's clock: UTC, microsecond precision, as the Service stores.
var t0 = time.Date(2026, 3, 1, 12, 30, 15, 123456000, time.UTC)

// at returns t0 plus n minutes.
func at(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }

func ptr[T any](v T) *T { return &v }

// Milwaukee and Chicago are about 130 km apart.
var (
	milwaukee = directory.Point{Lat: 43.0389, Lon: -87.9065}
	chicago   = directory.Point{Lat: 41.8781, Lon: -87.6298}
)

func point(p directory.Point, address string) directory.Location {
	return directory.Location{Address: address, Lat: ptr(p.Lat), Lon: ptr(p.Lon)}
}

// newEnterprise returns a local enterprise with the given handle and name
// and every other field empty.
func newEnterprise(handle, name string) *directory.Enterprise {
	return &directory.Enterprise{Handle: handle, Name: name, Kind: directory.KindWorkerCoop,
		Sectors: []string{}, Languages: []string{}, CreatedAt: t0, UpdatedAt: t0}
}

func createdEvent(e *directory.Enterprise) directory.Event {
	return directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: e.Handle, Origin: e.Origin, At: e.CreatedAt}
}

func mustCreateEnterprise(t *testing.T, s directory.Store, e *directory.Enterprise) *directory.Enterprise {
	t.Helper()
	if err := s.CreateEnterprise(ctx, e, createdEvent(e)); err != nil {
		t.Fatalf("create enterprise %s: %v", e.Handle, err)
	}
	if e.ID == 0 {
		t.Fatalf("create enterprise %s left ID 0", e.Handle)
	}
	return e
}

func newListing(e *directory.Enterprise, typ directory.ListingType, title string) *directory.Listing {
	return &directory.Listing{EnterpriseID: e.ID, Type: typ, Title: title, Category: "other",
		Status: directory.StatusOpen, Origin: e.Origin, CreatedAt: t0, UpdatedAt: t0}
}

func mustCreateListing(t *testing.T, s directory.Store, l *directory.Listing) *directory.Listing {
	t.Helper()
	ev := directory.Event{Type: directory.EventListingCreated, Origin: l.Origin, At: l.CreatedAt}
	if err := s.CreateListing(ctx, l, ev); err != nil {
		t.Fatalf("create listing %q: %v", l.Title, err)
	}
	if l.ID == 0 {
		t.Fatalf("create listing %q left ID 0", l.Title)
	}
	return l
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := directory.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func mustNot(t *testing.T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// assertSame compares two structs field by field (times by instant), and
// names every field that differs.
func assertSame(t *testing.T, what string, got, want any) {
	t.Helper()
	g, w := reflect.Indirect(reflect.ValueOf(got)), reflect.Indirect(reflect.ValueOf(want))
	if g.Type() != w.Type() {
		t.Fatalf("%s: comparing %s with %s", what, g.Type(), w.Type())
	}
	for i := range g.NumField() {
		gf, wf := g.Field(i).Interface(), w.Field(i).Interface()
		if !sameValue(gf, wf) {
			t.Errorf("%s: %s = %s, want %s", what, g.Type().Field(i).Name, show(gf), show(wf))
		}
	}
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case time.Time:
		return x.Equal(b.(time.Time))
	case *time.Time:
		y := b.(*time.Time)
		return (x == nil) == (y == nil) && (x == nil || x.Equal(*y))
	}
	return reflect.DeepEqual(a, b)
}

// show prints a value with its pointers followed and nil apart from empty.
func show(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%#v", v)
	}
	return string(b)
}

// lastEventID returns the id of the newest event, 0 when there is none.
func lastEventID(t *testing.T, s directory.Store) int64 {
	t.Helper()
	var last int64
	for {
		evs, err := s.EventsAfter(ctx, last, 100)
		mustNot(t, err, "events after")
		if len(evs) == 0 {
			return last
		}
		last = evs[len(evs)-1].ID
	}
}

// eventsSince returns every event after id.
func eventsSince(t *testing.T, s directory.Store, id int64) []directory.Event {
	t.Helper()
	evs, err := s.EventsAfter(ctx, id, 1000)
	mustNot(t, err, "events after")
	return evs
}

// wantNoEventsSince fails when an event was recorded after id.
func wantNoEventsSince(t *testing.T, s directory.Store, id int64) {
	t.Helper()
	if evs := eventsSince(t, s, id); len(evs) > 0 {
		t.Errorf("a failed write recorded events: %+v", evs)
	}
}
