package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzVCardLine checks that any text becomes one content line: escaped so
// that no line break survives, folded at 75 octets on UTF-8 boundaries, and
// unfolded back to what was written.
func FuzzVCardLine(f *testing.F) {
	for _, seed := range []string{"", "Shaky Hands", "a;b,c\\d\r\ne", strings.Repeat("協🌱é", 40), "\xff\xfe\x00", "END:VCARD\r\nBEGIN:VCARD"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := &vcard{}
		c.text("NOTE", s, "LABEL", s)
		out := c.b.String()
		if vcardText(s) == "" {
			if out != "" {
				t.Fatalf("a line for a value with no text: %q", out)
			}
			return
		}
		if !strings.HasSuffix(out, "\r\n") {
			t.Fatalf("no CRLF at the end: %q", out)
		}
		body := strings.TrimSuffix(out, "\r\n")
		for i, l := range strings.Split(body, "\r\n") {
			if len(l) > vcardMaxLine || !utf8.ValidString(l) || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("line %d bad: %q", i, l)
			}
			if i > 0 && !strings.HasPrefix(l, " ") {
				t.Fatalf("continuation %d without its space: %q", i, l)
			}
		}
		if got, want := strings.ReplaceAll(body, "\r\n ", ""), "NOTE"+vcardParams([]string{"LABEL", s})+":"+vcardText(s); got != want {
			t.Fatalf("unfolds to %q, want %q", got, want)
		}
	})
}

// FuzzParseAddress checks that the parts read from an address are parts of
// its text (white space aside): nothing is made up.
func FuzzParseAddress(f *testing.F) {
	for _, seed := range []string{"Milwaukee, WI", "1 Main St, Milwaukee, WI 53202, USA", "Hauptstraße 5, 10115 Berlin, Deutschland", ",,", "a, , b", "Lyon, France, WI"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := parseAddress(s)
		squeezed := strings.Join(strings.Fields(s), " ")
		for _, p := range []string{a.Street, a.Locality, a.Region, a.PostalCode} {
			if !strings.Contains(squeezed, p) {
				t.Fatalf("%+v: %q is not in the text", a, p)
			}
		}
		if a.CountryCode != "" && a.Country() == "" {
			t.Fatalf("%+v: a country code without a name", a)
		}
	})
}
