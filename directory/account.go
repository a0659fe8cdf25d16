package directory

import (
	"net/url"
	"strings"
	"unicode"
)

// MaxAccountLength bounds the fediverse account address a follow takes.
const MaxAccountLength = 500

// CheckAccountAddress returns the trimmed account address when it has the shape
// of one: name@host, @name@host, or an http(s) address of an actor. Whether
// it exists is for federation to find out. EINVALID on the field account.
func CheckAccountAddress(account string) (string, error) {
	a := strings.TrimSpace(account)
	fail := func(rule, msg string) (string, error) {
		return "", &Error{Code: EINVALID, Message: "account: " + msg,
			Fields: []FieldError{{Field: "account", Rule: rule, Message: msg}}}
	}
	switch {
	case a == "":
		return fail("required", "is required: an address such as name@coop.example")
	case len(a) > MaxAccountLength:
		return fail("too_long", "must be at most 500 characters")
	case strings.IndexFunc(a, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fail("format", "must not contain spaces")
	}
	if lower := strings.ToLower(a); strings.HasPrefix(lower, "https://") || strings.HasPrefix(lower, "http://") {
		u, err := url.Parse(a)
		if err != nil || u.Host == "" || u.User != nil {
			return fail("format", "must be an address such as name@coop.example or https://coop.example/users/name")
		}
		return a, nil
	}
	name, host, ok := strings.Cut(strings.TrimPrefix(a, "@"), "@")
	if !ok || name == "" || host == "" || strings.ContainsAny(host, "@/?#") || strings.ContainsAny(name, "/?#") {
		return fail("format", "must be an address such as name@coop.example")
	}
	return a, nil
}
