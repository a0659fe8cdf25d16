package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAnnouncementsPage(t *testing.T) {
	e := newEnv(t)
	ctx := directory.AsSystem(context.Background())
	for i := range 25 {
		if err := e.svc.CreateAnnouncement(ctx, "shakyhands", &directory.Announcement{Content: fmt.Sprintf("News number %d.", i)}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("lists the newest 20 first, with a link to the next page and the feed", func(t *testing.T) {
		page := e.page(t, "/announcements", http.StatusOK)
		contains(t, page, "News number 24.", "News number 5.", `href="/announcements?page=2" rel="next"`, "Page 1 of 2",
			`<a href="/feeds/announcements.atom">`, `href="/enterprises/shakyhands">Shaky Hands Carpentry</a>`)
		lacks(t, page, "News number 4.", `rel="prev"`)
		if strings.Index(page, "News number 24.") > strings.Index(page, "News number 23.") {
			t.Error("not newest first")
		}
	})
	t.Run("shows the rest on page 2", func(t *testing.T) {
		page := e.page(t, "/announcements?page=2", http.StatusOK)
		contains(t, page, "News number 4.", "News number 0.", `href="/announcements" rel="prev"`, "Page 2 of 2",
			`<link rel="canonical" href="`+e.srv.URL+`/announcements?page=2">`)
		lacks(t, page, "News number 5.", `rel="next"`)
	})
	t.Run("refuses a page number that is not one", func(t *testing.T) {
		for _, q := range []string{"abc", "0", "-1", "1.5", "501", "99999999999999999999"} {
			page := e.page(t, "/announcements?page="+q, http.StatusBadRequest)
			contains(t, page, "page")
		}
	})
	t.Run("says a page past the last one is empty", func(t *testing.T) {
		page := e.page(t, "/announcements?page=9", http.StatusNotFound)
		contains(t, page, "Page 9 is past the last page", `href="/announcements?page=2" rel="prev"`)
	})
	t.Run("the home page links the list, and the feed has the same announcements", func(t *testing.T) {
		contains(t, e.page(t, "/", http.StatusOK), `<a href="/announcements">All announcements</a>`)
		contains(t, string(e.get("/feeds/announcements.atom").want(t, http.StatusOK).Body), "News number 24.")
	})
}
