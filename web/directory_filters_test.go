package web_test

import (
	"net/http"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestDirectoryFiltersAcrossTabs(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut","category":"goods"}`)
	e.createListing(`{"enterprise":"riverside","type":"need","title":"Ladders","category":"tools"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Drills","category":"tools"}`)
	chip := func(label string) string { return label + ` <span aria-hidden="true">×</span>` }

	t.Run("drops a kind visibly when the needs are shown, and lists needs of every kind", func(t *testing.T) {
		page := e.page(t, "/directory?kind=worker_coop&sector=carpentry&show=needs", http.StatusOK)
		if n := total(t, page); n != 2 {
			t.Fatalf("%d needs, want both", n)
		}
		contains(t, page, `id="dropped"`, "Not applied to needs and offers", "<strong>Kind: Worker co-op</strong>, <strong>Sector: carpentry</strong>",
			`href="/directory?kind=worker_coop&amp;sector=carpentry">Show enterprises with these filters</a>`)
		lacks(t, page, chip("Kind: Worker co-op"), chip("Sector: carpentry"), `name="kind"`, `name="sector"`, "kind=worker_coop&amp;show")
	})
	t.Run("keeps the filters that apply to the new tab", func(t *testing.T) {
		page := e.page(t, "/directory?q=walnut&kind=worker_coop&show=needs", http.StatusOK)
		if n := total(t, page); n != 1 {
			t.Fatalf("%d needs, want the walnut one", n)
		}
		contains(t, page, chip("“walnut”"), `value="walnut"`)
	})
	t.Run("drops a category when enterprises are shown", func(t *testing.T) {
		page := e.page(t, "/directory?category=tools", http.StatusOK)
		if n := total(t, page); n != 2 {
			t.Fatalf("%d enterprises", n)
		}
		contains(t, page, "Not applied to enterprises", "<strong>Category: Tools</strong>",
			`href="/directory?category=tools&amp;show=needs">Show needs with this filter</a>`)
		lacks(t, page, chip("Category: Tools"), `name="category"`)
	})
	t.Run("keeps a category on the needs", func(t *testing.T) {
		page := e.page(t, "/directory?category=tools&show=needs", http.StatusOK)
		if n := total(t, page); n != 1 {
			t.Fatalf("%d needs", n)
		}
		contains(t, page, chip("Category: Tools"))
		lacks(t, page, `id="dropped"`)
	})
	t.Run("drops a kind on the board too", func(t *testing.T) {
		page := e.page(t, "/board?kind=tool_library", http.StatusOK)
		if n := total(t, page); n != 3 {
			t.Fatalf("%d listings", n)
		}
		contains(t, page, "<strong>Kind: Tool library</strong>", `href="/directory?kind=tool_library">Show enterprises`)
	})
	t.Run("lists categories that nothing matches with 0, not as links", func(t *testing.T) {
		page := e.page(t, "/directory?show=needs", http.StatusOK)
		contains(t, page, `<span class="none"><span>Food</span> <span class="count">0</span></span>`)
		lacks(t, page, "category=food")
		if n, _ := facet(t, page, "Tools"); n != 1 {
			t.Errorf("tools facet %d", n)
		}
		for _, c := range directory.Categories {
			shownFacet(t, page, c.Label())
		}
	})
	t.Run("lists kinds that nothing matches with 0", func(t *testing.T) {
		page := e.page(t, "/directory", http.StatusOK)
		for _, k := range directory.Kinds {
			shownFacet(t, page, k.Label())
		}
		if got := shownFacet(t, page, "Housing co-op"); got != "0" {
			t.Errorf("housing co-op facet %q", got)
		}
		if n, _ := facet(t, page, "Worker co-op"); n != 1 {
			t.Errorf("worker co-op facet %d", n)
		}
	})
	t.Run("a selected value that matches nothing stays a link to remove it", func(t *testing.T) {
		page := e.page(t, "/directory?kind=housing_coop", http.StatusOK)
		if n, link := facet(t, page, "Housing co-op"); n != 0 || link != "/directory" {
			t.Errorf("housing co-op facet %d %s", n, link)
		}
	})
	t.Run("says what is wrong with a bad page number, focusing the summary", func(t *testing.T) {
		for _, q := range []string{"page=abc", "page=-2", "page=100000", "show=needs&page=1e3"} {
			page := e.page(t, "/directory?"+q, http.StatusBadRequest)
			contains(t, page, `id="problems" tabindex="-1" autofocus`, "Page:")
		}
	})
}
