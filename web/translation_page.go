package web

import (
	"net/http"
	"net/url"

	"github.com/coopdir/coopdir/directory"
)

// Entries are shown in the reader's language when they have it, else in
// their main one; a page says which languages the entry has and links
// each (?lang=es).

// entryLanguage is the language to show entries in to the reader of r:
// readerLanguage, else the ?lang= of the request, "" for the main one.
func entryLanguage(r *http.Request) string {
	// An explicit ?lang= may name a language the interface does not speak
	// (an entry's Italian, say): it wins for the entry's text.
	if c, ok := directory.CanonicalLanguage(r.URL.Query().Get("lang")); ok {
		return c
	}
	return readerLanguage(r)
}

// entryLanguages is what a page says of its entry's languages: the one
// shown, and links to the others.
type entryLanguages struct {
	Shown     string // tag of the language shown, "" when unknown
	ShownName string
	Others    []entryLanguageLink
}

// entryLanguageLink links the page of an entry in another of its languages.
type entryLanguageLink struct {
	Tag, Name, URL string
}

// languagesOf describes the languages of an entry with translations t and
// main language main, shown in shown, on the page of r.
func languagesOf(r *http.Request, shown, main string, t directory.Translations) entryLanguages {
	out := entryLanguages{Shown: shown, ShownName: languageName(shown)}
	if len(t) == 0 {
		return out
	}
	link := func(tag string) {
		if tag != "" && tag != shown {
			out.Others = append(out.Others, entryLanguageLink{Tag: tag, Name: languageName(tag),
				URL: r.URL.Path + "?lang=" + url.QueryEscape(tag)})
		}
	}
	if main == "" && shown != "" {
		// The main language is unknown: the page without ?lang= has it.
		out.Others = append(out.Others, entryLanguageLink{Name: translate(r, "Original"), URL: r.URL.Path})
	}
	link(main)
	for _, tag := range t.Languages() {
		if tag != main {
			link(tag)
		}
	}
	return out
}

// localEnterprise is a copy of e with its name and summary in lang when it
// has them, and the language shown.
func localEnterprise(e *directory.Enterprise, lang string) (*directory.Enterprise, string) {
	main := e.MainLanguage()
	loc := e.Translations.Pick(lang, main, e.Name, e.SummaryHTML)
	c := *e
	c.Name, c.SummaryHTML = loc.Title, loc.TextHTML
	return &c, loc.Language
}

// localListing is a copy of l with its title and description in lang when
// it has them, and the language shown.
func localListing(l *directory.Listing, lang string) (*directory.Listing, string) {
	loc := l.Translations.Pick(lang, mainTag(l.Language), l.Title, l.DescriptionHTML)
	c := *l
	c.Title, c.DescriptionHTML = loc.Title, loc.TextHTML
	return &c, loc.Language
}

// localAnnouncement is a copy of a with its content in lang when it has
// it, and the language shown.
func localAnnouncement(a *directory.Announcement, lang string) (*directory.Announcement, string) {
	loc := a.Translations.Pick(lang, mainTag(a.Language), "", a.ContentHTML)
	c := *a
	c.ContentHTML = loc.TextHTML
	return &c, loc.Language
}
