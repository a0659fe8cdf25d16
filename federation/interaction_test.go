package federation

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestParseVisitor(t *testing.T) {
	for _, c := range []struct{ in, user, host string }{
		{"@alice@example.social", "alice", "example.social"},
		{"alice@example.social", "alice", "example.social"},
		{"  acct:alice@Example.Social  ", "alice", "example.social"},
		{"example.social", "", "example.social"},
		{"https://example.social/", "", "example.social"},
		{"Example.Social.", "", "example.social"},
		{"bob@localhost:8443", "bob", "localhost:8443"},
		{"a.b_c-d@xn--bcher-kva.example", "a.b_c-d", "xn--bcher-kva.example"},
		{"alice@bücher.example", "alice", "xn--bcher-kva.example"},
	} {
		v, err := parseVisitor(c.in)
		if err != nil || v.User != c.user || v.Host != c.host {
			t.Errorf("parseVisitor(%q) = %+v, %v; want %s@%s", c.in, v, err, c.user, c.host)
		}
	}
	for _, in := range []string{
		"", "   ", "@", "alice@", "@alice", "alice@@example.social", "alice@example.social/path",
		"example.social/@alice", "https://example.social/@alice", "javascript:alert(1)", "alice@exa mple.social",
		"alice@example.social?x=1", "alice@example.social#x", "al/ice@example.social", "alice@ex%61mple.social",
		"<script>@example.social", "alice@example.social:99999", "alice@" + strings.Repeat("a", 400) + ".example",
		"alice@[::1%25eth0]", "alice", "alice@localhost", "alice@-bad-.example", `alice@example.social\evil`,
	} {
		if v, err := parseVisitor(in); err == nil {
			t.Errorf("parseVisitor(%q) = %+v, want a format error", in, v)
		} else if r := ruleOf(err); r != RuleFormat {
			t.Errorf("parseVisitor(%q): rule %q, want format", in, r)
		}
	}
}

func ruleOf(err error) string {
	if f := directory.ErrorFields(err); len(f) == 1 && f[0].Field == "account" {
		return f[0].Rule
	}
	return ""
}

func TestFillTemplate(t *testing.T) {
	v := visitor{User: "alice", Host: "example.social"}
	const uri = "https://coop.example/enterprises/shaky"
	got, err := fillTemplate("https://example.social/authorize_interaction?uri={uri}", uri, v)
	if want := "https://example.social/authorize_interaction?uri=https%3A%2F%2Fcoop.example%2Fenterprises%2Fshaky"; err != nil || got != want {
		t.Errorf("Mastodon's template: %q, %v; want %q", got, err, want)
	}
	if got, err := fillTemplate("http://web.example.social/authorize-follow?acct={uri}", uri, v); err != nil || !strings.HasPrefix(got, "http://web.example.social/authorize-follow?acct=https%3A") {
		t.Errorf("another host over http: %q, %v", got, err)
	}
	for _, tmpl := range []string{
		"javascript:alert(document.cookie)//{uri}", "JavaScript:alert(1)?{uri}", "data:text/html,{uri}",
		"https://example.social/authorize_interaction", "/authorize_interaction?uri={uri}", "//evil.example/?uri={uri}",
		"https://user:pw@example.social/?uri={uri}", "https:///?uri={uri}", "https://example.social/ ?uri={uri}",
		"https://example.social/\n?uri={uri}", "ftp://example.social/?uri={uri}", "https://exa%mple/?uri={uri}",
		"https://example.social/?uri={uri}" + strings.Repeat("x", 3000), "{uri}",
	} {
		if got, err := fillTemplate(tmpl, uri, v); err == nil {
			t.Errorf("fillTemplate(%q) = %q, want a refusal", tmpl, got)
		} else if r := ruleOf(err); r != RuleTemplate {
			t.Errorf("fillTemplate(%q): rule %q, want template", tmpl, r)
		}
	}
}

func TestFollowURLRefusesInternalAddresses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("the lookup reached the loopback server: %s", r.URL)
	}))
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")
	port := host[strings.LastIndex(host, ":"):]
	in := NewInteractions(ClientOptions{}, true)
	for _, visitor := range []string{"alice@" + host, host, "alice@localhost" + port, "localhost" + port, "alice@[::1]" + port, "10.0.0.1"} {
		_, err := in.FollowURL(context.Background(), visitor, "https://coop.example/network")
		if r := ruleOf(err); r != RuleAllowed {
			t.Errorf("%s: %v (rule %q), want the address refused", visitor, err, r)
		}
	}
}
