package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// blockBody is what POST /api/v1/blocks answers.
type blockBody struct {
	Domain    string                `json:"domain"`
	Reason    string                `json:"reason"`
	CreatedAt string                `json:"created_at"`
	Purged    directory.DomainPurge `json:"purged"`
}

// blockListBody is what GET /api/v1/blocks answers.
type blockListBody struct {
	Items []blockBody `json:"items"`
	Total int         `json:"total"`
}

func TestBlocksAPI(t *testing.T) {
	e := newEnv(t)
	e.seedRemote("mill", "coop.example")
	e.seedRemote("press", "evil-coop.example")
	const path = "/api/v1/blocks"

	t.Run("lists no blocks at first", func(t *testing.T) {
		var got blockListBody
		e.send(http.MethodGet, path, e.admin, "").want(t, http.StatusOK).decode(t, &got)
		if got.Total != 0 || got.Items == nil || len(got.Items) != 0 {
			t.Errorf("list %+v", got)
		}
	})
	t.Run("blocks a domain: 201 with the block and what it removed", func(t *testing.T) {
		r := e.send(http.MethodPost, path, e.admin, `{"domain": "Coop.Example.", "reason": "  spam  "}`).want(t, http.StatusCreated)
		if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		var got blockBody
		r.decode(t, &got)
		if got.Domain != "coop.example" || got.Reason != "spam" || !strings.HasPrefix(got.CreatedAt, "2026-11-25T") ||
			got.Purged != (directory.DomainPurge{Enterprises: 1, Followers: 1}) {
			t.Errorf("body %s", r.Body)
		}
		if ok, _ := e.svc.DomainBlocked(context.Background(), "www.coop.example"); !ok {
			t.Error("a subdomain is not blocked")
		}
	})
	t.Run("lists the blocks", func(t *testing.T) {
		var got blockListBody
		e.send(http.MethodGet, path, e.admin, "").want(t, http.StatusOK).decode(t, &got)
		if got.Total != 1 || len(got.Items) != 1 || got.Items[0].Domain != "coop.example" || got.Items[0].Reason != "spam" {
			t.Errorf("list %+v", got)
		}
	})
	t.Run("blocking a domain twice is a conflict naming the field", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.admin, `{"domain": "coop.example:8443"}`).problem(t, http.StatusConflict)
		if rule, _ := p.field(t, "domain"); rule != "unique" {
			t.Errorf("rule %q", rule)
		}
	})
	long := strings.Repeat("é", directory.MaxBlockReason+1)
	for _, tt := range []struct {
		name, body, field string
	}{
		{"an empty domain", `{"domain": ""}`, "domain"},
		{"a missing domain", `{"reason": "spam"}`, "domain"},
		{"a URL", `{"domain": "http://x"}`, "domain"},
		{"an empty label", `{"domain": "a..b"}`, "domain"},
		{"spaces", `{"domain": "coop example"}`, "domain"},
		{"a reason that is too long", `{"domain": "long.example", "reason": "` + long + `"}`, "reason"},
	} {
		t.Run("refuses "+tt.name+" with 422", func(t *testing.T) {
			p := e.send(http.MethodPost, path, e.admin, tt.body).problem(t, http.StatusUnprocessableEntity)
			p.field(t, tt.field)
		})
	}
	t.Run("refuses a body that does not read with 400", func(t *testing.T) {
		e.send(http.MethodPost, path, e.admin, `{"domain": 7}`).problem(t, http.StatusBadRequest)
		e.send(http.MethodPost, path, e.admin, `{"domain": "x.example", "purge": false}`).problem(t, http.StatusBadRequest)
		e.send(http.MethodPost, path, e.admin, `not json`).problem(t, http.StatusBadRequest)
	})
	t.Run("bad input blocked nothing", func(t *testing.T) {
		var got blockListBody
		e.send(http.MethodGet, path, e.admin, "").want(t, http.StatusOK).decode(t, &got)
		if got.Total != 1 {
			t.Errorf("list %+v", got)
		}
	})
	t.Run("only admins, with a token", func(t *testing.T) {
		e.send(http.MethodGet, path, e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodPost, path, e.editor, `{"domain": "evil-coop.example"}`).problem(t, http.StatusForbidden)
		e.send(http.MethodDelete, path+"/coop.example", e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodGet, path, "", "").problem(t, http.StatusUnauthorized)
		e.send(http.MethodPost, path, "", `{"domain": "evil-coop.example"}`).problem(t, http.StatusUnauthorized)
		e.send(http.MethodDelete, path+"/coop.example", "", "").problem(t, http.StatusUnauthorized)
		if ok, _ := e.svc.DomainBlocked(context.Background(), "evil-coop.example"); ok {
			t.Error("an editor blocked a domain")
		}
	})
	t.Run("unblocks: 204, then 404; a malformed domain is 404", func(t *testing.T) {
		e.send(http.MethodDelete, path+"/COOP.example", e.admin, "").want(t, http.StatusNoContent)
		e.send(http.MethodDelete, path+"/coop.example", e.admin, "").problem(t, http.StatusNotFound)
		e.send(http.MethodDelete, path+"/a..b", e.admin, "").problem(t, http.StatusNotFound)
		if ok, _ := e.svc.DomainBlocked(context.Background(), "coop.example"); ok {
			t.Error("still blocked")
		}
	})
}
