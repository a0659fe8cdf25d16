package web

import (
	"net/url"
	"reflect"
	"testing"
)

func TestSearchFormRoundTripsThroughTheURL(t *testing.T) {
	for _, f := range []searchForm{
		{Base: "/directory", Show: showEnterprises},
		{Base: "/directory", Show: showEnterprises, Q: "bike repair & more", Kinds: []string{"worker_coop", "tool_library"}, Sector: "repair",
			Origin: "partners", Near: "Milwaukee, WI", WithinKM: "50", Sort: "distance", Page: 3},
		{Base: "/directory", Show: showNeeds, Categories: []string{"tools", "space"}, Near: "43.04,-87.91", WithinKM: "25"},
		{Base: "/map", Show: showOffers, Q: "ladder", Sort: "newest"},
		{Base: "/board", Type: "need", Categories: []string{"food"}, Page: 2},
		{Base: "/board"},
	} {
		u, err := url.Parse(f.URL())
		if err != nil {
			t.Fatal(err)
		}
		p := &queryParams{v: u.Query()}
		got := parseSearchForm(u.Path, u.Query(), p)
		if err := p.err(); err != nil {
			t.Errorf("%s: %v", f.URL(), err)
		}
		if !reflect.DeepEqual(got, f) {
			t.Errorf("%s\n read back %+v\n wrote     %+v", f.URL(), got, f)
		}
	}
}

func TestSearchFormLeavesDefaultsOutOfTheURL(t *testing.T) {
	for raw, want := range map[string]string{
		"/directory?show=enterprises&page=1&origin=all": "/directory",
		"/directory?near=Milwaukee":                     "/directory?near=Milwaukee&within_km=25",
		"/directory?within_km=10":                       "/directory",
		"/board?q=&type=":                               "/board",
	} {
		u, _ := url.Parse(raw)
		p := &queryParams{v: u.Query()}
		if got := parseSearchForm(u.Path, u.Query(), p).URL(); got != want {
			t.Errorf("%s: %s, want %s", raw, got, want)
		}
	}
}
