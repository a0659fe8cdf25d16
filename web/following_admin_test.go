package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

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
