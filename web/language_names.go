package web

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// languageName is the name of the language tag in that language
// ("Español" for es), or the tag itself when it has none.
func languageName(tag string) string {
	if tag == "" {
		return ""
	}
	t, err := language.Parse(tag)
	if err != nil {
		return tag
	}
	if name := display.Self.Name(t); name != "" {
		return capitalizeFirst(name)
	}
	return tag
}

// capitalizeFirst starts a language's name with a capital letter, as a
// link reads it ("español" -> "Español").
func capitalizeFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}
