package directory

import (
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// A domain block refuses a domain and every subdomain of it, on any port:
// blocking coop.example covers coop.example, www.coop.example and
// coop.example:8443, but not evil-coop.example or coop.example.net. A block
// of an IP address covers that address alone (on any port).

// MaxBlockReason is the longest reason a domain block may carry, in
// characters.
const MaxBlockReason = 500

// DomainPurge counts what blocking a domain removed: everything the domain
// had sent or we kept of it. Reports it sent are kept for the admins.
type DomainPurge struct {
	Followers     int `json:"followers"`     // its actors following ours
	Following     int `json:"following"`     // our follows of its actors
	FeedPosts     int `json:"feed_posts"`    // posts it sent or wrote
	Responses     int `json:"responses"`     // replies its actors wrote
	RemoteActors  int `json:"remote_actors"` // cached documents of its actors
	Enterprises   int `json:"enterprises"`   // partner copies with that origin
	Listings      int `json:"listings"`      // partner copies, with those of its enterprises
	Announcements int `json:"announcements"` // partner copies, with those of its enterprises
	Partners      int `json:"partners"`      // partnerships with its hosts
}

// Total returns how many rows the purge removed.
func (p *DomainPurge) Total() int {
	return p.Followers + p.Following + p.FeedPosts + p.Responses + p.RemoteActors +
		p.Enterprises + p.Listings + p.Announcements + p.Partners
}

// Summary says in words what the purge removed, such as "2 enterprises,
// 14 listings, 1 follower", or "nothing".
func (p *DomainPurge) Summary() string {
	var parts []string
	for _, c := range []struct {
		n           int
		one, plural string
	}{
		{p.Enterprises, "enterprise", "enterprises"},
		{p.Listings, "listing", "listings"},
		{p.Announcements, "announcement", "announcements"},
		{p.Partners, "partnership", "partnerships"},
		{p.Followers, "follower", "followers"},
		{p.Following, "follow", "follows"},
		{p.FeedPosts, "feed post", "feed posts"},
		{p.Responses, "response", "responses"},
		{p.RemoteActors, "remote actor", "remote actors"},
	} {
		switch {
		case c.n == 1:
			parts = append(parts, "1 "+c.one)
		case c.n > 1:
			parts = append(parts, strconv.Itoa(c.n)+" "+c.plural)
		}
	}
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

// BlockedEntry is a partner entry (an enterprise, listing or announcement)
// that a domain block removes, with its deleted event.
type BlockedEntry struct {
	ID             int64
	WithEnterprise bool // its enterprise's origin is blocked: it goes with its enterprise
	Deleted        Event
}

// Recorded reports whether e's deleted event is recorded: always for an
// enterprise, whose listings and announcements go with it (as when an
// enterprise is deleted); for a listing or announcement, only when it goes
// on its own.
func (e BlockedEntry) Recorded() bool {
	return !e.WithEnterprise || e.Deleted.Type == EventEnterpriseDeleted
}

// BlockedEntry returns the entry id as b removes it: typ is its deleted
// event (EventEnterpriseDeleted, EventListingDeleted or
// EventAnnouncementDeleted), origin its origin, handle and
// enterpriseOrigin its enterprise's (an enterprise's own, for an
// enterprise). ok is false, and the entry zero, when neither origin lies in
// b.Domain.
func (b *DomainBlock) BlockedEntry(typ EventType, id int64, handle, origin, enterpriseOrigin string) (e BlockedEntry, ok bool) {
	e.WithEnterprise = HostInDomain(enterpriseOrigin, b.Domain)
	if !e.WithEnterprise && !HostInDomain(origin, b.Domain) {
		return BlockedEntry{}, false
	}
	e.ID = id
	e.Deleted = Event{Type: typ, EnterpriseHandle: handle, Origin: origin, At: b.CreatedAt}
	switch typ {
	case EventListingDeleted:
		e.Deleted.ListingID = id
	case EventAnnouncementDeleted:
		e.Deleted.AnnouncementID = id
	}
	return e, true
}

// NormalizeDomain returns a domain name in lower case without trailing dot,
// or an IP address in its canonical form (IPv6 without brackets). A port
// ("coop.example:8443", "[::1]:8080") is dropped, since a block is about
// the domain. EINVALID for anything else: URLs, empty labels, spaces,
// names longer than 253 characters, non-ASCII names (give their xn-- form).
func NormalizeDomain(s string) (string, error) {
	raw := strings.TrimSpace(s)
	if raw == "" {
		return "", &Error{Code: EINVALID, Message: "the domain name is missing",
			Fields: []FieldError{{Field: "domain", Rule: "required", Message: "must be a domain name such as coop.example"}}}
	}
	d, ok := normalizeDomain(strings.ToLower(raw))
	if !ok {
		return "", &Error{Code: EINVALID, Message: "not a domain name: " + raw,
			Fields: []FieldError{{Field: "domain", Rule: "format", Message: "must be a domain name such as coop.example"}}}
	}
	return d, nil
}

func normalizeDomain(d string) (string, bool) {
	host, ok := stripPort(d)
	if !ok {
		return "", false
	}
	if addr, err := netip.ParseAddr(host); err == nil {
		return addr.String(), addr.Zone() == ""
	}
	host = strings.TrimSuffix(host, ".")
	if host == "" || len(host) > 253 {
		return "", false
	}
	labels := strings.Split(host, ".")
	for _, l := range labels {
		if !validLabel(l) {
			return "", false
		}
	}
	// A name whose last label is a number would be read as an IPv4
	// address by browsers and URL parsers; only real addresses are hosts.
	if isDigits(labels[len(labels)-1]) {
		return "", false
	}
	return host, true
}

// stripPort removes a ":port" from host (and the brackets around an IPv6
// address). A bare IPv6 address is returned whole.
func stripPort(d string) (string, bool) {
	if strings.HasPrefix(d, "[") {
		end := strings.IndexByte(d, ']')
		if end < 0 {
			return "", false
		}
		host, rest := d[1:end], d[end+1:]
		if rest != "" && (rest[0] != ':' || !validPort(rest[1:])) {
			return "", false
		}
		if addr, err := netip.ParseAddr(host); err != nil || !addr.Is6() {
			return "", false
		}
		return host, true
	}
	if strings.Count(d, ":") > 1 {
		return d, true // a bare IPv6 address, checked by the caller
	}
	if host, port, found := strings.Cut(d, ":"); found {
		return host, validPort(port)
	}
	return d, true
}

func validPort(p string) bool {
	return p != "" && len(p) <= 5 && isDigits(p)
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// validLabel reports whether l is a DNS label: 1 to 63 letters, digits and
// hyphens, not starting or ending with a hyphen.
func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// HostInDomain reports whether host (a host name or address, with or
// without port, as in a URL or an entry's Origin) is domain or lies under
// it. domain is as NormalizeDomain returns it. Matching is by whole labels:
// evil-coop.example is not under coop.example.
func HostInDomain(host, domain string) bool {
	h, err := NormalizeDomain(host)
	if err != nil || domain == "" {
		return false
	}
	if h == domain {
		return true
	}
	if _, err := netip.ParseAddr(h); err == nil {
		return false
	}
	if _, err := netip.ParseAddr(domain); err == nil {
		return false
	}
	return strings.HasSuffix(h, "."+domain)
}

// URLInDomain reports whether the host of the absolute URL id (an actor or
// object id) is domain or lies under it. Anything that is not an absolute
// URL with a host is in no domain.
func URLInDomain(id, domain string) bool {
	u, err := url.Parse(strings.TrimSpace(id))
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	return HostInDomain(u.Host, domain)
}

// DomainAndParents returns host and each domain it is under, the way a
// block of any of them covers it: a.b.example, b.example, example.
func DomainAndParents(host string) []string {
	out := []string{host}
	for i := strings.IndexByte(host, '.'); i >= 0; i = strings.IndexByte(host, '.') {
		host = host[i+1:]
		if host != "" {
			out = append(out, host)
		}
	}
	return out
}
