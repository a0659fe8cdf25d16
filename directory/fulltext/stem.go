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

// minStem is the shortest stem a query term also matches as: shorter stems
// ("ca", "es") would match unrelated words.
const minStem = 3

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
			// and of its folded form, which is what queries are stemmed
			// from: a query typed with or without accents finds the same.
			raw := stem(lang, t.raw)
			if raw != "" && raw != t.folded {
				add(raw)
			}
			if t.raw != t.folded {
				if f := stem(lang, t.folded); f != "" && f != t.folded && f != raw {
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

// queryStems returns the stems of a query word in every language, folded
// and distinct, leaving out those the term matches already (the word, or
// for a prefix term every word it starts) and those shorter than minStem.
// The word is stemmed as typed (the stemmers know accents: Portuguese
// "associações" and "associação" share a stem) and folded, so a word typed
// with its accents finds at least what it finds without.
func queryStems(t token, prefix bool) []string {
	var out []string
	for _, lang := range Languages {
		for _, w := range []string{t.raw, t.folded} {
			s := stem(lang, w)
			switch {
			case s == "" || s == t.folded || utf8.RuneCountInString(s) < minStem:
			case prefix && strings.HasPrefix(s, t.folded):
			case slices.Contains(out, s):
			default:
				out = append(out, s)
			}
			if t.raw == t.folded {
				break
			}
		}
	}
	return out
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
