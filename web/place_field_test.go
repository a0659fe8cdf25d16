package web_test

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// TestAdminPlaceField sets an enterprise's and a listing's coordinates
// from a place name, without JavaScript.
func TestAdminPlaceField(t *testing.T) {
	e := newEnv(t)
	ed := e.browser().signIn("editor@test.example")
	ctx := context.Background()
	at := func(t *testing.T, l directory.Location, lat, lon float64) {
		t.Helper()
		if !l.HasPoint() || math.Abs(*l.Lat-lat) > 0.01 || math.Abs(*l.Lon-lon) > 0.01 {
			t.Fatalf("location %+v, want about %v,%v", l, lat, lon)
		}
	}
	stored := func(t *testing.T) directory.Location {
		t.Helper()
		got, err := e.svc.Enterprise(ctx, "shakyhands")
		if err != nil {
			t.Fatal(err)
		}
		return got.Location
	}
	t.Run("offers the field, crediting GeoNames", func(t *testing.T) {
		ed.get("/admin/enterprises/shakyhands").want(t, http.StatusOK).
			has(t, `<label for="f-location-place">Place</label>`, `name="location.place"`, "Place names from GeoNames, CC BY 4.0.")
	})
	t.Run("a place sets the coordinates, replacing those typed", func(t *testing.T) {
		f := profileForm()
		f.Set("location.place", "Bologna")
		ed.follow(ed.post("/admin/enterprises/shakyhands", f), "/admin/enterprises/shakyhands").
			want(t, http.StatusOK).has(t, "The profile was saved.", `value="44.49381"`)
		l := stored(t)
		at(t, l, 44.49, 11.34)
		if l.Address != "Milwaukee, WI" {
			t.Errorf("the address typed was replaced: %q", l.Address)
		}
	})
	t.Run("an ambiguous place asks which one and changes nothing", func(t *testing.T) {
		f := profileForm()
		f.Set("location.place", "jackson")
		ed.post("/admin/enterprises/shakyhands", f).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-location-place-error"`, "Names 17 places: choose one below", `href="#f-location-place"`,
				"<legend>Which place?</legend>", `name="location.place_choice" value="Jackson, MS, US"`,
				"Jackson, Mississippi, United States (170,674 people)", `value="jackson"`)
		at(t, stored(t), 44.49, 11.34)
	})
	t.Run("a choice picked on the form is used", func(t *testing.T) {
		f := profileForm()
		f.Set("location.place", "jackson")
		f.Set("location.place_choice", "Jackson, TN, US")
		f.Set("location.address", "")
		ed.follow(ed.post("/admin/enterprises/shakyhands", f), "/admin/enterprises/shakyhands").has(t, "The profile was saved.")
		l := stored(t)
		at(t, l, 35.61, -88.81)
		if l.Address != "Jackson, Tennessee, United States" {
			t.Errorf("an empty address is not the place's: %q", l.Address)
		}
	})
	t.Run("an unknown or garbage place is refused beside the field", func(t *testing.T) {
		for place, msg := range map[string]string{
			"Xyzzyville": "Is no place we know",
			"%%%":        "Must be a place name of at most 100 characters",
		} {
			f := profileForm()
			f.Set("location.place", place)
			ed.post("/admin/enterprises/shakyhands", f).want(t, http.StatusUnprocessableEntity).
				has(t, `id="f-location-place-error"`, msg)
		}
		at(t, stored(t), 35.61, -88.81)
	})
	t.Run("manual coordinates still work without a place", func(t *testing.T) {
		ed.follow(ed.post("/admin/enterprises/shakyhands", profileForm()), "/admin/enterprises/shakyhands").
			has(t, "The profile was saved.")
		at(t, stored(t), 43.04, -87.91)
	})
	t.Run("a listing takes a place too", func(t *testing.T) {
		f := url.Values{"type": {"need"}, "title": {"Van for the market"}, "category": {"transport"},
			"location.place": {"Chicago, IL"}}
		ed.follow(ed.post("/admin/enterprises/shakyhands/listings/new", f), "/admin/enterprises/shakyhands#listings").
			has(t, "The listing was posted.")
		res, err := e.svc.SearchListings(ctx, directory.ListingQuery{Enterprise: "shakyhands"})
		if err != nil || res.Total != 1 {
			t.Fatalf("%v %+v", err, res)
		}
		at(t, res.Items[0].Location, 41.85, -87.65)
		if res.Items[0].Location.Address != "Chicago, Illinois, United States" {
			t.Errorf("address %q", res.Items[0].Location.Address)
		}
	})
}
