package storetest

import (
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func testContactMessages(t *testing.T, open opener) {
	message := func(e *directory.Enterprise, listing int64, name string, minute int) *directory.ContactMessage {
		return &directory.ContactMessage{EnterpriseID: e.ID, ListingID: listing, Name: name, Reach: name + "@example.org",
			Message: "Hello,\nI can help.", CreatedAt: at(minute)}
	}
	names := func(ms []*directory.ContactMessage) []string {
		out := []string{}
		for _, m := range ms {
			out = append(out, m.Name)
		}
		return out
	}
	t.Run("lists an enterprise's messages newest first, with their total and listing", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		other := mustCreateEnterprise(t, s, newEnterprise("mill", "Mill"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Flour"))
		toListing := message(e, l.ID, "ana", 1)
		mustNot(t, s.CreateContactMessage(ctx, toListing), "create")
		toEnterprise := message(e, 0, "ben", 3)
		mustNot(t, s.CreateContactMessage(ctx, toEnterprise), "create")
		mustNot(t, s.CreateContactMessage(ctx, message(other, 0, "cai", 5)), "create")
		if toListing.ID == 0 || toEnterprise.ID == 0 {
			t.Fatal("create left ID 0")
		}
		first, total, err := s.ListContactMessages(ctx, e.ID, directory.Page{Page: 1, PerPage: 1})
		mustNot(t, err, "page 1")
		second, _, err := s.ListContactMessages(ctx, e.ID, directory.Page{Page: 2, PerPage: 1})
		mustNot(t, err, "page 2")
		if total != 2 || len(first) != 1 || len(second) != 1 {
			t.Fatalf("total %d, pages %v %v", total, names(first), names(second))
		}
		assertSame(t, "newest message", first[0], toEnterprise)
		assertSame(t, "oldest message", second[0], toListing)
		none, total, err := s.ListContactMessages(ctx, e.ID+100, directory.Page{Page: 1, PerPage: 5})
		if err != nil || none == nil || len(none) != 0 || total != 0 {
			t.Errorf("messages of an unknown enterprise: %v, %d, %v", none, total, err)
		}
	})
	t.Run("a message to a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		m := message(e, 0, "ana", 1)
		m.EnterpriseID = e.ID + 100
		wantCode(t, s.CreateContactMessage(ctx, m), directory.ENOTFOUND)
	})
	t.Run("a message outlives its listing and goes with its enterprise", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Flour"))
		mustNot(t, s.CreateContactMessage(ctx, message(e, l.ID, "ana", 1)), "create")
		mustNot(t, s.DeleteListing(ctx, l.ID, directory.Event{Type: directory.EventListingDeleted, EnterpriseHandle: "bakery", At: at(2)}), "delete listing")
		got, total, err := s.ListContactMessages(ctx, e.ID, directory.Page{Page: 1, PerPage: 5})
		mustNot(t, err, "list")
		if total != 1 || got[0].ListingID != 0 {
			t.Fatalf("after the listing was deleted: total %d, %+v", total, got)
		}
		mustNot(t, s.DeleteEnterprise(ctx, e.ID, directory.Event{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "bakery", At: at(3)}), "delete enterprise")
		e2 := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustNot(t, s.CreateContactMessage(ctx, message(e2, 0, "ben", 4)), "create")
		got, _, err = s.ListContactMessages(ctx, e2.ID, directory.Page{Page: 1, PerPage: 5})
		mustNot(t, err, "list")
		if n := names(got); !slices.Equal(n, []string{"ben"}) {
			t.Errorf("messages after the enterprise was deleted: %v", n)
		}
	})
}
