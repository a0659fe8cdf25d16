package directory

import (
	"net"
	"net/url"
	"strconv"
	"strings"
)

// instanceMessage is what a malformed instance address is told.
const instanceMessage = "must be the address of a coopdir instance: a host such as coop.example, host:port, or a URL"

// CheckInstance reads the address of another network's instance, as an
// admin types it to ask for a partnership: a host, host:port, or an http(s)
// URL (whose path is ignored). It returns the host in lower case, with its
// port unless that is the scheme's default, as a Partner's Host is kept.
// EINVALID naming the field "instance" (rule required or format).
func CheckInstance(raw string) (string, error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", instanceInvalid("required", "the address of the instance is missing",
			"must be given: a host such as coop.example, host:port, or a URL")
	}
	bad := instanceInvalid("format", "not an instance address: "+clipQuote(s, 60), instanceMessage)
	host := s
	if scheme, _, ok := strings.Cut(s, "://"); ok {
		u, err := url.Parse(s)
		if err != nil || (scheme != "http" && scheme != "https") || u.Host == "" || u.User != nil {
			return "", bad
		}
		host = u.Host
		if p := u.Port(); (scheme == "https" && p == "443") || (scheme == "http" && p == "80") {
			host = u.Hostname()
			if strings.Contains(host, ":") {
				host = "[" + host + "]"
			}
		}
	} else if strings.ContainsAny(s, "/?#@ \t") || (strings.Count(s, ":") > 1 && !strings.HasPrefix(s, "[")) {
		return "", bad
	}
	if _, err := NormalizeDomain(host); err != nil {
		return "", bad
	}
	if _, port, err := net.SplitHostPort(host); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return "", bad
		}
	}
	return strings.ToLower(strings.TrimSuffix(host, ".")), nil
}

func instanceInvalid(rule, msg, fieldMsg string) error {
	return &Error{Code: EINVALID, Message: msg,
		Fields: []FieldError{{Field: "instance", Rule: rule, Message: fieldMsg}}}
}

// clipQuote shortens s to n characters for quoting in a message.
func clipQuote(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
