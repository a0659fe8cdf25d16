package web_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserPlaces chooses places by name: near an ambiguous name on the
// directory, and an enterprise's location on its admin form.
func TestBrowserPlaces(t *testing.T) {
	b := newBrowserInstance(t)

	t.Run("near an ambiguous name offers its places", func(t *testing.T) {
		b.open(t, "/directory?near=Jackson")
		screenshot(t, b.ctx, "directory-near-choices")
		do(t, b.ctx, "choose the first Jackson",
			chromedp.Click(chromedp.CSS(`#near-choices li:first-child a`)),
		)
		b.waitFor(t, `document.readyState === "complete" && document.querySelector("#near-status").innerText.includes("Using Jackson, Mississippi, United States.")`)
		if got := eval[string](t, b, `document.querySelector("#near").value`); got != "Jackson, MS, US" {
			t.Fatalf("near after the choice: %q", got)
		}
	})

	t.Run("an editor sets the location by place name", func(t *testing.T) {
		b.signIn(t)
		b.open(t, "/admin/enterprises/shakyhands")
		profile := `main form[action="/admin/enterprises/shakyhands"]`
		do(t, b.ctx, "type an ambiguous place",
			chromedp.SendKeys(chromedp.CSS("#f-location-place"), "Springfield"),
			chromedp.Click(chromedp.CSS(profile+` button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		)
		if n := eval[int](t, b, `document.querySelectorAll('input[name="location.place_choice"]').length`); n < 2 {
			t.Fatalf("%d choices for Springfield", n)
		}
		screenshot(t, b.ctx, "admin-place-choices")
		do(t, b.ctx, "choose Springfield, Illinois",
			chromedp.Click(chromedp.CSS(`input[name="location.place_choice"][value="Springfield, IL, US"]`)),
			chromedp.Click(chromedp.CSS(profile+` button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`.notice[role="status"]`)),
		)
		lat, _ := strconv.ParseFloat(eval[string](t, b, `document.querySelector("#f-location-lat").value`), 64)
		lon, _ := strconv.ParseFloat(eval[string](t, b, `document.querySelector("#f-location-lon").value`), 64)
		if math.Abs(lat-39.80) > 0.05 || math.Abs(lon+89.64) > 0.05 {
			t.Fatalf("coordinates after choosing Springfield, IL: %v, %v", lat, lon)
		}
	})
}

// TestBrowserLocationPicker sets an enterprise's coordinates by clicking
// the small map of its admin form.
func TestBrowserLocationPicker(t *testing.T) {
	b := newBrowserInstance(t)
	b.signIn(t)
	b.open(t, "/admin/enterprises/shakyhands")
	if n := eval[int](t, b, `document.querySelectorAll('script[src*="leaflet"]').length`); n != 0 {
		t.Errorf("the form page loads Leaflet (%d scripts) before the map is opened", n)
	}
	b.waitFor(t, `!!document.querySelector(".locate:not([hidden]) .locate-open")`)
	eval[bool](t, b, `document.querySelector(".locate-open").scrollIntoView({block: "center"}) === undefined`)
	do(t, b.ctx, "open the map", chromedp.Click(chromedp.CSS(".locate-open")))
	b.waitFor(t, `!!document.querySelector(".locate:not([hidden]) .locate-map.leaflet-container") &&
		document.querySelectorAll(".locate-map .leaflet-background-pane path.map-land").length > 10 &&
		!!document.querySelector(".locate-map .leaflet-marker-icon")`)
	screenshot(t, b.ctx, "admin-location-picker")
	lat0, lon0 := fieldNumber(t, b, "#f-location-lat"), fieldNumber(t, b, "#f-location-lon")
	eval[bool](t, b, `document.querySelector(".locate-map").scrollIntoView({block: "center"}) === undefined`)
	x := eval[float64](t, b, `(r => r.left + r.width * 0.8)(document.querySelector(".locate-map").getBoundingClientRect())`)
	y := eval[float64](t, b, `(r => r.top + r.height / 2)(document.querySelector(".locate-map").getBoundingClientRect())`)
	do(t, b.ctx, "click east of the marker", chromedp.MouseClickXY(x, y))
	b.waitFor(t, `document.querySelector("#locate-status").textContent.includes("set from the map")`)
	lat, lon := fieldNumber(t, b, "#f-location-lat"), fieldNumber(t, b, "#f-location-lon")
	if math.Abs(lat-lat0) > 0.05 || lon <= lon0+0.01 || lon > lon0+1 {
		t.Fatalf("clicked east of %v,%v and got %v,%v", lat0, lon0, lat, lon)
	}
	profile := `main form[action="/admin/enterprises/shakyhands"]`
	do(t, b.ctx, "save the profile", chromedp.Click(chromedp.CSS(profile+` button[type="submit"]`)))
	b.waitFor(t, `!!document.querySelector('.notice[role="status"]')`)
	if got := fieldNumber(t, b, "#f-location-lon"); math.Abs(got-lon) > 0.000001 {
		t.Errorf("saved longitude %v, chose %v", got, lon)
	}
}

// fieldNumber reads a form field of the page as a number.
func fieldNumber(t *testing.T, b *browserInstance, selector string) float64 {
	t.Helper()
	s := eval[string](t, b, `document.querySelector("`+selector+`").value`)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("%s holds %q", selector, s)
	}
	return v
}
