package sqlite

import (
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// translationWords is the text of an entry's translations for its
// full-text entry, each language's words with that language's stems, with
// a leading space ("" when it has none): appended to the body an entry is
// indexed with, so that a word of any language finds it.
func translationWords(t directory.Translations) string {
	var b strings.Builder
	for _, lang := range t.Languages() {
		if words := fulltext.Document(fulltext.Language(lang), t[lang].Title, t[lang].Text); words != "" {
			b.WriteString(" " + words)
		}
	}
	return b.String()
}

// translationTexts are the titles and texts of t, for the vocabulary of
// "Did you mean".
func translationTexts(t directory.Translations) []string {
	var parts []string
	for _, lang := range t.Languages() {
		parts = append(parts, t[lang].Title, t[lang].Text)
	}
	return parts
}
