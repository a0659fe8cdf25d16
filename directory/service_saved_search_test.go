package directory_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestSavedSearchValidate(t *testing.T) {
	ok := func() *directory.SavedSearch {
		return &directory.SavedSearch{Handle: "tools", Name: "Tools", Geo: &directory.Geo{Near: directory.Point{Lat: 43, Lon: -87}, KM: 25}}
	}
	for _, tt := range []struct {
		name, want string
		change     func(*directory.SavedSearch)
	}{
		{"a handle with capitals", "handle:pattern", func(s *directory.SavedSearch) { s.Handle = "Tools" }},
		{"a reserved handle", "handle:reserved", func(s *directory.SavedSearch) { s.Handle = "offers" }},
		{"no name", "name:required", func(s *directory.SavedSearch) { s.Name = " " }},
		{"a long summary", "summary:max_length", func(s *directory.SavedSearch) { s.Summary = strings.Repeat("a", 501) }},
		{"huge words", "q:max_length", func(s *directory.SavedSearch) { s.Text = strings.Repeat("drill ", 40) }},
		{"a zero radius", "within_km:range", func(s *directory.SavedSearch) { s.Geo.KM = 0 }},
		{"a radius past the Earth", "within_km:range", func(s *directory.SavedSearch) { s.Geo.KM = 20001 }},
		{"a latitude off the globe", "near:range", func(s *directory.SavedSearch) { s.Geo.Near.Lat = 91 }},
		{"an unknown type", "type:enum", func(s *directory.SavedSearch) { s.Type = "gift" }},
		{"an unknown category", "category:enum", func(s *directory.SavedSearch) { s.Categories = []directory.Category{"x"} }},
	} {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			s := ok()
			tt.change(s)
			err := s.Validate()
			var got []string
			for _, f := range directory.ErrorFields(err) {
				got = append(got, f.Field+":"+f.Rule)
			}
			if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(strings.Join(got, " "), tt.want) {
				t.Fatalf("got %v (%v), want %s", got, err, tt.want)
			}
		})
	}
	if err := ok().Validate(); err != nil {
		t.Fatalf("a good saved search: %v", err)
	}
}

func TestSavedSearchesMatching(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "shaky")
	clock := now
	svc.Now = func() time.Time { return clock }
	post := func(typ directory.ListingType, title string, cat directory.Category) *directory.Listing {
		t.Helper()
		clock = clock.Add(time.Second)
		l := &directory.Listing{Type: typ, Title: title, Category: cat}
		if err := svc.CreateListing(sys, "shaky", l); err != nil {
			t.Fatal(err)
		}
		return l
	}
	old := post(directory.Offer, "Old drill", "tools")
	clock = clock.Add(time.Minute)
	near := &directory.SavedSearch{Handle: "drills", Name: "Drills", Text: "drill", Type: directory.Offer,
		Categories: []directory.Category{"tools"}, Geo: &directory.Geo{Near: directory.Point{Lat: 43.04, Lon: -87.91}, KM: 10}}
	far := &directory.SavedSearch{Handle: "far", Name: "Far away", Geo: &directory.Geo{Near: directory.Point{Lat: 0, Lon: 0}, KM: 10}}
	for _, s := range []*directory.SavedSearch{near, far} {
		if err := svc.CreateSavedSearch(sys, s); err != nil {
			t.Fatal(err)
		}
	}
	matching := func(l *directory.Listing) []string {
		t.Helper()
		got, err := svc.SavedSearchesMatching(sys, l)
		if err != nil {
			t.Fatal(err)
		}
		var hs []string
		for _, s := range got {
			hs = append(hs, s.Handle)
		}
		return hs
	}
	for _, tt := range []struct {
		name  string
		l     *directory.Listing
		wants string
	}{
		{"a new drill offered nearby", post(directory.Offer, "Cordless drill", "tools"), "drills"},
		{"a need for a drill", post(directory.Need, "A drill, please", "tools"), ""},
		{"an offer without the word", post(directory.Offer, "Sanding block", "tools"), ""},
		{"an offer of another category", post(directory.Offer, "Drill bits", "goods"), ""},
		{"a listing older than the topic", old, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(matching(tt.l), " "); got != tt.wants {
				t.Fatalf("matching topics: %q, want %q", got, tt.wants)
			}
		})
	}
	t.Run("a partner's listing of the topic's second, given to the second, is new", func(t *testing.T) {
		l := post(directory.Offer, "Bench drill", "tools")
		copied := *l
		copied.CreatedAt = near.CreatedAt.Truncate(time.Second)
		if got := matching(&copied); len(got) != 1 || got[0] != "drills" {
			t.Fatalf("matching: %q", got)
		}
		copied.CreatedAt = copied.CreatedAt.Add(-time.Millisecond)
		if got := matching(&copied); len(got) != 0 {
			t.Fatalf("a listing of the second before matched: %q", got)
		}
	})
	t.Run("a deleted topic matches nothing", func(t *testing.T) {
		if err := svc.DeleteSavedSearch(sys, "drills"); err != nil {
			t.Fatal(err)
		}
		if got := matching(post(directory.Offer, "Hammer drill", "tools")); len(got) != 0 {
			t.Fatalf("matching: %q", got)
		}
	})
}

func TestSavedSearchPermissions(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "shaky")
	editor := asUser(t, svc, "ed@t.example", directory.RoleEditor, "shaky")
	s := func(h string) *directory.SavedSearch { return &directory.SavedSearch{Handle: h, Name: "Topic"} }
	if err := svc.CreateSavedSearch(editor, s("ed-topic")); directory.ErrorCode(err) != directory.EFORBIDDEN {
		t.Fatalf("an editor saved a topic: %v", err)
	}
	yes := true
	if _, err := svc.UpdateSettings(sys, directory.SettingsUpdate{NetworkName: ptr("Test"), EditorsSaveSearches: &yes}); err != nil {
		t.Fatal(err)
	}
	if err := svc.CreateSavedSearch(editor, s("ed-topic")); err != nil {
		t.Fatalf("an editor may save topics once the settings allow it: %v", err)
	}
	if err := svc.CreateSavedSearch(editor, s("shaky")); directory.ErrorCode(err) != directory.ECONFLICT {
		t.Fatalf("a topic took an enterprise's handle: %v", err)
	}
}
