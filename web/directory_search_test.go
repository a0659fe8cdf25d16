package web

import (
	"net/url"
	"reflect"
	"testing"

	"github.com/coopdir/coopdir/directory"
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

func TestCountLabel(t *testing.T) {
	for _, c := range []struct {
		n    int
		more bool
		want string
	}{
		{0, false, "0"}, {7, false, "7"}, {999, false, "999"}, {1000, true, "1,000+"},
		{6786, false, "6,786"}, {1234567, false, "1,234,567"}, {-1234, false, "-1,234"},
	} {
		if got := countLabel(c.n, c.more); got != c.want {
			t.Errorf("countLabel(%d, %v) = %q, want %q", c.n, c.more, got, c.want)
		}
	}
}

func TestPageLinks(t *testing.T) {
	f := searchForm{Base: "/directory", Show: showEnterprises, Q: "bakery"}
	at := func(page int) searchForm { g := f; g.Page = page; return g }
	for _, c := range []struct {
		name   string
		form   searchForm
		total  int
		capped bool
		want   pager
	}{
		{"exact, first page", f, 45, false, pager{Page: 1, Pages: 3, NextURL: "/directory?page=2&q=bakery"}},
		{"exact, last page", at(3), 45, false, pager{Page: 3, Pages: 3, PrevURL: "/directory?page=2&q=bakery"}},
		{"capped: a next page, their number unknown", at(50), 1000, true,
			pager{Page: 50, PrevURL: "/directory?page=49&q=bakery", NextURL: "/directory?page=51&q=bakery"}},
		{"capped at the deepest page: no next", at(500), 10000, true, pager{Page: 500, PrevURL: "/directory?page=499&q=bakery"}},
	} {
		if got := pageLinks(c.form, c.total, c.capped, 20); got != c.want {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
}

func TestOriginCountsOfCappedTotals(t *testing.T) {
	counted := map[string]int{}
	count := func(origin string) (directory.FacetCount, error) {
		counted[origin]++
		return directory.FacetCount{Count: 7}, nil
	}
	exact, capped := directory.FacetCount{Count: 1000}, directory.FacetCount{Count: 1000, AtLeast: true}
	if got, _ := difference(exact, directory.FacetCount{Count: 3}, count, directory.OriginLocal); got != (directory.FacetCount{Count: 997}) || len(counted) > 0 {
		t.Errorf("exact difference %+v, counted %v", got, counted)
	}
	if got, _ := difference(capped, directory.FacetCount{Count: 3}, count, directory.OriginLocal); got.Count != 7 || counted[directory.OriginLocal] != 1 {
		t.Errorf("a capped total is not subtracted from: %+v", got)
	}
	if got := sum(capped, directory.FacetCount{Count: 3}); got != (directory.FacetCount{Count: 1003, AtLeast: true}) {
		t.Errorf("sum %+v", got)
	}
}
