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
	want := []Term{{"tool", true, nil}, {"library", true, []string{"librari"}}, {"a", false, nil}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Terms = %v, want %v", got, want)
	}
	if q := SQLiteQuery(got); q != `"tool"* AND ("library"* OR "librari") AND "a"` {
		t.Errorf("SQLiteQuery = %s", q)
	}
	if q := PostgresQuery(got); q != `'tool':* & ('library':* | 'librari') & 'a'` {
		t.Errorf("PostgresQuery = %s", q)
	}
	if n := len(Terms("a b c d e f g h i j k")); n != MaxTerms {
		t.Errorf("Terms kept %d words, want %d", n, MaxTerms)
	}
	if len(Terms("*** ---")) != 0 {
		t.Error("punctuation-only query gave terms")
	}
}
