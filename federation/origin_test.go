package federation

import (
	"net/netip"
	"strings"
	"testing"
)

func TestSameOrigin(t *testing.T) {
	tests := []struct {
		name string
		a, b string
		want bool
	}{
		{"same host, different paths", "https://coop.example/e/a", "https://coop.example/e/b#key", true},
		{"host case is ignored", "https://COOP.Example/x", "https://coop.example/y", true},
		{"scheme case is ignored", "HTTPS://coop.example/x", "https://coop.example/y", true},
		{"default https port equals none", "https://coop.example:443/x", "https://coop.example/y", true},
		{"default http port equals none", "http://coop.example:80/x", "http://coop.example/y", true},
		{"trailing dot is ignored", "https://coop.example./x", "https://coop.example/y", true},
		{"international name equals its punycode", "https://bücher.example/x", "https://xn--bcher-kva.example/y", true},
		{"IPv6 spellings compare equal", "https://[2001:DB8:0::1]:443/", "https://[2001:db8::1]/", true},
		{"subdomain of another domain differs", "https://coop.example.evil.com/x", "https://coop.example/x", false},
		{"userinfo trick is refused", "https://coop.example@evil.com/x", "https://coop.example/x", false},
		{"userinfo is refused even on the same host", "https://user:pw@coop.example/x", "https://coop.example/x", false},
		{"http and https differ", "http://coop.example/x", "https://coop.example/x", false},
		{"other port differs", "https://coop.example:8443/x", "https://coop.example/x", false},
		{"https on port 80 is not the default", "https://coop.example:80/x", "https://coop.example/x", false},
		{"string prefix is not an origin", "https://coop.example", "https://coop.example.org", false},
		{"other schemes never match", "ftp://coop.example/x", "ftp://coop.example/x", false},
		{"relative URLs never match", "/e/a", "/e/a", false},
		{"empty host never matches", "https:///x", "https:///x", false},
		{"invalid names never match", "https://bad_host.example/x", "https://bad_host.example/x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameOrigin(tt.a, tt.b); got != tt.want {
				t.Fatalf("SameOrigin(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
			if got := SameOrigin(tt.b, tt.a); got != tt.want {
				t.Fatalf("SameOrigin is not symmetric for %q, %q", tt.b, tt.a)
			}
		})
	}
}

func TestHost(t *testing.T) {
	tests := []struct{ id, want string }{
		{"https://Coop.Example:443/e/a", "coop.example"},
		{"https://coop.example.:8443/", "coop.example:8443"},
		{"http://[::1]:80/", "[::1]"},
		{"https://bücher.example/", "xn--bcher-kva.example"},
	}
	for _, tt := range tests {
		if got, err := Host(tt.id); err != nil || got != tt.want {
			t.Errorf("Host(%q) = %q, %v; want %q", tt.id, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "coop.example", "mailto:a@coop.example", "https://a@coop.example/", "https://coop.example:0/", "https://[fe80::1%25eth0]/"} {
		if got, err := Host(bad); err == nil {
			t.Errorf("Host(%q) = %q, want an error", bad, got)
		}
	}
}

func TestNormalizeID(t *testing.T) {
	got, err := NormalizeID("HTTPS://Coop.Example:443")
	if err != nil || got != "https://coop.example/" {
		t.Fatalf("got %q, %v", got, err)
	}
	got, err = NormalizeID("https://coop.example/E/A?x=1#main-key")
	if err != nil || got != "https://coop.example/E/A?x=1#main-key" {
		t.Fatalf("path, query or fragment changed: %q, %v", got, err)
	}
}

func TestCheckPublic(t *testing.T) {
	refused := map[string]string{
		"127.0.0.1":        "127.0.0.1 is a loopback address",
		"::1":              "::1 is a loopback address",
		"0.0.0.0":          "0.0.0.0 is an unspecified address",
		"::":               ":: is an unspecified address",
		"10.1.2.3":         "a private address",
		"172.16.0.1":       "a private address",
		"192.168.1.1":      "a private address",
		"fd00::2":          "fd00::2 is a private address",
		"fc00::1":          "a private address",
		"169.254.169.254":  "169.254.169.254 is a link-local address",
		"fe80::1":          "a link-local address",
		"224.0.0.1":        "a multicast address",
		"ff02::1":          "a multicast address",
		"100.64.0.1":       "100.64.0.1 is a shared (carrier-grade NAT) address",
		"100.127.255.254":  "carrier-grade NAT",
		"255.255.255.255":  "a reserved address",
		"0.1.2.3":          `a "this network" address`,
		"::ffff:127.0.0.1": "::ffff:127.0.0.1 is a loopback address",
		"::ffff:10.0.0.1":  "a private address",
		"64:ff9b::7f00:1":  "64:ff9b::7f00:1 (127.0.0.1) is a loopback address",
		"2002:a00:1::1":    "(10.0.0.1) is a private address",
		"::a00:1":          "(10.0.0.1) is a private address",
	}
	for addr, want := range refused {
		err := checkPublic(netip.MustParseAddr(addr))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "refused: ") {
			t.Errorf("checkPublic(%s) = %v, want %q", addr, err, want)
		}
	}
	for _, addr := range []string{"8.8.8.8", "100.128.0.1", "2606:4700:4700::1111", "::ffff:1.1.1.1", "64:ff9b::808:808"} {
		if err := checkPublic(netip.MustParseAddr(addr)); err != nil {
			t.Errorf("checkPublic(%s) = %v, want nil", addr, err)
		}
	}
}
