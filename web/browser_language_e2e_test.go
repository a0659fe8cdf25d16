package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A Spanish-speaking neighbour chooses Spanish once, then browses,
// searches and filters in Spanish.
func TestBrowserBrowsesAndSearchesInSpanish(t *testing.T) {
	b := newBrowserInstance(t)
	b.open(t, "/directory")
	do(t, b.ctx, "choose Spanish in the switcher",
		chromedp.Click(chromedp.CSS(`form.languages button[value="es"]`)))
	b.waitFor(t, `document.documentElement.lang === "es" && document.readyState === "complete"`)
	if path := eval[string](t, b, `location.pathname`); path != "/directory" {
		t.Fatalf("the switcher led to %s, not back to the directory", path)
	}
	if nav := eval[string](t, b, `document.querySelector("nav.site").innerText`); !strings.Contains(nav, "Directorio") || !strings.Contains(nav, "Mapa") {
		t.Errorf("the navigation is not in Spanish: %q", nav)
	}

	do(t, b.ctx, "search for tools",
		chromedp.SendKeys(chromedp.CSS("#q"), "tools"),
		chromedp.Click(chromedp.CSS(`form.search button[type="submit"]`)))
	b.waitFor(t, `location.search.includes("q=tools") && document.readyState === "complete" && !!document.querySelector("#results-heading")`)
	if n := b.total(t); n < 1 {
		t.Fatalf("searching tools found %d enterprises", n)
	}
	heading := eval[string](t, b, `document.querySelector("#results-heading").innerText`)
	if !strings.Contains(heading, "organizaci") {
		t.Errorf("the results heading is not in Spanish: %q", heading)
	}
	if lang := eval[string](t, b, `document.documentElement.lang`); lang != "es" {
		t.Errorf("the choice was not remembered: lang=%q", lang)
	}

	do(t, b.ctx, "filter by a kind",
		chromedp.Click(chromedp.CSS(`aside.facets a[href*="kind=tool_library"]`)))
	b.waitFor(t, `location.search.includes("kind=tool_library") && document.readyState === "complete" && !!document.querySelector("ul.chips")`)
	chips := eval[string](t, b, `document.querySelector("ul.chips").innerText`)
	if !strings.Contains(chips, "Tipo: ") {
		t.Errorf("the filter chips are not in Spanish: %q", chips)
	}

	do(t, b.ctx, "open the first result",
		chromedp.Click(chromedp.CSS(`main ul.cards a[href^="/enterprises/"]`)),
		chromedp.WaitVisible(chromedp.CSS("h1#name")))
	page := eval[string](t, b, `document.querySelector("main").innerText`)
	for _, want := range []string{"Información y contacto", "Lo que necesitamos", "Enviar el mensaje"} {
		if !strings.Contains(page, want) {
			t.Errorf("the enterprise page lacks %q", want)
		}
	}
	// The scripts speak Spanish too (their texts come in the page).
	b.waitFor(t, `!!document.querySelector("button.copy")`)
	if got := eval[string](t, b, `document.querySelector("button.copy").textContent + " | " + document.querySelector("button.copy").getAttribute("aria-label")`); !strings.HasPrefix(got, "Copiar | Copiar la dirección @") {
		t.Errorf("the copy button reads %q", got)
	}
	screenshot(t, b.ctx, "enterprise-es")
}
