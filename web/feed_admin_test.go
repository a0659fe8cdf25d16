package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminFeed(t *testing.T) {
	e := newFederatedEnv(t)
	ed := e.browser().signIn("editor@test.example")
	const path = "/admin/enterprises/shakyhands/feed"
	t.Run("empty, it says how to fill it", func(t *testing.T) {
		ed.get(path).want(t, http.StatusOK).has(t, "Nothing here yet", `href="/admin/enterprises/shakyhands/following"`)
	})
	accepted := e.follow("shakyhands", "flora", "coop.example", directory.FollowAccepted)
	pending := e.follow("shakyhands", "mill", "grain.example", directory.FollowPending)
	day := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	for i := range 22 {
		e.post(accepted.TargetID, fmt.Sprintf("p%02d", i), day.Add(time.Duration(i)*time.Hour))
	}
	e.post(pending.TargetID, "unasked", day.Add(72*time.Hour))
	t.Run("shows the posts of accepted follows, newest first, paged", func(t *testing.T) {
		r := ed.get(path).want(t, http.StatusOK).
			has(t, "22 posts", "<p>Post <strong>p21</strong></p>", `href="https://coop.example/users/flora/posts/p21/page"`,
				`href="https://coop.example/@flora"`, "flora (flora@coop.example)", `href="/admin/enterprises/shakyhands/feed?page=2"`).
			lacks(t, "unasked", "<strong>p01</strong>")
		body := string(r.Body)
		if strings.Index(body, "<strong>p21</strong>") > strings.Index(body, "<strong>p20</strong>") {
			t.Error("older post first")
		}
		ed.get(path+"?page=2").want(t, http.StatusOK).has(t, "<strong>p01</strong>", "<strong>p00</strong>", "Page 2 of 2").lacks(t, "<strong>p21</strong>")
	})
	t.Run("a bad page number is a 400 page", func(t *testing.T) {
		ed.get(path+"?page=x").want(t, http.StatusBadRequest)
		ed.get(path+"?page=-1").want(t, http.StatusBadRequest)
	})
	t.Run("another enterprise's editor may not read it", func(t *testing.T) {
		ed.get("/admin/enterprises/riverside/feed").want(t, http.StatusForbidden)
		ed.get("/admin/enterprises/riverside/responses").want(t, http.StatusForbidden)
	})
}

func TestAdminResponses(t *testing.T) {
	e := newFederatedEnv(t)
	ed := e.browser().signIn("editor@test.example")
	const path = "/admin/enterprises/shakyhands/responses"
	ed.get(path).want(t, http.StatusOK).has(t, "No replies yet")
	l, a := e.respond(t)
	r := ed.get(path).want(t, http.StatusOK).
		has(t, "2 replies", `href="https://coop.example/@flora"`, ">Flora</a>", "<p>We have <em>oak</em>.</p>",
			fmt.Sprintf(`href="/listings/%d"`, l.ID), "the need “Oak planks”", fmt.Sprintf(`href="/announcements/%d"`, a.ID),
			`href="https://coop.example/notes/0/page"`)
	body := string(r.Body)
	if strings.Index(body, "See you there") > strings.Index(body, "<em>oak</em>") {
		t.Error("older reply first")
	}
	t.Run("a reply to a deleted entry says so", func(t *testing.T) {
		if err := e.svc.DeleteListing(directory.AsSystem(context.Background()), l.ID); err != nil {
			t.Fatal(err)
		}
		ed.get(path).want(t, http.StatusOK).has(t, "in reply to an entry that was deleted", "<em>oak</em>").
			lacks(t, fmt.Sprintf(`href="/listings/%d"`, l.ID))
	})
}
