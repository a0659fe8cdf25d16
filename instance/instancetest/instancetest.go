// Package instancetest starts real coopdir instances for end-to-end tests:
// each on 127.0.0.1 with a port of its own, over a fresh SQLite file or a
// fresh PostgreSQL database, talking real HTTP to each other. Federation and
// web tests use it from their own folders.
package instancetest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
)

// Engine names a storage engine to run a test on.
type Engine string

// The engines.
const (
	SQLite   Engine = instance.SQLite
	Postgres Engine = instance.Postgres
)

// Engines are both engines, for tests that run once on each.
var Engines = []Engine{SQLite, Postgres}

// Fast makes the publisher poll often and retries and rescues come soon.
var Fast = federation.Options{
	PollInterval: 50 * time.Millisecond,
	RetryBase:    300 * time.Millisecond,
	RescueAfter:  3 * time.Second,
}

// DSN returns the address of a fresh, empty database of engine that is
// removed after the test. PostgreSQL needs DATABASE_URL (a server where
// throwaway databases may be created): without it the test is skipped, or
// fails under CI, which must run both engines.
func DSN(t testing.TB, engine Engine) string {
	t.Helper()
	switch engine {
	case SQLite:
		return "sqlite:" + filepath.Join(t.TempDir(), "coopdir.db")
	case Postgres:
		return freshPostgres(t, PostgresURL(t))
	}
	t.Fatalf("instancetest: unknown engine %q", engine)
	return ""
}

// PostgresURL returns DATABASE_URL when it is a PostgreSQL URL, and else
// skips the test (fails it under CI).
func PostgresURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DATABASE_URL")
	if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
		if os.Getenv("CI") != "" {
			t.Fatal("DATABASE_URL is not a PostgreSQL URL, and CI must run the PostgreSQL tests (make test sets it)")
		}
		t.Skip("DATABASE_URL is not a PostgreSQL URL; run with: scripts/pgtest.sh run -- go test ./...")
	}
	return u
}

var dbSeq struct {
	sync.Mutex
	n int
}

// freshPostgres creates an empty database beside the one admin points at and
// drops it after the test.
func freshPostgres(t testing.TB, admin string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	dbSeq.Lock()
	dbSeq.n++
	name := fmt.Sprintf("coopdir_t_%d_%d_%d", os.Getpid(), time.Now().UnixNano(), dbSeq.n)
	dbSeq.Unlock()
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatalf("cannot create a throwaway database: %v", err)
	}
	t.Cleanup(func() {
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	pu, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	pu.Path = "/" + name
	return pu.String()
}

// Instance is one running coopdir of a test, with an admin and the admin's
// API token. It stops when the test ends.
type Instance struct {
	*instance.Instance
	T     testing.TB
	Token string // an admin's API token
	Admin string // the admin's e-mail

	cfg    instance.Config
	cancel context.CancelFunc
	done   chan error
}

// Start starts an instance on 127.0.0.1 with a free port over a fresh
// database of engine. tune may change the configuration first.
func Start(t testing.TB, engine Engine, tune ...func(*instance.Config)) *Instance {
	t.Helper()
	return StartAt(t, "127.0.0.1:0", DSN(t, engine), tune...)
}

// StartAt starts an instance listening on addr (host:port; port 0 picks one)
// over the database dsn, with an admin and a token.
func StartAt(t testing.TB, addr, dsn string, tune ...func(*instance.Config)) *Instance {
	t.Helper()
	cfg := instance.Config{Listen: addr, Database: dsn, NetworkName: "Net " + addr,
		NetworkDescription: "A test network.", SecretFile: filepath.Join(t.TempDir(), "secret"),
		AllowPrivateAddresses: true, Federation: Fast, Version: "test"}
	for _, f := range tune {
		f(&cfg)
	}
	if err := cfg.Check(); err != nil {
		t.Fatal(err)
	}
	in := &Instance{T: t, cfg: cfg}
	in.Restart()
	t.Cleanup(in.Stop)
	ctx := directory.AsSystem(context.Background())
	svc := in.Service()
	in.Admin = "admin@" + strings.ReplaceAll(in.Addr().String(), ":", "-") + ".example"
	if err := svc.AddUser(ctx, &directory.User{Email: in.Admin, Name: "Admin", Role: directory.RoleAdmin}, "", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	tok, err := svc.CreateToken(ctx, in.Admin, "test")
	if err != nil {
		t.Fatal(err)
	}
	in.Token = tok
	return in
}

// Restart opens and serves the instance again after Stop (Start calls it
// the first time). It keeps the port, and so the base URL and every id.
func (in *Instance) Restart() {
	t := in.T
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := instance.Open(context.Background(), in.cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	in.cfg.Listen = srv.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	in.Instance, in.cancel, in.done = srv, cancel, make(chan error, 1)
	go func() { in.done <- srv.Serve(ctx) }()
}

// Stop shuts the instance down gracefully; Restart starts it again.
func (in *Instance) Stop() {
	if in.cancel == nil {
		return
	}
	in.cancel()
	if err := <-in.done; err != nil {
		in.T.Errorf("serve %s: %v", in.cfg.Listen, err)
	}
	in.Close()
	in.cancel = nil
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// URLOf is the absolute URL of path on the instance.
func (in *Instance) URLOf(path string) string { return in.URL() + path }

// Host is the instance's host:port.
func (in *Instance) Host() string {
	_, host, _ := strings.Cut(in.URL(), "://")
	return host
}

// Account is the WebFinger address of handle here.
func (in *Instance) Account(handle string) string { return handle + "@" + in.Host() }

// API sends an API request with the admin token and decodes a JSON answer
// into out (when not nil); it returns the status.
func (in *Instance) API(method, path string, body any, out any) int {
	t := in.T
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, in.URLOf(path), rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+in.Token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	if resp.StatusCode >= 300 && testing.Verbose() {
		t.Logf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

// Enterprise creates a local worker co-op with handle and name.
func (in *Instance) Enterprise(handle, name string) {
	in.T.Helper()
	e := &directory.Enterprise{Handle: handle, Name: name, Kind: directory.KindWorkerCoop, Summary: "We make things together."}
	if err := in.Service().CreateEnterprise(directory.AsSystem(context.Background()), e); err != nil {
		in.T.Fatal(err)
	}
}

// Announce posts an announcement of handle and returns its id.
func (in *Instance) Announce(handle, text string) int64 {
	in.T.Helper()
	a := &directory.Announcement{Content: text}
	if err := in.Service().CreateAnnouncement(directory.AsSystem(context.Background()), handle, a); err != nil {
		in.T.Fatal(err)
	}
	return a.ID
}

// Following lists whom handle follows, through the API.
func (in *Instance) Following(handle string) []directory.Following {
	var l struct {
		Items []directory.Following `json:"items"`
	}
	if st := in.API("GET", "/api/v1/enterprises/"+handle+"/following", nil, &l); st != 200 {
		in.T.Fatalf("GET following: %d", st)
	}
	return l.Items
}

// Feed is handle's feed (the posts of those it follows), through the API.
func (in *Instance) Feed(handle string) []directory.FeedPost {
	var l struct {
		Items []directory.FeedPost `json:"items"`
	}
	if st := in.API("GET", "/api/v1/enterprises/"+handle+"/feed?per_page=100", nil, &l); st != 200 {
		in.T.Fatalf("GET feed: %d", st)
	}
	return l.Items
}

// Follow makes handle follow account and waits until the follow is in state
// want.
func (in *Instance) Follow(handle, account string, want directory.FollowState) directory.Following {
	t := in.T
	t.Helper()
	var f directory.Following
	if st := in.API("POST", "/api/v1/enterprises/"+handle+"/following", map[string]string{"account": account}, &f); st != http.StatusCreated {
		t.Fatalf("follow %s: status %d", account, st)
	}
	if f.State != directory.FollowPending {
		t.Fatalf("a new follow is %q, want pending", f.State)
	}
	Eventually(t, "follow of "+account+" is "+string(want), func() bool {
		for _, g := range in.Following(handle) {
			if g.ID == f.ID && g.State == want {
				f = g
				return true
			}
		}
		return false
	})
	return f
}

// Eventually polls cond for up to 20 seconds.
func Eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	Within(t, 20*time.Second, what, cond)
}

// Within polls cond every 50 ms until it holds, failing t after timeout.
func Within(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// SyncBuffer is a bytes.Buffer safe for concurrent writes (a server's or a
// peer's log) and the test's reads.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write appends p.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// ActivityJSON is the media type of ActivityPub documents.
const ActivityJSON = "application/activity+json"

// Fetch GETs u with an Accept header and returns the status, content type
// and body.
func Fetch(t testing.TB, u, accept string) (int, string, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept", accept)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), body
}

// PublicKeyPEM fetches the actor at u and returns its publicKeyPem.
func PublicKeyPEM(t testing.TB, u string) string {
	t.Helper()
	code, _, body := Fetch(t, u, ActivityJSON)
	var actor struct{ PublicKey struct{ PublicKeyPem string } }
	if err := json.Unmarshal(body, &actor); code != http.StatusOK || err != nil || actor.PublicKey.PublicKeyPem == "" {
		t.Fatalf("GET %s: %d %v %.200s", u, code, err, body)
	}
	return actor.PublicKey.PublicKeyPem
}
