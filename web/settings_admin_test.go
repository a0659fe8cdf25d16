package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

func TestAdminSettings(t *testing.T) {
	e := newEnv(t)
	ad := e.browser().signIn("admin@test.example")
	good := url.Values{"network_name": {"Cooperation Riverton"}, "network_description": {"Co-ops of Riverton."},
		"about": {"We meet on **Mondays**."}, "tile_url": {"https://tile.openstreetmap.org/{z}/{x}/{y}.png"},
		"tile_attribution": {"© OpenStreetMap contributors"}}
	t.Run("keeps the input and shows the problem next to the field, storing nothing", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range good {
			bad[k] = v
		}
		bad.Set("network_name", "")
		bad.Set("tile_url", "https://tiles.example/map.png")
		ad.post("/admin/settings", bad).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-network-name-error"`, `id="f-tile-url-error"`, `value="https://tiles.example/map.png"`, "We meet on **Mondays**.")
		e.get("/").lacks(t, "Cooperation Riverton")
	})
	t.Run("saves the settings, which show on the home page", func(t *testing.T) {
		ad.follow(ad.post("/admin/settings", good), "/admin/settings").has(t, "The settings were saved.", `value="Cooperation Riverton"`)
		e.get("/").want(t, http.StatusOK).has(t, "Cooperation Riverton", "Co-ops of Riverton.", "<strong>Mondays</strong>")
	})
	t.Run("refuses a language the interface does not speak, changing nothing", func(t *testing.T) {
		bad := url.Values{}
		for k, v := range good {
			bad[k] = v
		}
		bad.Set("default_language", "xx")
		ad.post("/admin/settings", bad).want(t, http.StatusUnprocessableEntity).has(t, `id="f-default-language-error"`)
		if lang := htmlLang(e.get("/").Body); lang != "en" {
			t.Errorf("home page in %q", lang)
		}
	})
	t.Run("the default language serves visitors who ask for none", func(t *testing.T) {
		es := url.Values{}
		for k, v := range good {
			es[k] = v
		}
		es.Set("default_language", "es")
		ad.follow(ad.post("/admin/settings", es), "/admin/settings").has(t, `<option value="es" selected>Español</option>`)
		if lang := htmlLang(e.get("/").Body); lang != "es" {
			t.Errorf("home page in %q, want the default es", lang)
		}
	})
}
