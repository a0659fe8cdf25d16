package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func handles(p directory.EnterprisePage) []string {
	var hs []string
	for _, it := range p.Items {
		hs = append(hs, it.Handle)
	}
	return hs
}

func TestListEnterprises(t *testing.T) {
	e := newEnv(t)
	search := func(t *testing.T, query string) directory.EnterprisePage {
		t.Helper()
		var p directory.EnterprisePage
		e.get("/api/v1/enterprises"+query).want(t, http.StatusOK).decode(t, &p)
		return p
	}

	t.Run("lists every enterprise with total and paging", func(t *testing.T) {
		r := e.get("/api/v1/enterprises").want(t, http.StatusOK)
		if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "public") {
			t.Errorf("Cache-Control %q, want public caching", cc)
		}
		var p directory.EnterprisePage
		r.decode(t, &p)
		if p.Total != 2 || p.Page.Page != 1 || p.PerPage != directory.DefaultPerPage || len(p.Items) != 2 {
			t.Fatalf("page %+v", p)
		}
		if !strings.Contains(string(r.Body), `"sectors":["carpentry","repair"]`) {
			t.Errorf("body lacks sectors: %s", r.Body)
		}
	})
	t.Run("finds by text", func(t *testing.T) {
		if got := handles(search(t, "?q=carpentry")); !slices.Equal(got, []string{"shakyhands"}) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("filters by kinds given as a comma list or repeated", func(t *testing.T) {
		for _, q := range []string{"?kind=tool_library", "?kind=tool_library,union", "?kind=union&kind=tool_library"} {
			if got := handles(search(t, q)); !slices.Equal(got, []string{"riverside"}) {
				t.Errorf("%s: got %v", q, got)
			}
		}
	})
	t.Run("filters by sector", func(t *testing.T) {
		if got := handles(search(t, "?sector=tools")); !slices.Equal(got, []string{"riverside"}) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("filters by distance and reports it", func(t *testing.T) {
		p := search(t, "?near=43.05,-87.92&within_km=10&sort=distance")
		if !slices.Equal(handles(p), []string{"shakyhands"}) || p.Items[0].DistanceKM == nil || *p.Items[0].DistanceKM > 2 {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("pages", func(t *testing.T) {
		p := search(t, "?sort=name&page=2&per_page=1")
		if p.Total != 2 || p.Page.Page != 2 || p.PerPage != 1 || !slices.Equal(handles(p), []string{"shakyhands"}) {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("answers no match with an empty array", func(t *testing.T) {
		r := e.get("/api/v1/enterprises?q=zeppelin").want(t, http.StatusOK)
		if !strings.Contains(string(r.Body), `"items":[]`) || !strings.Contains(string(r.Body), `"total":0`) {
			t.Fatalf("body %s", r.Body)
		}
	})
}

func TestGetEnterprise(t *testing.T) {
	e := newEnv(t)
	t.Run("returns the enterprise with rendered summary", func(t *testing.T) {
		var got directory.Enterprise
		e.get("/api/v1/enterprises/shakyhands").want(t, http.StatusOK).decode(t, &got)
		if got.Name != "Shaky Hands Carpentry" || !strings.Contains(got.SummaryHTML, "<strong>sturdy</strong>") {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("404 for an unknown handle", func(t *testing.T) {
		e.get("/api/v1/enterprises/nobody").problem(t, http.StatusNotFound)
	})
}

func TestCreateEnterprise(t *testing.T) {
	e := newEnv(t)
	const body = `{"handle":"breadco","name":"Bread Co-op","kind":"worker_coop","sectors":["Bakery"],"summary":"Fresh *daily*."}`

	t.Run("admin creates: 201 with Location and the stored enterprise", func(t *testing.T) {
		r := e.send(http.MethodPost, "/api/v1/enterprises", e.admin, body).want(t, http.StatusCreated)
		if loc := r.Header.Get("Location"); loc != e.srv.URL+"/api/v1/enterprises/breadco" {
			t.Fatalf("Location %q", loc)
		}
		var got directory.Enterprise
		r.decode(t, &got)
		if got.Handle != "breadco" || !slices.Equal(got.Sectors, []string{"bakery"}) || got.SummaryHTML == "" || got.CreatedAt.IsZero() {
			t.Fatalf("got %+v", got)
		}
		e.get("/api/v1/enterprises/breadco").want(t, http.StatusOK)
	})
	t.Run("409 naming the handle when it is taken", func(t *testing.T) {
		p := e.send(http.MethodPost, "/api/v1/enterprises", e.admin, body).problem(t, http.StatusConflict)
		if rule, _ := p.field(t, "handle"); rule != "unique" {
			t.Fatalf("rule %q", rule)
		}
	})
	t.Run("422 naming every invalid field", func(t *testing.T) {
		p := e.send(http.MethodPost, "/api/v1/enterprises", e.admin,
			`{"handle":"Bad Handle","name":"","kind":"spaceship","website":"ftp://x","location":{"lat":95,"lon":0}}`).
			problem(t, http.StatusUnprocessableEntity)
		for _, f := range []string{"handle", "name", "kind", "website", "location.lat"} {
			p.field(t, f)
		}
	})
	t.Run("403 for an editor: only admins create enterprises", func(t *testing.T) {
		e.send(http.MethodPost, "/api/v1/enterprises", e.editor, strings.Replace(body, "breadco", "other", 1)).
			problem(t, http.StatusForbidden)
		e.get("/api/v1/enterprises/other").problem(t, http.StatusNotFound)
	})
}

func TestUpdateEnterprise(t *testing.T) {
	e := newEnv(t)
	patch := func(t *testing.T, token, handle, body string) reply {
		t.Helper()
		return e.send(http.MethodPatch, "/api/v1/enterprises/"+handle, token, body)
	}

	t.Run("editor changes the fields sent and keeps the absent ones", func(t *testing.T) {
		var got directory.Enterprise
		patch(t, e.editor, "shakyhands", `{"name":"Shaky Hands Co-op","founded":2011}`).want(t, http.StatusOK).decode(t, &got)
		if got.Name != "Shaky Hands Co-op" || got.Founded != 2011 || got.Website != "https://shaky.example" || got.Location.Address != "Milwaukee, WI" {
			t.Fatalf("got %+v", got)
		}
		e.get("/api/v1/enterprises/shakyhands").want(t, http.StatusOK).decode(t, &got)
		if got.Name != "Shaky Hands Co-op" {
			t.Fatalf("not stored: %+v", got)
		}
	})
	t.Run("null clears a field", func(t *testing.T) {
		var got directory.Enterprise
		patch(t, e.editor, "shakyhands", `{"website":null,"founded":null}`).want(t, http.StatusOK).decode(t, &got)
		if got.Website != "" || got.Founded != 0 || got.Email != "hello@shaky.example" {
			t.Fatalf("got %+v", got)
		}
	})
	t.Run("null on a required field is refused", func(t *testing.T) {
		p := patch(t, e.editor, "shakyhands", `{"name":null}`).problem(t, http.StatusUnprocessableEntity)
		p.field(t, "name")
	})
	t.Run("accepts application/merge-patch+json", func(t *testing.T) {
		e.do(http.MethodPatch, "/api/v1/enterprises/shakyhands", e.editor, "application/merge-patch+json", `{"phone":"+1 414 555 0100"}`).
			want(t, http.StatusOK)
	})
	t.Run("422 naming the invalid field, and nothing changes", func(t *testing.T) {
		p := patch(t, e.editor, "shakyhands", `{"name":"Renamed","email":"not an email"}`).problem(t, http.StatusUnprocessableEntity)
		p.field(t, "email")
		var got directory.Enterprise
		e.get("/api/v1/enterprises/shakyhands").want(t, http.StatusOK).decode(t, &got)
		if got.Name == "Renamed" {
			t.Fatal("a refused update changed the name")
		}
	})
	t.Run("403 for the editor of another enterprise", func(t *testing.T) {
		patch(t, e.editor, "riverside", `{"name":"Mine now"}`).problem(t, http.StatusForbidden)
	})
	t.Run("admin changes any enterprise", func(t *testing.T) {
		patch(t, e.admin, "riverside", `{"sectors":["tools","bikes"]}`).want(t, http.StatusOK)
	})
	t.Run("the handle cannot be changed", func(t *testing.T) {
		p := patch(t, e.admin, "riverside", `{"handle":"river"}`).problem(t, http.StatusBadRequest)
		p.field(t, "handle")
	})
	t.Run("404 for an unknown handle", func(t *testing.T) {
		patch(t, e.admin, "nobody", `{"name":"X"}`).problem(t, http.StatusNotFound)
	})
}

func TestDeleteEnterprise(t *testing.T) {
	e := newEnv(t)
	t.Run("403 for an editor, even of that enterprise", func(t *testing.T) {
		e.send(http.MethodDelete, "/api/v1/enterprises/shakyhands", e.editor, "").problem(t, http.StatusForbidden)
	})
	t.Run("admin deletes: 204, then 404", func(t *testing.T) {
		r := e.send(http.MethodDelete, "/api/v1/enterprises/riverside", e.admin, "").want(t, http.StatusNoContent)
		if len(r.Body) != 0 {
			t.Errorf("body %q", r.Body)
		}
		e.get("/api/v1/enterprises/riverside").problem(t, http.StatusNotFound)
	})
	t.Run("404 for an unknown handle", func(t *testing.T) {
		e.send(http.MethodDelete, "/api/v1/enterprises/riverside", e.admin, "").problem(t, http.StatusNotFound)
	})
}
