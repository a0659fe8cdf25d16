package federation

import (
	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// An entry's translations travel as ActivityStreams natural-language maps
// (nameMap, summaryMap, contentMap) beside the plain fields, which keep the
// main language's text as Mastodon expects. A map starts with the main
// language (or "und" when the entry names none), then every translation
// in tag order.

// langMap is one text of an entry in every language: main and its plain
// text first, then each translation's text (text picks it; a translation
// without it is left out). It is nil when there is no translation to add,
// unless always (a Note's contentMap, which tells Mastodon the language)
// and the main language is known.
func langMap(main, plain string, t directory.Translations, text func(directory.Translation) string, always bool) ap.LangMap {
	tag, known := directory.CanonicalLanguage(main)
	if !known {
		tag = "und"
	}
	m := ap.LangMap{{Lang: tag, Text: plain}}
	for _, lang := range t.Languages() {
		if s := text(t[lang]); s != "" && lang != tag {
			m = append(m, ap.LangText{Lang: lang, Text: s})
		}
	}
	if len(m) == 1 && !(always && known) {
		return nil
	}
	return m
}

func titleOf(tr directory.Translation) string { return tr.Title }
func htmlOf(tr directory.Translation) string  { return tr.TextHTML }

// putLangMap sets extra[key] to m when there is one.
func putLangMap(extra map[string]any, key string, m ap.LangMap) {
	if m != nil {
		extra[key] = m
	}
}

// received reads the natural-language maps of a received entry into
// translations: the titles from titles, the HTML of the texts from texts
// (and their plain words as Text, for the limits and the search; the
// caller sanitizes the HTML). A language whose texts are the plain
// fields' is the main one and left out; so are values that are not
// strings. Nothing is checked here: see keepReceived.
func received(titles, texts map[string]any, plainTitle, plainHTML string) directory.Translations {
	out := directory.Translations{}
	add := func(m map[string]any, set func(*directory.Translation, string)) {
		for lang, v := range m {
			if s, ok := v.(string); ok && len(out) <= 4*directory.MaxTranslations {
				tr := out[lang]
				set(&tr, s)
				out[lang] = tr
			}
		}
	}
	add(titles, func(tr *directory.Translation, s string) { tr.Title = s })
	add(texts, func(tr *directory.Translation, s string) { tr.TextHTML, tr.Text = s, plainText(s) })
	for lang, tr := range out {
		if (tr.Title == "" || tr.Title == plainTitle) && (tr.TextHTML == "" || tr.TextHTML == plainHTML) {
			delete(out, lang)
		}
	}
	return out
}

// keepReceived keeps the valid received translations (see
// directory.CleanTranslations) and names the languages it dropped.
func keepReceived(t directory.Translations, main string, lim directory.TranslationLimits) (directory.Translations, []string) {
	if len(t) == 0 {
		return nil, nil
	}
	tag, _ := directory.CanonicalLanguage(main)
	return directory.CleanTranslations(t, tag, lim)
}
