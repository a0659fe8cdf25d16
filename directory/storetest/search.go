package storetest

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// today is the expiry cut-off of the listing searches.
const today = "2026-03-15"

// searchEnterprises validates q, as the Service does, and runs it.
func searchEnterprises(t *testing.T, s directory.Store, q directory.EnterpriseQuery) *directory.EnterprisePage {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("invalid query %+v: %v", q, err)
	}
	p, err := s.SearchEnterprises(ctx, q)
	if err != nil {
		t.Fatalf("search enterprises %+v: %v", q, err)
	}
	if len(p.Items) > q.PerPage {
		t.Fatalf("%d items on a page of %d", len(p.Items), q.PerPage)
	}
	// The total does not depend on the page: check it on a page of one,
	// which a store cannot infer the total from.
	if q.PerPage > 1 && q.Page.Page == 1 {
		q.Page = directory.Page{Page: 2, PerPage: 1}
		p2, err := s.SearchEnterprises(ctx, q)
		if err != nil {
			t.Fatalf("search enterprises %+v: %v", q, err)
		}
		total, capped := secondPageTotal(q.CountCap, q.Text, p.Total, p.TotalCapped)
		if p2.Total != total || p2.TotalCapped != capped || len(p.Items) > 1 && (len(p2.Items) != 1 || p2.Items[0].ID != p.Items[1].ID) {
			t.Errorf("%+v: total %d and second item %q, but %d and %q on the first page",
				q, p2.Total, enterpriseHandles(p2), p.Total, enterpriseHandles(p))
		}
	}
	return p
}

// searchListings validates q, as the Service does, and runs it on today.
func searchListings(t *testing.T, s directory.Store, q directory.ListingQuery) *directory.ListingPage {
	t.Helper()
	if err := q.Validate(); err != nil {
		t.Fatalf("invalid query %+v: %v", q, err)
	}
	q.Today = today
	p, err := s.SearchListings(ctx, q)
	if err != nil {
		t.Fatalf("search listings %+v: %v", q, err)
	}
	if len(p.Items) > q.PerPage {
		t.Fatalf("%d items on a page of %d", len(p.Items), q.PerPage)
	}
	if q.PerPage > 1 && q.Page.Page == 1 {
		q.Page = directory.Page{Page: 2, PerPage: 1}
		p2, err := s.SearchListings(ctx, q)
		if err != nil {
			t.Fatalf("search listings %+v: %v", q, err)
		}
		total, capped := secondPageTotal(q.CountCap, q.Text, p.Total, p.TotalCapped)
		if p2.Total != total || p2.TotalCapped != capped || len(p.Items) > 1 && (len(p2.Items) != 1 || p2.Items[0].ID != p.Items[1].ID) {
			t.Errorf("%+v: total %d and second item %q, but %d and %q on the first page",
				q, p2.Total, listingTitles(p2), p.Total, listingTitles(p))
		}
	}
	return p
}

// secondPageTotal is the total that a search whose first page reported
// total (and capped) must report on page 2 of one result each: the same,
// unless a text search's cap stops its count sooner there
// (directory.TotalLimit depends on the page).
func secondPageTotal(countCap int, text string, total int, capped bool) (int, bool) {
	if countCap <= 0 || len(fulltext.Terms(text)) == 0 {
		return total, capped
	}
	if capped {
		total++ // more than total
	}
	return directory.CappedCount(total, directory.TotalLimit(countCap, directory.Page{Page: 2, PerPage: 1}))
}

// wantTextTotals checks that text finds want enterprises in every order.
func wantTextTotals(t *testing.T, s directory.Store, text string, want int) {
	t.Helper()
	for _, sort := range []string{directory.SortRelevance, directory.SortName, directory.SortNewest} {
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: text, Sort: sort})
		if p.Total != want || len(p.Items) != want {
			t.Errorf("%q by %s: %d items, total %d; want %d", text, sort, len(p.Items), p.Total, want)
		}
	}
}

// wantListingTextTotals checks that text finds want listings in every order.
func wantListingTextTotals(t *testing.T, s directory.Store, text string, want int) {
	t.Helper()
	for _, sort := range []string{directory.SortRelevance, directory.SortName, directory.SortNewest} {
		p := searchListings(t, s, directory.ListingQuery{Text: text, Sort: sort})
		if p.Total != want || len(p.Items) != want {
			t.Errorf("%q by %s: %d items, total %d; want %d", text, sort, len(p.Items), p.Total, want)
		}
	}
}

func enterpriseHandles(p *directory.EnterprisePage) []string {
	out := []string{}
	for _, r := range p.Items {
		out = append(out, r.Handle)
	}
	return out
}

func listingTitles(p *directory.ListingPage) []string {
	out := []string{}
	for _, r := range p.Items {
		out = append(out, r.Title)
	}
	return out
}

// wantOrder fails unless got is want, in order, and total is len(want).
func wantOrder(t *testing.T, what string, got []string, total int, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) || total != len(want) {
		t.Errorf("%s: got %q (total %d), want %q", what, got, total, want)
	}
}

// wantSet is wantOrder for results whose order the test does not fix.
func wantSet(t *testing.T, what string, got []string, total int, want ...string) {
	t.Helper()
	got, want = slices.Sorted(slices.Values(got)), slices.Sorted(slices.Values(want))
	wantOrder(t, what, got, total, want...)
}

// wantDistance checks a result's distance against directory.DistanceKM.
func wantDistance(t *testing.T, name string, got *float64, from directory.Point, loc directory.Location) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: no distance", name)
		return
	}
	want := directory.DistanceKM(from, directory.Point{Lat: *loc.Lat, Lon: *loc.Lon})
	if math.Abs(*got-want) > 1e-6 {
		t.Errorf("%s: distance %.9f km, want %.9f", name, *got, want)
	}
}

// hostileTexts mix SQL and FTS syntax with words; {w} stands for a word
// that matches some rows. None may fail, none may match everything: each
// must find what its plain form finds (like; "" means nothing).
var hostileTexts = []struct{ text, like, label string }{
	{`zzqx" OR "a`, "", "quotes and OR"},
	{`zzqx OR {w}`, "", "a bare OR"},
	{`NEAR(zzqx {w})`, "", "NEAR()"},
	{`zzqx*`, "", "a star"},
	{`'; DROP TABLE enterprises; --`, "", "an SQL injection"},
	{`{w} NOT zzqx`, "", "a bare NOT"},
	{`title:{w}`, "", "a column filter"},
	{`-{w}`, "{w}", "a minus"},
	{`{w}"`, "{w}", "an unbalanced quote"},
	{`"{w}`, "{w}", "a leading quote"},
	{`^{w}`, "{w}", "a caret"},
	{`{w};`, "{w}", "a semicolon"},
	{`({w})`, "{w}", "parentheses"},
	{`{w}*`, "{w}", "a trailing star"},
	{`{w}'s`, "{w} s", "an apostrophe"},
}

// testHostileText runs every hostile text through run, whose results count
// counts; word matches some but not all of the all rows.
func testHostileText[P any](t *testing.T, word string, all int, run func(t *testing.T, text string) P, count func(P) int) {
	for _, h := range hostileTexts {
		t.Run("treats "+h.label+" as plain words", func(t *testing.T) {
			text := strings.ReplaceAll(h.text, "{w}", word)
			got, want := count(run(t, text)), 0
			if h.like != "" {
				want = count(run(t, strings.ReplaceAll(h.like, "{w}", word)))
			}
			if got != want || got == all {
				t.Errorf("%q found %d of %d, want %d", text, got, all, want)
			}
		})
	}
	t.Run("ignores a query of punctuation only", func(t *testing.T) {
		for _, text := range []string{`"`, `*`, `-`, `;`, `'`, `()`, `" * "`} {
			if got := count(run(t, text)); got != all {
				t.Errorf("%q found %d, want all %d (no words: no text filter)", text, got, all)
			}
		}
	})
}
