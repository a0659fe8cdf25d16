// Package fulltext turns text into the token form both storage engines index,
// so that PostgreSQL and SQLite match the same words: lowercase, diacritics
// removed, split on anything that is not a letter or digit.
package fulltext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// MaxTerms is the most query terms used; further words are ignored.
const MaxTerms = 8

// MinPrefixLength is the shortest term matched as a prefix ("print" finds
// "printing"); shorter terms match whole words only.
const MinPrefixLength = 3

// Fold returns s lowercased with diacritics removed and every run of
// non-alphanumeric characters replaced by one space.
func Fold(s string) string {
	if isASCII(s) {
		// Nothing to decompose or strip: the transform chain would only
		// allocate (it is most of the cost of matching, which folds every
		// candidate).
		return strings.Join(split(strings.ToLower(s)), " ")
	}
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.Join(split(strings.ToLower(folded)), " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Term is one query word; Prefix says whether it matches as a word prefix.
// Stems are the word's stems in the stemmed Languages that it does not
// match already: the term also matches each as a whole word, so that
// "tools" finds "tool" and "cooperativas" the stem of "cooperativa".
type Term struct {
	Word   string
	Prefix bool
	Stems  []string
}

// Terms splits a user's query into at most MaxTerms distinct folded terms.
// Every term must match (AND).
func Terms(q string) []Term {
	var out []Term
	seen := map[string]bool{}
	for _, tok := range tokens(q) {
		w := tok.folded
		if seen[w] {
			continue
		}
		seen[w] = true
		prefix := utf8.RuneCountInString(w) >= MinPrefixLength
		out = append(out, Term{Word: w, Prefix: prefix, Stems: queryStems(tok, prefix)})
		if len(out) == MaxTerms {
			break
		}
	}
	return out
}

func split(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// PostgresQuery renders terms as a to_tsquery('simple', …) argument.
func PostgresQuery(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		w := "'" + t.Word + "'"
		if t.Prefix {
			w += ":*"
		}
		parts[i] = PostgresAlternatives(w, t.Stems)
	}
	return strings.Join(parts, " & ")
}

// PostgresAlternatives renders a term whose word part is the tsquery
// word, also matching its stems: (word | 'stem' …).
func PostgresAlternatives(word string, stems []string) string {
	if len(stems) == 0 {
		return word
	}
	return "(" + word + " | '" + strings.Join(stems, "' | '") + "')"
}

// SQLiteQuery renders terms as an FTS5 MATCH expression.
func SQLiteQuery(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		w := `"` + t.Word + `"`
		if t.Prefix {
			w += "*"
		}
		if len(t.Stems) > 0 {
			w = "(" + w + ` OR "` + strings.Join(t.Stems, `" OR "`) + `")`
		}
		parts[i] = w
	}
	return strings.Join(parts, " AND ")
}
