package web

import (
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies reads a comma-separated list of IP addresses and
// CIDR prefixes (192.0.2.10, 10.0.0.0/8, fd00::/8), the reverse proxies
// whose forwarded client address is believed. Blanks around items are
// ignored; an empty list trusts nobody.
func ParseTrustedProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, fmt.Errorf("%q is not an IP address or CIDR prefix such as 10.0.0.0/8", item)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("%q is not an IP address or CIDR prefix such as 10.0.0.0/8", item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// DefaultClientIPHeader is the header a trusted proxy passes the client's
// address in when Options.ClientIPHeader is empty.
const DefaultClientIPHeader = "X-Forwarded-For"

// clientIP is the address of the client. It is the connection's peer,
// unless the peer is a trusted proxy (Options.TrustedProxies): then it is
// the right-most address of the header named by Options.ClientIPHeader
// that is not itself a trusted proxy. Addresses to the left of that one
// were written by the client and prove nothing. Only one header is read:
// a proxy that sets one passes the other through as the client wrote it.
func (s *server) clientIP(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if !s.trusted(peer) {
		return peer.String()
	}
	var hops []string
	if h := s.opt.ClientIPHeader; strings.EqualFold(h, "Forwarded") {
		hops = forwardedFor(r.Header)
	} else {
		if h == "" {
			h = DefaultClientIPHeader
		}
		hops = forwardedList(r.Header.Values(h))
	}
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a := parseHop(hops[i])
		if !a.IsValid() {
			// A trusted proxy wrote something that is not an address
			// ("unknown", an obfuscated name): the last address it
			// vouched for is the best there is.
			break
		}
		client = a
		if !s.trusted(a) {
			break
		}
	}
	return client.String()
}

// trusted reports whether a is one of the trusted proxies.
func (s *server) trusted(a netip.Addr) bool {
	for _, p := range s.opt.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// peerAddr is the IP address of a connection's remote address.
func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap().WithZone("")
}

// forwardedList splits the lines of a comma-separated header into items,
// in order.
func forwardedList(lines []string) []string {
	var items []string
	for _, line := range lines {
		for item := range strings.SplitSeq(line, ",") {
			items = append(items, strings.TrimSpace(item))
		}
	}
	return items
}

// forwardedFor returns the for= values of the Forwarded header's elements
// (RFC 7239), in order. An element without for= counts as a value that is
// not an address.
func forwardedFor(h http.Header) []string {
	var hops []string
	for _, elem := range forwardedList(h.Values("Forwarded")) {
		hop := ""
		for pair := range strings.SplitSeq(elem, ";") {
			name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
			if ok && strings.EqualFold(strings.TrimSpace(name), "for") {
				hop = strings.Trim(strings.TrimSpace(value), `"`)
			}
		}
		hops = append(hops, hop)
	}
	return hops
}

// parseHop reads one forwarded address: 192.0.2.1, 192.0.2.1:4711,
// 2001:db8::1, or [2001:db8::1]:4711.
func parseHop(hop string) netip.Addr {
	if a, err := netip.ParseAddr(hop); err == nil {
		return a.Unmap().WithZone("")
	}
	if ap, err := netip.ParseAddrPort(hop); err == nil {
		return ap.Addr().Unmap().WithZone("")
	}
	if strings.HasPrefix(hop, "[") && strings.HasSuffix(hop, "]") {
		if a, err := netip.ParseAddr(hop[1 : len(hop)-1]); err == nil {
			return a.Unmap().WithZone("")
		}
	}
	return netip.Addr{}
}
