package web_test

import (
	"context"
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// TestNearPlaces runs place-name distance searches on both engines: the
// gazetteer when no listed address matches, choices for an ambiguous name,
// and clear refusals of values that cannot be a place.
func TestNearPlaces(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) { testNearPlaces(t, engine) })
	}
}

func testNearPlaces(t *testing.T, engine instancetest.Engine) {
	in := instancetest.Start(t, engine)
	sys := directory.AsSystem(context.Background())
	for _, e := range []struct {
		handle, name, address string
		lat, lon              float64
	}{
		{"looptools", "Loop Tool Library", "W Madison St", 41.88, -87.63},         // in Chicago
		{"evanbikes", "Evanston Bike Kitchen", "Davis St", 42.05, -87.68},         // 20 km north
		{"farish", "Farish Street Mutual Aid", "Farish St", 32.30, -90.19},        // Jackson, MS
		{"bakery", "Forno Cooperativo", "Via Indipendenza, Bologna", 44.5, 11.34}, // listed address
	} {
		lat, lon := e.lat, e.lon
		ent := &directory.Enterprise{Handle: e.handle, Name: e.name, Kind: directory.KindWorkerCoop,
			Location: directory.Location{Address: e.address, Lat: &lat, Lon: &lon}}
		if err := in.Service().CreateEnterprise(sys, ent); err != nil {
			t.Fatal(err)
		}
	}
	page := func(t *testing.T, path string, status int) string {
		t.Helper()
		got, _, body := instancetest.Fetch(t, in.URLOf(path), "text/html")
		if got != status {
			t.Fatalf("GET %s: %d, want %d\n%s", path, got, status, body)
		}
		return string(body)
	}
	t.Run("near Chicago limits and sorts the results by distance", func(t *testing.T) {
		p := page(t, "/directory?near=Chicago&within_km=25", http.StatusOK)
		contains(t, p, "Using Chicago, Illinois, United States.", "Within 25 km of Chicago, Illinois, United States",
			"GeoNames</a>, CC BY 4.0")
		if n := total(t, p); n != 2 {
			t.Errorf("%d results near Chicago, want 2", n)
		}
		if i, j := strings.Index(p, "Loop Tool Library"), strings.Index(p, "Evanston Bike Kitchen"); i < 0 || j < i {
			t.Error("the nearest is not first")
		}
		if strings.Contains(p, "Farish Street") || strings.Contains(p, "Forno") {
			t.Error("far enterprises are listed")
		}
		p = page(t, "/directory?near=chicago+il&within_km=10", http.StatusOK)
		if n := total(t, p); n != 1 {
			t.Errorf("%d results within 10 km of chicago il, want 1", n)
		}
	})
	t.Run("an ambiguous name offers its places, biggest first", func(t *testing.T) {
		p := page(t, "/directory?near=Jackson", http.StatusOK)
		contains(t, p, "“Jackson” names several places: choose one below.", "Which “Jackson”?",
			"Jackson, Mississippi, United States</a> <span class=\"count\">(170,674 people)</span>")
		if n := total(t, p); n != 4 {
			t.Errorf("%d results: an ambiguous place must not limit them", n)
		}
		link := "/directory?near=" + url.QueryEscape("Jackson, MS, US") + "&within_km=25"
		href := strings.ReplaceAll(html.EscapeString(link), "+", "&#43;") // as html/template writes it
		i, j := strings.Index(p, `href="`+href+`"`), strings.Index(p, "Jackson, Tennessee")
		if i < 0 || j < i {
			t.Fatalf("no link %s before Jackson, Tennessee in\n%s", href, p)
		}
		p = page(t, link, http.StatusOK)
		contains(t, p, "Using Jackson, Mississippi, United States.", "Farish Street Mutual Aid")
		if n := total(t, p); n != 1 {
			t.Errorf("%d results near Jackson, MS, want 1", n)
		}
	})
	t.Run("the directory's own addresses come first", func(t *testing.T) {
		p := page(t, "/directory?near=Bologna&within_km=5", http.StatusOK)
		contains(t, p, "Using Via Indipendenza, Bologna, found in 1 listed address.")
		if n := total(t, p); n != 1 {
			t.Errorf("%d results near Bologna", n)
		}
	})
	t.Run("refuses a value that cannot be a place", func(t *testing.T) {
		for q, msg := range map[string]string{
			"!!!%20%3F":                    "Near: must be a place name such as Chicago, IL, or a latitude,longitude pair",
			strings.Repeat("abc", 40):      "Near: must be at most 100 characters",
			strings.Repeat("%E2%80%A6", 3): "Near: must be a place name such as Chicago, IL",
		} {
			p := page(t, "/directory?near="+q, http.StatusBadRequest)
			contains(t, p, msg, `id="near-error"`)
		}
	})
	t.Run("an unknown place says so", func(t *testing.T) {
		p := page(t, "/directory?near=Xyzzyville", http.StatusOK)
		contains(t, p, "No listed address or known place matches “Xyzzyville”")
	})
	t.Run("the API takes a place name", func(t *testing.T) {
		var res struct {
			Items []struct{ Handle string }
		}
		if st := in.API(http.MethodGet, "/api/v1/enterprises?near=Chicago,+IL&within_km=25&sort=distance", nil, &res); st != http.StatusOK {
			t.Fatalf("status %d", st)
		}
		if len(res.Items) != 2 || res.Items[0].Handle != "looptools" {
			t.Errorf("near Chicago: %+v", res.Items)
		}
		for q, want := range map[string]string{
			"Jackson":    "names 17 places; give one of: Jackson, MS, US; Jackson, TN, US",
			"Xyzzyville": "is no known place",
			"%3F%3F%3F":  "must be a latitude,longitude pair such as 43.04,-87.91 or a place name",
		} {
			st, _, body := instancetest.Fetch(t, in.URLOf("/api/v1/enterprises?near="+q+"&within_km=25"), "application/json")
			var prob struct {
				Errors []struct{ Field, Message string }
			}
			if err := json.Unmarshal(body, &prob); err != nil || st != http.StatusBadRequest || len(prob.Errors) != 1 ||
				prob.Errors[0].Field != "near" || !strings.Contains(prob.Errors[0].Message, want) {
				t.Errorf("near=%s: %d %s, want a 400 on near with %q", q, st, body, want)
			}
		}
	})
}
