// Package fulltext turns text into the token form both storage engines index,
// so that PostgreSQL and SQLite match the same words: lowercase, diacritics
// removed, split on anything that is not a letter or digit.
package fulltext

import (
	"slices"
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
// Stems are the beginnings of the word's stems in the stemmed Languages
// (see stemPrefix): the term also matches every word that begins with one,
// so that "tools" finds "tool" and "cooperativas" "cooperativa".
type Term struct {
	Word   string
	Prefix bool
	Stems  []string
}

// Alt is one form a term matches: a word, whole or as a prefix.
type Alt struct {
	Text   string
	Prefix bool
}

// Alternatives returns the forms the term matches, none covered by
// another: the word (unless a stem begins it) and its stems' beginnings.
func (t Term) Alternatives() []Alt {
	var out []Alt
	if !slices.ContainsFunc(t.Stems, func(s string) bool { return strings.HasPrefix(t.Word, s) }) {
		out = append(out, Alt{t.Word, t.Prefix})
	}
	for _, s := range t.Stems {
		out = append(out, Alt{s, true})
	}
	return out
}

// Matches says whether the term matches the folded word w.
func (t Term) Matches(w string) bool {
	for _, a := range t.Alternatives() {
		if w == a.Text || (a.Prefix && strings.HasPrefix(w, a.Text)) {
			return true
		}
	}
	return false
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
		var alts []string
		for _, a := range t.Alternatives() {
			alts = append(alts, PostgresAlt(a))
		}
		parts[i] = PostgresAny(alts)
	}
	return strings.Join(parts, " & ")
}

// PostgresAlt renders one form of a term as a tsquery lexeme.
func PostgresAlt(a Alt) string {
	if a.Prefix {
		return "'" + a.Text + "':*"
	}
	return "'" + a.Text + "'"
}

// PostgresAny joins tsquery lexemes with OR, in parentheses when there
// are several.
func PostgresAny(lexemes []string) string {
	if len(lexemes) == 1 {
		return lexemes[0]
	}
	return "(" + strings.Join(lexemes, " | ") + ")"
}

// SQLiteQuery renders terms as an FTS5 MATCH expression.
func SQLiteQuery(terms []Term) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		var alts []string
		for _, a := range t.Alternatives() {
			w := `"` + a.Text + `"`
			if a.Prefix {
				w += "*"
			}
			alts = append(alts, w)
		}
		parts[i] = alts[0]
		if len(alts) > 1 {
			parts[i] = "(" + strings.Join(alts, " OR ") + ")"
		}
	}
	return strings.Join(parts, " AND ")
}
