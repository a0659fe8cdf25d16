package web

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
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
// language of l.
func (l *locale) translateMessage(message string) string {
	if l.keys[message] || l == locales[0] {
		return l.sprintf(message)
	}
	for _, p := range messagePatterns() {
		if args, ok := p.args(message); ok {
			return l.printer.Sprintf(p.format, args...)
		}
	}
	return message
}
