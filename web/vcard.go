package web

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// A vCard 4.0 (RFC 6350) writer: content lines of a name, parameters and a
// value, each escaped for its value type and folded at 75 octets without
// splitting a UTF-8 sequence. The standard library has all it needs; the
// Go vCard libraries either stop at 3.0 or fold by characters.

// vcardMaxLine is the longest line in octets, the CRLF excluded.
const vcardMaxLine = 75

// vcard is a card being written.
type vcard struct{ b strings.Builder }

// newVCard starts a card.
func newVCard() *vcard {
	c := &vcard{}
	c.line("BEGIN", "VCARD")
	c.line("VERSION", "4.0")
	return c
}

// String ends the card and returns it.
func (c *vcard) String() string {
	c.line("END", "VCARD")
	return c.b.String()
}

// text adds a property with a text value; nothing when v is empty.
func (c *vcard) text(name, v string, params ...string) {
	if v = vcardText(v); v != "" {
		c.line(name+vcardParams(params), v)
	}
}

// compound adds a property whose value has components separated by ";"
// (N, ADR, ORG); nothing when every component is empty.
func (c *vcard) compound(name string, parts []string, params ...string) {
	empty := true
	esc := make([]string, len(parts))
	for i, p := range parts {
		esc[i] = vcardText(p)
		empty = empty && esc[i] == ""
	}
	if !empty {
		c.line(name+vcardParams(params), strings.Join(esc, ";"))
	}
}

// uri adds a property with a URI value; nothing when v is empty or holds
// anything a URI cannot (white space, control characters).
func (c *vcard) uri(name, v string, params ...string) {
	if v == "" || strings.IndexFunc(v, func(r rune) bool { return r <= ' ' || r == 0x7f || r == utf8.RuneError }) >= 0 {
		return
	}
	c.line(name+vcardParams(params), v)
}

// line writes one content line, folded.
func (c *vcard) line(head, value string) {
	c.b.WriteString(foldLine(head + ":" + value))
	c.b.WriteString("\r\n")
}

// vcardText escapes a text value (RFC 6350 3.4): backslash, comma,
// semicolon and newline; other control characters and invalid UTF-8 are
// dropped.
func vcardText(v string) string {
	v = strings.ToValidUTF8(strings.ReplaceAll(v, "\r\n", "\n"), "")
	var b strings.Builder
	for _, r := range v {
		switch {
		case r == '\\', r == ',', r == ';':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n', r == '\r':
			b.WriteString(`\n`)
		case r < ' ' || r == 0x7f:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// vcardParams writes parameters given as name, value pairs. A value that
// is a token (TYPE=work, VALUE=uri, PREF=1: RFC 6350 does not allow quotes
// there) is written as is; any other is quoted, with RFC 6868's caret
// encoding for newlines, quotes and carets, and control characters
// dropped.
func vcardParams(kv []string) string {
	var b strings.Builder
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteString(";" + kv[i] + "=")
		if vcardTokenRE.MatchString(kv[i+1]) {
			b.WriteString(kv[i+1])
			continue
		}
		b.WriteByte('"')
		for _, r := range strings.ToValidUTF8(strings.ReplaceAll(kv[i+1], "\r\n", "\n"), "") {
			switch {
			case r == '^':
				b.WriteString("^^")
			case r == '"':
				b.WriteString("^'")
			case r == '\n', r == '\r':
				b.WriteString("^n")
			case r < ' ' || r == 0x7f:
			default:
				b.WriteRune(r)
			}
		}
		b.WriteByte('"')
	}
	return b.String()
}

// vcardTokenRE is a parameter value that needs no quotes.
var vcardTokenRE = regexp.MustCompile(`^[A-Za-z0-9-]+$`)

// foldLine breaks a content line into lines of at most 75 octets: each
// continuation starts with a space, which counts; a UTF-8 sequence is
// never split.
func foldLine(s string) string {
	if len(s) <= vcardMaxLine {
		return s
	}
	var b strings.Builder
	max := vcardMaxLine
	for len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut])
		b.WriteString("\r\n ")
		s = s[cut:]
		max = vcardMaxLine - 1
	}
	b.WriteString(s)
	return b.String()
}
