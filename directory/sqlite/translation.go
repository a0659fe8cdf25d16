package sqlite

import (
	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// translationWords is the text of an entry's translations, folded for its
// full-text entry, with a leading space ("" when it has none): appended to
// the body an entry is indexed with, so that a word of any language finds
// it.
func translationWords(t directory.Translations) string {
	var parts []string
	for _, lang := range t.Languages() {
		parts = append(parts, t[lang].Title, t[lang].Text)
	}
	if words := fulltext.Document(parts...); words != "" {
		return " " + words
	}
	return ""
}
