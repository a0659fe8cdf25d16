package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminPermissions(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	t.Run("an editor sees their enterprise, not the admin's shortcuts", func(t *testing.T) {
		ed.get("/admin").want(t, http.StatusOK).
			has(t, "editor of Shaky Hands Carpentry", `href="/admin/enterprises/shakyhands"`, "Post a need or offer").
			lacks(t, "/admin/settings", "/admin/users", "Add an enterprise", "Riverside")
	})
	for _, path := range []string{"/admin/settings", "/admin/users", "/admin/enterprises/new", "/admin/enterprises/shakyhands/delete"} {
		t.Run("an editor may not open "+path, func(t *testing.T) {
			ed.get(path).want(t, http.StatusForbidden).has(t, "only the network&#39;s admins")
		})
	}
	t.Run("an editor may not change another enterprise", func(t *testing.T) {
		ed.get("/admin/enterprises/riverside").want(t, http.StatusForbidden).has(t, "your own enterprise")
		ed.post("/admin/enterprises/riverside", url.Values{"name": {"Taken Over"}, "kind": {"other"}}).want(t, http.StatusForbidden)
		ed.post("/admin/enterprises/riverside/listings/new", url.Values{"type": {"need"}, "title": {"Spam"}, "category": {"other"}}).
			want(t, http.StatusForbidden)
		ed.get("/admin/enterprises/riverside/announcements/new").want(t, http.StatusForbidden)
		ed.post("/admin/enterprises/riverside/delete", nil).want(t, http.StatusForbidden)
		got, err := e.svc.Enterprise(context.Background(), "riverside")
		if err != nil || got.Name != "Riverside Tool Library" {
			t.Fatalf("riverside changed: %+v, %v", got, err)
		}
	})
	t.Run("an editor may not touch another enterprise's listings and posts", func(t *testing.T) {
		sys := directory.AsSystem(context.Background())
		l := &directory.Listing{Type: directory.Offer, Title: "Drills", Category: "tools"}
		a := &directory.Announcement{Content: "Open Saturday"}
		if err := e.svc.CreateListing(sys, "riverside", l); err != nil {
			t.Fatal(err)
		}
		if err := e.svc.CreateAnnouncement(sys, "riverside", a); err != nil {
			t.Fatal(err)
		}
		ed.get(listingAdminPath(l.ID)).want(t, http.StatusForbidden)
		ed.post(listingAdminPath(l.ID)+"/delete", nil).want(t, http.StatusForbidden)
		ed.post(announcementAdminPath(a.ID)+"/delete", nil).want(t, http.StatusForbidden)
		if _, err := e.svc.Listing(context.Background(), l.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Announcement(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a signed-out visitor's post is sent to sign in and changes nothing", func(t *testing.T) {
		r := e.browser().post("/admin/enterprises/shakyhands", url.Values{"name": {"Anon"}, "kind": {"other"}})
		if r.want(t, http.StatusSeeOther).Header.Get("Location") != "/login" {
			t.Fatalf("Location %q", r.Header.Get("Location"))
		}
	})
	t.Run("an unknown enterprise or listing is a 404 page", func(t *testing.T) {
		ed.get("/admin/enterprises/nosuch").want(t, http.StatusNotFound)
		ed.get("/admin/listings/99999").want(t, http.StatusNotFound)
		ed.get("/admin/listings/abc").want(t, http.StatusNotFound)
	})
}

func TestAdminDashboard(t *testing.T) {
	e := newEnv(t)
	ad := e.browser().signIn("admin@test.example")
	t.Run("lists the local enterprises by name", func(t *testing.T) {
		ad.get("/admin").want(t, http.StatusOK).
			has(t, "2 enterprises", "Riverside Tool Library", "Shaky Hands Carpentry", `href="/admin/settings"`, `href="/admin/users"`)
	})
	t.Run("searches them", func(t *testing.T) {
		ad.get("/admin?q=river").want(t, http.StatusOK).has(t, "1 enterprise matching", "Riverside").lacks(t, "Shaky Hands")
	})
	t.Run("refuses a bad page number with a 400 page", func(t *testing.T) {
		ad.get("/admin?page=x").want(t, http.StatusBadRequest)
	})
}

func listingAdminPath(id int64) string { return "/admin/listings/" + strconv.FormatInt(id, 10) }

func announcementAdminPath(id int64) string {
	return "/admin/announcements/" + strconv.FormatInt(id, 10)
}
