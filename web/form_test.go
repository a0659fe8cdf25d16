package web

import (
	"net/url"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestSafeNext(t *testing.T) {
	for next, want := range map[string]string{
		"/admin/listings/3":           "/admin/listings/3",
		"/directory?q=wood&page=2":    "/directory?q=wood&page=2",
		"/enterprises/shakyhands#top": "/enterprises/shakyhands#top",
		"":                            "/admin",
		"admin":                       "/admin",
		"//evil.example":              "/admin",
		"///evil.example":             "/admin",
		"https://evil.example":        "/admin",
		"HTTPS://evil.example/":       "/admin",
		`/\evil.example`:              "/admin",
		`/\/evil.example`:             "/admin",
		"/\t/evil.example":            "/admin",
		"/\r\nLocation: x":            "/admin",
		"javascript:alert(1)":         "/admin",
		"http:/evil.example":          "/admin",
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestFormParser(t *testing.T) {
	t.Run("reads numbers with a decimal comma and lists", func(t *testing.T) {
		p := &adminParser{values: url.Values{"location.lat": {"43,04"}, "location.lon": {" -87.91 "}, "sectors": {"a, b,,c "}}}
		loc := p.location()
		if *loc.Lat != 43.04 || *loc.Lon != -87.91 || loc.RadiusKM != nil || len(p.errs) != 0 {
			t.Fatalf("location %+v, errors %v", loc, p.errs)
		}
		if got := p.list("sectors"); len(got) != 3 || got[2] != "c" {
			t.Fatalf("list %q", got)
		}
	})
	t.Run("reports what does not parse and leaves out the pair rule it would break", func(t *testing.T) {
		p := &adminParser{values: url.Values{"location.lat": {"north"}, "location.lon": {"-87.91"}, "founded": {"1990s"}, "name": {""}}}
		e := p.enterprise()
		err := p.err(e.Validate(time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)))
		got := map[string]string{}
		for _, f := range directory.ErrorFields(err) {
			got[f.Field] = f.Rule
		}
		if got["location.lat"] != "number" || got["founded"] != "number" || got["name"] != "required" || got["kind"] != "enum" || len(got) != 5 {
			t.Fatalf("errors %v", got)
		}
	})
}

func TestFormShowsErrors(t *testing.T) {
	f := settingsForm()
	f.fill(url.Values{"network_name": {"<b>x</b>"}, "tile_url": {"ftp://x"}})
	f.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid settings", Fields: []directory.FieldError{
		{Field: "tile_url", Rule: "url", Message: "must be an http address"}, {Field: "elsewhere", Rule: "x", Message: "is odd"}}})
	tile, _ := f.F("tile_url")
	if tile.Error != "Must be an http address" || tile.DescribedBy() != "f-tile-url-hint f-tile-url-error" || tile.Value != "ftp://x" {
		t.Fatalf("field %+v", tile)
	}
	// Problems without a control come first, then those of the controls in form order.
	if len(f.Errors) != 2 || f.Errors[1].ID != "f-tile-url" || f.Errors[0].ID != "" || f.Errors[0].Message != "Elsewhere is odd" {
		t.Fatalf("summary %+v", f.Errors)
	}
}
