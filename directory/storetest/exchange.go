package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// collect exports s into slices.
func collect(t *testing.T, s directory.Store) ([]*directory.Enterprise, []*directory.Listing, []*directory.Announcement, []*directory.Image) {
	t.Helper()
	var es []*directory.Enterprise
	var ls []*directory.Listing
	var as []*directory.Announcement
	var is []*directory.Image
	mustNot(t, s.ExportDirectory(ctx, directory.ExportSink{
		Enterprise:   func(e *directory.Enterprise) error { es = append(es, e); return nil },
		Listing:      func(l *directory.Listing) error { ls = append(ls, l); return nil },
		Announcement: func(a *directory.Announcement) error { as = append(as, a); return nil },
		Image:        func(i *directory.Image) error { is = append(is, i); return nil },
	}), "export directory")
	return es, ls, as, is
}

func testExchange(t *testing.T, open opener) {
	t.Run("gives every local listing and announcement a key, and partners' copies none", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("coop", "Co-op"))
		l1 := mustCreateListing(t, s, newListing(e, directory.Need, "One"))
		mustCreateListing(t, s, newListing(e, directory.Offer, "Two"))
		mustNot(t, s.CreateAnnouncement(ctx, &directory.Announcement{EnterpriseID: e.ID, Content: "hi", CreatedAt: t0},
			directory.Event{Type: directory.EventAnnouncementCreated, At: t0}), "announce")
		remote := newEnterprise("far", "Far")
		remote.Origin = "partner.example"
		r := mustCreateEnterprise(t, s, remote)
		mustCreateListing(t, s, newListing(r, directory.Need, "Remote"))
		_, ls, as, _ := collect(t, s)
		if len(ls) != 2 || len(as) != 1 {
			t.Fatalf("exported %d listings and %d announcements, want the 2 and 1 local ones", len(ls), len(as))
		}
		if ls[0].Key == "" || ls[1].Key == "" || ls[0].Key == ls[1].Key || as[0].Key == "" {
			t.Fatalf("keys %q, %q, %q", ls[0].Key, ls[1].Key, as[0].Key)
		}
		for _, l := range ls {
			got, err := s.FindKeyedListing(ctx, "coop", l.Key)
			mustNot(t, err, "find keyed listing")
			if got.ID != l.ID || (l.ID == l1.ID && got.Title != "One") {
				t.Errorf("key %q found listing %d, want %d", l.Key, got.ID, l.ID)
			}
		}
		_, err := s.FindKeyedListing(ctx, "far", "")
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindKeyedAnnouncement(ctx, "coop", "nope")
		wantCode(t, err, directory.ENOTFOUND)
	})

	t.Run("imports a whole directory with its keys and one event each", func(t *testing.T) {
		s := open(t)
		last := lastEventID(t, s)
		e := newEnterprise("coop", "Co-op")
		e.Logo = directory.MediaPrefix + "img1"
		l := &directory.Listing{EnterpriseHandle: "coop", Key: "k1", Type: directory.Need, Title: "Seeds",
			Category: "food", Status: directory.StatusOpen, ValidUntil: "2027-01-31", CreatedAt: at(1), UpdatedAt: at(2)}
		a := &directory.Announcement{EnterpriseHandle: "coop", Key: "a1", Content: "hello", CreatedAt: at(3)}
		img := &directory.Image{ID: "img1", ContentType: "image/png", Data: []byte("png"), Width: 1, Height: 1, CreatedAt: t0}
		mustNot(t, s.ImportDirectory(ctx, &directory.ImportBatch{At: at(9), CreateEnterprises: []*directory.Enterprise{e},
			Images: []directory.OwnedImage{{Owner: "coop", Image: img}}, CreateListings: []*directory.Listing{l},
			CreateAnnouncements: []*directory.Announcement{a}}), "import")
		es, ls, as, is := collect(t, s)
		if len(es) != 1 || len(ls) != 1 || len(as) != 1 || len(is) != 1 {
			t.Fatalf("exported %d, %d, %d, %d", len(es), len(ls), len(as), len(is))
		}
		if ls[0].Key != "k1" || ls[0].ValidUntil != "2027-01-31" || !ls[0].CreatedAt.Equal(at(1)) || as[0].Key != "a1" || string(is[0].Data) != "png" {
			t.Errorf("exported %+v, %+v, %+v", ls[0], as[0], is[0])
		}
		got, err := s.FindKeyedAnnouncement(ctx, "coop", "a1")
		mustNot(t, err, "find keyed announcement")
		if got.Content != "hello" {
			t.Errorf("announcement %+v", got)
		}
		seen := map[directory.EventType]int{}
		for _, ev := range eventsSince(t, s, last) {
			seen[ev.Type]++
		}
		if seen[directory.EventEnterpriseCreated] != 1 || seen[directory.EventListingCreated] != 1 || seen[directory.EventAnnouncementCreated] != 1 {
			t.Errorf("events %v", seen)
		}

		t.Run("and updates by id", func(t *testing.T) {
			last := lastEventID(t, s)
			l2, a2 := *ls[0], *as[0]
			l2.Title, l2.Status = "Seeds, please", directory.StatusFulfilled
			a2.Content = "hello again"
			updated := at(10)
			a2.UpdatedAt = &updated
			mustNot(t, s.ImportDirectory(ctx, &directory.ImportBatch{At: at(10), UpdateListings: []*directory.Listing{&l2},
				UpdateAnnouncements: []*directory.Announcement{&a2}}), "import updates")
			_, ls, as, _ := collect(t, s)
			if ls[0].Title != "Seeds, please" || ls[0].Status != directory.StatusFulfilled || ls[0].Key != "k1" || as[0].Content != "hello again" {
				t.Errorf("after update: %+v, %+v", ls[0], as[0])
			}
			if n := len(eventsSince(t, s, last)); n != 2 {
				t.Errorf("%d events, want 2", n)
			}
		})
	})

	t.Run("a failed import writes nothing and records no events", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("coop", "Co-op"))
		last := lastEventID(t, s)
		mk := func(key string) *directory.Listing {
			return &directory.Listing{EnterpriseHandle: "coop", Key: key, Type: directory.Need, Title: "T",
				Category: "food", Status: directory.StatusOpen, CreatedAt: t0, UpdatedAt: t0}
		}
		err := s.ImportDirectory(ctx, &directory.ImportBatch{At: t0, CreateEnterprises: []*directory.Enterprise{newEnterprise("new", "New")},
			CreateListings: []*directory.Listing{mk("same"), mk("same")}})
		wantCode(t, err, directory.ECONFLICT)
		es, ls, _, _ := collect(t, s)
		if len(es) != 1 || len(ls) != 0 {
			t.Errorf("a failed import left %d enterprises and %d listings", len(es), len(ls))
		}
		wantNoEventsSince(t, s, last)
	})
}
