package fulltext

import (
	"reflect"
	"testing"
)

func TestFold(t *testing.T) {
	for in, want := range map[string]string{
		"Cooperación  Milwaukee!":    "cooperacion milwaukee",
		"Screen-printing & T-shirts": "screen printing t shirts",
		"ŁÓDŹ straße":                "łodz straße",
		"  ":                         "",
		"'; DROP TABLE x; --":        "drop table x",
	} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTerms(t *testing.T) {
	got := Terms(`Tool "library" tool a*`)
	want := []Term{{"tool", true, nil}, {"library", true, []string{"librar"}}, {"a", false, nil}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Terms = %v, want %v", got, want)
	}
	if q := SQLiteQuery(got); q != `"tool"* AND "librar"* AND "a"` {
		t.Errorf("SQLiteQuery = %s", q)
	}
	if q := PostgresQuery(got); q != `'tool':* & 'librar':* & 'a'` {
		t.Errorf("PostgresQuery = %s", q)
	}
	if n := len(Terms("a b c d e f g h i j k")); n != MaxTerms {
		t.Errorf("Terms kept %d words, want %d", n, MaxTerms)
	}
	if len(Terms("*** ---")) != 0 {
		t.Error("punctuation-only query gave terms")
	}
}

func TestDocumentStemsInItsLanguage(t *testing.T) {
	// A stem is indexed only when the word does not begin with its
	// stemPrefix, which queries match words by.
	for _, c := range []struct{ lang, text, want string }{
		{"en", "Tools & libraries", "tools libraries"},
		{"en", "City farms", "city citi farms"},
		{"es", "City", "city"}, // not stemmed so in Spanish
		{"de", "Genossenschaften", "genossenschaften"},
		{"", "cities", "cities"}, // an unknown language is not stemmed
		{"it", "city", "city"},
	} {
		if got := Document(c.lang, c.text); got != c.want {
			t.Errorf("Document(%s, %q) = %q, want %q", c.lang, c.text, got, c.want)
		}
	}
}

func TestLanguage(t *testing.T) {
	for in, want := range map[string]string{"": "en", "pt-BR": "pt", "ES": "es", "it": "", "de_AT": "de"} {
		if got := Language(in); got != want {
			t.Errorf("Language(%q) = %q, want %q", in, got, want)
		}
	}
	if EntryLanguage(nil) != "en" || EntryLanguage([]string{"fr", "en"}) != "fr" || MainLanguage([]string{"it"}) != "it" {
		t.Error("entry languages")
	}
}

func TestTermsStemInEveryLanguage(t *testing.T) {
	for q, want := range map[string]string{
		"tools":        `"tool"*`,
		"tool":         `"tool"*`,
		"community":    `"communit"*`, // "communiti" without its last letter begins the word
		"city":         `("city"* OR "citi"*)`,
		"cooperativas": `"coope"*`,
		"associações":  `"assoc"*`,
		"associacoes":  `"associa"*`,
		"écoles":       `"ecol"*`,
		"ab":           `"ab"`,
	} {
		if got := SQLiteQuery(Terms(q)); got != want {
			t.Errorf("%q is matched as %s, want %s", q, got, want)
		}
	}
	tools := Terms("tools")[0]
	for w, want := range map[string]bool{"tool": true, "toolshed": true, "tools": true, "to": false, "stool": false} {
		if tools.Matches(w) != want {
			t.Errorf("tools matches %q: %v", w, !want)
		}
	}
}

func TestRoundRank(t *testing.T) {
	for in, want := range map[float64]float64{-3.975: -4.0, -3.992: -4.0, 0.0123: 0.012, 0: 0, 123: 120} {
		if got := RoundRank(in); got != want {
			t.Errorf("RoundRank(%v) = %v, want %v", in, got, want)
		}
	}
}
