package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// The directory's messages (problem details, field errors) are English
// texts made from fmt formats. The web layer translates them by their
// format: a message without arguments is its own key; one with arguments
// ("must be at most 100 characters") is matched against the catalogs' keys
// that have verbs ("must be at most %d characters"), and its arguments are
// read back from it. A message no key matches stays English.

// messagePattern reads the arguments of a message made from format.
type messagePattern struct {
	format string
	re     *regexp.Regexp
	verbs  []byte // the verb letter of each argument
}

// fmtVerb finds the verbs of a format (flags and widths included).
var fmtVerb = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// compilePattern turns a format into a pattern; ok is false for a format
// without arguments.
func compilePattern(format string) (messagePattern, bool) {
	p := messagePattern{format: format}
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range fmtVerb.FindAllStringIndex(format, -1) {
		b.WriteString(regexp.QuoteMeta(format[last:loc[0]]))
		last = loc[1]
		verb := format[loc[1]-1]
		switch verb {
		case '%':
			b.WriteString("%")
			continue
		case 'd':
			b.WriteString(`(-?[0-9]+)`)
		case 'q':
			b.WriteString(`("(?:[^"\\]|\\.)*")`)
		default:
			b.WriteString(`(.*?)`)
		}
		p.verbs = append(p.verbs, verb)
	}
	b.WriteString(regexp.QuoteMeta(format[last:]))
	b.WriteString("$")
	if len(p.verbs) == 0 {
		return p, false
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return p, false
	}
	p.re = re
	return p, true
}

// args reads the arguments of message, if it was made from p's format.
func (p messagePattern) args(message string) ([]any, bool) {
	m := p.re.FindStringSubmatch(message)
	if m == nil {
		return nil, false
	}
	args := make([]any, len(p.verbs))
	for i, verb := range p.verbs {
		s := m[i+1]
		switch verb {
		case 'd':
			n, err := strconv.Atoi(s)
			if err != nil {
				return nil, false
			}
			args[i] = n
		case 'q':
			u, err := strconv.Unquote(s)
			if err != nil {
				return nil, false
			}
			args[i] = u
		default:
			args[i] = s
		}
	}
	return args, true
}

// messagePatterns are the patterns of every key with arguments, longest
// format first (the most specific wins).
var messagePatterns = sync.OnceValue(func() []messagePattern {
	seen := map[string]bool{}
	var list []messagePattern
	for _, l := range locales {
		for key := range l.keys {
			if seen[key] {
				continue
			}
			seen[key] = true
			if p, ok := compilePattern(key); ok {
				list = append(list, p)
			}
		}
	}
	slices.SortFunc(list, func(a, b messagePattern) int { return len(b.format) - len(a.format) })
	return list
})

// translateMessage gives an English message of the directory in the
// language of l. Messages joined with "; " are translated one by one; a
// message capitalized for a form is found by its key in lower case.
func (l *locale) translateMessage(message string) string {
	if l == locales[0] || message == "" {
		return message
	}
	if t, ok := l.translateCased(message); ok {
		return t
	}
	parts := strings.Split(message, "; ")
	for i, m := range parts {
		if t, ok := l.translateCased(m); ok {
			parts[i] = t
		}
	}
	return strings.Join(parts, "; ")
}

// translateCased translates one message, found as it is or, capitalized
// for a form, by its key in lower case.
func (l *locale) translateCased(message string) (string, bool) {
	if t, ok := l.translateOne(message); ok {
		return t, true
	}
	if lower := lowerFirst(message); lower != message {
		if t, ok := l.translateOne(lower); ok {
			return capitalize(t), true
		}
	}
	return message, false
}

// translateOne translates one message, if a key matches it.
func (l *locale) translateOne(message string) (string, bool) {
	if l.keys[message] {
		return l.sprintf(message), true
	}
	for _, p := range messagePatterns() {
		if args, ok := p.args(message); ok {
			// The parts may be messages too: "Kind: Worker co-op".
			for i, a := range args {
				if s, ok := a.(string); ok {
					args[i] = l.translateMessage(s)
				}
			}
			return l.printer.Sprintf(p.format, args...), true
		}
	}
	return message, false
}

// composedMessages are formats that Go code of web fills by concatenation
// (the chips of a search's filters, its problems): translateMessage finds
// them by pattern.
var composedMessages = []string{
	msg("Kind: %s"), msg("Sector: %s"), msg("Category: %s"), msg("From: %s"), msg("Within %s km of %s"),
	msg("Words: %s"), msg("Show: %s"), msg("Type: %s"), msg("Kind: %s"), msg("Origin: %s"), msg("Near: %s"),
	msg("Within: %s"), msg("Sort: %s"), msg("Page: %s"), msg("“%s”"), msg("Only needs"), msg("Only offers"),
	msg("this network"), msg("partner networks"), msg("Write to %s"), msg("Needs · %s"), msg("Offers · %s"),
	msg("Too many %s from your address. Please wait %s and try again."), msg("messages"),
	msg("password-reset requests"), msg("%d minutes"), msg("a minute"),
	msg("Too many lookups from your address. Please wait %s and try again, or search for the address above in your app."),
	msg("1 enterprise"), msg("%s enterprises"), msg("1 need or offer"), msg("%s needs and offers"), msg("%s, %s"),
	msg("enterprises of the kinds %s"), msg("needs and offers in %s"), msg("within %s km of %s"),
	msg("At most %d characters."), msg("At most %d characters. Followers on the fediverse see it in their timelines."),
	msg("%s (%s people)"), msg("the need “%s”"), msg("the offer “%s”"),
	msg("%s: announcements"), msg("%s: needs"), msg("%s: offers"),
	msg("Too many failed sign-in attempts from your address. Please wait %s and try again."),
}

// lowerFirst starts s with a small letter.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
