package federation

import (
	"net"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"

	"github.com/coopdir/coopdir/directory"
)

// SameOrigin reports whether a and b are http(s) URLs with the same scheme,
// host and port after normalisation: hosts are compared lowercased, without a
// trailing dot and in their ASCII (punycode) form, and a default port (443
// for https, 80 for http) is the same as no port. URLs that do not parse, carry
// user information, or use another scheme never share an origin with anything.
func SameOrigin(a, b string) bool {
	ua, err := parseID(a)
	if err != nil {
		return false
	}
	ub, err := parseID(b)
	if err != nil {
		return false
	}
	return ua.Scheme == ub.Scheme && ua.Host == ub.Host
}

// Host returns the normalised host of the http(s) URL id, with the port only
// when it is not the scheme's default: "https://Coop.Example:443/x" gives
// "coop.example". It returns an EINVALID error for anything SameOrigin rejects.
func Host(id string) (string, error) {
	u, err := parseID(id)
	if err != nil {
		return "", err
	}
	return u.Host, nil
}

// NormalizeID returns id in a canonical form, so two spellings of one
// ActivityPub id compare equal as strings: normalised scheme and host (see
// SameOrigin), "/" for an empty path, the path and query as escaped on the
// wire, and the fragment kept. It returns an EINVALID error for ids that are
// not absolute http(s) URLs or that carry user information.
func NormalizeID(id string) (string, error) {
	u, err := parseID(id)
	if err != nil {
		return "", err
	}
	return u.String(), nil
}

// parseID parses an absolute http(s) URL and normalises its scheme, host and
// path in place.
func parseID(raw string) (*url.URL, error) {
	// url.Parse keeps bytes that are not UTF-8, and IDNA then maps each
	// of them to U+FFFD, so "http://\x8c" and "http://\x8d" would be one id.
	if !utf8.ValidString(raw) {
		return nil, directory.Errorf(directory.EINVALID, "%q is not valid UTF-8", raw)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "%q is not a valid URL", raw)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, directory.Errorf(directory.EINVALID, "%q is not an http or https URL", raw)
	}
	if u.Opaque != "" || u.User != nil {
		return nil, directory.Errorf(directory.EINVALID, "%q must not carry a user name or password", raw)
	}
	host, err := normalizeHost(u.Hostname(), u.Port(), u.Scheme)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "%q: %s", raw, err.Error())
	}
	u.Host = host
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	return u, nil
}

// normalizeHost returns host[:port] in canonical form; the port is left out
// when it is the scheme's default.
func normalizeHost(host, port, scheme string) (string, error) {
	if host == "" {
		return "", directory.Errorf(directory.EINVALID, "the host is missing")
	}
	name, err := canonicalHostName(host)
	if err != nil {
		return "", err
	}
	if port == "" {
		return bracketIPv6(name), nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 {
		return "", directory.Errorf(directory.EINVALID, "port %q is out of range", port)
	}
	if (scheme == "https" && n == 443) || (scheme == "http" && n == 80) {
		return bracketIPv6(name), nil
	}
	return net.JoinHostPort(name, strconv.Itoa(n)), nil
}

// canonicalHostName lowercases a DNS name, drops one trailing dot and converts
// international names to punycode; IP literals get their canonical spelling.
func canonicalHostName(host string) (string, error) {
	if addr, err := netip.ParseAddr(host); err == nil {
		if addr.Zone() != "" {
			return "", directory.Errorf(directory.EINVALID, "IPv6 zones are not allowed in host %q", host)
		}
		return addr.String(), nil
	}
	if !utf8.ValidString(host) {
		return "", directory.Errorf(directory.EINVALID, "host %q is not valid UTF-8", host)
	}
	name := strings.TrimSuffix(host, ".")
	ascii, err := idna.Lookup.ToASCII(name)
	if err != nil || ascii == "" {
		return "", directory.Errorf(directory.EINVALID, "host %q is not a valid domain name", host)
	}
	return strings.ToLower(ascii), nil
}

func bracketIPv6(name string) string {
	if strings.Contains(name, ":") {
		return "[" + name + "]"
	}
	return name
}

// sameDocument reports whether a and b name the same document, ignoring
// fragments (a fragment is never sent to the server).
func sameDocument(a, b string) bool {
	ua, err := parseID(a)
	if err != nil {
		return false
	}
	ub, err := parseID(b)
	if err != nil {
		return false
	}
	ua.Fragment, ua.RawFragment = "", ""
	ub.Fragment, ub.RawFragment = "", ""
	return ua.String() == ub.String()
}

// addressError refuses a connection to an address that is not on the public
// internet.
type addressError struct{ addr, kind string }

func (e *addressError) Error() string {
	return "refused: " + e.addr + " is " + e.kind + " address"
}

// specialRanges are non-public ranges that netip has no predicate for.
var specialRanges = []struct {
	prefix netip.Prefix
	kind   string
}{
	{netip.MustParsePrefix("0.0.0.0/8"), `a "this network"`},
	{netip.MustParsePrefix("100.64.0.0/10"), "a shared (carrier-grade NAT)"},
	{netip.MustParsePrefix("192.0.0.0/24"), "an IETF protocol"},
	{netip.MustParsePrefix("192.0.2.0/24"), "a documentation"},
	{netip.MustParsePrefix("198.18.0.0/15"), "a benchmarking"},
	{netip.MustParsePrefix("198.51.100.0/24"), "a documentation"},
	{netip.MustParsePrefix("203.0.113.0/24"), "a documentation"},
	{netip.MustParsePrefix("240.0.0.0/4"), "a reserved"},
	{netip.MustParsePrefix("100::/64"), "a discard"},
	{netip.MustParsePrefix("2001:db8::/32"), "a documentation"},
	{netip.MustParsePrefix("fec0::/10"), "a site-local"},
}

// checkPublic refuses loopback, private (including IPv6 ULA fc00::/7),
// link-local, unspecified, multicast, carrier-grade NAT and reserved
// addresses, also when written as IPv4-mapped IPv6 or embedded in NAT64,
// 6to4 or IPv4-compatible IPv6 addresses.
func checkPublic(a netip.Addr) error {
	if kind := addressKind(a.Unmap()); kind != "" {
		return &addressError{addr: a.String(), kind: kind}
	}
	if v4, ok := embeddedIPv4(a); ok {
		if kind := addressKind(v4); kind != "" {
			return &addressError{addr: a.String() + " (" + v4.String() + ")", kind: kind}
		}
	}
	return nil
}

func addressKind(a netip.Addr) string {
	switch {
	case !a.IsValid():
		return "an invalid"
	case a.IsUnspecified():
		return "an unspecified"
	case a.IsLoopback():
		return "a loopback"
	case a.IsPrivate():
		return "a private"
	case a.IsLinkLocalUnicast():
		return "a link-local"
	case a.IsMulticast():
		return "a multicast"
	}
	for _, r := range specialRanges {
		if r.prefix.Contains(a) {
			return r.kind
		}
	}
	return ""
}

var (
	nat64Prefix  = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour    = netip.MustParsePrefix("2002::/16")
	v4Compatible = netip.MustParsePrefix("::/96")
)

// embeddedIPv4 returns the IPv4 address inside a NAT64, 6to4 or
// IPv4-compatible IPv6 address.
func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() || a.Is4In6() {
		return netip.Addr{}, false
	}
	b := a.As16()
	switch {
	case nat64Prefix.Contains(a), v4Compatible.Contains(a):
		return netip.AddrFrom4([4]byte(b[12:16])), true
	case sixToFour.Contains(a):
		return netip.AddrFrom4([4]byte(b[2:6])), true
	}
	return netip.Addr{}, false
}
