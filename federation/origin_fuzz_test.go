package federation

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// FuzzNormalizeID: a normalised id normalises to itself, has the origin of
// what it came from, and never invents a character: a host whose punycode
// decodes to U+FFFD must have had one (invalid bytes once all became it).
func FuzzNormalizeID(f *testing.F) {
	for _, s := range []string{
		"https://coop.example/e/a", "HTTPS://Coop.Example:443", "http://\x8c", "http://%8c/", "http://a\xffb/x",
		"https://bücher.example/x?y=1#k", "http://[::1]:80/", "https://[fe80::1%25eth0]/", "https://u:p@h/",
		"https://h:0/", "https://h:65536/", " https://h/ ", "https://h./", "javascript:alert(1)", "https://\uFFFD/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizeID(s)
		if err != nil {
			return
		}
		again, err := NormalizeID(n)
		if err != nil || again != n {
			t.Fatalf("NormalizeID(%q) = %q, which normalises to %q, %v", s, n, again, err)
		}
		if !SameOrigin(s, n) {
			t.Fatalf("%q and its normal form %q differ in origin", s, n)
		}
		host, _ := Host(n)
		uni, err := idna.ToUnicode(strings.Trim(host, "[]"))
		if err == nil && strings.ContainsRune(uni, '\uFFFD') && !strings.ContainsRune(s, '\uFFFD') && !strings.Contains(strings.ToLower(s), "xn--") {
			t.Fatalf("NormalizeID(%q) = %q: a host character was replaced", s, n)
		}
	})
}
