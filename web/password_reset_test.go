package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// resetLink makes a password-reset link for the account with this email
// through the users page and returns the link it shows once.
func resetLink(t *testing.T, ad *browser, email string) string {
	t.Helper()
	users := ad.get("/admin/users").want(t, http.StatusOK)
	m := regexp.MustCompile(`action="/admin/users/(\d+)/reset"><button type="submit">Password-reset link<span class="visually-hidden"> for ` +
		regexp.QuoteMeta(email)).FindSubmatch(users.Body)
	if m == nil {
		t.Fatalf("no reset button for %s:\n%s", email, users.Body)
	}
	page := ad.follow(ad.post("/admin/users/"+string(m[1])+"/reset", nil), "/admin/users").
		want(t, http.StatusOK).has(t, "The password-reset link was created.")
	return shownOnce(t, ad, page, "reset-link")
}

func TestPasswordReset(t *testing.T) {
	const newPassword = "another long enough password"
	e := newEnv(t)
	offset := e.shiftClock()
	ad := e.browser().signIn("admin@test.example")
	path := func(link string) string { return strings.TrimPrefix(link, e.srv.URL) }
	choose := func(b *browser, link, password, confirm string) reply {
		return b.post(path(link), url.Values{"password": {password}, "confirm": {confirm}})
	}
	t.Run("sets the new password, signs the other browsers out and this one in", func(t *testing.T) {
		old := e.browser().signIn("editor@test.example")
		link := resetLink(t, ad, "editor@test.example")
		if !strings.HasPrefix(path(link), "/password-reset/"+directory.PasswordResetPrefix) {
			t.Fatalf("link %q", link)
		}
		b := e.browser()
		page := b.get(path(link)).want(t, http.StatusOK).has(t, "Choose a new password", "editor@test.example")
		if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		b.follow(choose(b, link, newPassword, newPassword), "/admin").want(t, http.StatusOK).
			has(t, "Your new password is set")
		old.get("/admin").want(t, http.StatusSeeOther)
		b.get("/admin").want(t, http.StatusOK)
		e.browser().post("/login", url.Values{"email": {"editor@test.example"}, "password": {seedPassword}}).
			want(t, http.StatusUnprocessableEntity)
		e.browser().post("/login", url.Values{"email": {"editor@test.example"}, "password": {newPassword}}).
			want(t, http.StatusSeeOther)
		ad.get("/admin").want(t, http.StatusOK) // the admin's session is not the editor's
		t.Run("refuses the link the second time", func(t *testing.T) {
			b := e.browser()
			b.get(path(link)).want(t, http.StatusNotFound).has(t, "unknown, already used or expired")
			choose(b, link, "a third long password", "a third long password").want(t, http.StatusNotFound)
			e.browser().post("/login", url.Values{"email": {"editor@test.example"}, "password": {newPassword}}).
				want(t, http.StatusSeeOther)
		})
	})
	t.Run("refuses a bad password and keeps the link", func(t *testing.T) {
		link := resetLink(t, ad, "editor@test.example")
		b := e.browser()
		choose(b, link, "short", "short").want(t, http.StatusUnprocessableEntity).has(t, `id="f-password-error"`)
		choose(b, link, "a long enough password 2", "a long enough password 3").
			want(t, http.StatusUnprocessableEntity).has(t, `id="f-confirm-error"`)
		if b.get("/admin").Status != http.StatusSeeOther {
			t.Fatal("signed in after a refused reset")
		}
		b.get(path(link)).want(t, http.StatusOK)
	})
	t.Run("a newer link replaces the older", func(t *testing.T) {
		first := resetLink(t, ad, "editor@test.example")
		second := resetLink(t, ad, "editor@test.example")
		e.browser().get(path(first)).want(t, http.StatusNotFound)
		e.browser().get(path(second)).want(t, http.StatusOK)
	})
	t.Run("refuses an expired link", func(t *testing.T) {
		link := resetLink(t, ad, "editor@test.example")
		offset.Add(int64(directory.PasswordResetTTL + time.Minute))
		b := e.browser()
		b.get(path(link)).want(t, http.StatusNotFound)
		choose(b, link, "a third long password", "a third long password").want(t, http.StatusNotFound)
		offset.Store(0)
	})
	t.Run("refuses unknown and malformed links", func(t *testing.T) {
		for _, p := range []string{"/password-reset/" + directory.PasswordResetPrefix + "nosuch", "/password-reset/coopdir_i_x",
			"/password-reset/" + strings.Repeat("a", 300)} {
			e.browser().get(p).want(t, http.StatusNotFound)
		}
	})
	t.Run("only admins make links", func(t *testing.T) {
		ed := e.browser()
		ed.post("/login", url.Values{"email": {"editor@test.example"}, "password": {newPassword}}).want(t, http.StatusSeeOther)
		ed.post("/admin/users/1/reset", nil).want(t, http.StatusForbidden)
		e.browser().post("/admin/users/1/reset", nil).want(t, http.StatusSeeOther)
		ad.post("/admin/users/999/reset", nil).want(t, http.StatusNotFound)
	})
}
