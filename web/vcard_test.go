package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestVCardText(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"keeps plain text", "Shaky Hands", "Shaky Hands"},
		{"escapes commas, semicolons and backslashes", `a,b;c\d`, `a\,b\;c\\d`},
		{"escapes newlines of every kind", "one\r\ntwo\nthree\rfour", `one\ntwo\nthree\nfour`},
		{"drops other control characters", "a\x00b\x1bc\x7fd", "abcd"},
		{"drops invalid UTF-8", "caf\xc3 ok", "caf ok"},
		{"keeps non-ASCII", "Coopérative Ünïon 協同組合", "Coopérative Ünïon 協同組合"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := vcardText(tc.in); got != tc.want {
				t.Errorf("vcardText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestVCardParams(t *testing.T) {
	for _, tc := range []struct{ name, k, v, want string }{
		{"writes a token as is", "TYPE", "work", ";TYPE=work"},
		{"quotes other values", "LABEL", "Main St, Milwaukee; WI", `;LABEL="Main St, Milwaukee; WI"`},
		{"caret-encodes quotes, carets and newlines", "LABEL", "a\"b^c\nd", `;LABEL="a^'b^^c^nd"`},
		{"drops control characters", "LABEL", "a\x00b", `;LABEL="ab"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := vcardParams([]string{tc.k, tc.v}); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// unfold undoes folding (RFC 6350 3.2).
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func TestFoldLine(t *testing.T) {
	for _, tc := range []struct{ name, in string }{
		{"ASCII", "NOTE:" + strings.Repeat("abcdefghij", 40)},
		{"two-octet characters", "NOTE:" + strings.Repeat("é", 200)},
		{"three-octet characters", "NOTE:" + strings.Repeat("協", 200)},
		{"four-octet characters at every offset", "NOTE:x" + strings.Repeat("🌱a", 100)},
		{"exactly 75 octets", strings.Repeat("a", 75)},
		{"76 octets", strings.Repeat("a", 76)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := foldLine(tc.in)
			if unfold(got) != tc.in {
				t.Fatalf("does not unfold to the input:\n%q", got)
			}
			lines := strings.Split(got, "\r\n")
			for i, l := range lines {
				if len(l) > vcardMaxLine {
					t.Errorf("line %d has %d octets", i, len(l))
				}
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("continuation %d does not start with a space: %q", i, l)
				}
				if !utf8.ValidString(l) {
					t.Errorf("line %d splits a UTF-8 sequence: %q", i, l)
				}
				if i < len(lines)-1 && len(l) < vcardMaxLine-3 {
					t.Errorf("line %d is folded early at %d octets", i, len(l))
				}
			}
			if len(tc.in) <= vcardMaxLine && len(lines) != 1 {
				t.Errorf("a short line is folded: %q", got)
			}
		})
	}
}

func TestVCardCard(t *testing.T) {
	c := newVCard()
	c.text("FN", "Evil;Name\r\nEND:VCARD\r\nBEGIN:VCARD")
	c.compound("ORG", []string{"A;B", "C,D"})
	c.uri("URL", "https://ok.example/a,b")
	c.uri("URL", "https://bad.example/\r\nX-INJECTED:1")
	c.text("NOTE", "")
	card := c.String()
	want := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Evil\\;Name\\nEND:VCARD\\nBEGIN:VCARD\r\nORG:A\\;B;C\\,D\r\n" +
		"URL:https://ok.example/a,b\r\nEND:VCARD\r\n"
	if card != want {
		t.Errorf("card\n%q\nwant\n%q", card, want)
	}
}

func TestParseAddress(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want postalAddress
	}{
		{"Milwaukee, WI", postalAddress{Locality: "Milwaukee", Region: "WI"}},
		{"1 Main St, Milwaukee, WI 53202", postalAddress{Street: "1 Main St", Locality: "Milwaukee", Region: "WI", PostalCode: "53202", CountryCode: "US"}},
		{"Suite 4, 1 Main St, Milwaukee, WI 53202-1234, USA", postalAddress{Street: "Suite 4, 1 Main St", Locality: "Milwaukee", Region: "WI", PostalCode: "53202-1234", CountryCode: "US"}},
		{"Lyon, France", postalAddress{Locality: "Lyon", CountryCode: "FR"}},
		{"Berlin,  germany", postalAddress{Locality: "Berlin", CountryCode: "DE"}},
		{"Hauptstraße 5, 10115 Berlin, Deutschland", postalAddress{Street: "Hauptstraße 5", Locality: "Berlin", PostalCode: "10115", CountryCode: "DE"}},
		{"Boston, MA, United States", postalAddress{Locality: "Boston", Region: "MA", CountryCode: "US"}},
		{"Leeds, UK", postalAddress{Locality: "Leeds", CountryCode: "GB"}},
		{"Cardiff, United Kingdom", postalAddress{Locality: "Cardiff", CountryCode: "GB"}},
		{"Rue X 12, Paris, France", postalAddress{CountryCode: "FR"}},
		// Not sure enough: only the text.
		{"Milwaukee", postalAddress{}},
		{"Toronto, ON", postalAddress{}},
		{"Chicago, ZZ 60601", postalAddress{}},
		{"53202, WI", postalAddress{}},
		{"Main St,, Milwaukee, WI", postalAddress{}},
		{"a, b\n, WI", postalAddress{}},
		{"Lyon, France, WI", postalAddress{}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			tc.want.Text = tc.in
			if got := parseAddress(tc.in); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
	if got := (postalAddress{CountryCode: "DE"}).Country(); got != "Germany" {
		t.Errorf("country name %q", got)
	}
}
