package web_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/web"
)

// writes lists one request of every write route, valid apart from auth.
var writes = []struct{ method, path, body string }{
	{http.MethodPost, "/api/v1/enterprises", `{"handle":"newco","name":"New","kind":"other"}`},
	{http.MethodPatch, "/api/v1/enterprises/shakyhands", `{"name":"X"}`},
	{http.MethodDelete, "/api/v1/enterprises/shakyhands", ""},
	{http.MethodPost, "/api/v1/enterprises/shakyhands/announcements", `{"content":"Hi"}`},
	{http.MethodPost, "/api/v1/listings", `{"enterprise":"shakyhands","type":"need","title":"X","category":"food"}`},
	{http.MethodPatch, "/api/v1/listings/1", `{"title":"X"}`},
	{http.MethodDelete, "/api/v1/listings/1", ""},
}

func TestAuthentication(t *testing.T) {
	e := newEnv(t)
	for _, w := range writes {
		t.Run("401 without a token: "+w.method+" "+w.path, func(t *testing.T) {
			r := e.send(w.method, w.path, "", w.body)
			r.problem(t, http.StatusUnauthorized)
			if got := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
				t.Fatalf("WWW-Authenticate %q", got)
			}
		})
		t.Run("401 with a bad token: "+w.method+" "+w.path, func(t *testing.T) {
			r := e.send(w.method, w.path, "coopdir_not-a-real-token", w.body)
			r.problem(t, http.StatusUnauthorized)
			if got := r.Header.Get("WWW-Authenticate"); !strings.Contains(got, `error="invalid_token"`) {
				t.Fatalf("WWW-Authenticate %q", got)
			}
		})
	}
	t.Run("401 for another scheme or a token without prefix", func(t *testing.T) {
		for _, h := range []string{"Basic YWRtaW46eA==", "Bearer", "Bearer ", "Bearer abc", "Token " + e.admin} {
			req, _ := http.NewRequest(http.MethodDelete, e.srv.URL+"/api/v1/enterprises/riverside", nil)
			req.Header.Set("Authorization", h)
			resp, err := e.srv.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%q: status %d, WWW-Authenticate %q", h, resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
			}
		}
		e.get("/api/v1/enterprises/riverside").want(t, http.StatusOK)
	})
	t.Run("accepts a lowercase scheme", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPatch, e.srv.URL+"/api/v1/enterprises/riverside", strings.NewReader(`{"phone":"+1 312 555 0101"}`))
		req.Header.Set("Authorization", "bearer "+e.admin)
		req.Header.Set("Content-Type", "application/json")
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("status %d", resp.StatusCode)
		}
	})
}

func TestRequestBodies(t *testing.T) {
	e := newEnv(t)
	post := func(t *testing.T, contentType, body string) reply {
		t.Helper()
		return e.do(http.MethodPost, "/api/v1/enterprises", e.admin, contentType, body)
	}
	for name, body := range map[string]string{
		"malformed JSON":         `{"handle":"x",`,
		"JSON syntax error":      `{"handle" "x"}`,
		"an empty body":          ``,
		"a value after the body": `{"handle":"x","name":"X","kind":"other"} {}`,
		"an array body":          `[{"handle":"x"}]`,
		"a string body":          `"hello"`,
	} {
		t.Run("400 for "+name, func(t *testing.T) {
			post(t, "application/json", body).problem(t, http.StatusBadRequest)
		})
	}
	t.Run("400 naming an unknown field", func(t *testing.T) {
		p := post(t, "application/json", `{"handle":"x","name":"X","kind":"other","colour":"red"}`).problem(t, http.StatusBadRequest)
		if rule, _ := p.field(t, "colour"); rule != "unknown" || !strings.Contains(p.Detail, "colour") {
			t.Fatalf("rule %q, detail %q", rule, p.Detail)
		}
	})
	t.Run("400 naming a field of the wrong type", func(t *testing.T) {
		p := post(t, "application/json", `{"handle":"x","name":5,"kind":"other"}`).problem(t, http.StatusBadRequest)
		if rule, msg := p.field(t, "name"); rule != "type" || msg != "must be a string" {
			t.Fatalf("rule %q, message %q", rule, msg)
		}
	})
	t.Run("400 naming a nested field of the wrong type", func(t *testing.T) {
		p := post(t, "application/json", `{"handle":"x","name":"X","kind":"other","location":{"lat":"north"}}`).problem(t, http.StatusBadRequest)
		p.field(t, "location.lat")
	})
	t.Run("400 naming a list of the wrong type", func(t *testing.T) {
		p := post(t, "application/json", `{"handle":"x","name":"X","kind":"other","sectors":"food"}`).problem(t, http.StatusBadRequest)
		p.field(t, "sectors")
	})
	for _, ct := range []string{"", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=latin1", "application/merge-patch+json"} {
		t.Run("415 for Content-Type "+ct, func(t *testing.T) {
			post(t, ct, `{"handle":"x","name":"X","kind":"other"}`).problem(t, http.StatusUnsupportedMediaType)
		})
	}
	t.Run("accepts an explicit UTF-8 charset", func(t *testing.T) {
		post(t, "application/json; charset=UTF-8", `{"handle":"utf","name":"Café","kind":"other"}`).want(t, http.StatusCreated)
	})
	t.Run("413 for a body over 64 KiB", func(t *testing.T) {
		body := `{"handle":"big","name":"Big","kind":"other","summary":"` + strings.Repeat("a", 70_000) + `"}`
		post(t, "application/json", body).problem(t, http.StatusRequestEntityTooLarge)
		e.get("/api/v1/enterprises/big").problem(t, http.StatusNotFound)
	})
	t.Run("the size cap is an option", func(t *testing.T) {
		small := newEnv(t, func(o *web.Options) { o.MaxBodyBytes = 100 })
		small.do(http.MethodPost, "/api/v1/enterprises", small.admin, "application/json",
			`{"handle":"x","name":"X","kind":"other","summary":"`+strings.Repeat("a", 100)+`"}`).problem(t, http.StatusRequestEntityTooLarge)
	})
}

func TestQueryParameters(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ path, field string }{
		{"/api/v1/enterprises?page=two", "page"},
		{"/api/v1/enterprises?per_page=1.5", "per_page"},
		{"/api/v1/enterprises?page=0&page=1", "page"},
		{"/api/v1/enterprises?page=501", "page"},
		{"/api/v1/enterprises?per_page=101", "per_page"},
		{"/api/v1/enterprises?near=Xyzzyville&within_km=5", "near"},
		{"/api/v1/enterprises?near=43.0&within_km=5", "near"},
		{"/api/v1/enterprises?near=43.0,abc&within_km=5", "near"},
		{"/api/v1/enterprises?near=NaN,1&within_km=5", "near"},
		{"/api/v1/enterprises?near=95,1&within_km=5", "near"},
		{"/api/v1/enterprises?near=43,-87", "within_km"},
		{"/api/v1/enterprises?within_km=5", "near"},
		{"/api/v1/enterprises?near=43,-87&within_km=far", "within_km"},
		{"/api/v1/enterprises?near=43,-87&within_km=-3", "within_km"},
		{"/api/v1/enterprises?near=43,-87&within_km=30000", "within_km"},
		{"/api/v1/enterprises?sort=distance", "sort"},
		{"/api/v1/enterprises?sort=age", "sort"},
		{"/api/v1/enterprises?kind=spaceship", "kind"},
		{"/api/v1/enterprises?q=" + strings.Repeat("x", 201), "q"},
		{"/api/v1/listings?type=gift", "type"},
		{"/api/v1/listings?status=lost", "status"},
		{"/api/v1/listings?category=food,spaceships", "category"},
		{"/api/v1/listings?page=-1", "page"},
		{"/api/v1/listings?near=1;2&within_km=5", "near"},
	} {
		t.Run("400 naming "+c.field+" for "+strings.TrimPrefix(c.path, "/api/v1/"), func(t *testing.T) {
			p := e.get(c.path).problem(t, http.StatusBadRequest)
			p.field(t, c.field)
		})
	}
}

func TestRouting(t *testing.T) {
	e := newEnv(t)
	t.Run("404 problem for an unknown API route", func(t *testing.T) {
		for _, path := range []string{"/api/v1/nothing", "/api/v2/enterprises", "/api", "/api/v1/enterprises/shakyhands/extra"} {
			e.get(path).problem(t, http.StatusNotFound)
		}
	})
	t.Run("405 problem with Allow for a wrong method", func(t *testing.T) {
		r := e.send(http.MethodPut, "/api/v1/enterprises/shakyhands", e.admin, `{}`)
		r.problem(t, http.StatusMethodNotAllowed)
		if got := r.Header.Get("Allow"); got != "GET, HEAD, PATCH, DELETE" {
			t.Fatalf("Allow %q", got)
		}
		r = e.send(http.MethodDelete, "/api/v1/listings", e.admin, "")
		r.problem(t, http.StatusMethodNotAllowed)
		if got := r.Header.Get("Allow"); got != "GET, HEAD, POST" {
			t.Fatalf("Allow %q", got)
		}
	})
	t.Run("HEAD answers like GET without a body", func(t *testing.T) {
		r := e.do(http.MethodHead, "/api/v1/enterprises/shakyhands", "", "", "").want(t, http.StatusOK)
		if len(r.Body) != 0 || r.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("HEAD reply %+v", r)
		}
	})
	t.Run("an HTML 404 outside the API", func(t *testing.T) {
		r := e.get("/nowhere").want(t, http.StatusNotFound)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
		}
	})
}

func TestProblemTypes(t *testing.T) {
	e := newEnv(t)
	t.Run("every problem type URI explains itself", func(t *testing.T) {
		p := e.get("/api/v1/enterprises?page=x").problem(t, http.StatusBadRequest)
		path := strings.TrimPrefix(p.Type, e.srv.URL)
		if path == p.Type {
			t.Fatalf("type %q is not under the base URL", p.Type)
		}
		if r := e.get(path).want(t, http.StatusOK); !strings.Contains(string(r.Body), "query parameter") {
			t.Fatalf("page: %s", r.Body)
		}
	})
	t.Run("404 for an unknown problem type", func(t *testing.T) {
		e.get("/problems/nonsense").want(t, http.StatusNotFound)
	})
}

func TestInternalErrors(t *testing.T) {
	e := newEnv(t)
	e.db.Close()
	t.Run("500 says only internal error and logs the cause", func(t *testing.T) {
		p := e.get("/api/v1/enterprises").problem(t, http.StatusInternalServerError)
		if p.Detail != "internal error" || len(p.Errors) != 0 {
			t.Fatalf("problem %+v", p)
		}
		if logs := e.logs.String(); !strings.Contains(logs, "internal error") || !strings.Contains(logs, "closed") {
			t.Fatalf("logs lack the cause: %s", logs)
		}
	})
	t.Run("healthz answers 503 when the database is gone", func(t *testing.T) {
		e.get("/healthz").want(t, http.StatusServiceUnavailable)
	})
}

func TestHealth(t *testing.T) {
	t.Run("ok when healthy", func(t *testing.T) {
		e := newEnv(t)
		if r := e.get("/healthz").want(t, http.StatusOK); string(r.Body) != "ok\n" {
			t.Fatalf("body %q", r.Body)
		}
	})
	t.Run("503 when the health check fails", func(t *testing.T) {
		e := newEnv(t, func(o *web.Options) {
			o.Health = func(context.Context) error { return errors.New("disk on fire") }
		})
		e.get("/healthz").want(t, http.StatusServiceUnavailable)
		if !strings.Contains(e.logs.String(), "disk on fire") {
			t.Fatalf("logs: %s", e.logs.String())
		}
	})
}
