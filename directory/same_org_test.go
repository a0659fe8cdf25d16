package directory_test

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestWebsiteKey(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"https://shakyhands.example", "http://www.shakyhands.example/"},
		{"https://Shakyhands.Example:443/", "https://shakyhands.example"},
		{"https://x.example/coop/", "http://www.x.example/coop"},
		{"https://x.example/coop#about", "https://x.example/coop"},
	} {
		if ka := directory.WebsiteKey(c.a); ka != directory.WebsiteKey(c.b) {
			t.Errorf("%q and %q: keys %q and %q differ", c.a, c.b, ka, directory.WebsiteKey(c.b))
		}
	}
	for _, c := range []struct{ a, b string }{
		{"https://x.example/a", "https://x.example/b"},
		{"https://x.example/a", "https://x.example"},
		{"https://x.example:8080", "https://x.example"},
		{"https://x.example/?p=1", "https://x.example/?p=2"},
		{"https://a.x.example", "https://x.example"},
	} {
		if directory.WebsiteKey(c.a) == directory.WebsiteKey(c.b) {
			t.Errorf("%q and %q: same key %q", c.a, c.b, directory.WebsiteKey(c.a))
		}
	}
	for _, bad := range []string{"", "  ", "mailto:a@x.example", "javascript:alert(1)", "//x.example", "https://", "not a url"} {
		if k := directory.WebsiteKey(bad); k != "" {
			t.Errorf("%q: key %q, want none", bad, k)
		}
	}
}
