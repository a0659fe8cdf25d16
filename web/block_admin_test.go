package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// seedRemote stores a partner enterprise of origin and a follower of the
// network actor on its host, as federation would have.
func (e *env) seedRemote(handle, origin string) {
	e.t.Helper()
	ctx := context.Background()
	now := e.svc.Now()
	ent := &directory.Enterprise{Handle: handle, Name: "Partner " + handle, Kind: directory.KindWorkerCoop, Origin: origin,
		RemoteID: "https://" + origin + "/enterprises/" + handle, Sectors: []string{}, Languages: []string{}, CreatedAt: now, UpdatedAt: now}
	ev := directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: handle, Origin: origin, At: now}
	if err := e.db.CreateEnterprise(ctx, ent, ev); err != nil {
		e.t.Fatal(err)
	}
	f := &directory.Follower{Actor: directory.ActorNetwork, FollowerID: "https://" + origin + "/actor",
		Inbox: "https://" + origin + "/inbox", CreatedAt: now}
	if err := e.db.SaveFollower(ctx, f); err != nil {
		e.t.Fatal(err)
	}
}

func TestAdminBlocks(t *testing.T) {
	e := newEnv(t)
	e.seedRemote("mill", "www.coop.example:8443")
	e.seedRemote("press", "evil-coop.example")
	ad := e.browser().signIn("admin@test.example")
	const path = "/admin/blocks"

	t.Run("the admin home links here; the page says nothing is blocked", func(t *testing.T) {
		ad.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/blocks"`)
		ad.get(path).want(t, http.StatusOK).has(t, "No domain is blocked.", `<label for="f-domain">`, `<label for="f-reason">`)
	})
	t.Run("blocking a domain removes what it sent and says so", func(t *testing.T) {
		r := ad.post(path, url.Values{"domain": {" Coop.Example "}, "reason": {"Spam <b>and</b> abuse"}})
		ad.follow(r, path).want(t, http.StatusOK).
			has(t, "coop.example is blocked. Removed 1 enterprise, 1 follower.", "<td>coop.example</td>",
				"Spam &lt;b&gt;and&lt;/b&gt; abuse", `action="/admin/blocks/coop.example/delete"`, `<time datetime="2026-11-25`)
		if _, err := e.db.FindEnterprise(context.Background(), "www.coop.example:8443", "mill"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("the blocked domain's enterprise is still there: %v", err)
		}
		if _, err := e.db.FindEnterprise(context.Background(), "evil-coop.example", "press"); err != nil {
			t.Errorf("a look-alike domain's enterprise was removed: %v", err)
		}
		// The notice is shown once.
		ad.get(path).want(t, http.StatusOK).lacks(t, "is blocked. Removed")
	})
	long := strings.Repeat("x", directory.MaxBlockReason+1)
	for _, tt := range []struct {
		name, domain, reason, field string
	}{
		{"an empty domain", "", "", "domain"},
		{"a URL", "http://x", "", "domain"},
		{"an empty label", "a..b", "", "domain"},
		{"a domain with a space", "coop example", "", "domain"},
		{"a reason that is too long", "long.example", long, "reason"},
	} {
		t.Run("refuses "+tt.name+" beside the field, input kept", func(t *testing.T) {
			r := ad.post(path, url.Values{"domain": {tt.domain}, "reason": {tt.reason}}).want(t, http.StatusUnprocessableEntity)
			r.has(t, `class="field-error" id="f-`+tt.field+`-error"`, `<a href="#f-`+tt.field+`">`, `aria-invalid="true"`)
			if tt.domain != "" {
				r.has(t, `value="`+tt.domain+`"`)
			}
		})
	}
	t.Run("blocking a domain twice comes back beside the field", func(t *testing.T) {
		ad.post(path, url.Values{"domain": {"COOP.example"}}).want(t, http.StatusConflict).
			has(t, `value="COOP.example"`, `id="f-domain-error"`, "Is already blocked")
	})
	t.Run("the unblock button lifts the block; a second time is not found", func(t *testing.T) {
		ad.follow(ad.post(path+"/coop.example/delete", nil), path).want(t, http.StatusOK).
			has(t, "The block was lifted.", "No domain is blocked.")
		ad.post(path+"/coop.example/delete", nil).want(t, http.StatusNotFound)
		ad.post(path+"/a..b/delete", nil).want(t, http.StatusNotFound)
	})
	t.Run("editors and visitors may not see or change the blocks", func(t *testing.T) {
		ed := e.browser().signIn("editor@test.example")
		ed.get(path).want(t, http.StatusForbidden)
		ed.post(path, url.Values{"domain": {"evil-coop.example"}}).want(t, http.StatusForbidden)
		ed.get("/admin").want(t, http.StatusOK).lacks(t, `href="/admin/blocks"`)
		if r := e.browser().get(path).want(t, http.StatusSeeOther); !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("Location %q", r.Header.Get("Location"))
		}
		if ok, _ := e.svc.DomainBlocked(context.Background(), "evil-coop.example"); ok {
			t.Error("an editor blocked a domain")
		}
	})
}
