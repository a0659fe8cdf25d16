package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

// settingsForm returns the controls of the instance settings; their names
// are those of the settings' fields, so the Service's errors land on them.
func settingsForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "network_name", Label: "Name of the network", Type: "text", Required: true,
			Hint: "Shown at the top of every page, such as Cooperation Testville."},
		&adminField{Name: "network_description", Label: "Short description", Type: "text",
			Hint: "One sentence under the name; search engines show it too."},
		&adminField{Name: "about", Label: "About the network", Type: "textarea", Rows: 10, Markdown: true,
			Hint: "Shown on the home page: who you are, how to join."},
		&adminField{Name: "tile_url", Label: "Map tile address", Type: "url",
			Hint: "With {z}, {x} and {y}, such as https://tile.openstreetmap.org/{z}/{x}/{y}.png. Leave empty for maps without a background."},
		&adminField{Name: "tile_attribution", Label: "Map attribution", Type: "text",
			Hint: "The credit the tile provider asks for, such as © OpenStreetMap contributors."},
		&adminField{Name: "default_language", Label: "Default language", Type: "select", Options: languageOptions(),
			Hint: "For visitors who chose no language and whose browser asks for none of these."},
		&adminField{Name: "murmurations_index", Label: "Murmurations index", Type: "url",
			Hint: "The address of a Murmurations index, such as https://index.murmurations.network. When set, every enterprise and open listing is registered there, kept current and removed when deleted. Leave empty to register nowhere."},
		&adminField{Name: "editors_save_searches", Label: "Who may save searches as topics", Type: "select",
			Options: []adminOption{{Value: "", Label: "Admins only"}, {Value: "yes", Label: "Admins and editors"}},
			Hint:    "A topic is a saved search that people follow on the fediverse."},
	)
}

// languageOptions offers the languages of the interface, each named in
// itself.
func languageOptions() []adminOption {
	opts := make([]adminOption, len(locales))
	for i, l := range locales {
		opts[i] = adminOption{Value: l.Code, Label: l.Name}
	}
	return opts
}

// adminSettingsView is the data of admin_settings.html.
type adminSettingsView struct {
	adminPage
	Form          *adminForm
	Index         string                      // the Murmurations index, "" = none
	Registrations []murmurations.Registration // with it, newest first
}

// MurmurationsStatus tells how the registrations of our profiles with the
// Murmurations index went; cmd fills it.
type MurmurationsStatus interface {
	MurmurationsStatus(ctx context.Context) ([]murmurations.Registration, error)
}

// adminSettings answers GET /admin/settings (admins).
func (s *server) adminSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Settings(r.Context())
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	f := settingsForm()
	f.fill(url.Values{"network_name": {st.NetworkName}, "network_description": {st.NetworkDescription},
		"about": {st.About}, "tile_url": {st.TileURL}, "tile_attribution": {st.TileAttribution},
		"murmurations_index": {st.MurmurationsIndex}, "editors_save_searches": {yesOrEmpty(st.EditorsSaveSearches)},
		"default_language": {cmp.Or(st.DefaultLanguage, "en")}})
	v := adminSettingsView{adminPage: s.adminPage(w, r, "Network settings"), Form: f, Index: st.MurmurationsIndex}
	if v.Index != "" && s.opt.Murmurations != nil {
		if v.Registrations, err = s.opt.Murmurations.MurmurationsStatus(r.Context()); err != nil {
			s.failPage(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "admin_settings.html", v)
}

// adminUpdateSettings answers POST /admin/settings (admins).
func (s *server) adminUpdateSettings(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	v := func(name string) *string { s := r.PostFormValue(name); return &s }
	editors := r.PostFormValue("editors_save_searches") == "yes"
	_, err := s.svc.UpdateSettings(r.Context(), directory.SettingsUpdate{
		NetworkName: v("network_name"), NetworkDescription: v("network_description"), About: v("about"),
		TileURL: v("tile_url"), TileAttribution: v("tile_attribution"), MurmurationsIndex: v("murmurations_index"),
		EditorsSaveSearches: &editors,
		DefaultLanguage:     v("default_language"),
	})
	if err != nil {
		f := settingsForm()
		if s.adminFormFailed(w, r, f, err) {
			view := adminSettingsView{adminPage: s.adminPage(w, r, "Network settings"), Form: f}
			s.render(w, r, adminFormStatus(err), "admin_settings.html", view)
		}
		return
	}
	s.redirectWith(w, r, "/admin/settings", "settings-saved", "")
}

// yesOrEmpty is the value of a yes/no select: "yes" or "".
func yesOrEmpty(b bool) string {
	if b {
		return "yes"
	}
	return ""
}
