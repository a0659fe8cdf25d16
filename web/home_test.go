package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// page GETs an HTML page and checks its status and type.
func (e *env) page(t *testing.T, path string, status int) string {
	t.Helper()
	r := e.get(path).want(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	if r.Header.Get("Content-Security-Policy") == "" {
		t.Error("no Content-Security-Policy")
	}
	return string(r.Body)
}

func contains(t *testing.T, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("page lacks %q", w)
		}
	}
	if t.Failed() {
		t.Logf("page:\n%s", page)
	}
}

func TestHomePage(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut offcuts","category":"goods"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Ladder loans","category":"tools"}`)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Given away","category":"tools","status":"fulfilled"}`)

	t.Run("shows the network, a labelled search box and the enterprises", func(t *testing.T) {
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, "Cooperation Testville", "Co-ops of Testville, working together.",
			`<label class="grow" for="q">`, `id="q" name="q"`, `<header>`, `<main`, `<footer>`,
			"Shaky Hands Carpentry", "Worker co-op", "Milwaukee, WI", "<li>carpentry</li>", "<strong>sturdy</strong>",
			`href="/enterprises/shakyhands"`, "Riverside Tool Library", "Tool library")
	})
	t.Run("shows the newest open needs and offers", func(t *testing.T) {
		page := e.page(t, "/", http.StatusOK)
		contains(t, page, "Walnut offcuts", "Ladder loans", `href="/enterprises/riverside#listing-`)
		if strings.Contains(page, "Given away") {
			t.Error("a fulfilled offer is shown")
		}
	})
	t.Run("searches", func(t *testing.T) {
		page := e.page(t, "/?q=tools", http.StatusOK)
		contains(t, page, "Riverside Tool Library", `value="tools"`)
		if strings.Contains(page, `href="/enterprises/shakyhands"`) {
			t.Error("a non-matching enterprise is shown")
		}
	})
	t.Run("filters by kind", func(t *testing.T) {
		page := e.page(t, "/?kind=tool_library", http.StatusOK)
		contains(t, page, "Riverside Tool Library", `<option value="tool_library" selected>`)
	})
	t.Run("says clearly when nothing matches", func(t *testing.T) {
		page := e.page(t, "/?q=zeppelin", http.StatusOK)
		contains(t, page, "No enterprises match “zeppelin”. Try fewer words")
	})
	t.Run("escapes what people typed", func(t *testing.T) {
		page := e.page(t, "/?q=%3Cscript%3Ex", http.StatusOK)
		if strings.Contains(page, "<script>x") {
			t.Fatal("the query is not escaped")
		}
		contains(t, page, "&lt;script&gt;x")
	})
	t.Run("explains a bad page number with 400", func(t *testing.T) {
		page := e.page(t, "/?page=lots", http.StatusBadRequest)
		contains(t, page, "This search could not run: page must be a whole number", `id="q"`)
	})
}

func TestHomePaging(t *testing.T) {
	e := newEnv(t)
	sys := directory.AsSystem(context.Background())
	for i := range 21 {
		ent := &directory.Enterprise{Handle: fmt.Sprintf("bakery%02d", i), Name: fmt.Sprintf("Bakery %02d", i), Kind: directory.KindWorkerCoop}
		if err := e.svc.CreateEnterprise(sys, ent); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("links to the next page", func(t *testing.T) {
		contains(t, e.page(t, "/", http.StatusOK), "Page 1 of 2", `href="/?page=2" rel="next"`)
	})
	t.Run("links back, keeping the search", func(t *testing.T) {
		contains(t, e.page(t, "/?q=bakery&page=2", http.StatusOK), `href="/?q=bakery" rel="prev"`)
	})
	t.Run("says when a page is past the last one", func(t *testing.T) {
		contains(t, e.page(t, "/?q=bakery&page=3", http.StatusOK), "Page 3 is past the last page", `href="/?page=2&amp;q=bakery" rel="prev"`)
	})
	t.Run("shows no paging on a single page", func(t *testing.T) {
		if page := e.page(t, "/?q=riverside", http.StatusOK); strings.Contains(page, `rel="next"`) {
			t.Fatal("paging shown for one result")
		}
	})
}

func TestEnterprisePage(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Chair repair","category":"skills","description":"Any *wobbly* chair."}`)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Old need","category":"goods","status":"withdrawn"}`)
	e.send(http.MethodPost, "/api/v1/enterprises/shakyhands/announcements", e.editor, `{"content":"Workshop **Saturday**"}`).want(t, http.StatusCreated)

	t.Run("shows profile, contact, open listings and announcements", func(t *testing.T) {
		page := e.page(t, "/enterprises/shakyhands", http.StatusOK)
		contains(t, page, "<title>Shaky Hands Carpentry · Cooperation Testville</title>",
			"<strong>sturdy</strong>", `href="https://shaky.example"`, `href="mailto:hello@shaky.example"`,
			"Chair repair", "<em>wobbly</em>", "Workshop <strong>Saturday</strong>")
		if strings.Contains(page, "Old need") {
			t.Error("a withdrawn listing is shown")
		}
	})
	t.Run("404 page for an unknown enterprise", func(t *testing.T) {
		e.page(t, "/enterprises/nobody", http.StatusNotFound)
	})
}
