package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// profileForm is a complete, valid profile as the edit form posts it.
func profileForm() url.Values {
	return url.Values{
		"name": {"Shaky Hands Carpentry"}, "kind": {"worker_coop"}, "summary": {"We build **sturdy** things."},
		"sectors": {"carpentry, repair"}, "founded": {"2011"}, "governance": {"One member, one vote"},
		"membership": {"open"}, "languages": {"en, es"}, "website": {"https://shaky.example"},
		"email": {"hello@shaky.example"}, "phone": {"+1 414 555 0100"}, "location.address": {"Milwaukee, WI"},
		"location.lat": {"43.04"}, "location.lon": {"-87.91"}, "location.radius_km": {"12.5"},
	}
}

func TestAdminEditEnterprise(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	ctx := context.Background()
	t.Run("shows the profile in the form", func(t *testing.T) {
		ed.get("/admin/enterprises/shakyhands").want(t, http.StatusOK).
			has(t, `value="Shaky Hands Carpentry"`, `<option value="worker_coop" selected>`, "We build **sturdy** things.",
				`value="43.04"`, "You can use Markdown", `<label for="f-location-lat">`).
			lacks(t, "Delete this enterprise")
	})
	t.Run("keeps the input and shows each problem next to its field, storing nothing", func(t *testing.T) {
		bad := profileForm()
		bad.Set("name", "")
		bad.Set("website", "not a website")
		bad.Set("location.lat", "north")
		bad.Set("founded", "long ago")
		bad.Set("summary", "A **new** summary")
		r := ed.post("/admin/enterprises/shakyhands", bad).want(t, http.StatusUnprocessableEntity)
		r.has(t, `value="not a website"`, `value="north"`, "A **new** summary", `value="long ago"`,
			`id="f-name-error"`, `id="f-website-error"`, `id="f-location-lat-error"`, `id="f-founded-error"`,
			`href="#f-website"`, "Must be an http or https address", "Must be a number", `aria-invalid="true"`)
		if strings.Contains(string(r.Body), `id="f-location-lon-error"`) {
			t.Error("a coordinate that did not parse also blamed its partner")
		}
		got, _ := e.svc.Enterprise(ctx, "shakyhands")
		if got.Name != "Shaky Hands Carpentry" || got.Summary != "We build **sturdy** things." {
			t.Fatalf("stored: %+v", got)
		}
	})
	t.Run("saves every field and says so after the redirect", func(t *testing.T) {
		f := profileForm()
		f.Set("name", "Shaky Hands Co-op")
		f.Set("languages", "en, es, hmn")
		page := ed.follow(ed.post("/admin/enterprises/shakyhands", f), "/admin/enterprises/shakyhands")
		page.want(t, http.StatusOK).has(t, "The profile was saved.", `value="Shaky Hands Co-op"`)
		got, _ := e.svc.Enterprise(ctx, "shakyhands")
		if got.Name != "Shaky Hands Co-op" || len(got.Languages) != 3 || got.Founded != 2011 || got.Membership != "open" ||
			got.Location.RadiusKM == nil || *got.Location.RadiusKM != 12.5 || got.Phone != "+1 414 555 0100" {
			t.Fatalf("stored: %+v", got)
		}
		ed.get("/admin/enterprises/shakyhands").lacks(t, "The profile was saved.")
	})
}

func TestAdminCreateAndDeleteEnterprise(t *testing.T) {
	e := newEnv(t)
	ad := e.browser().signIn("admin@test.example")
	ctx := context.Background()
	t.Run("refuses a bad handle, keeping the input", func(t *testing.T) {
		f := url.Values{"handle": {"Bad Handle!"}, "name": {"Bakery"}, "kind": {""}}
		ad.post("/admin/enterprises/new", f).want(t, http.StatusUnprocessableEntity).
			has(t, `value="Bad Handle!"`, `value="Bakery"`, `id="f-handle-error"`, `id="f-kind-error"`)
		if _, err := e.svc.Enterprise(ctx, "Bad Handle!"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("stored: %v", err)
		}
	})
	t.Run("refuses a taken handle", func(t *testing.T) {
		f := url.Values{"handle": {"riverside"}, "name": {"Another"}, "kind": {"other"}}
		ad.post("/admin/enterprises/new", f).want(t, http.StatusConflict).has(t, `id="f-handle-error"`, "already taken")
	})
	t.Run("creates an enterprise and opens its page", func(t *testing.T) {
		f := url.Values{"handle": {"bakery"}, "name": {"People's Bakery"}, "kind": {"worker_coop"}, "sectors": {"food"}}
		ad.follow(ad.post("/admin/enterprises/new", f), "/admin/enterprises/bakery").
			want(t, http.StatusOK).has(t, "The enterprise was created.", "People&#39;s Bakery", "Delete this enterprise")
	})
	t.Run("asks before deleting, then deletes", func(t *testing.T) {
		ad.get("/admin/enterprises/bakery/delete").want(t, http.StatusOK).has(t, "Delete People&#39;s Bakery?", "cannot be undone")
		ad.follow(ad.post("/admin/enterprises/bakery/delete", nil), "/admin").has(t, "The enterprise was deleted")
		if _, err := e.svc.Enterprise(ctx, "bakery"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("still there: %v", err)
		}
	})
}
