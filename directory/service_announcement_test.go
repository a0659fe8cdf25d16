package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestAnnouncementLifecycle(t *testing.T) {
	svc := newService(t)
	clock := now
	svc.Now = func() time.Time { return clock }
	mustCreate(t, svc, "flora")
	mustCreate(t, svc, "mesh")
	editor := asUser(t, svc, "ed@example.org", directory.RoleEditor, "flora")
	post := func(handle, content string) *directory.Announcement {
		t.Helper()
		clock = clock.Add(time.Minute)
		a := &directory.Announcement{Content: content}
		must(t, svc.CreateAnnouncement(sys, handle, a))
		return a
	}
	first, second, third := post("flora", "First"), post("mesh", "Second"), post("flora", "Third")

	t.Run("lists every enterprise's newest first with names", func(t *testing.T) {
		list, total, err := svc.RecentAnnouncements(sys, directory.AnnouncementQuery{Page: directory.Page{PerPage: 2}})
		must(t, err)
		if total != 3 || len(list) != 2 || list[0].ID != third.ID || list[1].ID != second.ID {
			t.Fatalf("total %d, list %+v", total, list)
		}
		if list[1].EnterpriseHandle != "mesh" || list[1].EnterpriseName != "MESH" {
			t.Errorf("enterprise of %+v", list[1])
		}
	})
	t.Run("lists one enterprise's", func(t *testing.T) {
		list, total, err := svc.RecentAnnouncements(sys, directory.AnnouncementQuery{Enterprise: "flora"})
		must(t, err)
		if total != 2 || len(list) != 2 || list[0].ID != third.ID || list[1].ID != first.ID {
			t.Fatalf("total %d, list %+v", total, list)
		}
		_, _, err = svc.RecentAnnouncements(sys, directory.AnnouncementQuery{Enterprise: "missing"})
		wantCode(t, err, directory.ENOTFOUND)
		_, _, err = svc.RecentAnnouncements(sys, directory.AnnouncementQuery{Page: directory.Page{Page: -1, PerPage: 1000}})
		wantFields(t, err, "page", "per_page")
	})
	t.Run("an editor edits their own: re-rendered, stamped, announced", func(t *testing.T) {
		last := lastEvent(t, svc)
		clock = clock.Add(time.Hour)
		a, err := svc.UpdateAnnouncement(editor, first.ID, "  Now **bold**  ")
		must(t, err)
		if a.Content != "Now **bold**" || !strings.Contains(a.ContentHTML, "<strong>bold</strong>") ||
			a.UpdatedAt == nil || !a.UpdatedAt.Equal(clock.Truncate(time.Microsecond)) || !a.CreatedAt.Equal(first.CreatedAt) {
			t.Fatalf("updated = %+v", a)
		}
		got, err := svc.Announcement(sys, first.ID)
		must(t, err)
		if got.Content != a.Content || got.UpdatedAt == nil || got.EnterpriseName != "FLORA" {
			t.Errorf("stored = %+v", got)
		}
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventAnnouncementUpdated {
			t.Errorf("events = %v", evs)
		}
	})
	t.Run("refuses empty and overlong content and changes nothing", func(t *testing.T) {
		last := lastEvent(t, svc)
		_, err := svc.UpdateAnnouncement(editor, first.ID, " ")
		wantFields(t, err, "content")
		_, err = svc.UpdateAnnouncement(editor, first.ID, strings.Repeat("x", directory.MaxAnnouncementLength+1))
		wantFields(t, err, "content")
		if evs := eventsSince(t, svc, last); len(evs) != 0 {
			t.Errorf("events = %v", evs)
		}
	})
	t.Run("editors of other enterprises may not edit or delete", func(t *testing.T) {
		_, err := svc.UpdateAnnouncement(editor, second.ID, "Mine now")
		wantCode(t, err, directory.EFORBIDDEN)
		wantCode(t, svc.DeleteAnnouncement(editor, second.ID), directory.EFORBIDDEN)
		wantCode(t, svc.DeleteAnnouncement(context.Background(), second.ID), directory.EUNAUTHORIZED)
	})
	t.Run("deletes, announced; then not found", func(t *testing.T) {
		last := lastEvent(t, svc)
		must(t, svc.DeleteAnnouncement(editor, third.ID))
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventAnnouncementDeleted {
			t.Errorf("events = %v", evs)
		}
		_, err := svc.Announcement(sys, third.ID)
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, svc.DeleteAnnouncement(sys, third.ID), directory.ENOTFOUND)
		_, err = svc.UpdateAnnouncement(sys, third.ID, "x")
		wantCode(t, err, directory.ENOTFOUND)
		_, total, err := svc.RecentAnnouncements(sys, directory.AnnouncementQuery{})
		must(t, err)
		if total != 2 {
			t.Errorf("total = %d", total)
		}
	})
}
