package web_test

import (
	"context"
	"fmt"
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
	t.Run("refuses a valid-until date before today beside the field, storing nothing", func(t *testing.T) {
		// The test clock reads 2026-11-25.
		f := url.Values{"type": {"need"}, "title": {"Late planks"}, "category": {"goods"}, "valid_until": {"2026-11-24"}}
		ed.post("/admin/enterprises/shakyhands/listings/new", f).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-valid-until-error"`, "must be today (2026-11-25) or later", `href="#f-valid-until"`,
				`value="2026-11-24"`, `tabindex="-1" autofocus`).lacks(t, "The listing was posted")
		if n := count(); n != 0 {
			t.Fatalf("%d listings stored", n)
		}
	})
	var id int64
	t.Run("posts a listing, which takes the enterprise's location, and links to it", func(t *testing.T) {
		f := url.Values{"type": {"offer"}, "title": {"Oak planks"}, "category": {"goods"}, "quantity": {"20"},
			"unit": {"m"}, "valid_until": {"2099-12-31"}}
		page := ed.follow(ed.post("/admin/enterprises/shakyhands/listings/new", f), "/admin/enterprises/shakyhands#listings").
			has(t, "The listing was posted.", "Oak planks", "Mark fulfilled")
		res, _ := e.svc.SearchListings(ctx, directory.ListingQuery{Enterprise: "shakyhands"})
		if res.Total == 1 {
			page.has(t, fmt.Sprintf(`The listing was posted. <a href="/listings/%d">See it on its public page</a>`, res.Items[0].ID))
		}
		if res.Total != 1 || res.Items[0].Location.Address != "Milwaukee, WI" || *res.Items[0].Quantity != 20 {
			t.Fatalf("stored: %+v", res)
		}
		id = res.Items[0].ID
		ed.get(fmt.Sprintf("/listings/%d", id)).want(t, http.StatusOK).has(t, "Oak planks")
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
		e.expire(id, "2020-01-01")
		ed.get("/admin").want(t, http.StatusOK).has(t, `status-expired">Expired`, "Renew for 30 days")
	})
	t.Run("edits an expired listing without renewing it, but refuses a new date in the past", func(t *testing.T) {
		f := url.Values{"title": {"Oak planks, old"}, "category": {"goods"}, "valid_until": {"2020-01-01"}}
		ed.follow(ed.post(path, f), "/admin/enterprises/shakyhands#listing-"+strconv.FormatInt(id, 10)).has(t, "The listing was saved.")
		f.Set("valid_until", "2020-01-02")
		f.Set("quantity", "many") // a parse error too: the date is still checked
		ed.post(path, f).want(t, http.StatusUnprocessableEntity).has(t, `id="f-valid-until-error"`, "or later", `id="f-quantity-error"`)
		if l, _ := e.svc.Listing(ctx, id); l.ValidUntil != "2020-01-01" || l.Title != "Oak planks, old" {
			t.Fatalf("stored: %+v", l)
		}
	})
	t.Run("refuses to send the browser elsewhere afterwards", func(t *testing.T) {
		r := ed.post(path+"/renew", url.Values{"back": {"//evil.example"}})
		if loc := r.want(t, http.StatusSeeOther).Header.Get("Location"); loc != "/admin" {
			t.Fatalf("Location %q", loc)
		}
	})
	t.Run("asks before deleting it", func(t *testing.T) {
		ed.get(path+"/delete?back=/admin").want(t, http.StatusOK).
			has(t, "Delete the offer “Oak planks, old”?", `name="confirm" value="yes"`, `name="back" value="/admin"`)
		ed.post(path+"/delete", url.Values{"back": {"/admin/enterprises/shakyhands"}}).want(t, http.StatusOK).
			has(t, "Delete the offer “Oak planks, old”?", `action="`+path+`/delete"`, `value="/admin/enterprises/shakyhands"`, "No, keep it")
		ed.post(path+"/delete", url.Values{"confirm": {"no"}}).want(t, http.StatusOK).has(t, "Yes, delete the offer")
		if n := count(); n != 1 {
			t.Fatalf("%d listings left", n)
		}
	})
	t.Run("refuses to confirm for a listing of another enterprise", func(t *testing.T) {
		other := e.createListing(`{"enterprise":"riverside","type":"offer","title":"Ladders","category":"tools"}`)
		ed.get(fmt.Sprintf("/admin/listings/%d/delete", other.ID)).want(t, http.StatusForbidden)
		ed.post(fmt.Sprintf("/admin/listings/%d/delete", other.ID), url.Values{"confirm": {"yes"}}).want(t, http.StatusForbidden)
		if _, err := e.svc.Listing(ctx, other.ID); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("deletes it once confirmed", func(t *testing.T) {
		ed.follow(ed.post(path+"/delete", url.Values{"confirm": {"yes"}, "back": {"/admin/enterprises/shakyhands"}}), "/admin/enterprises/shakyhands").
			has(t, "The listing was deleted.", "No needs or offers yet.")
		if n := count(); n != 0 {
			t.Fatalf("%d listings left", n)
		}
	})
}
