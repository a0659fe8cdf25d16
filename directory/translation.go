package directory

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/coopdir/coopdir/directory/fulltext"
)

// Translation is an entry's text in one language other than its main one.
// For an enterprise Title is its name and Text its summary; for a listing
// its title and description; an announcement has only Text. An empty Title
// means the main title is not translated.
type Translation struct {
	Title    string `json:"title,omitempty"`
	Text     string `json:"text,omitempty"`      // Markdown as written
	TextHTML string `json:"text_html,omitempty"` // sanitized HTML rendered from Text
}

// Translations maps a canonical BCP 47 language tag ("es", "pt-BR") to the
// entry's text in that language. The entry's plain fields hold the text of
// its main language, which is never a key here.
type Translations map[string]Translation

// MaxTranslations is the most languages an entry carries beside its main one.
const MaxTranslations = 20

// TranslationLimits are the length limits of one kind of entry's texts, the
// same as its main fields'.
type TranslationLimits struct {
	Title, Text   int  // characters; Title 0: the entry has no title
	TextRequired  bool // an announcement's text
	TitleRequired bool
}

// The limits of each kind of entry.
var (
	EnterpriseTranslationLimits   = TranslationLimits{Title: 100, Text: 5000}
	ListingTranslationLimits      = TranslationLimits{Title: 140, Text: 5000}
	AnnouncementTranslationLimits = TranslationLimits{Text: MaxAnnouncementLength, TextRequired: true}
)

// CanonicalLanguage returns the canonical form of a BCP 47 tag ("EN-us" ->
// "en-US"), or ok false when tag is not a well-formed tag of a known language.
func CanonicalLanguage(tag string) (canonical string, ok bool) {
	tag = strings.TrimSpace(tag)
	if tag == "" || len(tag) > 35 || !languageRE.MatchString(strings.ToLower(tag)) {
		return "", false
	}
	t, err := language.Parse(tag)
	if err != nil || t == language.Und {
		return "", false
	}
	return t.String(), true
}

// MainLanguage is the enterprise's main language, the canonical form of its
// first listed language, or "" when it lists none. Its listings and
// announcements share it.
func (e *Enterprise) MainLanguage() string {
	if len(e.Languages) == 0 {
		return ""
	}
	if c, ok := CanonicalLanguage(e.Languages[0]); ok {
		return c
	}
	return e.Languages[0]
}

// Languages lists the tags of t in order.
func (t Translations) Languages() []string {
	out := make([]string, 0, len(t))
	for l := range t {
		out = append(out, l)
	}
	slices.Sort(out)
	return out
}

// Clone returns a copy of t that can be changed without changing t.
func (t Translations) Clone() Translations {
	out := make(Translations, len(t))
	for l, tr := range t {
		out[l] = tr
	}
	return out
}

// Encode is t as a JSON object, "{}" when empty: what the engines store.
func (t Translations) Encode() string {
	if len(t) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(t) // a map of strings always marshals
	return string(b)
}

// DecodeTranslations reads what Encode wrote; nil when empty, as an entry
// without translations has them.
func DecodeTranslations(s string) (Translations, error) {
	var t Translations
	if s == "" || s == "{}" {
		return nil, nil
	}
	if err := json.Unmarshal([]byte(s), &t); err != nil {
		return nil, err
	}
	if len(t) == 0 {
		return nil, nil
	}
	return t, nil
}

// Scan reads a stored JSON object (what Encode wrote), for database/sql
// and pgx alike.
func (t *Translations) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("translations: cannot scan %T", src)
	}
	d, err := DecodeTranslations(s)
	if err != nil {
		return err
	}
	*t = d
	return nil
}

// ValidateTranslation normalises one language's translation and checks it
// against lim and the entry's main language. It returns the canonical tag
// and an EINVALID *Error naming every broken rule.
func ValidateTranslation(lang, main string, tr *Translation, lim TranslationLimits) (string, error) {
	var fe fieldErrors
	tag := checkTranslation(&fe, lang, main, tr, lim)
	return tag, fe.err("translation")
}

func checkTranslation(fe *fieldErrors, lang, main string, tr *Translation, lim TranslationLimits) string {
	tag, ok := CanonicalLanguage(lang)
	switch {
	case !ok:
		fe.add("language", "pattern", "%q is not a language tag such as en, es or pt-BR", truncate(lang, 20))
	case main != "" && tag == main:
		fe.add("language", "main", "%s is the main language: edit the entry itself", tag)
	}
	tr.Title, tr.Text = cleanLine(tr.Title), strings.TrimSpace(tr.Text)
	if lim.Title == 0 {
		tr.Title = ""
	} else if lim.TitleRequired {
		requireText(fe, "title", tr.Title, lim.Title)
	} else {
		maxText(fe, "title", tr.Title, lim.Title)
	}
	if lim.TextRequired {
		requireText(fe, "text", tr.Text, lim.Text)
	} else {
		maxText(fe, "text", tr.Text, lim.Text)
	}
	if tr.Title == "" && tr.Text == "" && !fe.has("text") {
		fe.add("text", "required", "a translation needs a title or a text")
	}
	return tag
}

// validateTranslations normalises every translation of an entry (keys made
// canonical) and adds what is wrong to fe under field.
func validateTranslations(fe *fieldErrors, field string, t Translations, main string, lim TranslationLimits) Translations {
	out := make(Translations, len(t))
	for lang, tr := range t {
		var one fieldErrors
		tag := checkTranslation(&one, lang, main, &tr, lim)
		for _, f := range one {
			fe.add(field, f.Rule, "%s: %s %s", truncate(lang, 20), f.Field, f.Message)
		}
		if len(one) == 0 {
			out[tag] = tr
		}
	}
	if len(out) > MaxTranslations {
		fe.add(field, "max_items", "at most %d languages", MaxTranslations)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// CleanTranslations keeps the valid translations of t, at most
// MaxTranslations of them in tag order, and names the languages it dropped:
// for what peers send, where a bad language must not cost the good ones.
func CleanTranslations(t Translations, main string, lim TranslationLimits) (kept Translations, dropped []string) {
	for _, lang := range t.Languages() {
		tr := t[lang]
		var fe fieldErrors
		tag := checkTranslation(&fe, lang, main, &tr, lim)
		if len(fe) > 0 || len(kept) >= MaxTranslations {
			dropped = append(dropped, truncate(lang, 20))
			continue
		}
		if kept == nil {
			kept = Translations{}
		}
		kept[tag] = tr
	}
	return kept, dropped
}

// Localized is an entry's title and text in one language.
type Localized struct {
	Language string // "" when the main language is unknown
	Title    string
	TextHTML string
}

// Pick returns the translation in lang when t has one, else the main
// texts given; an untranslated title falls back to the main one.
func (t Translations) Pick(lang, main, title, textHTML string) Localized {
	if c, ok := CanonicalLanguage(lang); ok {
		if tr, ok := t[c]; ok {
			out := Localized{Language: c, Title: tr.Title, TextHTML: tr.TextHTML}
			if out.Title == "" {
				out.Title = title
			}
			if out.TextHTML == "" {
				out.TextHTML = textHTML
			}
			return out
		}
	}
	return Localized{Language: main, Title: title, TextHTML: textHTML}
}

// IndexedWords is the text of t for an entry's full-text entry, each
// language's words with that language's stems, with a leading space (""
// when t is empty): both engines append it to the body an entry is indexed
// with, so that a word of any language finds it.
func (t Translations) IndexedWords() string {
	var b strings.Builder
	for _, lang := range t.Languages() {
		if words := fulltext.Document(fulltext.Language(lang), t[lang].Title, t[lang].Text); words != "" {
			b.WriteString(" " + words)
		}
	}
	return b.String()
}

// Texts are the titles and texts of t, for the vocabulary of "Did you
// mean".
func (t Translations) Texts() []string {
	var parts []string
	for _, lang := range t.Languages() {
		parts = append(parts, t[lang].Title, t[lang].Text)
	}
	return parts
}
