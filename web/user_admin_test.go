package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// inviteLink creates an invitation through the users page and returns the
// link it shows once.
func inviteLink(t *testing.T, ad *browser, form url.Values) string {
	t.Helper()
	page := ad.follow(ad.post("/admin/users/invite", form), "/admin/users").want(t, http.StatusOK).has(t, "The invitation was created.")
	return shownOnce(t, ad, page, "invite-link")
}

// shownOnce returns the link page shows in the read-only field id, and
// checks that the users page does not show it again.
func shownOnce(t *testing.T, ad *browser, page reply, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `" type="text" readonly value="([^"]+)"`).FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no link shown:\n%s", page.Body)
	}
	ad.get("/admin/users").lacks(t, `id="`+id+`"`)
	return string(m[1])
}

func TestInvitations(t *testing.T) {
	e := newEnv(t)
	offset := e.shiftClock()
	ad := e.browser().signIn("admin@test.example")
	ctx := directory.WithUser(context.Background(), &directory.User{ID: 1, Role: directory.RoleAdmin})
	t.Run("refuses a bad invitation, keeping the input", func(t *testing.T) {
		f := url.Values{"email": {"not an email"}, "name": {"Nia"}, "role": {"editor"}, "enterprise": {"nosuch"}}
		ad.post("/admin/users/invite", f).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-email-error"`, `id="f-enterprise-error"`, `value="not an email"`, `value="nosuch"`)
		if invs, _ := e.svc.Invitations(ctx); len(invs) != 0 {
			t.Fatalf("stored %+v", invs)
		}
	})
	var link string
	t.Run("invites an editor and shows the link once", func(t *testing.T) {
		link = inviteLink(t, ad, url.Values{"email": {"nia@test.example"}, "name": {"Nia"}, "role": {"editor"}, "enterprise": {"shakyhands"}})
		if !strings.HasPrefix(link, e.srv.URL+"/invitations/"+directory.InvitationPrefix) {
			t.Fatalf("link %q", link)
		}
		ad.get("/admin/users").has(t, "nia@test.example", "Editor of shakyhands")
	})
	path := strings.TrimPrefix(link, e.srv.URL)
	nia := e.browser()
	t.Run("the invitee sees what the invitation is for", func(t *testing.T) {
		r := nia.get(path).want(t, http.StatusOK).has(t, "nia@test.example", "an editor of", `value="Nia"`)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
	})
	t.Run("refuses passwords that differ or are too short", func(t *testing.T) {
		nia.post(path, url.Values{"name": {"Nia N."}, "password": {"a good long password"}, "confirm": {"another one entirely"}}).
			want(t, http.StatusUnprocessableEntity).has(t, `id="f-confirm-error"`, `value="Nia N."`)
		nia.post(path, url.Values{"name": {"Nia N."}, "password": {"short"}, "confirm": {"short"}}).
			want(t, http.StatusUnprocessableEntity).has(t, `id="f-password-error"`)
	})
	t.Run("accepting creates the account and signs the invitee in", func(t *testing.T) {
		f := url.Values{"name": {"Nia N."}, "password": {"a good long password"}, "confirm": {"a good long password"}}
		nia.follow(nia.post(path, f), "/admin").want(t, http.StatusOK).
			has(t, "Welcome!", "Nia N.", "editor of Shaky Hands Carpentry")
		e.browser().post("/login", url.Values{"email": {"nia@test.example"}, "password": {"a good long password"}}).want(t, http.StatusSeeOther)
	})
	t.Run("a used link is refused", func(t *testing.T) {
		e.browser().get(path).want(t, http.StatusNotFound).has(t, "unknown, already used or expired")
		e.browser().post(path, url.Values{"name": {"X"}, "password": {"a good long password"}, "confirm": {"a good long password"}}).
			want(t, http.StatusNotFound)
	})
	t.Run("an expired link is refused", func(t *testing.T) {
		link := inviteLink(t, ad, url.Values{"email": {"late@test.example"}, "role": {"admin"}})
		offset.Store(int64(directory.InvitationTTL + time.Hour))
		defer offset.Store(0)
		e.browser().get(strings.TrimPrefix(link, e.srv.URL)).want(t, http.StatusNotFound)
	})
	t.Run("an admin cancels an invitation", func(t *testing.T) {
		link := inviteLink(t, ad, url.Values{"email": {"maybe@test.example"}, "role": {"admin"}})
		invs, _ := e.svc.Invitations(ctx)
		var id int64
		for _, inv := range invs {
			if inv.Email == "maybe@test.example" {
				id = inv.ID
			}
		}
		ad.follow(ad.post("/admin/invitations/"+strconv.FormatInt(id, 10)+"/cancel", nil), "/admin/users").
			has(t, "The invitation was cancelled.").lacks(t, "maybe@test.example")
		e.browser().get(strings.TrimPrefix(link, e.srv.URL)).want(t, http.StatusNotFound)
	})
}

func TestAdminDeletesUsers(t *testing.T) {
	e := newEnv(t)
	ad := e.browser().signIn("admin@test.example")
	ed := e.browser().signIn("editor@test.example")
	users, err := e.svc.Users(directory.AsSystem(context.Background()))
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, u := range users {
		ids[u.Email] = strconv.FormatInt(u.ID, 10)
	}
	t.Run("offers no button to delete oneself, and refuses it", func(t *testing.T) {
		ad.get("/admin/users").want(t, http.StatusOK).has(t, "(you)").
			lacks(t, `action="/admin/users/`+ids["admin@test.example"]+`/delete"`)
		ad.post("/admin/users/"+ids["admin@test.example"]+"/delete", nil).want(t, http.StatusUnprocessableEntity)
	})
	t.Run("deletes another account, whose session ends", func(t *testing.T) {
		ad.follow(ad.post("/admin/users/"+ids["editor@test.example"]+"/delete", nil), "/admin/users").
			has(t, "The account was deleted.").lacks(t, "editor@test.example")
		ed.get("/admin").want(t, http.StatusSeeOther)
	})
}
