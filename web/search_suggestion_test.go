package web_test

import (
	"encoding/json"
	"net/http"
	"testing"
)

func TestSearchStemsAndSuggests(t *testing.T) {
	e := newEnv(t)
	e.createListing(`{"enterprise":"riverside","type":"offer","title":"Ladders to lend","category":"tools"}`)

	t.Run("finds a word by its stem: tool and tools find the same", func(t *testing.T) {
		for _, q := range []string{"tool", "tools", "libraries"} {
			if n := total(t, e.page(t, "/directory?q="+q, http.StatusOK)); n != 1 {
				t.Errorf("%s: %d enterprises, want Riverside Tool Library", q, n)
			}
		}
		if n := total(t, e.page(t, "/board?q=ladder", http.StatusOK)); n != 1 {
			t.Errorf("ladder: %d listings, want the ladders", n)
		}
	})
	t.Run("links the corrected search on the directory", func(t *testing.T) {
		page := e.page(t, "/directory?q=librery", http.StatusOK)
		contains(t, page, `id="suggestion"`, `<a href="/directory?q=library">Did you mean library?</a>`)
		if n := total(t, page); n != 0 {
			t.Errorf("%d results for librery", n)
		}
	})
	t.Run("links the corrected search on the board", func(t *testing.T) {
		page := e.page(t, "/board?q=laddres", http.StatusOK)
		contains(t, page, `<a href="/board?q=ladders">Did you mean ladders?</a>`)
	})
	t.Run("suggests nothing when the search finds enough or nothing is close", func(t *testing.T) {
		lacks(t, e.page(t, "/directory?q=tool", http.StatusOK), `id="suggestion"`)
		lacks(t, e.page(t, "/directory?q=qwertyuiop", http.StatusOK), `id="suggestion"`)
	})
	t.Run("gives the suggestion in the JSON API", func(t *testing.T) {
		for path, want := range map[string]string{
			"/api/v1/enterprises?q=librery": "library", "/api/v1/listings?q=laddres": "ladders",
			"/api/v1/enterprises?q=tool": "",
		} {
			r := e.get(path)
			var page struct {
				Suggestion *string `json:"suggestion"`
			}
			if err := json.Unmarshal(r.Body, &page); err != nil || r.Status != http.StatusOK {
				t.Fatalf("%s: %d %v", path, r.Status, err)
			}
			switch {
			case want == "" && page.Suggestion != nil:
				t.Errorf("%s suggests %q", path, *page.Suggestion)
			case want != "" && (page.Suggestion == nil || *page.Suggestion != want):
				t.Errorf("%s: suggestion %v, want %q", path, page.Suggestion, want)
			}
		}
	})
	t.Run("keeps hostile queries working", func(t *testing.T) {
		for _, q := range []string{`%22%3B+DROP+TABLE+x%3B+--`, `tool*+OR+-x+NEAR(a)`, `%27%27%27`} {
			e.page(t, "/directory?q="+q, http.StatusOK)
		}
		if r := e.get("/api/v1/enterprises?q=%FF%FE"); r.Status != http.StatusBadRequest {
			t.Errorf("invalid UTF-8: %d", r.Status)
		}
	})
}
