package directory

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// Settings are the instance's own words and map: set by an admin, read on
// every page.
type Settings struct {
	NetworkName        string    `json:"network_name"`        // required, at most 100 characters
	NetworkDescription string    `json:"network_description"` // plain text, at most 300
	About              string    `json:"about"`               // Markdown, at most 5000
	AboutHTML          string    `json:"about_html"`          // sanitized HTML rendered from About
	TileURL            string    `json:"tile_url"`            // map tiles with {z}, {x} and {y}; "" = no tiles
	TileAttribution    string    `json:"tile_attribution"`    // plain text
	MurmurationsIndex  string    `json:"murmurations_index"`  // http(s) base address of a Murmurations index; "" = none
	DefaultLanguage    string    `json:"default_language"`    // one of Languages, for visitors who ask for none of them; "" = English
	UpdatedAt          time.Time `json:"updated_at"`          // zero until saved

	// EditorsSaveSearches lets editors, not only admins, save searches
	// as topics (see SavedSearch).
	EditorsSaveSearches bool `json:"editors_save_searches"`
}

// SettingsUpdate holds the settings to change; nil means keep.
type SettingsUpdate struct {
	NetworkName        *string `json:"network_name"`
	NetworkDescription *string `json:"network_description"`
	About              *string `json:"about"`
	TileURL            *string `json:"tile_url"`
	TileAttribution    *string `json:"tile_attribution"`
	MurmurationsIndex  *string `json:"murmurations_index"`
	DefaultLanguage    *string `json:"default_language"`

	EditorsSaveSearches *bool `json:"editors_save_searches"`
}

// Languages are the codes (BCP 47) of the languages the interface speaks,
// English first.
var Languages = []string{"en", "es", "fr", "pt", "de"}

// SettingsCacheTTL is how long a Service reuses the settings it read: a
// change made through another Service on the same database shows within
// this time; a change made through this one shows at once.
const SettingsCacheTTL = 5 * time.Second

// settingsCache is the Service's copy of the settings.
type settingsCache struct {
	mu     sync.Mutex
	value  *Settings
	readAt time.Time
}

// Validate normalises st and checks it.
func (st *Settings) Validate() error {
	var fe fieldErrors
	st.NetworkName = cleanLine(st.NetworkName)
	requireText(&fe, "network_name", st.NetworkName, 100)
	st.NetworkDescription = cleanLine(st.NetworkDescription)
	maxText(&fe, "network_description", st.NetworkDescription, 300)
	st.About = strings.TrimSpace(st.About)
	maxText(&fe, "about", st.About, 5000)
	st.TileURL = strings.TrimSpace(st.TileURL)
	validateTileURL(&fe, "tile_url", st.TileURL)
	st.TileAttribution = cleanLine(st.TileAttribution)
	maxText(&fe, "tile_attribution", st.TileAttribution, 300)
	st.MurmurationsIndex = strings.TrimSuffix(strings.TrimSpace(st.MurmurationsIndex), "/")
	validateURL(&fe, "murmurations_index", st.MurmurationsIndex)
	if strings.ContainsAny(st.MurmurationsIndex, "?#") {
		fe.add("murmurations_index", "url", "must be the index's base address, without query or fragment")
	}
	st.DefaultLanguage = strings.TrimSpace(st.DefaultLanguage)
	if st.DefaultLanguage != "" && !slices.Contains(Languages, st.DefaultLanguage) {
		fe.add("default_language", "oneof", "must be one of %s", strings.Join(Languages, ", "))
	}
	return fe.err("settings")
}

// validateTileURL accepts "" or an http(s) tile address template with
// {z}, {x} and {y}; {s} (a subdomain) and {r} (retina) are allowed too.
func validateTileURL(fe *fieldErrors, field, s string) {
	if s == "" {
		return
	}
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(s, p) {
			fe.add(field, "template", "must contain {z}, {x} and {y}, as in https://tile.openstreetmap.org/{z}/{x}/{y}.png")
			return
		}
	}
	// The placeholders are not valid in a host name: check the address
	// with sample values in their place.
	sample := strings.NewReplacer("{s}", "a", "{z}", "1", "{x}", "1", "{y}", "1", "{r}", "").Replace(s)
	var sub fieldErrors
	validateURL(&sub, field, sample)
	if len(sub) > 0 || strings.ContainsAny(s, "\"<> \\") {
		fe.add(field, "url", "must be an http or https address such as https://tile.openstreetmap.org/{z}/{x}/{y}.png")
	}
}

// Settings returns the instance settings: s.Defaults until an admin saves
// them. Cheap: the settings are kept in memory for SettingsCacheTTL.
func (s *Service) Settings(ctx context.Context) (*Settings, error) {
	c := &s.settings
	c.mu.Lock()
	defer c.mu.Unlock()
	now := s.Now()
	if c.value != nil && !now.Before(c.readAt) && now.Sub(c.readAt) < SettingsCacheTTL {
		cp := *c.value
		return &cp, nil
	}
	st, err := s.loadSettings(ctx)
	if err != nil {
		return nil, err
	}
	c.value, c.readAt = st, now
	cp := *st
	return &cp, nil
}

// loadSettings reads the saved settings, or the defaults.
func (s *Service) loadSettings(ctx context.Context) (*Settings, error) {
	st, err := s.store.Settings(ctx)
	if ErrorCode(err) == ENOTFOUND {
		d := s.Defaults
		if d.AboutHTML == "" {
			d.AboutHTML = s.render(d.About)
		}
		return &d, nil
	}
	return st, err
}

// UpdateSettings changes the set fields of the settings (admins only).
// EINVALID (fields named as in the JSON of Settings), EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) UpdateSettings(ctx context.Context, u SettingsUpdate) (*Settings, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	st, err := s.loadSettings(ctx)
	if err != nil {
		return nil, err
	}
	setIf(&st.NetworkName, u.NetworkName)
	setIf(&st.NetworkDescription, u.NetworkDescription)
	setIf(&st.About, u.About)
	setIf(&st.TileURL, u.TileURL)
	setIf(&st.TileAttribution, u.TileAttribution)
	setIf(&st.MurmurationsIndex, u.MurmurationsIndex)
	setIf(&st.DefaultLanguage, u.DefaultLanguage)
	setIf(&st.EditorsSaveSearches, u.EditorsSaveSearches)
	if err := st.Validate(); err != nil {
		return nil, err
	}
	st.AboutHTML, st.UpdatedAt = s.render(st.About), s.now()
	if err := s.store.SaveSettings(ctx, st); err != nil {
		return nil, err
	}
	c := &s.settings
	c.mu.Lock()
	c.value, c.readAt = st, s.Now()
	c.mu.Unlock()
	cp := *st
	return &cp, nil
}
