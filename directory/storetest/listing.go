package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// fullListing has every stored field set.
func fullListing(e *directory.Enterprise) *directory.Listing {
	return &directory.Listing{
		EnterpriseID: e.ID, Type: directory.Offer, Title: "Day-old bread",
		Description: "Free *sourdough*", DescriptionHTML: "<p>Free <em>sourdough</em></p>",
		Category: "food", Quantity: ptr(20.5), Unit: "loaves",
		Location: directory.Location{Address: "Milwaukee, WI", Lat: ptr(43.0389), Lon: ptr(-87.9065),
			RadiusKM: ptr(3.0)},
		ValidUntil: "2026-06-30", Status: directory.StatusOpen, Demo: true, Origin: e.Origin,
		RemoteID: "https://remote.example/l/1", RemoteURL: "https://remote.example/offers/1",
		CreatedAt: at(3), UpdatedAt: at(4),
	}
}

func testListings(t *testing.T, open opener) {
	t.Run("creates a listing and reads back every field with its enterprise", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, fullEnterprise("bakery"))
		want := mustCreateListing(t, s, fullListing(e))
		got, err := s.FindListing(ctx, want.ID)
		mustNot(t, err, "find")
		want.EnterpriseHandle, want.EnterpriseName, want.Language = "bakery", "Riverwest Bakery", "es"
		assertSame(t, "listing", got, want)
	})

	t.Run("pages the open local listings after an id, valid on the day, and refuses a day that is not one", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		first := mustCreateListing(t, s, newListing(e, directory.Need, "Flour"))
		expired := newListing(e, directory.Offer, "Old bread")
		expired.ValidUntil = "2026-01-01"
		mustCreateListing(t, s, expired)
		closed := newListing(e, directory.Offer, "Oven")
		closed.Status = directory.StatusFulfilled
		mustCreateListing(t, s, closed)
		partner := newEnterprise("mesh", "Mesh")
		partner.Origin = "partner.example"
		mustCreateEnterprise(t, s, partner)
		mustCreateListing(t, s, newListing(partner, directory.Offer, "Router"))
		last := mustCreateListing(t, s, newListing(e, directory.Offer, "Jars"))
		got, err := s.OpenListingsAfter(ctx, 0, "2026-06-01", 10)
		mustNot(t, err, "page")
		if len(got) != 2 || got[0].ID != first.ID || got[1].ID != last.ID {
			t.Errorf("open local listings: %s", show(got))
		}
		got, err = s.OpenListingsAfter(ctx, first.ID, "2026-06-01", 10)
		mustNot(t, err, "page after")
		if len(got) != 1 || got[0].ID != last.ID {
			t.Errorf("after the first: %s", show(got))
		}
		for _, day := range []string{"", "June 1", "2026-13-01", "2026-06-01' OR 1=1 --"} {
			_, err := s.OpenListingsAfter(ctx, 0, day, 10)
			wantCode(t, err, directory.EINVALID)
		}
	})

	t.Run("keeps absent quantity, date and coordinates absent", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Flour"))
		got, err := s.FindListing(ctx, l.ID)
		mustNot(t, err, "find")
		if got.Quantity != nil || got.ValidUntil != "" || got.Location.Lat != nil || got.Location.RadiusKM != nil {
			t.Errorf("listing = %s, want no quantity, date or coordinates", show(got))
		}
	})

	t.Run("reads a partner's listing with its origin", func(t *testing.T) {
		s := open(t)
		e := newEnterprise("mesh", "Mesh")
		e.Origin = "partner.example"
		mustCreateEnterprise(t, s, e)
		want := mustCreateListing(t, s, fullListing(e))
		got, err := s.FindListing(ctx, want.ID)
		mustNot(t, err, "find")
		if got.Origin != "partner.example" || got.EnterpriseHandle != "mesh" {
			t.Errorf("origin %q, enterprise %q", got.Origin, got.EnterpriseHandle)
		}
	})

	t.Run("creating a listing for a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		last := lastEventID(t, s)
		l := newListing(e, directory.Need, "Flour")
		l.EnterpriseID = e.ID + 1000
		wantCode(t, s.CreateListing(ctx, l, directory.Event{Type: directory.EventListingCreated, At: t0}), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})

	t.Run("updates the stored fields but enterprise, type, origin and creation time", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		other := mustCreateEnterprise(t, s, newEnterprise("other", "Other"))
		orig := mustCreateListing(t, s, fullListing(e))
		upd := &directory.Listing{ID: orig.ID, EnterpriseID: other.ID, Type: directory.Need,
			Title: "Stale bread", Description: "Gone", DescriptionHTML: "<p>Gone</p>", Category: "goods",
			Location: directory.Location{Address: "Elsewhere"}, Status: directory.StatusFulfilled,
			Origin: "elsewhere.example", RemoteID: "r2", RemoteURL: "u2", CreatedAt: at(70), UpdatedAt: at(80)}
		ev := directory.Event{Type: directory.EventListingUpdated, EnterpriseHandle: "bakery", ListingID: orig.ID, At: at(80)}
		mustNot(t, s.UpdateListing(ctx, upd, ev), "update")
		got, err := s.FindListing(ctx, orig.ID)
		mustNot(t, err, "find")
		want := *upd
		want.EnterpriseID, want.EnterpriseHandle, want.EnterpriseName = e.ID, "bakery", "Bakery"
		want.Type, want.Origin, want.CreatedAt = directory.Offer, "", orig.CreatedAt
		assertSame(t, "updated listing", got, &want)
		wantListingTextTotals(t, s, "sourdough", 0) // the old description
		wantListingTextTotals(t, s, "stale", 1)
	})

	t.Run("update of a missing listing is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Flour"))
		last := lastEventID(t, s)
		l.ID += 1000
		ev := directory.Event{Type: directory.EventListingUpdated, EnterpriseHandle: "bakery", ListingID: l.ID, At: t0}
		wantCode(t, s.UpdateListing(ctx, l, ev), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})

	t.Run("deletes a listing", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Flour sacks"))
		ev := directory.Event{Type: directory.EventListingDeleted, EnterpriseHandle: "bakery", ListingID: l.ID, At: t0}
		mustNot(t, s.DeleteListing(ctx, l.ID, ev), "delete")
		_, err := s.FindListing(ctx, l.ID)
		wantCode(t, err, directory.ENOTFOUND)
		wantListingTextTotals(t, s, "flour", 0)
		last := lastEventID(t, s)
		wantCode(t, s.DeleteListing(ctx, l.ID, ev), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})

	t.Run("never gives a deleted listing's id to a new one", func(t *testing.T) {
		// Ids name ActivityPub objects that other servers remember.
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustCreateListing(t, s, newListing(e, directory.Need, "Flour sacks"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Rye"))
		ev := directory.Event{Type: directory.EventListingDeleted, EnterpriseHandle: "bakery", ListingID: l.ID, At: t0}
		mustNot(t, s.DeleteListing(ctx, l.ID, ev), "delete")
		next := mustCreateListing(t, s, newListing(e, directory.Offer, "Spelt"))
		if next.ID <= l.ID {
			t.Errorf("new listing got id %d, not above the deleted %d", next.ID, l.ID)
		}
		a := &directory.Announcement{EnterpriseID: e.ID, Content: "x", CreatedAt: t0}
		mustNot(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), "announce")
		mustNot(t, s.DeleteAnnouncement(ctx, a.ID, directory.Event{Type: directory.EventAnnouncementDeleted, At: t0}), "delete")
		b := &directory.Announcement{EnterpriseID: e.ID, Content: "y", CreatedAt: t0}
		mustNot(t, s.CreateAnnouncement(ctx, b, directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), "announce")
		if b.ID <= a.ID {
			t.Errorf("new announcement got id %d, not above the deleted %d", b.ID, a.ID)
		}
	})

	t.Run("find of a missing listing is not found", func(t *testing.T) {
		s := open(t)
		_, err := s.FindListing(ctx, 12345)
		wantCode(t, err, directory.ENOTFOUND)
	})
}

func testAnnouncements(t *testing.T, open opener) {
	t.Run("lists an enterprise's announcements newest first with the total", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		other := mustCreateEnterprise(t, s, newEnterprise("other", "Other"))
		var all []*directory.Announcement
		// Created out of time order, so that the order cannot come from ids;
		// the last two share a time, and the newer id comes first.
		for i, minute := range []int{3, 1, 5, 2, 4, 4} {
			a := &directory.Announcement{EnterpriseID: e.ID, Content: "Post", ContentHTML: "<p>Post</p>",
				Origin: "", RemoteID: "", CreatedAt: at(minute)}
			if i == 0 {
				a.Origin, a.RemoteID = "partner.example", "https://partner.example/n/1"
			}
			ev := directory.Event{Type: directory.EventAnnouncementCreated, EnterpriseHandle: "bakery", At: a.CreatedAt}
			mustNot(t, s.CreateAnnouncement(ctx, a, ev), "announce")
			if a.ID == 0 {
				t.Fatal("ID not set")
			}
			all = append(all, a)
		}
		noise := &directory.Announcement{EnterpriseID: other.ID, Content: "Elsewhere", CreatedAt: at(10)}
		mustNot(t, s.CreateAnnouncement(ctx, noise, directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), "announce")

		wantOrder := []*directory.Announcement{all[2], all[5], all[4], all[0], all[3], all[1]}
		var got []*directory.Announcement
		for page := 1; page <= 3; page++ {
			list, total, err := s.ListAnnouncements(ctx, e.ID, directory.Page{Page: page, PerPage: 2})
			mustNot(t, err, "list")
			if total != 6 || len(list) != 2 {
				t.Fatalf("page %d: %d items, total %d; want 2 of 6", page, len(list), total)
			}
			got = append(got, list...)
		}
		for i, w := range wantOrder {
			if got[i].ID != w.ID {
				t.Fatalf("position %d: announcement %d, want %d", i, got[i].ID, w.ID)
			}
		}
		want := *all[0]
		want.EnterpriseHandle, want.EnterpriseName = "bakery", "Bakery"
		assertSame(t, "announcement", got[3], &want)
		list, total, err := s.ListAnnouncements(ctx, e.ID, directory.Page{Page: 4, PerPage: 2})
		mustNot(t, err, "list past the end")
		if len(list) != 0 || total != 6 {
			t.Errorf("past the end: %d items, total %d", len(list), total)
		}
	})

	t.Run("lists nothing for an enterprise without announcements", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("quiet", "Quiet"))
		list, total, err := s.ListAnnouncements(ctx, e.ID, directory.Page{Page: 1, PerPage: 20})
		mustNot(t, err, "list")
		if len(list) != 0 || total != 0 {
			t.Errorf("%d items, total %d", len(list), total)
		}
	})

	t.Run("creating an announcement for a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		last := lastEventID(t, s)
		a := &directory.Announcement{EnterpriseID: e.ID + 1000, Content: "Hi", CreatedAt: t0}
		wantCode(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})
}
