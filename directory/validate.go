package directory

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// cleanLine trims s and folds every run of white space (including newlines and
// control characters) into one space: for names, titles and other one-line text.
func cleanLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r)
	}), " ")
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

func requireText(fe *fieldErrors, field, s string, max int) {
	if s == "" {
		fe.add(field, "required", "is required")
		return
	}
	maxText(fe, field, s, max)
}

func maxText(fe *fieldErrors, field, s string, max int) {
	if !utf8.ValidString(s) {
		fe.add(field, "encoding", "must be valid UTF-8")
		return
	}
	if strings.ContainsRune(s, 0) {
		fe.add(field, "encoding", "must not contain NUL characters")
		return
	}
	if utf8.RuneCountInString(s) > max {
		fe.add(field, "max_length", "must be at most %d characters", max)
	}
}

// validateTags normalises free tags (sectors): lowercased, trimmed, inner white
// space folded, duplicates dropped. Tags may hold letters, digits, spaces, - and _.
func validateTags(fe *fieldErrors, field string, tags []string, maxItems, maxLen int) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(cleanLine(t))
		if t == "" || slices.Contains(out, t) {
			continue
		}
		if utf8.RuneCountInString(t) > maxLen {
			fe.add(field, "max_length", "%q is longer than %d characters", truncate(t, 20), maxLen)
			continue
		}
		if strings.IndexFunc(t, func(r rune) bool {
			return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ' || r == '-' || r == '_')
		}) >= 0 {
			fe.add(field, "pattern", "%q may contain only letters, digits, spaces, - and _", truncate(t, 20))
			continue
		}
		out = append(out, t)
	}
	if len(out) > maxItems {
		fe.add(field, "max_items", "at most %d", maxItems)
	}
	return out
}

// validateURL accepts an empty string or an absolute http(s) URL with a host.
func validateURL(fe *fieldErrors, field, s string) {
	if s == "" {
		return
	}
	if len(s) > 500 {
		fe.add(field, "max_length", "must be at most 500 characters")
		return
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		fe.add(field, "url", "must be an http or https address such as https://example.org")
	}
}

func validateEmail(fe *fieldErrors, field, s string) {
	if s == "" {
		return
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 {
		fe.add(field, "email", "must be an email address such as info@example.org")
	}
}

// FirstInvalidUTF8 returns the offset of the first byte of b that is not
// part of valid UTF-8, or -1 when b is valid. Decoders turn such bytes
// into U+FFFD silently; input is refused instead, naming where.
func FirstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return -1
	}
	off := 0
	for off < len(b) {
		r, size := utf8.DecodeRune(b[off:])
		if r == utf8.RuneError && size <= 1 {
			return off
		}
		off += size
	}
	return -1
}
