package fulltext

import (
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	snowball "github.com/blevesearch/snowballstem"
	"github.com/blevesearch/snowballstem/english"
	"github.com/blevesearch/snowballstem/french"
	"github.com/blevesearch/snowballstem/german"
	"github.com/blevesearch/snowballstem/portuguese"
	"github.com/blevesearch/snowballstem/spanish"
	"golang.org/x/text/unicode/norm"
)

// DefaultLanguage is the language of an entry that names none.
const DefaultLanguage = "en"

// IndexVersion names the way documents are indexed: a database whose
// index was built another way is reindexed at start-up (the engines keep
// the version they built with). 1: Snowball stems beside the folded words.
const IndexVersion = 1

// stemmers are the Snowball stemmers of the languages whose words are
// stemmed, by ISO 639-1 code.
var stemmers = map[string]func(*snowball.Env) bool{
	"en": english.Stem,
	"es": spanish.Stem,
	"fr": french.Stem,
	"pt": portuguese.Stem,
	"de": german.Stem,
}

// Languages are the languages whose words are stemmed, in the order a
// query's words are stemmed in.
var Languages = []string{"en", "es", "fr", "pt", "de"}

// minStem is the shortest stem prefix a query term also matches by:
// shorter ones ("aco" of "ações") would match unrelated words.
const minStem = 4

// Language returns the stemming language of a language tag ("pt-BR" is
// "pt"), DefaultLanguage for none, or "" when its words are not stemmed.
func Language(tag string) string {
	if tag == "" {
		return DefaultLanguage
	}
	if base := Base(tag); stemmers[base] != nil {
		return base
	}
	return ""
}

// Base returns the primary language of a tag, lowercase: "es" of "es-MX".
func Base(tag string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
	base, _, _ = strings.Cut(base, "_")
	return base
}

// MainLanguage is the primary language of an entry written in langs (the
// first its main one), DefaultLanguage for none: what a reader's
// language is compared with.
func MainLanguage(langs []string) string {
	if len(langs) == 0 || Base(langs[0]) == "" {
		return DefaultLanguage
	}
	return Base(langs[0])
}

// EntryLanguage is the stemming language of an entry written in langs
// (an enterprise's languages, the first its main one).
func EntryLanguage(langs []string) string {
	if len(langs) == 0 {
		return DefaultLanguage
	}
	return Language(langs[0])
}

// stem returns the folded Snowball stem of word (lowercase, with its
// accents: the stemmers know them) in lang, or "" without a stemmer.
func stem(lang, word string) string {
	st := stemmers[lang]
	if st == nil || word == "" {
		return ""
	}
	env := snowball.NewEnv(word)
	st(env)
	return foldWord(env.Current())
}

// foldWord folds one lowercase word (accents removed), or returns "" when
// folding does not leave exactly one word.
func foldWord(w string) string {
	if isASCII(w) {
		return w
	}
	f := Fold(w)
	if f == "" || strings.IndexByte(f, ' ') >= 0 {
		return ""
	}
	return f
}

// token is one word of a text: as written (lowercase, accents kept, for
// the stemmers) and folded (what is indexed).
type token struct {
	raw, folded string
}

// tokens splits s into words. A word that folding splits further (marks
// that are not accents) gives its folded parts, unstemmed.
func tokens(s string) []token {
	if isASCII(s) {
		var out []token
		for _, w := range split(strings.ToLower(s)) {
			out = append(out, token{w, w})
		}
		return out
	}
	var out []token
	words := strings.FieldsFunc(strings.ToLower(norm.NFC.String(s)), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	for _, w := range words {
		parts := split(Fold(w))
		if len(parts) == 1 {
			out = append(out, token{w, parts[0]})
			continue
		}
		for _, p := range parts {
			out = append(out, token{"", p})
		}
	}
	return out
}

// Document folds and joins the parts of one searchable field written in
// lang (see Language): each word, followed by its stem in lang when that
// differs. Both engines index this form, so they match the same words.
func Document(lang string, parts ...string) string {
	var b strings.Builder
	add := func(w string) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	for _, p := range parts {
		for _, t := range tokens(p) {
			add(t.folded)
			// The stem of the word as written (the stemmers know accents)
			// and of its folded form, which queries are also stemmed from.
			// A query matches words beginning with stemPrefix of its stems,
			// so a stem that the word begins with this way is not needed.
			raw := stem(lang, t.raw)
			if raw != "" && !strings.HasPrefix(t.folded, stemPrefix(raw)) {
				add(raw)
			}
			if t.raw != t.folded {
				if f := stem(lang, t.folded); f != "" && f != raw && !strings.HasPrefix(t.folded, stemPrefix(f)) {
					add(f)
				}
			}
		}
	}
	return b.String()
}

// Words returns the distinct folded words of parts, without stems: the
// vocabulary that suggestions are taken from.
func Words(parts ...string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range parts {
		for _, w := range split(Fold(p)) {
			if !seen[w] {
				seen[w] = true
				out = append(out, w)
			}
		}
	}
	return out
}

// stemPrefix is the beginning of a stem that a query matches words by:
// the stem without its last letter when it has 6 letters or more, so that
// a stem which changes the word's end ("communiti" of "community",
// "bakeri" of "bakery") still begins the word, and the index need not
// hold it; shorter stems whole.
func stemPrefix(s string) string {
	if n := utf8.RuneCountInString(s); n >= 6 {
		_, size := utf8.DecodeLastRuneInString(s)
		return s[:len(s)-size]
	}
	return s
}

// queryStems returns the stem prefixes (stemPrefix) of a query word in
// every language, folded, leaving out those shorter than minStem and
// those that another, or a prefix term's own word, covers. The word is
// stemmed as typed (the stemmers know accents: Portuguese "associações"
// and "associação" share a stem) and folded, so a word typed with its
// accents finds at least what it finds without.
func queryStems(t token, prefix bool) []string {
	var out []string
	for _, lang := range Languages {
		for _, w := range []string{t.raw, t.folded} {
			if s := stem(lang, w); s != "" && s != t.folded {
				out = append(out, stemPrefix(s))
			}
			if t.raw == t.folded {
				break
			}
		}
	}
	// Shortest first, so that a prefix is kept before what it covers.
	slices.SortStableFunc(out, func(a, b string) int { return len(a) - len(b) })
	var kept []string
	for _, p := range out {
		covered := utf8.RuneCountInString(p) < minStem || (prefix && strings.HasPrefix(p, t.folded))
		for _, k := range kept {
			covered = covered || strings.HasPrefix(p, k)
		}
		if !covered {
			kept = append(kept, p)
		}
	}
	return kept
}

// RoundRank rounds a relevance rank to two significant digits: ranks that
// agree so far are of equal relevance, which a reader's language orders.
func RoundRank(r float64) float64 {
	if r == 0 || math.IsNaN(r) || math.IsInf(r, 0) {
		return r
	}
	scale := math.Pow(10, 2-math.Ceil(math.Log10(math.Abs(r))))
	return math.Round(r*scale) / scale
}
