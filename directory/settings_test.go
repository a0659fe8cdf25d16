package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestSettings(t *testing.T) {
	svc := newService(t)
	svc.Defaults = directory.Settings{NetworkName: "Cooperation Test", About: "We **cooperate**."}
	ctx := context.Background()

	t.Run("are the defaults until saved", func(t *testing.T) {
		st, err := svc.Settings(ctx)
		must(t, err)
		if st.NetworkName != "Cooperation Test" || !strings.Contains(st.AboutHTML, "<strong>cooperate</strong>") || !st.UpdatedAt.IsZero() {
			t.Errorf("settings = %+v", st)
		}
	})
	t.Run("an admin changes the set fields only", func(t *testing.T) {
		admin := asUser(t, svc, "admin@example.org", directory.RoleAdmin, "")
		st, err := svc.UpdateSettings(admin, directory.SettingsUpdate{
			NetworkName: ptr("  Cooperation   Jackson "), TileURL: ptr("https://{s}.tile.example.org/{z}/{x}/{y}.png")})
		must(t, err)
		if st.NetworkName != "Cooperation Jackson" || st.About != "We **cooperate**." || st.AboutHTML == "" || st.UpdatedAt.IsZero() {
			t.Errorf("saved = %+v", st)
		}
		got, err := svc.Settings(ctx)
		must(t, err)
		if *got != *st {
			t.Errorf("read %+v, want %+v", got, st)
		}
	})
	t.Run("the default language is one the interface speaks", func(t *testing.T) {
		admin := asUser(t, svc, "lang-admin@example.org", directory.RoleAdmin, "")
		st, err := svc.UpdateSettings(admin, directory.SettingsUpdate{DefaultLanguage: ptr(" es ")})
		must(t, err)
		if st.DefaultLanguage != "es" {
			t.Errorf("default language = %q", st.DefaultLanguage)
		}
		_, err = svc.UpdateSettings(admin, directory.SettingsUpdate{DefaultLanguage: ptr("klingon")})
		wantFields(t, err, "default_language")
		st, err = svc.UpdateSettings(admin, directory.SettingsUpdate{DefaultLanguage: ptr("")})
		must(t, err)
		if st.DefaultLanguage != "" {
			t.Errorf("cleared default language = %q", st.DefaultLanguage)
		}
	})
	t.Run("another Service on the same database sees the change", func(t *testing.T) {
		second := directory.NewService(directory.StoreOf(svc), svc.Markdown, svc.Passwords)
		second.Now = svc.Now
		st, err := second.Settings(ctx)
		must(t, err)
		if st.NetworkName != "Cooperation Jackson" {
			t.Errorf("second service read %+v", st)
		}
	})
	t.Run("rejects bad input naming each field and saves nothing", func(t *testing.T) {
		before, err := svc.Settings(ctx)
		must(t, err)
		_, err = svc.UpdateSettings(sys, directory.SettingsUpdate{
			NetworkName:        ptr(" "),
			NetworkDescription: ptr(strings.Repeat("x", 301)),
			About:              ptr(strings.Repeat("x", 5001)),
			TileURL:            ptr("ftp://tiles.example.org/{z}/{x}/{y}.png"),
			TileAttribution:    ptr(strings.Repeat("x", 301)),
			MurmurationsIndex:  ptr("ftp://index.example"),
			DefaultLanguage:    ptr("xx-<b>"),
		})
		wantFields(t, err, "network_name", "network_description", "about", "tile_url", "tile_attribution", "murmurations_index", "default_language")
		after, err := svc.Settings(ctx)
		must(t, err)
		if *after != *before {
			t.Errorf("changed to %+v", after)
		}
	})
	t.Run("a Murmurations index is a base address", func(t *testing.T) {
		for _, u := range []string{"javascript:alert(1)", "https://index.example/?q=1", "https://index.example/#x", "https://u:p@index.example"} {
			_, err := svc.UpdateSettings(sys, directory.SettingsUpdate{MurmurationsIndex: ptr(u)})
			wantFields(t, err, "murmurations_index")
		}
		st, err := svc.UpdateSettings(sys, directory.SettingsUpdate{MurmurationsIndex: ptr(" https://index.example/ ")})
		must(t, err)
		if st.MurmurationsIndex != "https://index.example" {
			t.Errorf("index %q", st.MurmurationsIndex)
		}
		_, err = svc.UpdateSettings(sys, directory.SettingsUpdate{MurmurationsIndex: ptr("")})
		must(t, err)
	})
	t.Run("tile addresses need the placeholders and http(s)", func(t *testing.T) {
		for _, u := range []string{"https://tiles.example.org/tile.png", "https://tiles.example.org/{z}/{x}.png",
			"javascript:alert(1)//{z}{x}{y}", "https://tiles.example.org/{z}/{x}/{y}.png\"><script>"} {
			_, err := svc.UpdateSettings(sys, directory.SettingsUpdate{TileURL: ptr(u)})
			wantFields(t, err, "tile_url")
		}
		st, err := svc.UpdateSettings(sys, directory.SettingsUpdate{TileURL: ptr("")})
		must(t, err)
		if st.TileURL != "" {
			t.Errorf("tile URL = %q", st.TileURL)
		}
	})
	t.Run("only admins change them", func(t *testing.T) {
		_, err := svc.UpdateSettings(context.Background(), directory.SettingsUpdate{NetworkName: ptr("X")})
		wantCode(t, err, directory.EUNAUTHORIZED)
		mustCreate(t, svc, "flora")
		editor := asUser(t, svc, "ed@example.org", directory.RoleEditor, "flora")
		_, err = svc.UpdateSettings(editor, directory.SettingsUpdate{NetworkName: ptr("X")})
		wantCode(t, err, directory.EFORBIDDEN)
	})
}

func TestSettingsCacheExpires(t *testing.T) {
	first := newService(t)
	clock := now
	first.Now = func() time.Time { return clock }
	second := directory.NewService(directory.StoreOf(first), first.Markdown, first.Passwords)
	second.Now = first.Now
	_, err := second.Settings(sys) // cached: the defaults
	must(t, err)
	_, err = first.UpdateSettings(sys, directory.SettingsUpdate{NetworkName: ptr("Changed")})
	must(t, err)
	clock = clock.Add(directory.SettingsCacheTTL)
	st, err := second.Settings(sys)
	must(t, err)
	if st.NetworkName != "Changed" {
		t.Errorf("after the cache time: %+v", st)
	}
}
