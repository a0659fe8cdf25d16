package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminFollowing(t *testing.T) {
	e := newFederatedEnv(t)
	ed := e.browser().signIn("editor@test.example")
	const path = "/admin/enterprises/shakyhands/following"

	t.Run("says whom to follow when the enterprise follows nobody", func(t *testing.T) {
		ed.get(path).want(t, http.StatusOK).has(t, "This enterprise follows nobody yet. Follow a co-op on another server by its address, like name@coop.example.",
			`<label for="f-account">`, `name="account"`, `placeholder="name@host"`)
	})
	t.Run("a malformed account comes back beside the field, input kept", func(t *testing.T) {
		ed.post(path, url.Values{"account": {"flora at coop"}}).want(t, http.StatusUnprocessableEntity).
			has(t, `value="flora at coop"`, `class="field-error" id="f-account-error"`, `aria-invalid="true"`, `<a href="#f-account">`)
	})
	t.Run("an account that cannot be found comes back beside the field", func(t *testing.T) {
		ed.post(path, url.Values{"account": {"nobody@coop.example"}}).want(t, http.StatusUnprocessableEntity).
			has(t, `value="nobody@coop.example"`, "No account nobody@coop.example was found", `id="f-account-error"`)
	})
	t.Run("an account on a blocked domain comes back beside the field", func(t *testing.T) {
		ed.post(path, url.Values{"account": {"spam@blocked.example"}}).want(t, http.StatusUnprocessableEntity).
			has(t, `value="spam@blocked.example"`, "Blocked.example is blocked on this server", `id="f-account-error"`)
	})
	var id int64
	t.Run("following shows the account as waiting", func(t *testing.T) {
		page := ed.follow(ed.post(path, url.Values{"account": {"flora@coop.example"}}), path).want(t, http.StatusOK).
			has(t, "The follow request was sent", `href="https://coop.example/@flora"`, "flora@coop.example", "Flora Co-op", "Waiting for approval")
		fs, err := e.svc.Following(directory.AsSystem(context.Background()), "shakyhands")
		if err != nil || len(fs) != 1 {
			t.Fatalf("follows %v, %v", fs, err)
		}
		id = fs[0].ID
		page.has(t, fmt.Sprintf(`action="%s/%d/delete"`, path, id))
	})
	t.Run("following the same account again says so beside the field", func(t *testing.T) {
		ed.post(path, url.Values{"account": {"flora@coop.example"}}).want(t, http.StatusConflict).
			has(t, `value="flora@coop.example"`, `id="f-account-error"`)
	})
	t.Run("the unfollow button forgets the follow", func(t *testing.T) {
		ed.follow(ed.post(fmt.Sprintf("%s/%d/delete", path, id), nil), path).want(t, http.StatusOK).
			has(t, "The enterprise no longer follows that account.", "follows nobody yet").lacks(t, "Flora Co-op")
		ed.post(fmt.Sprintf("%s/%d/delete", path, id), nil).want(t, http.StatusNotFound)
	})
	t.Run("an accepted follow shows as following", func(t *testing.T) {
		e.follow("shakyhands", "mill", "grain.example", directory.FollowAccepted)
		ed.get(path).want(t, http.StatusOK).has(t, "mill@grain.example", ">Following</span>", "Unfollow")
	})
	t.Run("another enterprise's editor may not see or change it", func(t *testing.T) {
		theirs := e.follow("riverside", "tools", "share.example", directory.FollowAccepted)
		ed.get("/admin/enterprises/riverside/following").want(t, http.StatusForbidden)
		ed.post("/admin/enterprises/riverside/following", url.Values{"account": {"x@y.example"}}).want(t, http.StatusForbidden)
		ed.post(fmt.Sprintf("/admin/enterprises/riverside/following/%d/delete", theirs.ID), nil).want(t, http.StatusForbidden)
		ed.post(fmt.Sprintf("%s/%d/delete", path, theirs.ID), nil).want(t, http.StatusNotFound)
		if _, err := e.svc.FollowingEntry(directory.AsSystem(context.Background()), "riverside", theirs.ID); err != nil {
			t.Fatalf("riverside's follow is gone: %v", err)
		}
	})
	t.Run("the enterprise's admin page links here", func(t *testing.T) {
		ed.get("/admin/enterprises/shakyhands").want(t, http.StatusOK).
			has(t, `href="/admin/enterprises/shakyhands/following"`, `href="/admin/enterprises/shakyhands/feed"`, `href="/admin/enterprises/shakyhands/responses"`)
		ed.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/enterprises/shakyhands/following"`)
	})
	t.Run("signed-out visitors are sent to sign in", func(t *testing.T) {
		r := e.browser().get(path).want(t, http.StatusSeeOther)
		if !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
			t.Fatalf("Location %q", r.Header.Get("Location"))
		}
	})
}

func TestAdminFollowingWithoutFederation(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	const path = "/admin/enterprises/shakyhands/following"
	f := e.follow("shakyhands", "flora", "coop.example", directory.FollowAccepted)
	ed.get(path).want(t, http.StatusOK).has(t, "not enabled on this server", "flora@coop.example").
		lacks(t, `name="account"`, "/delete")
	ed.post(path, url.Values{"account": {"x@y.example"}}).want(t, http.StatusServiceUnavailable).has(t, "federation is not enabled")
	ed.post(fmt.Sprintf("%s/%d/delete", path, f.ID), nil).want(t, http.StatusServiceUnavailable)
}

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

func TestAdminReports(t *testing.T) {
	e := newFederatedEnv(t)
	ad := e.browser().signIn("admin@test.example")
	ed := e.browser().signIn("editor@test.example")
	t.Run("says when there is nothing to do", func(t *testing.T) {
		ad.get("/admin/reports").want(t, http.StatusOK).has(t, "No open reports")
	})
	ctx := context.Background()
	rep := &directory.Report{ActivityID: "https://mastodon.example/flags/1", Reporter: "https://mastodon.example/actor",
		Objects: []string{e.srv.URL + "/enterprises/shakyhands"}, Content: "Spam <b>everywhere</b>", ReceivedAt: time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)}
	if err := e.db.CreateReport(ctx, rep); err != nil {
		t.Fatal(err)
	}
	t.Run("admins only", func(t *testing.T) {
		ed.get("/admin/reports").want(t, http.StatusForbidden)
		ed.post(fmt.Sprintf("/admin/reports/%d/resolve", rep.ID), nil).want(t, http.StatusForbidden)
		ed.get("/admin").want(t, http.StatusOK).lacks(t, "/admin/reports")
	})
	t.Run("lists the open report, its reason as text and its objects as links", func(t *testing.T) {
		ad.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/reports"`)
		ad.get("/admin/reports").want(t, http.StatusOK).
			has(t, "Spam &lt;b&gt;everywhere&lt;/b&gt;", `href="https://mastodon.example/actor"`, `href="`+e.srv.URL+`/enterprises/shakyhands"`,
				"3 November 2026", "Mark resolved", `href="/admin/reports?all=1"`)
	})
	t.Run("resolving it takes it off the list", func(t *testing.T) {
		ad.follow(ad.post(fmt.Sprintf("/admin/reports/%d/resolve", rep.ID), nil), "/admin/reports").want(t, http.StatusOK).
			has(t, "The report is marked resolved.", "No open reports").lacks(t, "Spam")
		ad.get("/admin/reports?all=1").want(t, http.StatusOK).has(t, "Spam", "Resolved").lacks(t, "Mark resolved")
	})
	t.Run("an unknown report is a 404 page", func(t *testing.T) {
		ad.post("/admin/reports/99999/resolve", nil).want(t, http.StatusNotFound)
		ad.post("/admin/reports/abc/resolve", nil).want(t, http.StatusNotFound)
	})
}
