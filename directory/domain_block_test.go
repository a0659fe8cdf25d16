package directory_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestNormalizeDomain(t *testing.T) {
	for in, want := range map[string]string{
		"coop.example":           "coop.example",
		"  Coop.Example.  ":      "coop.example",
		"coop.example:8443":      "coop.example",
		"xn--bcher-kva.example":  "xn--bcher-kva.example",
		"localhost":              "localhost",
		"a-b.c-d.example":        "a-b.c-d.example",
		"127.0.0.2":              "127.0.0.2",
		"127.0.0.2:8080":         "127.0.0.2",
		"[::1]:8080":             "::1",
		"[2001:DB8::1]":          "2001:db8::1",
		"2001:db8:0:0::1":        "2001:db8::1",
		strings.Repeat("a", 63):  strings.Repeat("a", 63),
		"ns1.coop.example:65535": "ns1.coop.example",
	} {
		got, err := directory.NormalizeDomain(in)
		if err != nil || got != want {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"", "   ", ".", "http://x", "https://coop.example/", "coop.example/path", "a..b", ".coop.example",
		"coop example", "coop\texample", "user@coop.example", "coop.example:", "coop.example:http",
		"coop.example:123456", "coop_example.org", "-coop.example", "coop-.example", "bücher.example",
		strings.Repeat("a", 64) + ".example", strings.Repeat("abcdefghi.", 26) + "example",
		"1.2", "coop.123", "127.000.000.002", "[coop.example]", "[127.0.0.1]", "[::1", "[::1]x", "[::1]:x",
		"fe80::1%eth0", "::1::2", "coop.example:80:80",
	} {
		got, err := directory.NormalizeDomain(in)
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("NormalizeDomain(%q) = %q, %v; want EINVALID", in, got, err)
			continue
		}
		if f := directory.ErrorFields(err); len(f) != 1 || f[0].Field != "domain" {
			t.Errorf("NormalizeDomain(%q) fields %v, want domain", in, f)
		}
	}
}

func TestHostInDomain(t *testing.T) {
	for _, c := range []struct {
		host, domain string
		want         bool
	}{
		{"coop.example", "coop.example", true},
		{"COOP.example.", "coop.example", true},
		{"www.coop.example", "coop.example", true},
		{"a.b.coop.example", "coop.example", true},
		{"coop.example:8443", "coop.example", true},
		{"www.coop.example:8443", "coop.example", true},
		{"evil-coop.example", "coop.example", false},
		{"xcoop.example", "coop.example", false},
		{"coop.example.net", "coop.example", false},
		{"example", "coop.example", false},
		{"", "coop.example", false},
		{"127.0.0.2", "127.0.0.2", true},
		{"127.0.0.2:8080", "127.0.0.2", true},
		{"127.0.0.20", "127.0.0.2", false},
		{"1.127.0.0.2", "127.0.0.2", false},
		{"x.127.0.0.2.example", "127.0.0.2", false},
		{"[::1]:8080", "::1", true},
		{"[::2]", "::1", false},
		{"127.0.0.2", "0.0.2", false},
	} {
		if got := directory.HostInDomain(c.host, c.domain); got != c.want {
			t.Errorf("HostInDomain(%q, %q) = %v, want %v", c.host, c.domain, got, c.want)
		}
	}
}

func TestURLInDomain(t *testing.T) {
	for _, c := range []struct {
		id   string
		want bool
	}{
		{"https://coop.example/u/ann", true},
		{"https://www.coop.example:8443/u/bob", true},
		{"http://coop.example", true},
		{"https://good.example/coop.example/u", false},
		{"https://good.example/?next=https://coop.example/", false},
		{"https://coop.example@good.example/", false},
		{"https://evil-coop.example/u", false},
		{"coop.example/u/ann", false},
		{"acct:ann@coop.example", false},
		{"", false},
	} {
		if got := directory.URLInDomain(c.id, "coop.example"); got != c.want {
			t.Errorf("URLInDomain(%q) = %v, want %v", c.id, got, c.want)
		}
	}
}

func TestBlockDomain(t *testing.T) {
	t.Run("an admin blocks a domain, given in any spelling, and gets the purge", func(t *testing.T) {
		svc := newService(t)
		admin := asUser(t, svc, "admin@here.example", directory.RoleAdmin, "")
		b := &directory.DomainBlock{Domain: " Coop.Example:8443 ", Reason: "  spam  "}
		p, err := svc.BlockDomain(admin, b)
		must(t, err)
		if p == nil || p.Total() != 0 {
			t.Errorf("purge %+v, want an empty one", p)
		}
		if b.Domain != "coop.example" || b.Reason != "spam" || !b.CreatedAt.Equal(now.Truncate(time.Microsecond)) {
			t.Errorf("block %+v", b)
		}
		blocks, err := svc.DomainBlocks(admin)
		must(t, err)
		if len(blocks) != 1 || blocks[0].Domain != "coop.example" {
			t.Errorf("blocks %+v", blocks)
		}
		for _, host := range []string{"coop.example", "www.coop.example:443"} {
			if ok, err := svc.DomainBlocked(sys, host); err != nil || !ok {
				t.Errorf("%s blocked = %v, %v", host, ok, err)
			}
		}
		if ok, _ := svc.DomainBlocked(sys, "evil-coop.example"); ok {
			t.Error("a look-alike domain is blocked")
		}
		_, err = svc.BlockDomain(admin, &directory.DomainBlock{Domain: "COOP.example"})
		wantCode(t, err, directory.ECONFLICT)
		must(t, svc.UnblockDomain(admin, "Coop.Example."))
		wantCode(t, svc.UnblockDomain(admin, "coop.example"), directory.ENOTFOUND)
	})
	t.Run("refuses bad input and names the fields", func(t *testing.T) {
		svc := newService(t)
		admin := asUser(t, svc, "admin@here.example", directory.RoleAdmin, "")
		long := strings.Repeat("é", directory.MaxBlockReason+1)
		for _, c := range []struct {
			domain, reason string
			fields         []string
		}{
			{"", "", []string{"domain"}},
			{"http://x", "", []string{"domain"}},
			{"a..b", "", []string{"domain"}},
			{"coop example", "", []string{"domain"}},
			{"coop.example", long, []string{"reason"}},
			{"a..b", long, []string{"domain", "reason"}},
		} {
			_, err := svc.BlockDomain(admin, &directory.DomainBlock{Domain: c.domain, Reason: c.reason})
			wantFields(t, err, c.fields...)
		}
		// The limit counts characters, not bytes.
		_, err := svc.BlockDomain(admin, &directory.DomainBlock{Domain: "coop.example", Reason: long[2:]})
		must(t, err)
		wantCode(t, svc.UnblockDomain(admin, "http://x"), directory.EINVALID)
	})
	t.Run("only admins manage blocks", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, "bakery")
		editor := asUser(t, svc, "ed@here.example", directory.RoleEditor, "bakery")
		_, err := svc.BlockDomain(editor, &directory.DomainBlock{Domain: "coop.example"})
		wantCode(t, err, directory.EFORBIDDEN)
		_, err = svc.DomainBlocks(editor)
		wantCode(t, err, directory.EFORBIDDEN)
		wantCode(t, svc.UnblockDomain(editor, "coop.example"), directory.EFORBIDDEN)
		_, err = svc.BlockDomain(t.Context(), &directory.DomainBlock{Domain: "coop.example"})
		wantCode(t, err, directory.EUNAUTHORIZED)
	})
}

func TestDomainPurgeSummary(t *testing.T) {
	for _, c := range []struct {
		p    directory.DomainPurge
		want string
	}{
		{directory.DomainPurge{}, "nothing"},
		{directory.DomainPurge{Followers: 1}, "1 follower"},
		{directory.DomainPurge{Followers: 3, Following: 1, FeedPosts: 2, Responses: 1, RemoteActors: 4, Enterprises: 2,
			Listings: 14, Announcements: 1},
			"2 enterprises, 14 listings, 1 announcement, 3 followers, 1 follow, 2 feed posts, 1 response, 4 remote actors"},
	} {
		if got := c.p.Summary(); got != c.want {
			t.Errorf("Summary(%+v) = %q, want %q", c.p, got, c.want)
		}
		if c.p.Total() == 0 != (c.want == "nothing") {
			t.Errorf("Total(%+v) = %d", c.p, c.p.Total())
		}
	}
}

func TestBlockedEntry(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	b := &directory.DomainBlock{Domain: "coop.example", CreatedAt: at}
	t.Run("an enterprise of the domain goes, with its event", func(t *testing.T) {
		e, ok := b.BlockedEntry(directory.EventEnterpriseDeleted, 4, "bakery", "www.coop.example", "www.coop.example")
		want := directory.BlockedEntry{ID: 4, WithEnterprise: true, Deleted: directory.Event{
			Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "bakery", Origin: "www.coop.example", At: at}}
		if !ok || e != want || !e.Recorded() {
			t.Errorf("= %+v, %v; want %+v", e, ok, want)
		}
	})
	t.Run("a listing goes with its enterprise, without an event of its own", func(t *testing.T) {
		e, ok := b.BlockedEntry(directory.EventListingDeleted, 9, "bakery", "coop.example:8443", "coop.example")
		if !ok || e.ID != 9 || !e.WithEnterprise || e.Deleted.ListingID != 9 || e.Recorded() {
			t.Errorf("= %+v, %v", e, ok)
		}
	})
	t.Run("an announcement of the domain under another enterprise goes on its own", func(t *testing.T) {
		e, ok := b.BlockedEntry(directory.EventAnnouncementDeleted, 3, "mill", "coop.example", "other.example")
		if !ok || e.WithEnterprise || e.Deleted.AnnouncementID != 3 || e.Deleted.Origin != "coop.example" || !e.Recorded() {
			t.Errorf("= %+v, %v", e, ok)
		}
	})
	t.Run("an entry of neither is not blocked", func(t *testing.T) {
		for _, origin := range []string{"", "evil-coop.example", "coop.example.net"} {
			if e, ok := b.BlockedEntry(directory.EventListingDeleted, 5, "mill", origin, "other.example"); ok || e != (directory.BlockedEntry{}) {
				t.Errorf("origin %q: %+v, %v", origin, e, ok)
			}
		}
	})
}
