package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"path"
	"slices"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"

	"github.com/coopdir/coopdir/directory"
)

// Every text a visitor reads goes through t (in templates) or translate (in
// handlers), written as an English fmt format: {{t "%d results" .Count}}.
// The English format is the message's key in the catalogs, one JSON file
// per language in locales/ (see docs/TRANSLATING.md). A key maps to its
// translation, or, where a count decides the words, to an object of plural
// forms: {"arg": 1, "one": "%d resultado", "other": "%d resultados"}, arg
// being the position of the count among the arguments (1 when absent).

func init() {
	// funcsFor binds them to each language; these are English.
	templateFuncs["t"] = func(format string, args ...any) string { return locales[0].sprintf(format, args...) }
	templateFuncs["tm"] = func(message string) string { return locales[0].translateMessage(message) }
	templateFuncs["th"] = func(format string, args ...any) template.HTML { return locales[0].sprintHTML(format, args...) }
}

//go:embed locales/*.json
var localeFS embed.FS

// locale is one language of the interface.
type locale struct {
	Code    string // BCP 47, as in directory.Languages
	Name    string // in its own language, for the switcher
	tag     language.Tag
	printer *message.Printer
	keys    map[string]bool // the keys its catalog (or English's) translates
}

// languageNames names each language of the interface in itself.
var languageNames = map[string]string{
	"en": "English", "es": "Español", "fr": "Français", "pt": "Português", "de": "Deutsch",
}

// locales are the languages of the interface, in the order of
// directory.Languages; locales[0] is English, the fallback.
var locales = loadLocales()

// localeByCode finds a language of the interface by its code.
var localeByCode = func() map[string]*locale {
	m := make(map[string]*locale, len(locales))
	for _, l := range locales {
		m[l.Code] = l
	}
	return m
}()

// loadLocales builds one catalog from the embedded files and a printer
// per language. A broken file is a bug: it panics (a test loads them).
func loadLocales() []*locale {
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	list := make([]*locale, 0, len(directory.Languages))
	english := map[string]bool{}
	for _, code := range directory.Languages {
		l := &locale{Code: code, Name: languageNames[code], tag: language.MustParse(code), keys: map[string]bool{}}
		entries, err := readCatalog(code)
		if err != nil {
			panic(err)
		}
		for key, m := range entries {
			if err := b.Set(l.tag, key, m.catalogMessage()); err != nil {
				panic(fmt.Sprintf("locales/%s.json: %q: %v", code, key, err))
			}
			l.keys[key] = true
		}
		if code == "en" {
			english = l.keys
		}
		for key := range english {
			l.keys[key] = true
		}
		l.printer = message.NewPrinter(l.tag, message.Catalog(b))
		list = append(list, l)
	}
	return list
}

// catalogEntry is the translation of one key: a text, or plural forms.
type catalogEntry struct {
	Text   string
	Arg    int               // position of the count (plural forms only)
	Plural map[string]string // selector (one, other, =0…) -> text
}

// UnmarshalJSON reads a string or an object of plural forms.
func (e *catalogEntry) UnmarshalJSON(b []byte) error {
	if err := json.Unmarshal(b, &e.Text); err == nil {
		return nil
	}
	var forms map[string]any
	if err := json.Unmarshal(b, &forms); err != nil {
		return fmt.Errorf("want a text or an object of plural forms: %w", err)
	}
	e.Arg, e.Plural = 1, map[string]string{}
	for k, v := range forms {
		switch v := v.(type) {
		case float64:
			if k != "arg" || v < 1 {
				return fmt.Errorf("%q: want \"arg\": a position from 1", k)
			}
			e.Arg = int(v)
		case string:
			e.Plural[k] = v
		default:
			return fmt.Errorf("%q: want a text", k)
		}
	}
	if e.Plural["other"] == "" {
		return fmt.Errorf("plural forms need \"other\"")
	}
	return nil
}

// pluralOrder puts the selectors in the order plural.Selectf tries them:
// exact numbers first, "other" last.
var pluralOrder = []string{"zero", "one", "two", "few", "many", "other"}

// catalogMessage turns the entry into a message of x/text's catalog.
func (e catalogEntry) catalogMessage() catalog.Message {
	if e.Plural == nil {
		return catalog.String(e.Text)
	}
	var cases []any
	for k, v := range e.Plural {
		if strings.HasPrefix(k, "=") {
			cases = append(cases, k, v)
		}
	}
	for _, k := range pluralOrder {
		if v, ok := e.Plural[k]; ok {
			cases = append(cases, k, v)
		}
	}
	return plural.Selectf(e.Arg, "%d", cases...)
}

// readCatalog reads locales/<code>.json.
func readCatalog(code string) (map[string]catalogEntry, error) {
	b, err := localeFS.ReadFile(path.Join("locales", code+".json"))
	if err != nil {
		return nil, err
	}
	var entries map[string]catalogEntry
	if err := json.Unmarshal(b, &entries); err != nil {
		return nil, fmt.Errorf("locales/%s.json: %w", code, err)
	}
	return entries, nil
}

// sprintf gives format, filled with args, in the language l. A text
// without arguments that no catalog knows (a name, a label from a peer)
// is shown as it is, even with a % in it.
func (l *locale) sprintf(format string, args ...any) string {
	if len(args) == 0 && !l.keys[format] {
		return format
	}
	return l.printer.Sprintf(format, args...)
}

// sprintHTML gives format, a piece of HTML from our catalogs (<strong>,
// <a href>), filled with args, which are escaped, in the language l.
func (l *locale) sprintHTML(format string, args ...any) template.HTML {
	esc := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case string:
			esc[i] = template.HTMLEscapeString(v)
		case template.HTML:
			esc[i] = string(v)
		case int, int64, float64:
			esc[i] = v
		default:
			esc[i] = template.HTMLEscapeString(fmt.Sprint(v))
		}
	}
	return template.HTML(l.sprintf(format, esc...)) //nolint:gosec // our catalogs' HTML, escaped arguments
}

// translate gives the message format, filled with args, in the language of
// request r (English when r is nil).
func translate(r *http.Request, format string, args ...any) string {
	return localeOf(r).sprintf(format, args...)
}

// msg marks a message that is translated later, where it is shown (a
// flash notice, a label kept in a table): the completeness test finds it.
func msg(format string) string { return format }

// languageCodes are the codes of the interface's languages.
func languageCodes() []string { return slices.Clone(directory.Languages) }

// statusTitles name the statuses of the error pages.
var statusTitles = map[int]string{
	http.StatusBadRequest: msg("Bad Request"), http.StatusUnauthorized: msg("Unauthorized"),
	http.StatusForbidden: msg("Forbidden"), http.StatusNotFound: msg("Not Found"),
	http.StatusMethodNotAllowed: msg("Method Not Allowed"), http.StatusConflict: msg("Conflict"),
	http.StatusRequestEntityTooLarge: msg("Request Entity Too Large"),
	http.StatusUnsupportedMediaType:  msg("Unsupported Media Type"),
	http.StatusUnprocessableEntity:   msg("Unprocessable Entity"),
	http.StatusTooManyRequests:       msg("Too Many Requests"),
	http.StatusInternalServerError:   msg("Internal Server Error"),
	http.StatusServiceUnavailable:    msg("Service Unavailable"),
}

// statusTitle is the English title of an error page, translated by layout.
func statusTitle(status int) string {
	if t, ok := statusTitles[status]; ok {
		return t
	}
	return http.StatusText(status)
}

// readerLanguage is the language the visitor of r reads (a code of
// directory.Languages such as "es"), to pick an entry's translation.
func readerLanguage(r *http.Request) string {
	return localeOf(r).Code
}
