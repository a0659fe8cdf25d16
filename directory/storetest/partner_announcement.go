package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// The copies of partners' announcements: ImportRemoteAnnouncements,
// DeleteRemoteAnnouncement, LocalAnnouncementsAfter,
// ListPartnerAnnouncements, and their sweep.

// partnerPost is an announcement of e (a copy, by its handle) as an import
// gives it, created at minute.
func partnerPost(e *directory.Enterprise, slug, text string, minute int) *directory.Announcement {
	return &directory.Announcement{EnterpriseHandle: e.Handle, Content: text, ContentHTML: "<p>" + text + "</p>",
		Origin: e.Origin, RemoteID: "https://" + e.Origin + "/announcements/" + slug, CreatedAt: at(minute)}
}

func mustImportPosts(t *testing.T, s directory.Store, origin string, as []*directory.Announcement, want directory.RemoteImport) {
	t.Helper()
	got, err := s.ImportRemoteAnnouncements(ctx, origin, as)
	mustNot(t, err, "import announcements from "+origin)
	if got != want {
		t.Fatalf("import announcements from %s: %+v, want %+v", origin, got, want)
	}
}

// partnerPostTexts lists the contents of origin's announcement copies.
func partnerPostTexts(t *testing.T, s directory.Store, origin string) ([]string, int) {
	t.Helper()
	as, total, err := s.ListPartnerAnnouncements(ctx, origin, directory.Page{Page: 1, PerPage: 50})
	mustNot(t, err, "list partner announcements")
	out := []string{}
	for _, a := range as {
		out = append(out, a.Content)
	}
	return out, total
}

func testRemoteAnnouncements(t *testing.T, open opener) {
	t.Run("imports copies once, overwrites them when newer or changed, and records no event", func(t *testing.T) {
		s := open(t)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		last := lastEventID(t, s)
		open, fair := partnerPost(f.bakery, "1", "Open day", 10), partnerPost(f.mill, "2", "Flour fair", 11)
		orphan := partnerPost(&directory.Enterprise{Handle: "nobody", Origin: coopHost}, "3", "Lost", 12)
		mustImportPosts(t, s, coopHost, []*directory.Announcement{open, fair, orphan}, directory.RemoteImport{Created: 2, Orphans: 1})
		if open.ID == 0 || fair.ID == 0 || orphan.ID != 0 {
			t.Fatalf("ids: %d %d %d", open.ID, fair.ID, orphan.ID)
		}
		got, err := s.FindAnnouncement(ctx, open.ID)
		mustNot(t, err, "find copy")
		if got.Origin != coopHost || got.RemoteID != open.RemoteID || got.EnterpriseID != f.bakery.ID ||
			got.ContentHTML != "<p>Open day</p>" || !got.CreatedAt.Equal(at(10)) {
			t.Errorf("copy: %+v", got)
		}
		mustImportPosts(t, s, coopHost, []*directory.Announcement{partnerPost(f.bakery, "1", "Open day", 10)},
			directory.RemoteImport{Unchanged: 1})
		edited := partnerPost(f.bakery, "1", "Open day, moved", 10)
		edited.UpdatedAt = ptr(at(20))
		mustImportPosts(t, s, coopHost, []*directory.Announcement{edited}, directory.RemoteImport{Updated: 1})
		older := partnerPost(f.bakery, "1", "Stale", 10)
		older.UpdatedAt = ptr(at(15))
		sameSecond := partnerPost(f.mill, "2", "Flour fair, Sunday", 11)
		mustImportPosts(t, s, coopHost, []*directory.Announcement{older, sameSecond}, directory.RemoteImport{Updated: 1, Unchanged: 1})
		if edited.ID != open.ID {
			t.Errorf("the overwritten copy has id %d, was %d", edited.ID, open.ID)
		}
		texts, total := partnerPostTexts(t, s, coopHost)
		wantOrder(t, "partner announcements", texts, total, "Flour fair, Sunday", "Open day, moved")
		wantNoEventsSince(t, s, last)
	})

	t.Run("copies of another origin or without a remote id are refused and nothing is written", func(t *testing.T) {
		s := open(t)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		good := partnerPost(f.bakery, "1", "Good", 1)
		for _, bad := range []*directory.Announcement{
			{EnterpriseHandle: "bakery", Content: "x", Origin: "evil.example", RemoteID: "https://evil.example/a/1", CreatedAt: at(1)},
			{EnterpriseHandle: "bakery", Content: "x", Origin: coopHost, CreatedAt: at(1)},
			{Content: "x", Origin: coopHost, RemoteID: "https://coop.example/a/9", CreatedAt: at(1)},
		} {
			_, err := s.ImportRemoteAnnouncements(ctx, coopHost, []*directory.Announcement{good, bad})
			wantCode(t, err, directory.EINVALID)
		}
		_, err := s.ImportRemoteAnnouncements(ctx, "", nil)
		wantCode(t, err, directory.EINVALID)
		if texts, total := partnerPostTexts(t, s, ""); total != 0 {
			t.Errorf("stored after refusals: %v", texts)
		}
	})

	t.Run("deleting, listing by origin and paging the local ones", func(t *testing.T) {
		s := open(t)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		mustImport(t, s, "other.example", []*directory.Enterprise{partnerCopy("press", "other.example", 1)}, nil, directory.RemoteImport{Created: 1})
		press, err := s.FindEnterprise(ctx, "other.example", "press")
		mustNot(t, err, "find press")
		a1, a2 := partnerPost(f.bakery, "1", "One", 1), partnerPost(f.mill, "2", "Two", 2)
		mustImportPosts(t, s, coopHost, []*directory.Announcement{a1, a2}, directory.RemoteImport{Created: 2})
		mustImportPosts(t, s, "other.example", []*directory.Announcement{partnerPost(press, "7", "Ink", 3)}, directory.RemoteImport{Created: 1})
		local := mustCreateEnterprise(t, s, newEnterprise("local", "Local"))
		mine := mustAnnounce(t, s, local, "")

		texts, total := partnerPostTexts(t, s, coopHost)
		wantOrder(t, "coop's", texts, total, "Two", "One")
		texts, total = partnerPostTexts(t, s, "")
		wantOrder(t, "every partner's", texts, total, "Ink", "Two", "One")
		page, err := s.LocalAnnouncementsAfter(ctx, 0, 10)
		mustNot(t, err, "local announcements")
		if len(page) != 1 || page[0].ID != mine.ID {
			t.Errorf("local announcements: %+v", page)
		}
		page, err = s.LocalAnnouncementsAfter(ctx, mine.ID, 10)
		mustNot(t, err, "local announcements after the last")
		if len(page) != 0 {
			t.Errorf("after the last: %+v", page)
		}

		wantDeleted(t, "one", directory.Store.DeleteRemoteAnnouncement, s, coopHost, a1.RemoteID, true)
		wantDeleted(t, "one again", directory.Store.DeleteRemoteAnnouncement, s, coopHost, a1.RemoteID, false)
		wantDeleted(t, "another origin's", directory.Store.DeleteRemoteAnnouncement, s, "other.example", a2.RemoteID, false)
		texts, total = partnerPostTexts(t, s, coopHost)
		wantOrder(t, "coop's after the delete", texts, total, "Two")
	})

	t.Run("a sweep removes the announcement copies not kept, refused or gone with their enterprise", func(t *testing.T) {
		s := open(t)
		f := importCoop(t, s, directory.RemoteImport{Created: 4})
		kept, gone := partnerPost(f.bakery, "1", "Kept", 1), partnerPost(f.bakery, "2", "Gone", 2)
		refused, fresh := partnerPost(f.mill, "3", "Refused", 3), partnerPost(f.mill, "4", "Fresh", 50)
		mustImportPosts(t, s, coopHost, []*directory.Announcement{kept, gone, refused, fresh}, directory.RemoteImport{Created: 4})
		set := directory.SweepSet{Enterprises: []int64{f.bakery.ID, f.mill.ID}, Listings: []int64{f.bread.ID, f.flour.ID},
			Announcements: []int64{kept.ID}, Before: at(20),
			Refused: []directory.RemoteVersion{{RemoteID: refused.RemoteID, UpdatedAt: at(3)}}}
		got, err := s.SweepOrigin(ctx, coopHost, set)
		mustNot(t, err, "sweep")
		assertSame(t, "sweep", got, &directory.DomainPurge{Announcements: 2})
		texts, total := partnerPostTexts(t, s, coopHost)
		wantOrder(t, "after the sweep", texts, total, "Fresh", "Kept")
		got, err = s.PurgeOrigin(ctx, coopHost)
		mustNot(t, err, "purge")
		if got.Announcements != 2 {
			t.Errorf("purge removed %d announcements, want 2", got.Announcements)
		}
	})
}
