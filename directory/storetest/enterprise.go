package storetest

import (
	"errors"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// fullEnterprise has every field set, lists in an order that is not sorted.
func fullEnterprise(handle string) *directory.Enterprise {
	return &directory.Enterprise{
		Handle: handle, Name: "Riverwest Bakery", Kind: directory.KindWorkerCoop,
		Sectors:     []string{"urban farming", "bakery", "coffee"},
		Summary:     "We bake *bread*.",
		SummaryHTML: "<p>We bake <em>bread</em>.</p>",
		Website:     "https://bakery.example", Email: "info@bakery.example", Phone: "+1 414 555 0100",
		Location: directory.Location{Address: "Milwaukee, WI", Lat: ptr(43.0389), Lon: ptr(-87.9065),
			RadiusKM: ptr(12.5)},
		Founded: 1998, Governance: "One worker, one vote.", Membership: directory.MembershipOpen,
		Languages: []string{"es", "en", "hmn"}, Logo: "/media/logo.png", Demo: true,
		RemoteID: "https://remote.example/e/1", RemoteURL: "https://remote.example/@bakery",
		CreatedAt: at(1), UpdatedAt: at(2),
	}
}

func testEnterprises(t *testing.T, open opener) {
	t.Run("creates an enterprise and reads back every field", func(t *testing.T) {
		s := open(t)
		want := fullEnterprise("bakery")
		mustCreateEnterprise(t, s, want)
		got, err := s.FindEnterprise(ctx, "", "bakery")
		mustNot(t, err, "find")
		assertSame(t, "enterprise", got, want)
	})

	t.Run("keeps empty lists empty and absent values absent", func(t *testing.T) {
		s := open(t)
		e := newEnterprise("bare", "Bare")
		e.Sectors, e.Languages = nil, nil
		mustCreateEnterprise(t, s, e)
		got, err := s.FindEnterprise(ctx, "", "bare")
		mustNot(t, err, "find")
		if got.Sectors == nil || len(got.Sectors) != 0 || got.Languages == nil || len(got.Languages) != 0 {
			t.Errorf("lists = %#v, %#v; want non-nil empty slices", got.Sectors, got.Languages)
		}
		if got.Location.Lat != nil || got.Location.Lon != nil || got.Location.RadiusKM != nil {
			t.Errorf("location = %s, want no coordinates", show(got.Location))
		}
		if got.Founded != 0 || got.Demo || got.Membership != "" {
			t.Errorf("founded, demo, membership = %d, %v, %q", got.Founded, got.Demo, got.Membership)
		}
	})

	t.Run("rejects duplicate handle with conflict", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("dup", "First"))
		last := lastEventID(t, s)
		second := newEnterprise("dup", "Second")
		wantCode(t, s.CreateEnterprise(ctx, second, createdEvent(second)), directory.ECONFLICT)
		got, err := s.FindEnterprise(ctx, "", "dup")
		mustNot(t, err, "find")
		if got.Name != "First" {
			t.Errorf("name = %q, want the first one kept", got.Name)
		}
		wantNoEventsSince(t, s, last)
	})

	t.Run("allows the same handle from another origin", func(t *testing.T) {
		s := open(t)
		local := mustCreateEnterprise(t, s, newEnterprise("same", "Local"))
		remote := newEnterprise("same", "Remote")
		remote.Origin = "partner.example"
		mustCreateEnterprise(t, s, remote)
		if remote.ID == local.ID {
			t.Fatal("both got the same id")
		}
		for origin, name := range map[string]string{"": "Local", "partner.example": "Remote"} {
			got, err := s.FindEnterprise(ctx, origin, "same")
			mustNot(t, err, "find "+origin)
			if got.Name != name || got.Origin != origin {
				t.Errorf("FindEnterprise(%q) = %s from %q", origin, got.Name, got.Origin)
			}
		}
	})

	t.Run("reports a missing enterprise as not found", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("here", "Here"))
		_, err := s.FindEnterprise(ctx, "", "nowhere")
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindEnterprise(ctx, "partner.example", "here")
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("updates every field but handle, origin and creation time", func(t *testing.T) {
		s := open(t)
		orig := mustCreateEnterprise(t, s, fullEnterprise("bakery"))
		upd := &directory.Enterprise{ID: orig.ID, Handle: "renamed", Origin: "elsewhere.example",
			Name: "Bakery Two", Kind: directory.KindConsumerCoop, Sectors: []string{"coffee", "tea"},
			Summary: "New", SummaryHTML: "<p>New</p>", Website: "https://two.example",
			Email: "two@bakery.example", Phone: "414 555 0199",
			Location: directory.Location{Address: "Somewhere"}, Founded: 2001, Governance: "Board",
			Membership: directory.MembershipClosed, Languages: []string{"fr"}, Logo: "https://two.example/l.png",
			RemoteID: "r2", RemoteURL: "u2", CreatedAt: at(50), UpdatedAt: at(60)}
		ev := directory.Event{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: "bakery", At: at(60)}
		mustNot(t, s.UpdateEnterprise(ctx, upd, ev), "update")
		got, err := s.FindEnterprise(ctx, "", "bakery")
		mustNot(t, err, "find")
		want := *upd
		want.Handle, want.Origin, want.CreatedAt = "bakery", "", orig.CreatedAt
		assertSame(t, "updated enterprise", got, &want)
		if _, err := s.FindEnterprise(ctx, "elsewhere.example", "renamed"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("update moved the enterprise: %v", err)
		}
		wantTextTotals(t, s, "riverwest", 0) // the old name
		wantTextTotals(t, s, "urban", 0)     // an old sector
		wantTextTotals(t, s, "two", 1)
		wantTextTotals(t, s, "tea", 1)
		wantTextTotals(t, s, "bakery", 1) // the handle stays
	})

	t.Run("update of a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("one", "One"))
		last := lastEventID(t, s)
		ghost := newEnterprise("ghost", "Ghost")
		ghost.ID = e.ID + 1000
		ev := directory.Event{Type: directory.EventEnterpriseUpdated, EnterpriseHandle: "ghost", At: t0}
		wantCode(t, s.UpdateEnterprise(ctx, ghost, ev), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})

	t.Run("delete removes the enterprise with its listings and announcements", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, fullEnterprise("gone"))
		other := mustCreateEnterprise(t, s, newEnterprise("stays", "Stays"))
		l := newListing(e, directory.Offer, "Bread crusts")
		mustCreateListing(t, s, l)
		kept := mustCreateListing(t, s, newListing(other, directory.Offer, "Bread bins"))
		a := &directory.Announcement{EnterpriseID: e.ID, Content: "Hello", CreatedAt: t0}
		mustNot(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), "announce")
		u := &directory.User{Email: "ed@gone.example", Name: "Ed", Role: directory.RoleEditor, EnterpriseID: &e.ID, CreatedAt: t0}
		mustNot(t, s.CreateUser(ctx, u), "create user")

		ev := directory.Event{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "gone", At: at(5)}
		mustNot(t, s.DeleteEnterprise(ctx, e.ID, ev), "delete")

		_, err := s.FindEnterprise(ctx, "", "gone")
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindListing(ctx, l.ID)
		wantCode(t, err, directory.ENOTFOUND)
		if _, err := s.FindListing(ctx, kept.ID); err != nil {
			t.Errorf("another enterprise's listing went too: %v", err)
		}
		list, total, err := s.ListAnnouncements(ctx, e.ID, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "list announcements")
		if total != 0 || len(list) != 0 {
			t.Errorf("announcements left: %d", total)
		}
		got, err := s.FindUserByEmail(ctx, "ed@gone.example")
		mustNot(t, err, "find user")
		if got.EnterpriseID != nil || got.EnterpriseHandle != "" {
			t.Errorf("user still has enterprise %v %q", got.EnterpriseID, got.EnterpriseHandle)
		}
		wantTextTotals(t, s, "bakery", 0)
		wantListingTextTotals(t, s, "bread", 1)
		// The handle is free again.
		mustCreateEnterprise(t, s, newEnterprise("gone", "Back"))
	})

	t.Run("delete of a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("one", "One"))
		last := lastEventID(t, s)
		ev := directory.Event{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "x", At: t0}
		wantCode(t, s.DeleteEnterprise(ctx, e.ID+1000, ev), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})
}

func testImportExport(t *testing.T, open opener) {
	t.Run("imports creates and updates with one event each", func(t *testing.T) {
		s := open(t)
		old := mustCreateEnterprise(t, s, newEnterprise("old", "Old"))
		last := lastEventID(t, s)
		a, b := fullEnterprise("new-a"), newEnterprise("new-b", "New B")
		changed := fullEnterprise("old")
		changed.ID, changed.CreatedAt, changed.Name = old.ID, old.CreatedAt, "Old, renamed"
		when := at(99)
		mustNot(t, s.ImportEnterprises(ctx, []*directory.Enterprise{a, b}, []*directory.Enterprise{changed}, when), "import")
		if a.ID == 0 || b.ID == 0 || a.ID == b.ID {
			t.Fatalf("ids = %d, %d", a.ID, b.ID)
		}
		for _, want := range []*directory.Enterprise{a, b, changed} {
			got, err := s.FindEnterprise(ctx, "", want.Handle)
			mustNot(t, err, "find "+want.Handle)
			assertSame(t, want.Handle, got, want)
		}
		evs := eventsSince(t, s, last)
		seen := map[string]bool{}
		for _, ev := range evs {
			seen[string(ev.Type)+" "+ev.EnterpriseHandle] = true
			if !ev.At.Equal(when) || ev.Origin != "" || ev.ListingID != 0 || ev.AnnouncementID != 0 {
				t.Errorf("event %+v, want at %v with no origin or ids", ev, when)
			}
		}
		for _, want := range []string{"enterprise.created new-a", "enterprise.created new-b", "enterprise.updated old"} {
			if !seen[want] {
				t.Errorf("no event %q among %+v", want, evs)
			}
		}
		if len(evs) != 3 {
			t.Errorf("%d events, want 3", len(evs))
		}
	})

	t.Run("a failed import writes nothing and records no events", func(t *testing.T) {
		s := open(t)
		old := mustCreateEnterprise(t, s, newEnterprise("taken", "Taken"))
		last := lastEventID(t, s)
		fresh := newEnterprise("fresh", "Fresh")
		clash := newEnterprise("taken", "Clash")
		changed := newEnterprise("taken", "Changed")
		changed.ID = old.ID
		err := s.ImportEnterprises(ctx, []*directory.Enterprise{fresh, clash}, []*directory.Enterprise{changed}, at(9))
		wantCode(t, err, directory.ECONFLICT)
		_, err = s.FindEnterprise(ctx, "", "fresh")
		wantCode(t, err, directory.ENOTFOUND)
		got, err := s.FindEnterprise(ctx, "", "taken")
		mustNot(t, err, "find")
		if got.Name != "Taken" {
			t.Errorf("name = %q: the update was applied", got.Name)
		}
		wantNoEventsSince(t, s, last)
		wantTextTotals(t, s, "fresh", 0)
		wantTextTotals(t, s, "changed", 0)
	})

	t.Run("an import updating a missing enterprise fails and writes nothing", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("one", "One"))
		last := lastEventID(t, s)
		ghost := newEnterprise("ghost", "Ghost")
		ghost.ID = e.ID + 1000
		err := s.ImportEnterprises(ctx, []*directory.Enterprise{newEnterprise("two", "Two")}, []*directory.Enterprise{ghost}, t0)
		if err == nil {
			t.Fatal("import succeeded")
		}
		if _, err := s.FindEnterprise(ctx, "", "two"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("the create of a failed import was kept: %v", err)
		}
		wantNoEventsSince(t, s, last)
	})

	t.Run("exports local enterprises ordered by handle", func(t *testing.T) {
		s := open(t)
		var want []*directory.Enterprise
		for _, h := range []string{"zeta", "alpha", "mid"} {
			want = append(want, mustCreateEnterprise(t, s, fullEnterprise(h)))
		}
		remote := newEnterprise("beta", "Remote")
		remote.Origin = "partner.example"
		mustCreateEnterprise(t, s, remote)
		var got []*directory.Enterprise
		mustNot(t, s.AllEnterprises(ctx, func(e *directory.Enterprise) error {
			got = append(got, e)
			return nil
		}), "all enterprises")
		if len(got) != 3 {
			t.Fatalf("exported %d enterprises, want 3", len(got))
		}
		for i, h := range []string{"alpha", "mid", "zeta"} {
			if got[i].Handle != h {
				t.Fatalf("export order: %s at %d, want %s", got[i].Handle, i, h)
			}
		}
		assertSame(t, "exported", got[0], want[1])
	})

	t.Run("export stops at the callback's first error", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("a", "A"))
		mustCreateEnterprise(t, s, newEnterprise("b", "B"))
		stop := errors.New("stop")
		calls := 0
		err := s.AllEnterprises(ctx, func(*directory.Enterprise) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Errorf("err = %v after %d calls, want stop after 1", err, calls)
		}
	})

	t.Run("exports nothing from an empty store", func(t *testing.T) {
		s := open(t)
		mustNot(t, s.AllEnterprises(ctx, func(e *directory.Enterprise) error {
			t.Errorf("called for %s", e.Handle)
			return nil
		}), "all enterprises")
	})
}
