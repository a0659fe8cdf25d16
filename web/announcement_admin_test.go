package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminAnnouncements(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	ctx := context.Background()
	list := func() []*directory.Announcement {
		as, _, err := e.svc.RecentAnnouncements(ctx, directory.AnnouncementQuery{Enterprise: "shakyhands"})
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	t.Run("refuses an empty announcement, storing nothing", func(t *testing.T) {
		ed.post("/admin/enterprises/shakyhands/announcements/new", url.Values{"content": {"   "}}).
			want(t, http.StatusUnprocessableEntity).has(t, `id="f-content-error"`, "Is required")
		if len(list()) != 0 {
			t.Fatal("stored")
		}
	})
	t.Run("refuses one too long, keeping it", func(t *testing.T) {
		long := make([]byte, directory.MaxAnnouncementLength+1)
		for i := range long {
			long[i] = 'a'
		}
		ed.post("/admin/enterprises/shakyhands/announcements/new", url.Values{"content": {string(long)}}).
			want(t, http.StatusUnprocessableEntity).has(t, string(long[:100]), "at most 2000 characters")
	})
	t.Run("posts, edits and deletes one", func(t *testing.T) {
		posted := ed.follow(ed.post("/admin/enterprises/shakyhands/announcements/new", url.Values{"content": {"Open house **Saturday**"}}),
			"/admin/enterprises/shakyhands#announcements").has(t, "The announcement was posted.", "<strong>Saturday</strong>")
		a := list()[0]
		posted.has(t, `<a href="/announcements/`+strconv.FormatInt(a.ID, 10)+`">See it on its public page</a>`)
		path := "/admin/announcements/" + strconv.FormatInt(a.ID, 10)
		ed.get(path).want(t, http.StatusOK).has(t, "Open house **Saturday**")
		ed.post(path, url.Values{"content": {""}}).want(t, http.StatusUnprocessableEntity).has(t, `id="f-content-error"`)
		ed.follow(ed.post(path, url.Values{"content": {"Open house *Sunday*"}}),
			"/admin/enterprises/shakyhands#announcement-"+strconv.FormatInt(a.ID, 10)).has(t, "The announcement was saved.", "edited")
		if got := list()[0]; got.Content != "Open house *Sunday*" {
			t.Fatalf("stored %q", got.Content)
		}
		ed.post(path+"/delete", url.Values{"back": {"/admin"}}).want(t, http.StatusOK).
			has(t, "Delete the announcement of 25 November 2026?", "<em>Sunday</em>", `name="confirm" value="yes"`)
		ed.get(path+"/delete").want(t, http.StatusOK).has(t, `href="/admin/enterprises/shakyhands#announcements">No, keep it`)
		if len(list()) != 1 {
			t.Fatal("deleted without confirmation")
		}
		ed.follow(ed.post(path+"/delete", url.Values{"back": {"/admin"}, "confirm": {"yes"}}), "/admin").has(t, "The announcement was deleted.")
		if len(list()) != 0 {
			t.Fatal("not deleted")
		}
	})
}
