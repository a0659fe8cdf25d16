package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// total reads the number of results a search page reports.
func total(t *testing.T, page string) int {
	t.Helper()
	m := regexp.MustCompile(`data-total="(\d+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no result count in:\n%s", page)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// facet returns the count a page shows for the facet link whose label is
// label, and its address.
func facet(t *testing.T, page, label string) (int, string) {
	t.Helper()
	re := regexp.MustCompile(`<a href="([^"]*)"[^>]*><span>(?:<span class="visually-hidden">Selected: </span>)?` + regexp.QuoteMeta(label) + `</span> <span class="count">(\d+)</span>`)
	m := re.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no facet %q in:\n%s", label, page)
	}
	n, _ := strconv.Atoi(m[2])
	return n, html.UnescapeString(m[1])
}

// tab returns the count of a tab of the directory and its address.
func tab(t *testing.T, page, label string) (int, string) {
	t.Helper()
	m := regexp.MustCompile(`<a href="([^"]*)"[^>]*>` + label + ` <span class="count">\((\d+)\)</span>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no tab %q in:\n%s", label, page)
	}
	n, _ := strconv.Atoi(m[2])
	return n, html.UnescapeString(m[1])
}

func (e *env) countEnterprises(q directory.EnterpriseQuery) int {
	e.t.Helper()
	res, err := e.svc.SearchEnterprises(context.Background(), q)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.Total
}

func (e *env) countListings(q directory.ListingQuery) int {
	e.t.Helper()
	q.Status = directory.StatusOpen
	res, err := e.svc.SearchListings(context.Background(), q)
	if err != nil {
		e.t.Fatal(err)
	}
	return res.Total
}

func TestDirectoryPage(t *testing.T) {
	e := newDemoEnv(t)

	t.Run("lists every enterprise with tab and facet counts that match the directory", func(t *testing.T) {
		page := e.page(t, "/directory", http.StatusOK)
		if n := total(t, page); n != e.countEnterprises(directory.EnterpriseQuery{}) || n == 0 {
			t.Fatalf("%d results", n)
		}
		contains(t, page, "MKE Mesh Cooperative", `href="/enterprises/mkemesh"`, `<form class="search" method="get" action="/directory" role="search">`)
		if n, _ := tab(t, page, "Needs"); n != e.countListings(directory.ListingQuery{Type: directory.Need}) || n == 0 {
			t.Errorf("needs tab %d", n)
		}
		if n, _ := tab(t, page, "Offers"); n != e.countListings(directory.ListingQuery{Type: directory.Offer}) || n == 0 {
			t.Errorf("offers tab %d", n)
		}
		for _, k := range []directory.Kind{directory.KindWorkerCoop, directory.KindToolLibrary} {
			n, link := facet(t, page, k.Label())
			if want := e.countEnterprises(directory.EnterpriseQuery{Kinds: []directory.Kind{k}}); n != want {
				t.Errorf("%s facet says %d, the directory has %d", k, n, want)
			}
			if total(t, e.page(t, link, http.StatusOK)) != n {
				t.Errorf("the %s facet link %s does not give %d results", k, link, n)
			}
		}
	})
	t.Run("a facet link narrows the search and counts other values as alternatives", func(t *testing.T) {
		page := e.page(t, "/directory?kind=worker_coop", http.StatusOK)
		contains(t, page, `aria-current="true"><span><span class="visually-hidden">Selected: </span>Worker co-op</span>`,
			`<input type="hidden" name="kind" value="worker_coop">`, "Kind: Worker co-op")
		n, link := facet(t, page, "Tool library")
		if n != 1 || link != "/directory?kind=worker_coop&kind=tool_library" {
			t.Errorf("tool library facet %d %s", n, link)
		}
		if _, off := facet(t, page, "Worker co-op"); off != "/directory" {
			t.Errorf("selected facet links to %s, want the search without it", off)
		}
	})
	t.Run("shows needs with their category facet", func(t *testing.T) {
		page := e.page(t, "/directory?show=needs", http.StatusOK)
		n := total(t, page)
		if n != e.countListings(directory.ListingQuery{Type: directory.Need}) {
			t.Fatalf("%d needs", n)
		}
		contains(t, page, `<span class="badge">Need</span>`, `href="/listings/`)
		lacks(t, page, `<span class="badge">Offer</span>`)
		sum := 0
		for _, c := range directory.Categories {
			want := e.countListings(directory.ListingQuery{Type: directory.Need, Categories: []directory.Category{c}})
			if want == 0 {
				continue
			}
			got, _ := facet(t, page, c.Label())
			if got != want {
				t.Errorf("category %s: facet %d, directory %d", c, got, want)
			}
			sum += got
		}
		if sum != n {
			t.Errorf("category counts add up to %d of %d", sum, n)
		}
	})
	t.Run("carries the whole query in the URL and back into the form", func(t *testing.T) {
		q := "/directory?kind=worker_coop&near=43.04%2C-87.91&q=cooperative&sort=distance&within_km=50"
		page := e.page(t, q, http.StatusOK)
		contains(t, page, `<link rel="canonical" href="`+e.srv.URL+html.EscapeString(q)+`">`,
			`value="cooperative"`, `value="43.04,-87.91"`, `<option value="50" selected>`, `<option value="distance" selected>`,
			"km away", "Within 50 km of 43.04, -87.91")
		_, next := tab(t, page, "Needs")
		u, _ := url.Parse(next)
		if v := u.Query(); v.Get("q") != "cooperative" || v.Get("near") != "43.04,-87.91" || v.Get("within_km") != "50" || v.Has("kind") {
			t.Errorf("the needs tab drops the shared query: %s", next)
		}
	})
	t.Run("finds a place name among the addresses and says which place it used", func(t *testing.T) {
		page := e.page(t, "/directory?near=milwaukee&within_km=5", http.StatusOK)
		contains(t, page, "Using Milwaukee, WI, found in 5 listed addresses.", "Within 5 km of Milwaukee, WI")
		if total(t, page) != 5 {
			t.Error("the demo enterprises are all in Milwaukee")
		}
	})
	t.Run("says when a place is not found and searches without distance", func(t *testing.T) {
		page := e.page(t, "/directory?near=Xyzzyville&sort=distance", http.StatusOK)
		contains(t, page, "No listed address or known place matches “Xyzzyville”, so results are not limited by distance.")
		if total(t, page) != 5 {
			t.Error("the search without distance should list everything")
		}
	})
	t.Run("helps when nothing matches", func(t *testing.T) {
		page := e.page(t, "/directory?q=zeppelin&kind=worker_coop", http.StatusOK)
		contains(t, page, "Nothing matches this search.", "You searched for “zeppelin”.",
			`<a href="/directory?kind=worker_coop">Remove “zeppelin”</a>`, `<a href="/directory?q=zeppelin">Remove Kind: Worker co-op</a>`,
			`href="/board"`)
	})
	t.Run("pages through the results", func(t *testing.T) {
		page := e.page(t, "/directory?page=2", http.StatusOK)
		contains(t, page, "Page 2 is past the last page of results.", `href="/directory"`)
	})
}

func TestDirectoryPageRefusesBadQueries(t *testing.T) {
	e := newDemoEnv(t)
	for _, tc := range []struct{ query, field, message string }{
		{"within_km=far&near=Milwaukee", "within", "Within: must be a distance in kilometres such as 25, not &#34;far&#34;"},
		{"near=95,10", "near", "Near: must be a latitude,longitude pair such as 43.04,-87.91"},
		{"sort=distance", "sort", "Sort: sorting by distance needs near and within_km"},
		{"show=people", "show", "Show: must be enterprises, needs or offers"},
		{"sort=cheapest", "sort", "Sort: must be relevance, name, newest or distance"},
		{"kind=spaceship", "", "Kind: must be one of worker_coop"},
		{"page=lots", "", "Page: must be a whole number"},
		{"page=9999", "", "Page: must be between 1 and 500"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			page := e.page(t, "/directory?"+tc.query, http.StatusBadRequest)
			contains(t, page, "This search could not run.", tc.message, `<form class="search"`, `name="robots" content="noindex"`)
			lacks(t, page, "Using ")
			if tc.field != "" {
				contains(t, page, `aria-invalid="true"`, `<span class="field-error" id="`+tc.field+`-error">`+tc.message)
			}
			lacks(t, page, "data-total")
		})
	}
}

func TestDirectoryPageOfAnEmptyDirectory(t *testing.T) {
	e := newBareEnv(t)
	page := e.page(t, "/directory", http.StatusOK)
	contains(t, page, "0 enterprises", "Nothing matches yet: the directory has no enterprises so far.")
	if n, _ := tab(t, page, "Needs"); n != 0 {
		t.Error("needs in an empty directory")
	}
	contains(t, e.page(t, "/directory?show=offers&q=bike", http.StatusOK), "0 open offers", "Nothing matches this search.")
}

func TestDirectoryPageShowsOriginsWhenPartnersExist(t *testing.T) {
	e := newEnv(t)
	page := e.page(t, "/directory", http.StatusOK)
	lacks(t, page, "Partner networks")
	ctx := context.Background()
	for i := range 2 {
		ent := &directory.Enterprise{Handle: fmt.Sprintf("far%d", i), Name: fmt.Sprintf("Far Co-op %d", i), Kind: directory.KindWorkerCoop,
			Sectors: []string{}, Languages: []string{}, Origin: "partner.example", RemoteID: fmt.Sprintf("https://partner.example/e/%d", i),
			RemoteURL: fmt.Sprintf("https://partner.example/enterprises/far%d", i), CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := e.db.CreateEnterprise(ctx, ent, directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: ent.Handle, Origin: ent.Origin, At: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	page = e.page(t, "/directory", http.StatusOK)
	contains(t, page, `href="https://partner.example/enterprises/far0"`, "from partner.example")
	if n, _ := facet(t, page, "Partner networks"); n != 2 {
		t.Errorf("partners %d", n)
	}
	if n, _ := facet(t, page, "This network"); n != 2 {
		t.Errorf("local %d", n)
	}
	n, link := facet(t, page, "Every network")
	if n != 4 || link != "/directory" {
		t.Errorf("all %d %s", n, link)
	}
	page = e.page(t, "/directory?origin=partners", http.StatusOK)
	if total(t, page) != 2 {
		t.Error("origin=partners does not filter")
	}
	if n, _ := facet(t, page, "Every network"); n != 4 {
		t.Errorf("all %d from the partners view", n)
	}
}

// shownFacet returns the count a page shows for the facet link labelled
// label, as written ("1,000+").
func shownFacet(t *testing.T, page, label string) string {
	t.Helper()
	m := regexp.MustCompile(`<span>(?:<span class="visually-hidden">Selected: </span>)?` + regexp.QuoteMeta(label) +
		`</span> <span class="count">([^<]*)</span>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no facet %q in:\n%s", label, page)
	}
	return html.UnescapeString(m[1])
}

// shownTab returns the count a tab of the directory shows, as written.
func shownTab(t *testing.T, page, label string) string {
	t.Helper()
	m := regexp.MustCompile(`>` + label + ` <span class="count">\(([^)]*)\)</span>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no tab %q in:\n%s", label, page)
	}
	return html.UnescapeString(m[1])
}

func TestDirectoryPageCapsTheCountsOfCommonWords(t *testing.T) {
	e := newEnv(t)
	sys := directory.AsSystem(context.Background())
	n := directory.DefaultCountCap + 5
	kinds := []directory.Kind{directory.KindWorkerCoop, directory.KindToolLibrary}
	rows := make([]directory.ImportRow, n)
	for i := range rows {
		rows[i] = directory.ImportRow{Line: i + 1, Enterprise: &directory.Enterprise{Handle: fmt.Sprintf("lamp%04d", i),
			Name: fmt.Sprintf("Lantern Makers %d", i), Kind: kinds[i%2], Sectors: []string{"lanterns"}}}
	}
	if _, err := e.svc.ImportEnterprises(sys, rows, directory.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	for i := range n + 3 {
		l := &directory.Listing{Type: directory.Need, Title: fmt.Sprintf("Lantern wicks %d", i), Category: "goods"}
		if i >= n {
			l.Type, l.Title = directory.Offer, fmt.Sprintf("Lantern oil %d", i)
		}
		if err := e.svc.CreateListing(sys, "shakyhands", l); err != nil {
			t.Fatal(err)
		}
	}

	t.Run("shows the total, tabs and facets of more matches than the cap as 1,000+", func(t *testing.T) {
		page := e.page(t, "/directory?q=lantern", http.StatusOK)
		contains(t, html.UnescapeString(page), `data-total="1000" data-total-capped>1,000+ enterprises</h2>`, `rel="next"`)
		lacks(t, page, "Page 1 of")
		for label, want := range map[string]string{"Enterprises": "1,000+", "Needs": "1,000+", "Offers": "3"} {
			if got := shownTab(t, page, label); got != want {
				t.Errorf("%s tab shows %q, want %q", label, got, want)
			}
		}
		// The facets count the newest thousand: kinds alternate.
		for label, want := range map[string]string{"Worker co-op": "500+", "Tool library": "500+", "lanterns": "1,000+"} {
			if got := shownFacet(t, page, label); got != want {
				t.Errorf("%s facet shows %q, want %q", label, got, want)
			}
		}
	})
	t.Run("pages on past the cap until the results end", func(t *testing.T) {
		page := e.page(t, "/directory?q=lantern&page=50", http.StatusOK)
		contains(t, page, "1,000&#43; enterprises", `href="/directory?page=51&amp;q=lantern" rel="next"`)
		page = e.page(t, "/directory?q=lantern&page=51", http.StatusOK)
		contains(t, page, `data-total="1005">1,005 enterprises</h2>`, "Page 51 of 51", "Lantern Makers 0")
		lacks(t, page, `rel="next"`)
	})
	t.Run("caps the needs tab the same way", func(t *testing.T) {
		page := e.page(t, "/directory?q=lantern&show=needs", http.StatusOK)
		contains(t, html.UnescapeString(page), "1,000+ open needs")
		for label, want := range map[string]string{"Enterprises": "1,000+", "Needs": "1,000+", "Offers": "3"} {
			if got := shownTab(t, page, label); got != want {
				t.Errorf("%s tab shows %q, want %q", label, got, want)
			}
		}
		if got := shownFacet(t, page, "Goods"); got != "1,000+" {
			t.Errorf("goods facet shows %q", got)
		}
	})
	t.Run("counts below the cap exactly", func(t *testing.T) {
		page := e.page(t, "/directory?q=lantern+oil&show=offers", http.StatusOK)
		contains(t, page, `data-total="3">3 open offers</h2>`)
		if got := shownTab(t, page, "Needs"); got != "0" {
			t.Errorf("needs tab shows %q", got)
		}
	})
}
