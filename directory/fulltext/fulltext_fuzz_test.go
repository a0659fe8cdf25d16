package fulltext

import (
	"strings"
	"testing"
	"unicode"
)

// FuzzTerms checks that any text, invalid UTF-8 included, gives terms whose
// every form is letters and digits only (nothing a MATCH or tsquery
// expression could read as syntax), and documents of such words.
func FuzzTerms(f *testing.F) {
	for _, s := range []string{"Cooperación", `"x" OR y*`, "a\xffb", "associações ':* & !", strings.Repeat("ab ", 100), "İstanbul ǅ ﬁ"} {
		f.Add(s)
	}
	alnum := func(s string) bool {
		return s != "" && strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) < 0
	}
	f.Fuzz(func(t *testing.T, s string) {
		terms := Terms(s)
		if len(terms) > MaxTerms {
			t.Fatalf("%d terms", len(terms))
		}
		for _, term := range terms {
			for _, a := range term.Alternatives() {
				if !alnum(a.Text) {
					t.Fatalf("term %+v has the form %q", term, a.Text)
				}
			}
		}
		for _, lang := range append(Languages, "") {
			for _, w := range strings.Fields(Document(lang, s)) {
				if !alnum(w) {
					t.Fatalf("document word %q", w)
				}
			}
		}
	})
}
