package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func newSavedSearch(handle string) *directory.SavedSearch {
	return &directory.SavedSearch{Handle: handle, Name: "Tools near Milwaukee", Summary: "Every tool offered nearby",
		Text: "drill", Type: directory.Offer, Categories: []directory.Category{"tools", "equipment"}, Origin: "",
		NearLabel: "Milwaukee", Geo: &directory.Geo{Near: milwaukee, KM: 25}, CreatedAt: at(1), UpdatedAt: at(1)}
}

func testSavedSearches(t *testing.T, open opener) {
	t.Run("are stored, found and listed as saved", func(t *testing.T) {
		s := open(t)
		ss := newSavedSearch("tools-mke")
		mustNot(t, s.CreateSavedSearch(ctx, ss), "create")
		if ss.ID == 0 {
			t.Fatal("create left ID 0")
		}
		plain := &directory.SavedSearch{Handle: "anything", Name: "Anything", CreatedAt: at(2), UpdatedAt: at(2)}
		mustNot(t, s.CreateSavedSearch(ctx, plain), "create without filters")
		got, err := s.FindSavedSearch(ctx, "tools-mke")
		mustNot(t, err, "find")
		assertSame(t, "saved search", got, ss)
		got, err = s.FindSavedSearch(ctx, "anything")
		mustNot(t, err, "find")
		assertSame(t, "saved search without filters", got, plain)
		list, err := s.ListSavedSearches(ctx)
		mustNot(t, err, "list")
		if len(list) != 2 || list[0].Handle != "anything" || list[1].Handle != "tools-mke" {
			t.Fatalf("list = %s", show(list))
		}
		_, err = s.FindSavedSearch(ctx, "nobody")
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("share the handles of local enterprises", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		wantCode(t, s.CreateSavedSearch(ctx, newSavedSearch("bakery")), directory.ECONFLICT)
		mustNot(t, s.CreateSavedSearch(ctx, newSavedSearch("tools")), "create")
		wantCode(t, s.CreateSavedSearch(ctx, newSavedSearch("tools")), directory.ECONFLICT)
	})

	t.Run("are updated but for handle and creation, with their event", func(t *testing.T) {
		s := open(t)
		ss := newSavedSearch("tools")
		mustNot(t, s.CreateSavedSearch(ctx, ss), "create")
		before := lastEventID(t, s)
		up := *ss
		up.Handle, up.CreatedAt = "other", at(9)
		up.Name, up.Text, up.Type, up.Categories, up.Geo, up.NearLabel, up.Origin = "Any drill", "", "", nil, nil, "", "local"
		up.UpdatedAt = at(5)
		ev := directory.Event{Type: directory.EventActorUpdated, Actor: directory.SavedSearchActorKey("tools"), At: at(5)}
		mustNot(t, s.UpdateSavedSearch(ctx, &up, ev), "update")
		got, err := s.FindSavedSearch(ctx, "tools")
		mustNot(t, err, "find")
		want := up
		want.Handle, want.CreatedAt = "tools", ss.CreatedAt
		assertSame(t, "updated", got, &want)
		evs, err := s.EventsAfter(ctx, before, 10)
		mustNot(t, err, "events")
		if len(evs) != 1 || evs[0].Type != directory.EventActorUpdated || evs[0].Actor != ev.Actor {
			t.Fatalf("events = %s", show(evs))
		}
		up.ID = ss.ID + 100
		wantCode(t, s.UpdateSavedSearch(ctx, &up, ev), directory.ENOTFOUND)
	})

	t.Run("once deleted keep their handle, stop being listed and record the deletion", func(t *testing.T) {
		s := open(t)
		ss := newSavedSearch("tools")
		mustNot(t, s.CreateSavedSearch(ctx, ss), "create")
		before := lastEventID(t, s)
		ev := directory.Event{Type: directory.EventSavedSearchDeleted, Actor: directory.SavedSearchActorKey("tools"), At: at(3)}
		mustNot(t, s.DeleteSavedSearch(ctx, "tools", ev), "delete")
		wantCode(t, s.DeleteSavedSearch(ctx, "tools", ev), directory.ENOTFOUND)
		wantCode(t, s.DeleteSavedSearch(ctx, "nobody", ev), directory.ENOTFOUND)
		evs, err := s.EventsAfter(ctx, before, 10)
		mustNot(t, err, "events")
		if len(evs) != 1 || evs[0].Type != directory.EventSavedSearchDeleted || evs[0].Actor != ev.Actor {
			t.Fatalf("events = %s", show(evs))
		}
		got, err := s.FindSavedSearch(ctx, "tools")
		mustNot(t, err, "find deleted")
		if got.DeletedAt == nil || !got.DeletedAt.Equal(at(3)) {
			t.Fatalf("deleted at = %v", got.DeletedAt)
		}
		list, err := s.ListSavedSearches(ctx)
		mustNot(t, err, "list")
		if len(list) != 0 {
			t.Fatalf("a deleted saved search is listed: %s", show(list))
		}
		wantCode(t, s.CreateSavedSearch(ctx, newSavedSearch("tools")), directory.ECONFLICT)
		up := *ss
		wantCode(t, s.UpdateSavedSearch(ctx, &up, ev), directory.ENOTFOUND)
	})
}
