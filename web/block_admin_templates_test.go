package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	for name, data := range blockSamples() {
		templateSamples[name] = func() any { return data }
	}
	sampleTemplate["admin-blocks-empty"] = "admin_blocks.html"
}

// blockSamples holds data for the blocks page: a list with hostile text in
// a reason and a form shown again with errors, and an empty list.
func blockSamples() map[string]any {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	admin := &directory.User{ID: 1, Name: "Ada", Email: "ada@t.example", Role: directory.RoleAdmin}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: admin, NoIndex: true,
		Styles: []string{assets.url("admin.css")}}, Notice: "coop.example is blocked. Removed 2 enterprises."}
	form := blockForm()
	form.fill(url.Values{"domain": {"http://x <y>"}, "reason": {"spam <b>"}})
	form.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid",
		Fields: []directory.FieldError{{Field: "domain", Rule: "format", Message: "must be a domain name <here>"}}})
	blocks := []*directory.DomainBlock{
		{Domain: "coop.example", Reason: "Spam <script>alert(1)</script>", CreatedAt: now},
		{Domain: "::1", CreatedAt: now},
	}
	return map[string]any{
		"admin_blocks.html":  adminBlocksView{adminPage: page, Blocks: blocks, Form: form},
		"admin-blocks-empty": adminBlocksView{adminPage: adminPage{layout: page.layout}, Form: blockForm()},
	}
}

func TestBlocksAdminTemplate(t *testing.T) {
	s := &server{pages: parsePages()}
	page := renderSample(t, s, "admin_blocks.html", blockSamples()["admin_blocks.html"])
	t.Run("keeps the input, shows the error beside the field and escapes outside text", func(t *testing.T) {
		for _, want := range []string{`value="http://x &lt;y&gt;"`, "spam &lt;b&gt;</textarea>", `class="field-error" id="f-domain-error"`,
			`aria-invalid="true"`, `<a href="#f-domain">`, "Must be a domain name &lt;here&gt;", "coop.example is blocked. Removed 2 enterprises.",
			`action="/admin/blocks/coop.example/delete"`, `action="/admin/blocks/::1/delete"`, "No reason given.", `<th scope="col">`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, bad := range []string{"<here>", "<script>alert", "<y>", "spam <b>"} {
			if strings.Contains(page, bad) {
				t.Errorf("page has %q unescaped", bad)
			}
		}
		for _, m := range regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
			if !strings.Contains(page, `for="`+m[1]+`"`) {
				t.Errorf("control #%s has no label", m[1])
			}
		}
	})
	t.Run("an empty list says so", func(t *testing.T) {
		page := renderSample(t, s, "admin-blocks-empty", blockSamples()["admin-blocks-empty"])
		if !strings.Contains(page, "No domain is blocked.") || strings.Contains(page, "<table") {
			t.Errorf("page:\n%s", page)
		}
	})
}

func TestBlockedNotice(t *testing.T) {
	notice := func(value string) string {
		r := httptest.NewRequest(http.MethodGet, "/admin/blocks", nil)
		r.AddCookie(&http.Cookie{Name: flashCookie, Value: url.QueryEscape(value)})
		return blockedNotice(r)
	}
	p := &directory.DomainPurge{Followers: 3, Enterprises: 1, Listings: 4}
	if got, want := notice("domain-blocked:"+blockDetail("coop.example", p)), "coop.example is blocked. Removed 1 enterprise, 4 listings, 3 followers."; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	if got, want := notice("domain-blocked:"+blockDetail("::1", &directory.DomainPurge{})), "::1 is blocked. Removed nothing."; got != want {
		t.Errorf("notice %q, want %q", got, want)
	}
	for _, forged := range []string{
		"domain-blocked:<b>evil</b> 1 1 1 1 1 1 1 1", "domain-blocked:coop.example 1 1 1 1 1 1 1", "domain-blocked:coop.example 1 1 1 1 1 1 1 -1",
		"domain-blocked:Coop.Example 1 1 1 1 1 1 1 1", "domain-blocked:coop.example 1 1 1 1 1 1 1 x", "invited:coop.example 1 1 1 1 1 1 1 1", "",
	} {
		if got := notice(forged); got != "" {
			t.Errorf("notice of %q = %q, want none", forged, got)
		}
	}
	if got := blockedNotice(httptest.NewRequest(http.MethodGet, "/admin/blocks", nil)); got != "" {
		t.Errorf("notice without a cookie: %q", got)
	}
}
