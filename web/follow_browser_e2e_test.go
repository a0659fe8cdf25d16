package web_test

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/coopdir/coopdir/federation"
)

// TestBrowserFollowFromYourServer follows an enterprise from a visitor's
// own server up to that server's confirmation page: a local HTTP server
// stands in for it, with a WebFinger that offers a subscribe template.
func TestBrowserFollowFromYourServer(t *testing.T) {
	b := newBrowserInstance(t)
	mux := http.NewServeMux()
	home := httptest.NewServer(mux)
	t.Cleanup(home.Close)
	mux.HandleFunc("GET /.well-known/webfinger", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("resource") != "acct:alice@"+strings.TrimPrefix(home.URL, "http://") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/jrd+json")
		json.NewEncoder(w).Encode(map[string]any{"links": []map[string]string{
			{"rel": federation.SubscribeRel, "template": home.URL + "/authorize_interaction?uri={uri}"},
		}})
	})
	mux.HandleFunc("GET /authorize_interaction", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!doctype html><title>Follow?</title><main><h1 id="confirm">Follow ` + html.EscapeString(r.URL.Query().Get("uri")) + `?</h1></main>`))
	})
	host := strings.TrimPrefix(b.url, "http://")

	b.open(t, "/enterprises/floracoop")
	if got := browserGet(t, b.ctx, "read the address", chromedp.Text(chromedp.CSS(".follow .handle"))); got != "@floracoop@"+host {
		t.Fatalf("the follow box shows %q", got)
	}
	t.Run("the copy button copies the address or selects it", func(t *testing.T) {
		do(t, b.ctx, "press Copy", chromedp.Click(chromedp.CSS(".follow button.copy")))
		b.waitFor(t, `document.querySelector(".follow .copy-status").textContent !== ""`)
		status := eval[string](t, b, `document.querySelector(".follow .copy-status").textContent`)
		selected := eval[string](t, b, `String(window.getSelection())`)
		if status != "Copied @floracoop@"+host && selected != "@floracoop@"+host {
			t.Fatalf("after Copy the status says %q and %q is selected", status, selected)
		}
	})

	t.Run("a garbage address is refused on the form", func(t *testing.T) {
		do(t, b.ctx, "submit garbage",
			chromedp.SendKeys(chromedp.CSS("#follow-account"), "not an address!"),
			chromedp.Click(chromedp.CSS(`.follow button[type="submit"]`)),
		)
		b.waitFor(t, `location.pathname === "/follow" && !!document.querySelector("#follow-problem")`)
		if got := eval[string](t, b, `document.querySelector("#follow-account").getAttribute("aria-invalid")`); got != "true" {
			t.Fatalf("the field is not marked invalid (%q)", got)
		}
		// Chromium moves the focus to the autofocus field after the page has
		// rendered, not at once: wait for it.
		b.waitFor(t, `document.activeElement && document.activeElement.id === "follow-account"`)
		screenshot(t, b.ctx, "follow-error")
	})

	t.Run("the visitor's account leads to their server's confirmation", func(t *testing.T) {
		b.open(t, "/enterprises/floracoop")
		do(t, b.ctx, "follow from alice's server",
			chromedp.SendKeys(chromedp.CSS("#follow-account"), "@alice@"+strings.TrimPrefix(home.URL, "http://")),
		)
		screenshot(t, b.ctx, "follow")
		do(t, b.ctx, "submit", chromedp.Click(chromedp.CSS(`.follow button[type="submit"]`)))
		b.waitFor(t, `location.href.startsWith(`+jsString(home.URL+"/authorize_interaction?")+`) && !!document.querySelector("#confirm")`)
		if uri := eval[string](t, b, `new URL(location.href).searchParams.get("uri")`); uri != b.url+"/enterprises/floracoop" {
			t.Fatalf("alice's server was asked to follow %q", uri)
		}
	})
}
