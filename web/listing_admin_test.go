package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminListings(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	ctx := context.Background()
	count := func() int {
		res, err := e.svc.SearchListings(ctx, directory.ListingQuery{Enterprise: "shakyhands"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	t.Run("keeps the input and shows each problem next to its field, storing nothing", func(t *testing.T) {
		f := url.Values{"type": {"offer"}, "title": {""}, "description": {"Oak, *dry*"}, "category": {"goods"},
			"quantity": {"lots"}, "unit": {"m"}, "valid_until": {"someday"}}
		ed.post("/admin/enterprises/shakyhands/listings/new", f).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-title-error"`, `id="f-quantity-error"`, `id="f-valid-until-error"`, "Oak, *dry*",
				`value="lots"`, `value="someday"`, `value="offer" checked`, `href="#f-title"`)
		if n := count(); n != 0 {
			t.Fatalf("%d listings stored", n)
		}
	})
	var id int64
	t.Run("posts a listing, which takes the enterprise's location", func(t *testing.T) {
		f := url.Values{"type": {"offer"}, "title": {"Oak planks"}, "category": {"goods"}, "quantity": {"20"},
			"unit": {"m"}, "valid_until": {"2099-12-31"}}
		ed.follow(ed.post("/admin/enterprises/shakyhands/listings/new", f), "/admin/enterprises/shakyhands#listings").
			has(t, "The listing was posted.", "Oak planks", "Mark fulfilled")
		res, _ := e.svc.SearchListings(ctx, directory.ListingQuery{Enterprise: "shakyhands"})
		if res.Total != 1 || res.Items[0].Location.Address != "Milwaukee, WI" || *res.Items[0].Quantity != 20 {
			t.Fatalf("stored: %+v", res)
		}
		id = res.Items[0].ID
	})
	path := "/admin/listings/" + strconv.FormatInt(id, 10)
	t.Run("edits it, keeping bad input on error", func(t *testing.T) {
		ed.get(path).want(t, http.StatusOK).has(t, `value="Oak planks"`, `value="2099-12-31"`, "Status: <strong>Open</strong>")
		f := url.Values{"title": {"Oak planks, dry"}, "category": {"goods"}, "unit": {"m"}}
		ed.post(path, f).want(t, http.StatusUnprocessableEntity).has(t, `id="f-unit-error"`, "A unit needs a quantity")
		f.Set("quantity", "15")
		ed.follow(ed.post(path, f), "/admin/enterprises/shakyhands#listing-"+strconv.FormatInt(id, 10)).has(t, "The listing was saved.")
		l, _ := e.svc.Listing(ctx, id)
		if l.Title != "Oak planks, dry" || *l.Quantity != 15 || l.ValidUntil != "" {
			t.Fatalf("stored: %+v", l)
		}
	})
	action := func(t *testing.T, name, notice string, want directory.Status) *directory.Listing {
		t.Helper()
		ed.follow(ed.post(path+"/"+name, url.Values{"back": {"/admin"}}), "/admin").has(t, notice)
		l, err := e.svc.Listing(ctx, id)
		if err != nil || l.Status != want {
			t.Fatalf("after %s: %+v, %v", name, l, err)
		}
		return l
	}
	t.Run("marks it fulfilled", func(t *testing.T) { action(t, "fulfil", "marked as fulfilled", directory.StatusFulfilled) })
	t.Run("withdraws it", func(t *testing.T) { action(t, "withdraw", "was withdrawn", directory.StatusWithdrawn) })
	t.Run("renews it for 30 days from today", func(t *testing.T) {
		l := action(t, "renew", "open again for 30 days", directory.StatusOpen)
		if want := e.svc.Now().AddDate(0, 0, 30).Format(directory.DateLayout); l.ValidUntil != want {
			t.Fatalf("valid until %s, want %s", l.ValidUntil, want)
		}
	})
	t.Run("marks an expired listing on the dashboard", func(t *testing.T) {
		past := "2020-01-01"
		if _, err := e.svc.UpdateListing(directory.AsSystem(ctx), id, directory.ListingUpdate{ValidUntil: &past}); err != nil {
			t.Fatal(err)
		}
		ed.get("/admin").want(t, http.StatusOK).has(t, `status-expired">Expired`, "Renew for 30 days")
	})
	t.Run("refuses to send the browser elsewhere afterwards", func(t *testing.T) {
		r := ed.post(path+"/renew", url.Values{"back": {"//evil.example"}})
		if loc := r.want(t, http.StatusSeeOther).Header.Get("Location"); loc != "/admin" {
			t.Fatalf("Location %q", loc)
		}
	})
	t.Run("deletes it", func(t *testing.T) {
		ed.follow(ed.post(path+"/delete", url.Values{"back": {"/admin/enterprises/shakyhands"}}), "/admin/enterprises/shakyhands").
			has(t, "The listing was deleted.", "No needs or offers yet.")
		if n := count(); n != 0 {
			t.Fatalf("%d listings left", n)
		}
	})
}
