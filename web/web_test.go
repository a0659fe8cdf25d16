package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/instance/instancetest"
	"github.com/coopdir/coopdir/web"
)

// env is a running instance over a fresh SQLite file, seeded with two
// enterprises (shakyhands, riverside), an admin and an editor of shakyhands.
type env struct {
	t      *testing.T
	db     *sqlite.DB
	svc    *directory.Service
	srv    *httptest.Server
	logs   *instancetest.SyncBuffer
	admin  string // API token of the admin
	editor string // API token of the editor of shakyhands
}

// newEnv starts an instance seeded with two enterprises and two users (see
// seed); change may adjust its options.
func newEnv(t *testing.T, change ...func(*web.Options)) *env {
	t.Helper()
	e := newBareEnv(t, change...)
	e.seed()
	return e
}

// seed creates the enterprises and users every test starts with.
func (e *env) seed() {
	e.t.Helper()
	sys := directory.AsSystem(context.Background())
	lat, lon := 43.04, -87.91
	for _, ent := range []*directory.Enterprise{
		{Handle: "shakyhands", Name: "Shaky Hands Carpentry", Kind: directory.KindWorkerCoop,
			Sectors: []string{"carpentry", "repair"}, Summary: "We build **sturdy** things.",
			Location: directory.Location{Address: "Milwaukee, WI", Lat: &lat, Lon: &lon},
			Website:  "https://shaky.example", Email: "hello@shaky.example"},
		{Handle: "riverside", Name: "Riverside Tool Library", Kind: directory.KindToolLibrary,
			Sectors: []string{"tools"}, Location: directory.Location{Address: "Chicago, IL"}},
	} {
		if err := e.svc.CreateEnterprise(sys, ent); err != nil {
			e.t.Fatal(err)
		}
	}
	users := []struct {
		user       directory.User
		enterprise string
		token      *string
	}{
		{directory.User{Email: "admin@test.example", Name: "Ada Admin", Role: directory.RoleAdmin}, "", &e.admin},
		{directory.User{Email: "editor@test.example", Name: "Ed Editor", Role: directory.RoleEditor}, "shakyhands", &e.editor},
	}
	for _, u := range users {
		if err := e.svc.AddUser(sys, &u.user, u.enterprise, "a long enough password"); err != nil {
			e.t.Fatal(err)
		}
		tok, err := e.svc.CreateToken(sys, u.user.Email, "test")
		if err != nil {
			e.t.Fatal(err)
		}
		*u.token = tok
	}
}

// reply is a response read whole.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// do sends a request; body is sent with contentType when not empty.
func (e *env) do(method, path, token, contentType, body string) reply {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return readReply(e.t, e.srv.Client(), req)
}

// readReply sends req with c and reads the response whole.
func readReply(t *testing.T, c interface {
	Do(*http.Request) (*http.Response, error)
}, req *http.Request) reply {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// get sends an anonymous GET.
func (e *env) get(path string) reply { e.t.Helper(); return e.do(http.MethodGet, path, "", "", "") }

// send sends a JSON body with a token.
func (e *env) send(method, path, token, body string) reply {
	e.t.Helper()
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	return e.do(method, path, token, ct, body)
}

// want fails the test unless the reply has status.
func (r reply) want(t *testing.T, status int) reply {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d; body: %s", r.Status, status, r.Body)
	}
	return r
}

// decode reads a JSON body of a successful reply into v.
func (r reply) decode(t *testing.T, v any) {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Content-Type %q, want application/json; body: %s", ct, r.Body)
	}
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// problemDoc is an RFC 9457 problem as a client reads it.
type problemDoc struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Field   string `json:"field"`
		Rule    string `json:"rule"`
		Message string `json:"message"`
	} `json:"errors"`
}

// problem checks that r is a problem+json error with status and returns it.
func (r reply) problem(t *testing.T, status int) problemDoc {
	t.Helper()
	r.want(t, status)
	if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q, want application/problem+json", ct)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	var p problemDoc
	if err := json.Unmarshal(r.Body, &p); err != nil {
		t.Fatalf("decode problem %s: %v", r.Body, err)
	}
	if p.Status != status || p.Title != http.StatusText(status) || p.Type == "" || p.Detail == "" {
		t.Fatalf("problem %+v does not describe status %d", p, status)
	}
	return p
}

// field returns the error about field (and fails when there is none).
func (p problemDoc) field(t *testing.T, name string) (rule, message string) {
	t.Helper()
	for _, f := range p.Errors {
		if f.Field == name {
			return f.Rule, f.Message
		}
	}
	t.Fatalf("problem %+v names no field %q", p, name)
	return "", ""
}
