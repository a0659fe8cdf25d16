package federation_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/federation"
)

// TestInteropGoToSocialFollowFromYourServer sends a GoToSocial user through
// coopdir's "Follow from your server" form. GoToSocial (0.18) answers
// WebFinger with self and profile-page links but no subscribe template,
// and answers 404 at Mastodon's /authorize_interaction: a GoToSocial
// account gets the form's "no template" answer (search for the address
// instead), and so does a bare GoToSocial server.
// Should a later GoToSocial offer a template, the test asserts that the
// form uses it.
func TestInteropGoToSocialFollowFromYourServer(t *testing.T) {
	p := startGoToSocial(t)
	in := startTLSInstance(t)
	in.Enterprise("bakery", "Rye Bakery")
	uri := in.URLOf("/enterprises/bakery")

	resp, err := http.Get(p.base + "/.well-known/webfinger?" + url.Values{"resource": {"acct:" + p.account()}}.Encode())
	if err != nil {
		t.Fatal(err)
	}
	var jrd struct {
		Links []struct{ Rel, Type, Href, Template string }
	}
	err = json.NewDecoder(resp.Body).Decode(&jrd)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GoToSocial's WebFinger: %d %v", resp.StatusCode, err)
	}
	template := ""
	for _, l := range jrd.Links {
		t.Logf("GoToSocial's WebFinger offers rel=%s type=%s href=%s template=%s", l.Rel, l.Type, l.Href, l.Template)
		if l.Rel == federation.SubscribeRel {
			template = l.Template
		}
	}

	follow := func(account string) (int, string, string) {
		t.Helper()
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		resp, err := client.PostForm(in.URLOf("/follow"), url.Values{"actor": {"bakery"}, "account": {account}})
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Location"), string(body)
	}

	t.Run("a GoToSocial account", func(t *testing.T) {
		status, location, body := follow("@" + p.account())
		if template != "" {
			want := strings.ReplaceAll(template, "{uri}", url.QueryEscape(uri))
			if status != http.StatusSeeOther || location != want {
				t.Fatalf("%d to %q, want 303 to GoToSocial's template %q", status, location, want)
			}
			return
		}
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "does not say where its users follow accounts of other servers") {
			t.Fatalf("no template offered, yet the form answered %d (Location %q): %s", status, location, body)
		}
	})

	t.Run("a bare GoToSocial server", func(t *testing.T) {
		status, location, body := follow(strings.TrimPrefix(p.base, "https://"))
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "has no page for following accounts of other servers") {
			t.Fatalf("GoToSocial has no /authorize_interaction, yet the form answered %d (Location %q): %s", status, location, body)
		}
	})
}
