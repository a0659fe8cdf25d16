package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/web"
)

// testPartnerships partners without a network: it checks the user and the
// scope as the real one does and keeps the partnerships in the real store.
// nobody.example runs no coopdir instance; blocked.example is blocked.
type testPartnerships struct {
	svc   *directory.Service
	store directory.Store
}

func (tp *testPartnerships) RequestPartnership(ctx context.Context, instance string, scope directory.Scope) (*directory.Partner, error) {
	if err := tp.svc.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	host := strings.ToLower(strings.TrimSpace(instance))
	if _, rest, ok := strings.Cut(host, "://"); ok {
		host = rest
	}
	host, _, _ = strings.Cut(host, "/")
	switch host {
	case "nobody.example":
		return nil, directory.Errorf(directory.ENOTFOUND, "no coopdir network answers at %s", host)
	case "blocked.example":
		return nil, &directory.Error{Code: directory.EFORBIDDEN, Message: host + " is blocked on this server",
			Fields: []directory.FieldError{{Field: "instance", Rule: "allowed", Message: host + " is blocked on this server"}}}
	}
	now := tp.svc.Now()
	p, err := tp.store.FindPartnerByHost(ctx, host)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		p = &directory.Partner{Host: host, ActorID: "https://" + host + "/actor", Inbox: "https://" + host + "/inbox",
			Name: "Network of " + host, Summary: "Co-ops of " + host, URL: "https://" + host + "/", Enterprises: 3, Listings: 5, CreatedAt: now}
	case err != nil:
		return nil, err
	case p.Outgoing == directory.PartnerPending || p.Outgoing == directory.PartnerActive:
		return nil, directory.Errorf(directory.ECONFLICT, "this network was already asked")
	}
	p.Outgoing, p.OutgoingFollowID, p.Scope, p.UpdatedAt = directory.PartnerPending, "https://test.example/follows/"+host, scope, now
	if p.ID == 0 {
		err = tp.store.CreatePartner(ctx, p)
	} else {
		err = tp.store.UpdatePartner(ctx, p)
	}
	return p, err
}

// answer sets the state of partner id's request when it is one of from.
func (tp *testPartnerships) answer(ctx context.Context, id int64, to directory.PartnerState, from ...directory.PartnerState) (*directory.Partner, error) {
	p, err := tp.svc.Partner(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, st := range from {
		if p.Incoming == st {
			p.Incoming, p.UpdatedAt = to, tp.svc.Now()
			return p, tp.store.UpdatePartner(ctx, p)
		}
	}
	return nil, directory.Errorf(directory.ECONFLICT, "this network made no request to answer")
}

func (tp *testPartnerships) ApprovePartner(ctx context.Context, id int64) (*directory.Partner, error) {
	return tp.answer(ctx, id, directory.PartnerActive, directory.PartnerPending, directory.PartnerRejected)
}

func (tp *testPartnerships) RejectPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	return tp.answer(ctx, id, directory.PartnerRejected, directory.PartnerPending, directory.PartnerActive, directory.PartnerRejected)
}

func (tp *testPartnerships) SetPartnerScope(ctx context.Context, id int64, scope directory.Scope) (*directory.Partner, error) {
	p, err := tp.svc.Partner(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	p.Scope, p.UpdatedAt = scope, tp.svc.Now()
	return p, tp.store.UpdatePartner(ctx, p)
}

func (tp *testPartnerships) EndPartnership(ctx context.Context, id int64) error {
	p, err := tp.svc.Partner(ctx, id)
	if err != nil {
		return err
	}
	if _, err := tp.store.PurgeOrigin(ctx, p.Host); err != nil {
		return err
	}
	return tp.store.DeletePartner(ctx, id)
}

// newPartnerEnv is newEnv with the test partnerships.
func newPartnerEnv(t *testing.T) *env {
	t.Helper()
	tp := &testPartnerships{}
	e := newEnv(t, func(o *web.Options) { o.Partnerships = tp })
	tp.svc, tp.store = e.svc, e.db
	return e
}

// partner stores a partnership with host in the given states, as
// federation would once the networks answered.
func (e *env) partner(host, name string, ours, theirs directory.PartnerState) *directory.Partner {
	e.t.Helper()
	now := e.svc.Now()
	p := &directory.Partner{Host: host, ActorID: "https://" + host + "/actor", Inbox: "https://" + host + "/inbox", Name: name,
		Summary: "The co-ops of " + name, URL: "https://" + host + "/", Enterprises: 2, Listings: 1,
		Outgoing: ours, Incoming: theirs, CreatedAt: now, UpdatedAt: now}
	if err := e.db.CreatePartner(context.Background(), p); err != nil {
		e.t.Fatal(err)
	}
	return p
}

// partnerJSON is a partner as a client reads it.
type partnerJSON struct {
	ID       int64                  `json:"id"`
	Host     string                 `json:"host"`
	Name     string                 `json:"name"`
	Outgoing directory.PartnerState `json:"outgoing"`
	Incoming directory.PartnerState `json:"incoming"`
	Scope    directory.Scope        `json:"scope"`
	Mutual   bool                   `json:"mutual"`
	Backfill *directory.Backfill    `json:"backfill"`
}

func TestPartnersAPI(t *testing.T) {
	e := newPartnerEnv(t)
	const path = "/api/v1/partners"
	var made partnerJSON

	t.Run("lists no partners at first", func(t *testing.T) {
		var l struct{ Partners []partnerJSON }
		r := e.send(http.MethodGet, path, e.admin, "").want(t, http.StatusOK)
		r.decode(t, &l)
		if l.Partners == nil || len(l.Partners) != 0 || !strings.Contains(string(r.Body), `"partners":[]`) {
			t.Fatalf("got %s", r.Body)
		}
	})
	t.Run("an admin asks a network: 201, pending, with its scope and address", func(t *testing.T) {
		r := e.send(http.MethodPost, path, e.admin, `{"instance": "https://Jackson.example/", "scope": {"kinds": ["tool_library"],
			"categories": ["tools"], "center": {"lat": 32.3, "lon": -90.18}, "radius_km": 50}}`).want(t, http.StatusCreated)
		r.decode(t, &made)
		if made.ID == 0 || made.Host != "jackson.example" || made.Outgoing != directory.PartnerPending || made.Incoming != "" || made.Mutual ||
			len(made.Scope.Kinds) != 1 || made.Scope.Center == nil || made.Scope.RadiusKM != 50 || made.Backfill == nil {
			t.Fatalf("got %s", r.Body)
		}
		if loc, want := r.Header.Get("Location"), fmt.Sprintf("%s%s/%d", e.srv.URL, path, made.ID); loc != want {
			t.Fatalf("Location %q, want %q", loc, want)
		}
		if strings.Contains(string(r.Body), "inbox") || strings.Contains(string(r.Body), "follow") {
			t.Errorf("the partner shows its delivery details: %s", r.Body)
		}
	})
	t.Run("the scope is optional", func(t *testing.T) {
		var p partnerJSON
		e.send(http.MethodPost, path, e.admin, `{"instance": "chi.example:8443"}`).want(t, http.StatusCreated).decode(t, &p)
		if p.Host != "chi.example:8443" || !p.Scope.IsEmpty() {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("lists and shows the partners", func(t *testing.T) {
		var l struct{ Partners []partnerJSON }
		e.send(http.MethodGet, path, e.admin, "").want(t, http.StatusOK).decode(t, &l)
		if len(l.Partners) != 2 || l.Partners[0].Host != "chi.example:8443" || l.Partners[1].ID != made.ID {
			t.Fatalf("got %+v", l)
		}
		var p partnerJSON
		e.send(http.MethodGet, fmt.Sprintf("%s/%d", path, made.ID), e.admin, "").want(t, http.StatusOK).decode(t, &p)
		if p.Name != "Network of jackson.example" || p.Outgoing != directory.PartnerPending {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("409 naming the instance for a network already asked", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.admin, `{"instance": "jackson.example"}`).problem(t, http.StatusConflict)
		if rule, _ := p.field(t, "instance"); rule != "unique" {
			t.Fatalf("rule %q", rule)
		}
	})
	t.Run("400 naming the instance for a missing or malformed one", func(t *testing.T) {
		for body, rule := range map[string]string{
			`{}`:                                    "required",
			`{"instance": " "}`:                     "required",
			`{"instance": "coop example"}`:          "format",
			`{"instance": "ftp://coop.example"}`:    "format",
			`{"instance": "name@coop.example"}`:     "format",
			`{"instance": "coop.example:99999"}`:    "format",
			`{"instance": "https://"}`:              "format",
			`{"instance": "a..b", "scope": {}}`:     "format",
			`{"instance": "http://[::1:8080/path"}`: "format",
		} {
			p := e.send(http.MethodPost, path, e.admin, body).problem(t, http.StatusBadRequest)
			if got, _ := p.field(t, "instance"); got != rule {
				t.Errorf("%s: rule %q, want %q", body, got, rule)
			}
		}
	})
	t.Run("404 naming the instance when no coopdir network answers there", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.admin, `{"instance": "nobody.example"}`).problem(t, http.StatusNotFound)
		if rule, _ := p.field(t, "instance"); rule != "exists" {
			t.Fatalf("rule %q", rule)
		}
	})
	t.Run("403 naming the instance for a blocked domain", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.admin, `{"instance": "blocked.example"}`).problem(t, http.StatusForbidden)
		if rule, _ := p.field(t, "instance"); rule != "allowed" {
			t.Fatalf("rule %q", rule)
		}
	})
	t.Run("422 naming the scope's fields for a bad scope, and nothing is asked", func(t *testing.T) {
		for body, field := range map[string]string{
			`{"instance": "new.example", "scope": {"kinds": ["castle"]}}`:                                "scope.kinds",
			`{"instance": "new.example", "scope": {"categories": ["gold"]}}`:                             "scope.categories",
			`{"instance": "new.example", "scope": {"radius_km": 5}}`:                                     "scope.center",
			`{"instance": "new.example", "scope": {"center": {"lat": 91, "lon": 0}, "radius_km": 5}}`:    "scope.center",
			`{"instance": "new.example", "scope": {"center": {"lat": 1, "lon": 1}}}`:                     "scope.radius_km",
			`{"instance": "new.example", "scope": {"center": {"lat": 1, "lon": 1}, "radius_km": 20001}}`: "scope.radius_km",
		} {
			p := e.send(http.MethodPost, path, e.admin, body).problem(t, http.StatusUnprocessableEntity)
			p.field(t, field)
		}
		if _, err := e.db.FindPartnerByHost(context.Background(), "new.example"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("a partner was stored: %v", err)
		}
	})
	t.Run("400 for malformed JSON or unknown members", func(t *testing.T) {
		e.send(http.MethodPost, path, e.admin, `{"instance":`).problem(t, http.StatusBadRequest)
		e.send(http.MethodPost, path, e.admin, `{"instance": 42}`).problem(t, http.StatusBadRequest)
		e.send(http.MethodPost, path, e.admin, `{"instance": "x.example", "scope": {"kinds": "tool_library"}}`).problem(t, http.StatusBadRequest)
		p := e.send(http.MethodPost, path, e.admin, `{"instance": "x.example", "scope": {"area": 5}}`).problem(t, http.StatusBadRequest)
		p.field(t, "area")
	})
	t.Run("PATCH changes the scope; null imports everything; absent keeps it", func(t *testing.T) {
		one := fmt.Sprintf("%s/%d", path, made.ID)
		var p partnerJSON
		e.send(http.MethodPatch, one, e.admin, `{"scope": {"categories": ["food"]}}`).want(t, http.StatusOK).decode(t, &p)
		if len(p.Scope.Categories) != 1 || len(p.Scope.Kinds) != 0 || p.Scope.Center != nil {
			t.Fatalf("got %+v", p.Scope)
		}
		e.send(http.MethodPatch, one, e.admin, `{}`).want(t, http.StatusOK).decode(t, &p)
		if len(p.Scope.Categories) != 1 {
			t.Fatalf("an empty patch changed the scope: %+v", p.Scope)
		}
		var cleared partnerJSON
		e.send(http.MethodPatch, one, e.admin, `{"scope": null}`).want(t, http.StatusOK).decode(t, &cleared)
		if !cleared.Scope.IsEmpty() {
			t.Fatalf("got %+v", cleared.Scope)
		}
		pr := e.send(http.MethodPatch, one, e.admin, `{"scope": {"radius_km": 3}}`).problem(t, http.StatusUnprocessableEntity)
		pr.field(t, "scope.center")
		e.send(http.MethodPatch, one, e.admin, `{"scope": {}, "name": "x"}`).problem(t, http.StatusBadRequest)
	})
	asking := e.partner("milwaukee.example", "Cooperation Milwaukee", directory.PartnerNone, directory.PartnerPending)
	askingPath := fmt.Sprintf("%s/%d", path, asking.ID)
	t.Run("approving their request makes it active; with ours active it is mutual", func(t *testing.T) {
		var p partnerJSON
		e.send(http.MethodPost, askingPath+"/approve", e.admin, "").want(t, http.StatusOK).decode(t, &p)
		if p.Incoming != directory.PartnerActive || p.Mutual {
			t.Fatalf("got %+v", p)
		}
		mutual := e.partner("both.example", "Both", directory.PartnerActive, directory.PartnerPending)
		e.send(http.MethodPost, fmt.Sprintf("%s/%d/approve", path, mutual.ID), e.admin, "").want(t, http.StatusOK).decode(t, &p)
		if !p.Mutual || !strings.Contains(string(e.send(http.MethodGet, fmt.Sprintf("%s/%d", path, mutual.ID), e.admin, "").Body), `"mutual":true`) {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("rejecting it makes it rejected; answering a network that did not ask is a conflict", func(t *testing.T) {
		var p partnerJSON
		e.send(http.MethodPost, askingPath+"/reject", e.admin, "").want(t, http.StatusOK).decode(t, &p)
		if p.Incoming != directory.PartnerRejected {
			t.Fatalf("got %+v", p)
		}
		e.send(http.MethodPost, fmt.Sprintf("%s/%d/approve", path, made.ID), e.admin, "").problem(t, http.StatusConflict)
		e.send(http.MethodPost, fmt.Sprintf("%s/%d/reject", path, made.ID), e.admin, "").problem(t, http.StatusConflict)
	})
	t.Run("404 for an unknown or malformed id", func(t *testing.T) {
		for _, p := range []string{path + "/99999", path + "/abc", path + "/0", path + "/-1"} {
			e.send(http.MethodGet, p, e.admin, "").problem(t, http.StatusNotFound)
			e.send(http.MethodDelete, p, e.admin, "").problem(t, http.StatusNotFound)
			e.send(http.MethodPost, p+"/approve", e.admin, "").problem(t, http.StatusNotFound)
			e.send(http.MethodPost, p+"/reject", e.admin, "").problem(t, http.StatusNotFound)
			e.send(http.MethodPatch, p, e.admin, `{"scope": null}`).problem(t, http.StatusNotFound)
		}
	})
	t.Run("403 for editors, reads included; nothing changes", func(t *testing.T) {
		one := fmt.Sprintf("%s/%d", path, made.ID)
		e.send(http.MethodGet, path, e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodGet, one, e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodPost, path, e.editor, `{"instance": "sneaky.example"}`).problem(t, http.StatusForbidden)
		e.send(http.MethodPatch, one, e.editor, `{"scope": null}`).problem(t, http.StatusForbidden)
		e.send(http.MethodPost, askingPath+"/approve", e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodPost, askingPath+"/reject", e.editor, "").problem(t, http.StatusForbidden)
		e.send(http.MethodDelete, one, e.editor, "").problem(t, http.StatusForbidden)
		if _, err := e.db.FindPartner(context.Background(), made.ID); err != nil {
			t.Fatalf("an editor ended a partnership: %v", err)
		}
	})
	t.Run("401 for anonymous requests, reads included", func(t *testing.T) {
		one := fmt.Sprintf("%s/%d", path, made.ID)
		e.get(path).problem(t, http.StatusUnauthorized)
		e.get(one).problem(t, http.StatusUnauthorized)
		e.send(http.MethodPost, path, "", `{"instance": "x.example"}`).problem(t, http.StatusUnauthorized)
		e.send(http.MethodPatch, one, "", `{"scope": null}`).problem(t, http.StatusUnauthorized)
		e.send(http.MethodPost, one+"/approve", "", "").problem(t, http.StatusUnauthorized)
		e.send(http.MethodDelete, one, "", "").problem(t, http.StatusUnauthorized)
	})
	t.Run("DELETE ends the partnership and removes its entries: 204, then 404", func(t *testing.T) {
		e.importFrom("jackson.example", "toolshed")
		one := fmt.Sprintf("%s/%d", path, made.ID)
		r := e.send(http.MethodDelete, one, e.admin, "").want(t, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Fatalf("body %q", r.Body)
		}
		e.send(http.MethodGet, one, e.admin, "").problem(t, http.StatusNotFound)
		e.send(http.MethodDelete, one, e.admin, "").problem(t, http.StatusNotFound)
		if n := e.countEnterprises(directory.EnterpriseQuery{Origin: "jackson.example"}); n != 0 {
			t.Fatalf("%d of its enterprises are left", n)
		}
	})
}

func TestPartnersAPIWithoutFederation(t *testing.T) {
	e := newEnv(t)
	p := e.partner("jackson.example", "Jackson", directory.PartnerActive, directory.PartnerPending)
	one := fmt.Sprintf("/api/v1/partners/%d", p.ID)
	t.Run("reads work", func(t *testing.T) {
		e.send(http.MethodGet, "/api/v1/partners", e.admin, "").want(t, http.StatusOK)
		e.send(http.MethodGet, one, e.admin, "").want(t, http.StatusOK)
	})
	t.Run("changes answer 503", func(t *testing.T) {
		for _, r := range []reply{
			e.send(http.MethodPost, "/api/v1/partners", e.admin, `{"instance": "x.example"}`),
			e.send(http.MethodPatch, one, e.admin, `{"scope": null}`),
			e.send(http.MethodPost, one+"/approve", e.admin, ""),
			e.send(http.MethodPost, one+"/reject", e.admin, ""),
			e.send(http.MethodDelete, one, e.admin, ""),
		} {
			pr := r.problem(t, http.StatusServiceUnavailable)
			if !strings.HasSuffix(pr.Type, "/problems/unavailable") {
				t.Errorf("type %q", pr.Type)
			}
		}
	})
	t.Run("editors still get 403", func(t *testing.T) {
		e.send(http.MethodPost, "/api/v1/partners", e.editor, `{"instance": "x.example"}`).problem(t, http.StatusForbidden)
	})
}
