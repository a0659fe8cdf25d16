package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// createListing posts a listing as the admin and returns it.
func (e *env) createListing(body string) directory.Listing {
	e.t.Helper()
	var l directory.Listing
	e.send(http.MethodPost, "/api/v1/listings", e.admin, body).want(e.t, http.StatusCreated).decode(e.t, &l)
	return l
}

// expire gives the listing id a valid-until date in the past, as time
// would: the Service refuses such a date, so it is written to the store.
func (e *env) expire(id int64, date string) {
	e.t.Helper()
	ctx := context.Background()
	l, err := e.svc.Listing(ctx, id)
	if err != nil {
		e.t.Fatal(err)
	}
	l.ValidUntil = date
	if err := e.db.UpdateListing(ctx, l, directory.Event{Type: directory.EventListingUpdated,
		EnterpriseHandle: l.EnterpriseHandle, ListingID: l.ID, At: e.svc.Now()}); err != nil {
		e.t.Fatal(err)
	}
}

func listingPath(id int64) string { return fmt.Sprintf("/api/v1/listings/%d", id) }

func titles(p directory.ListingPage) []string {
	var ts []string
	for _, it := range p.Items {
		ts = append(ts, it.Title)
	}
	slices.Sort(ts)
	return ts
}

func TestCreateListing(t *testing.T) {
	e := newEnv(t)
	t.Run("editor creates for own enterprise: 201 with Location", func(t *testing.T) {
		r := e.send(http.MethodPost, "/api/v1/listings", e.editor,
			`{"enterprise":"shakyhands","type":"offer","title":"Spare oak planks","category":"goods","quantity":12,"unit":"planks","valid_until":"2099-12-31"}`).
			want(t, http.StatusCreated)
		var l directory.Listing
		r.decode(t, &l)
		if r.Header.Get("Location") != e.srv.URL+listingPath(l.ID) {
			t.Fatalf("Location %q for id %d", r.Header.Get("Location"), l.ID)
		}
		if l.EnterpriseHandle != "shakyhands" || l.Status != directory.StatusOpen || l.Quantity == nil || *l.Quantity != 12 {
			t.Fatalf("got %+v", l)
		}
		if l.Location.Address != "Milwaukee, WI" {
			t.Errorf("listing did not take the enterprise's location: %+v", l.Location)
		}
	})
	t.Run("403 for the editor of another enterprise", func(t *testing.T) {
		e.send(http.MethodPost, "/api/v1/listings", e.editor,
			`{"enterprise":"riverside","type":"need","title":"Hammers","category":"tools"}`).problem(t, http.StatusForbidden)
	})
	t.Run("422 naming the invalid fields", func(t *testing.T) {
		p := e.send(http.MethodPost, "/api/v1/listings", e.admin,
			`{"enterprise":"riverside","type":"gift","title":"","category":"spaceships","quantity":-1,"valid_until":"soon"}`).
			problem(t, http.StatusUnprocessableEntity)
		for _, f := range []string{"type", "title", "category", "quantity", "valid_until"} {
			p.field(t, f)
		}
	})
	t.Run("422 naming valid_until for a date before today, on create and on update", func(t *testing.T) {
		// The test clock reads 2026-11-25: yesterday is refused, today is fine.
		p := e.send(http.MethodPost, "/api/v1/listings", e.admin,
			`{"enterprise":"riverside","type":"need","title":"Hammers","category":"tools","valid_until":"2026-11-24"}`).
			problem(t, http.StatusUnprocessableEntity)
		if rule, msg := p.field(t, "valid_until"); rule != "past" || !strings.Contains(msg, "2026-11-25") {
			t.Errorf("rule %q, message %q", rule, msg)
		}
		var l directory.Listing
		e.send(http.MethodPost, "/api/v1/listings", e.admin,
			`{"enterprise":"riverside","type":"need","title":"Hammers","category":"tools","valid_until":"2026-11-25"}`).
			want(t, http.StatusCreated).decode(t, &l)
		p = e.send(http.MethodPatch, listingPath(l.ID), e.admin, `{"valid_until":"2025-01-01"}`).problem(t, http.StatusUnprocessableEntity)
		if rule, _ := p.field(t, "valid_until"); rule != "past" {
			t.Errorf("rule %q", rule)
		}
		if got, _ := e.svc.Listing(context.Background(), l.ID); got.ValidUntil != "2026-11-25" {
			t.Errorf("stored %q", got.ValidUntil)
		}
	})
	t.Run("422 when the enterprise is unknown or missing", func(t *testing.T) {
		for body, rule := range map[string]string{
			`{"enterprise":"nobody","type":"need","title":"Hammers","category":"tools"}`: "exists",
			`{"type":"need","title":"Hammers","category":"tools"}`:                       "required",
		} {
			p := e.send(http.MethodPost, "/api/v1/listings", e.admin, body).problem(t, http.StatusUnprocessableEntity)
			if got, _ := p.field(t, "enterprise"); got != rule {
				t.Errorf("%s: rule %q, want %q", body, got, rule)
			}
		}
	})
}

func TestGetListing(t *testing.T) {
	e := newEnv(t)
	l := e.createListing(`{"enterprise":"riverside","type":"offer","title":"Drill lending","category":"tools","description":"Bring *ID*."}`)
	t.Run("returns the listing with its enterprise", func(t *testing.T) {
		var got directory.Listing
		e.get(listingPath(l.ID)).want(t, http.StatusOK).decode(t, &got)
		if got.Title != "Drill lending" || got.EnterpriseName != "Riverside Tool Library" || !strings.Contains(got.DescriptionHTML, "<em>ID</em>") {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("404 for an unknown or malformed id", func(t *testing.T) {
		for _, id := range []string{"999999", "abc", "-1", "0", "99999999999999999999"} {
			e.get("/api/v1/listings/"+id).problem(t, http.StatusNotFound)
		}
	})
}

func TestListListings(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Lumber","category":"goods"}`)
	e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Carpentry lessons","category":"skills"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Lawn mower","category":"tools","location":{"address":"Far away","lat":10,"lon":10}}`)
	old := e.createListing(`{"enterprise":"riverside","type":"need","title":"Old ladders","category":"tools"}`)
	e.expire(old.ID, "2020-01-01")
	search := func(t *testing.T, query string) directory.ListingPage {
		t.Helper()
		var p directory.ListingPage
		e.get("/api/v1/listings"+query).want(t, http.StatusOK).decode(t, &p)
		return p
	}
	for query, want := range map[string][]string{
		"":                                       {"Carpentry lessons", "Lawn mower", "Lumber", "Old ladders"},
		"?type=need":                             {"Lumber", "Old ladders"},
		"?category=goods,skills":                 {"Carpentry lessons", "Lumber"},
		"?category=goods&category=skills":        {"Carpentry lessons", "Lumber"},
		"?status=open":                           {"Carpentry lessons", "Lawn mower", "Lumber"},
		"?status=expired":                        {"Old ladders"},
		"?enterprise=riverside":                  {"Lawn mower", "Old ladders"},
		"?q=lumber":                              {"Lumber"},
		"?near=10.01,10.01&within_km=50":         {"Lawn mower"},
		"?type=offer&origin=local&sort=newest":   {"Carpentry lessons", "Lawn mower"},
		"?near=43,-87.9&within_km=25&type=offer": {"Carpentry lessons"},
	} {
		t.Run("filters "+query, func(t *testing.T) {
			if got := titles(search(t, query)); !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
	t.Run("pages with total", func(t *testing.T) {
		p := search(t, "?per_page=3&page=2&sort=newest")
		if p.Total != 4 || p.Page.Page != 2 || p.PerPage != 3 || len(p.Items) != 1 || p.Items[0].Title != "Lumber" {
			t.Fatalf("got %+v", p)
		}
	})
}

func TestUpdateListing(t *testing.T) {
	e := newEnv(t)
	l := e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Planks","category":"goods","quantity":5,"unit":"planks"}`)
	other := e.createListing(`{"enterprise":"riverside","type":"need","title":"Ladders","category":"tools"}`)
	patch := func(t *testing.T, token string, id int64, body string) reply {
		t.Helper()
		return e.send(http.MethodPatch, listingPath(id), token, body)
	}
	current := func(t *testing.T) directory.Listing {
		t.Helper()
		var got directory.Listing
		e.get(listingPath(l.ID)).want(t, http.StatusOK).decode(t, &got)
		return got
	}

	t.Run("absent quantity is kept", func(t *testing.T) {
		patch(t, e.editor, l.ID, `{"title":"Oak planks"}`).want(t, http.StatusOK)
		if got := current(t); got.Title != "Oak planks" || got.Quantity == nil || *got.Quantity != 5 {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("a number sets the quantity", func(t *testing.T) {
		var got directory.Listing
		patch(t, e.editor, l.ID, `{"quantity":7.5}`).want(t, http.StatusOK).decode(t, &got)
		if got.Quantity == nil || *got.Quantity != 7.5 {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("null quantity is refused while a unit needs it", func(t *testing.T) {
		p := patch(t, e.editor, l.ID, `{"quantity":null}`).problem(t, http.StatusUnprocessableEntity)
		p.field(t, "unit")
	})
	t.Run("null clears the quantity", func(t *testing.T) {
		patch(t, e.editor, l.ID, `{"quantity":null,"unit":null}`).want(t, http.StatusOK)
		if got := current(t); got.Quantity != nil || got.Unit != "" || got.Title != "Oak planks" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("a string quantity is a 400 naming the field", func(t *testing.T) {
		p := patch(t, e.editor, l.ID, `{"quantity":"five"}`).problem(t, http.StatusBadRequest)
		if rule, _ := p.field(t, "quantity"); rule != "type" {
			t.Fatalf("rule %q", rule)
		}
	})
	t.Run("status changes with the other fields", func(t *testing.T) {
		var got directory.Listing
		patch(t, e.editor, l.ID, `{"status":"fulfilled","title":"Oak planks (gone)"}`).want(t, http.StatusOK).decode(t, &got)
		if got.Status != directory.StatusFulfilled || got.Title != "Oak planks (gone)" {
			t.Fatalf("got %+v", got)
		}
		if cur := current(t); cur.Status != directory.StatusFulfilled {
			t.Fatalf("not stored: %+v", cur)
		}
	})
	t.Run("status alone changes", func(t *testing.T) {
		patch(t, e.editor, l.ID, `{"status":"open"}`).want(t, http.StatusOK)
		if got := current(t); got.Status != directory.StatusOpen {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("an invalid status is refused and changes nothing", func(t *testing.T) {
		for _, body := range []string{`{"status":"expired","title":"Sneaky"}`, `{"status":"sideways","title":"Sneaky"}`} {
			p := patch(t, e.editor, l.ID, body).problem(t, http.StatusUnprocessableEntity)
			p.field(t, "status")
		}
		if got := current(t); got.Title == "Sneaky" {
			t.Fatal("a refused patch changed the title")
		}
	})
	t.Run("422 naming an invalid field", func(t *testing.T) {
		p := patch(t, e.editor, l.ID, `{"category":"spaceships"}`).problem(t, http.StatusUnprocessableEntity)
		p.field(t, "category")
	})
	t.Run("type is fixed: 400 unknown field", func(t *testing.T) {
		p := patch(t, e.editor, l.ID, `{"type":"need"}`).problem(t, http.StatusBadRequest)
		p.field(t, "type")
	})
	t.Run("403 for the editor of another enterprise", func(t *testing.T) {
		patch(t, e.editor, other.ID, `{"title":"Mine"}`).problem(t, http.StatusForbidden)
		patch(t, e.editor, other.ID, `{"status":"withdrawn"}`).problem(t, http.StatusForbidden)
	})
	t.Run("404 for an unknown id", func(t *testing.T) {
		patch(t, e.admin, 999999, `{"title":"X"}`).problem(t, http.StatusNotFound)
	})
}

func TestDeleteListing(t *testing.T) {
	e := newEnv(t)
	mine := e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Glue","category":"goods"}`)
	theirs := e.createListing(`{"enterprise":"riverside","type":"need","title":"Saws","category":"tools"}`)
	t.Run("403 for the editor of another enterprise", func(t *testing.T) {
		e.send(http.MethodDelete, listingPath(theirs.ID), e.editor, "").problem(t, http.StatusForbidden)
		e.get(listingPath(theirs.ID)).want(t, http.StatusOK)
	})
	t.Run("editor deletes own: 204, then 404", func(t *testing.T) {
		e.send(http.MethodDelete, listingPath(mine.ID), e.editor, "").want(t, http.StatusNoContent)
		e.get(listingPath(mine.ID)).problem(t, http.StatusNotFound)
		e.send(http.MethodDelete, listingPath(mine.ID), e.editor, "").problem(t, http.StatusNotFound)
	})
}
