package web

import (
	"net/http"
	"net/netip"
	"testing"
)

func TestParseTrustedProxies(t *testing.T) {
	got, err := ParseTrustedProxies(" 10.0.0.0/8, 192.0.2.7 ,fd00::1/8,::ffff:198.51.100.1,")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"10.0.0.0/8", "192.0.2.7/32", "fd00::/8", "198.51.100.1/32"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("item %d = %s, want %s", i, got[i], want[i])
		}
	}
	if got, err := ParseTrustedProxies(""); err != nil || len(got) != 0 {
		t.Errorf("empty list: %v, %v", got, err)
	}
	for _, bad := range []string{"proxy.example", "10.0.0.0/33", "10.0.0.1/8/8", "300.1.1.1", "fe80::1%eth0", "*"} {
		if _, err := ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestClientIP(t *testing.T) {
	trusted, err := ParseTrustedProxies("10.0.0.0/8, 2001:db8:1::/48")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, peer, header, value, want string
		trust                           bool
	}{
		{"the peer, when no proxy is trusted", "192.0.2.1:5000", "X-Forwarded-For", "198.51.100.9", "192.0.2.1", false},
		{"the peer, when it is not a trusted proxy", "192.0.2.1:5000", "X-Forwarded-For", "198.51.100.9", "192.0.2.1", true},
		{"the forwarded address behind a trusted proxy", "10.0.0.2:5000", "X-Forwarded-For", "198.51.100.9", "198.51.100.9", true},
		{"the right-most untrusted address, not what the client wrote", "10.0.0.2:5000", "X-Forwarded-For",
			"203.0.113.66, 198.51.100.9, 10.0.0.3", "198.51.100.9", true},
		{"the proxy itself when the header is missing", "10.0.0.2:5000", "", "", "10.0.0.2", true},
		{"the last trusted hop when a proxy wrote garbage", "10.0.0.2:5000", "X-Forwarded-For", "198.51.100.9, unknown", "10.0.0.2", true},
		{"the left-most when every hop is trusted", "10.0.0.2:5000", "X-Forwarded-For", "10.9.9.9, 10.0.0.3", "10.9.9.9", true},
		{"IPv6 peers and hops", "[2001:db8:1::5]:443", "X-Forwarded-For", "2001:db8:2::7", "2001:db8:2::7", true},
		{"Forwarded for= values", "10.0.0.2:5000", "Forwarded",
			`for=203.0.113.66, for="[2001:db8:2::7]:4711";proto=https, for=10.0.0.3`, "2001:db8:2::7", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &server{}
			if tc.trust {
				s.opt.TrustedProxies = trusted
			}
			if tc.header == "Forwarded" {
				s.opt.ClientIPHeader = "Forwarded"
			}
			r, _ := http.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = tc.peer
			if tc.header != "" {
				r.Header.Set(tc.header, tc.value)
			}
			if got := s.clientIP(r); got != tc.want {
				t.Errorf("clientIP = %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("ignores Forwarded when reading X-Forwarded-For", func(t *testing.T) {
		s := &server{opt: Options{TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}}}
		r, _ := http.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "10.0.0.2:5000"
		r.Header.Set("Forwarded", "for=203.0.113.66")
		r.Header.Set("X-Forwarded-For", "198.51.100.9")
		if got := s.clientIP(r); got != "198.51.100.9" {
			t.Errorf("clientIP = %s", got)
		}
	})
}
