package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func testAnnouncementEdits(t *testing.T, open opener) {
	create := func(t *testing.T, s directory.Store, e *directory.Enterprise, minute int) *directory.Announcement {
		t.Helper()
		a := &directory.Announcement{EnterpriseID: e.ID, Content: "Post", ContentHTML: "<p>Post</p>", Origin: e.Origin,
			Demo: minute%2 == 0, CreatedAt: at(minute)}
		mustNot(t, s.CreateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementCreated, At: a.CreatedAt}), "announce")
		a.EnterpriseHandle, a.EnterpriseName = e.Handle, e.Name
		return a
	}
	t.Run("lists every enterprise's announcements newest first", func(t *testing.T) {
		s := open(t)
		bakery := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		partner := newEnterprise("mesh", "Mesh")
		partner.Origin = "partner.example"
		mustCreateEnterprise(t, s, partner)
		a1, a2, a3 := create(t, s, bakery, 3), create(t, s, partner, 5), create(t, s, bakery, 4)
		list, total, err := s.ListAnnouncements(ctx, 0, directory.Page{Page: 1, PerPage: 2})
		mustNot(t, err, "list")
		if total != 3 || len(list) != 2 {
			t.Fatalf("%d items, total %d", len(list), total)
		}
		assertSame(t, "newest", list[0], a2)
		assertSame(t, "second", list[1], a3)
		list, total, err = s.ListAnnouncements(ctx, 0, directory.Page{Page: 2, PerPage: 2})
		mustNot(t, err, "list")
		if total != 3 || len(list) != 1 || list[0].ID != a1.ID {
			t.Errorf("page 2: %s, total %d", show(list), total)
		}
	})
	t.Run("finds, edits and deletes one, each change with its event", func(t *testing.T) {
		s := open(t)
		bakery := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		a := create(t, s, bakery, 3)
		got, err := s.FindAnnouncement(ctx, a.ID)
		mustNot(t, err, "find")
		assertSame(t, "found", got, a)
		last := lastEventID(t, s)
		a.Content, a.ContentHTML, a.UpdatedAt = "Edited", "<p>Edited</p>", ptr(at(9))
		ev := directory.Event{Type: directory.EventAnnouncementUpdated, EnterpriseHandle: "bakery", At: at(9)}
		mustNot(t, s.UpdateAnnouncement(ctx, a, ev), "update")
		got, err = s.FindAnnouncement(ctx, a.ID)
		mustNot(t, err, "find")
		assertSame(t, "edited", got, a)
		mustNot(t, s.DeleteAnnouncement(ctx, a.ID, directory.Event{Type: directory.EventAnnouncementDeleted, EnterpriseHandle: "bakery", At: at(10)}), "delete")
		evs := eventsSince(t, s, last)
		if len(evs) != 2 || evs[0].Type != directory.EventAnnouncementUpdated || evs[0].AnnouncementID != a.ID ||
			evs[1].Type != directory.EventAnnouncementDeleted || evs[1].AnnouncementID != a.ID {
			t.Errorf("events = %+v", evs)
		}
		_, err = s.FindAnnouncement(ctx, a.ID)
		wantCode(t, err, directory.ENOTFOUND)
		_, total, err := s.ListAnnouncements(ctx, 0, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "list")
		if total != 0 {
			t.Errorf("total = %d after deleting", total)
		}
	})
	t.Run("a missing announcement is not found and records nothing", func(t *testing.T) {
		s := open(t)
		last := lastEventID(t, s)
		_, err := s.FindAnnouncement(ctx, 42)
		wantCode(t, err, directory.ENOTFOUND)
		a := &directory.Announcement{ID: 42, Content: "x", UpdatedAt: ptr(t0)}
		wantCode(t, s.UpdateAnnouncement(ctx, a, directory.Event{Type: directory.EventAnnouncementUpdated, At: t0}), directory.ENOTFOUND)
		wantCode(t, s.DeleteAnnouncement(ctx, 42, directory.Event{Type: directory.EventAnnouncementDeleted, At: t0}), directory.ENOTFOUND)
		wantNoEventsSince(t, s, last)
	})
	t.Run("deleting an enterprise takes its announcements out of the count", func(t *testing.T) {
		s := open(t)
		bakery := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		other := mustCreateEnterprise(t, s, newEnterprise("other", "Other"))
		create(t, s, bakery, 1)
		create(t, s, bakery, 2)
		create(t, s, other, 3)
		mustNot(t, s.DeleteEnterprise(ctx, bakery.ID, directory.Event{Type: directory.EventEnterpriseDeleted, At: t0}), "delete")
		list, total, err := s.ListAnnouncements(ctx, 0, directory.Page{Page: 1, PerPage: 1})
		mustNot(t, err, "list")
		if total != 1 || len(list) != 1 {
			t.Errorf("%d items, total %d", len(list), total)
		}
		c, err := s.Counts(ctx, today)
		mustNot(t, err, "counts")
		if c.Announcements != 1 || c.Enterprises != 1 {
			t.Errorf("counts = %+v", *c)
		}
	})
}
