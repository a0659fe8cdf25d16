package main

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/storage"
	"github.com/coopdir/coopdir/federation"
)

const activityJSON = "application/activity+json"

// fetch GETs u with an Accept header and returns the status, content type
// and body.
func fetch(t *testing.T, u, accept string) (int, string, []byte) {
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

// servedKey returns the publicKeyPem of the actor at u.
func servedKey(t *testing.T, u string) string {
	t.Helper()
	code, _, body := fetch(t, u, activityJSON)
	var actor struct{ PublicKey struct{ PublicKeyPem string } }
	if err := json.Unmarshal(body, &actor); code != http.StatusOK || err != nil || actor.PublicKey.PublicKeyPem == "" {
		t.Fatalf("GET %s: %d %v %.200s", u, code, err, body)
	}
	return actor.PublicKey.PublicKeyPem
}

// fetchedKeys resolves key ids over HTTP with the federation client, as a
// remote server does.
type fetchedKeys struct{ c *federation.Client }

func (k fetchedKeys) PublicKey(ctx context.Context, keyID string, _ bool) (string, *rsa.PublicKey, error) {
	raw, _, err := k.c.FetchDocument(ctx, keyID)
	if err != nil {
		return "", nil, err
	}
	var actor struct {
		PublicKey struct{ Owner, PublicKeyPem string }
	}
	if err := json.Unmarshal(raw, &actor); err != nil {
		return "", nil, err
	}
	pub, err := federation.ParsePublicKeyPEM(actor.PublicKey.PublicKeyPem)
	return actor.PublicKey.Owner, pub, err
}

// testServeFederation runs serve --demo over dsn and reads it as a
// fediverse server would.
func testServeFederation(t *testing.T, dsn, secretFile string) {
	ctx := context.Background()
	srv, stop := startServe(t, nil, "--demo", "--listen", "127.0.0.1:0", "--database", dsn, "--secret-file", secretFile)
	defer stop()
	base := srv.URL()
	host := strings.TrimPrefix(base, "http://")
	actorID := base + "/enterprises/shakyhands"

	code, _, body := fetch(t, base+"/.well-known/webfinger?resource=acct:shakyhands@"+host, "application/jrd+json")
	var jrd federation.JRD
	if err := json.Unmarshal(body, &jrd); code != http.StatusOK || err != nil || jrd.Links[0].Href != actorID {
		t.Fatalf("webfinger: %d %v %s", code, err, body)
	}
	client := federation.NewClient(federation.ClientOptions{AllowPrivate: true})
	raw, _, err := client.FetchDocument(ctx, actorID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := federation.ParseDocument(ctx, raw); err != nil {
		t.Errorf("the actor does not parse: %v", err)
	}
	if _, err := federation.ParsePublicKeyPEM(servedKey(t, actorID)); err != nil {
		t.Errorf("publicKeyPem: %v", err)
	}
	t.Run("a request signed with the stored key verifies against the served one", func(t *testing.T) {
		store, err := storage.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close()
		keys, err := openKeys(store, secretFile)
		if err != nil {
			t.Fatal(err)
		}
		priv, err := keys.PrivateKey(ctx, directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(`{"type":"Note"}`)
		req, _ := http.NewRequest(http.MethodPost, "https://partner.example/inbox", strings.NewReader(string(body)))
		if err := (&federation.Signer{KeyID: actorID + "#main-key", Key: priv}).SignRequest(req, body); err != nil {
			t.Fatal(err)
		}
		if _, err := (&federation.Verifier{Keys: fetchedKeys{client}}).Verify(req, body); err != nil {
			t.Errorf("verify: %v", err)
		}
	})
	t.Run("browsers get the page at the same address", func(t *testing.T) {
		code, ctype, _ := fetch(t, actorID, "text/html,application/xhtml+xml,*/*;q=0.8")
		if code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") {
			t.Errorf("%d %s", code, ctype)
		}
	})
	t.Run("unknown handles are 404 for both", func(t *testing.T) {
		for _, accept := range []string{activityJSON, "text/html"} {
			if code, _, _ := fetch(t, base+"/enterprises/nobody", accept); code != http.StatusNotFound {
				t.Errorf("Accept %s: %d", accept, code)
			}
		}
		if code, _, _ := fetch(t, base+"/.well-known/webfinger?resource=acct:nobody@"+host, "*/*"); code != http.StatusNotFound {
			t.Errorf("webfinger: %d", code)
		}
	})
	t.Run("a partner's entry is 404", func(t *testing.T) {
		storePartner(t, dsn)
		for _, u := range []string{base + "/enterprises/farfield", base + "/.well-known/webfinger?resource=acct:farfield@" + host} {
			if code, _, _ := fetch(t, u, activityJSON); code != http.StatusNotFound {
				t.Errorf("%s: %d", u, code)
			}
		}
	})
	t.Run("NodeInfo counts the demo directory", func(t *testing.T) {
		enterprises, posts := 0, 0
		for _, e := range demo.Entries() {
			enterprises++
			posts += len(e.Listings) + len(e.Announcements)
		}
		var ni struct {
			Usage    struct{ LocalPosts int }
			Metadata struct{ Enterprises int }
		}
		_, _, body := fetch(t, base+"/nodeinfo/2.1", "application/json")
		if err := json.Unmarshal(body, &ni); err != nil || ni.Metadata.Enterprises != enterprises || ni.Usage.LocalPosts != posts {
			t.Errorf("nodeinfo %s; want %d enterprises and %d posts", body, enterprises, posts)
		}
	})
	t.Run("the outbox holds every post of the enterprise, page by page", func(t *testing.T) {
		want := 0
		for _, e := range demo.Entries() {
			if e.Handle == "shakyhands" {
				want = len(e.Listings) + len(e.Announcements)
			}
		}
		var outbox struct{ TotalItems int }
		_, _, body := fetch(t, actorID+"/outbox", activityJSON)
		if err := json.Unmarshal(body, &outbox); err != nil || outbox.TotalItems != want || want == 0 {
			t.Fatalf("outbox %s; want %d items", body, want)
		}
		got := 0
		for page := 1; ; page++ {
			var p struct {
				OrderedItems []any
				Next         string
			}
			_, _, body := fetch(t, actorID+"/outbox?page="+strconv.Itoa(page), activityJSON)
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			got += len(p.OrderedItems)
			if p.Next == "" {
				break
			}
		}
		if got != want {
			t.Errorf("%d items over the pages, want %d", got, want)
		}
	})
}

// storePartner stores a partner's enterprise as partner sync will.
func storePartner(t *testing.T, dsn string) {
	t.Helper()
	store, err := storage.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	now := time.Now().UTC()
	e := &directory.Enterprise{Handle: "farfield", Name: "Far Field", Kind: directory.KindProducerCoop,
		Origin: "partner.example", CreatedAt: now, UpdatedAt: now}
	ev := directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: e.Handle, Origin: e.Origin, At: now}
	if err := store.CreateEnterprise(context.Background(), e, ev); err != nil {
		t.Fatal(err)
	}
}

func TestServeFederationSQLite(t *testing.T) {
	db := tempDB(t)
	testServeFederation(t, db, filepath.Join(filepath.Dir(strings.TrimPrefix(db, "sqlite:")), "coopdir.secret"))
}

func TestServeFederationPostgres(t *testing.T) {
	u := postgresURL(t)
	testServeFederation(t, freshPostgres(t, u), filepath.Join(t.TempDir(), "secret"))
}

func TestKeysPersistAcrossRestartsAndRotate(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.ok("import", "--database", db, writeFile(t, "shaky.csv", shakyCSV))
	srv, stop := startServe(t, nil, "--listen", "127.0.0.1:0", "--database", db)
	network, shaky := servedKey(t, srv.URL()+"/network"), servedKey(t, srv.URL()+"/enterprises/shakyhands")
	stop()

	srv, stop = startServe(t, nil, "--listen", "127.0.0.1:0", "--database", db)
	defer stop()
	base := srv.URL()
	if servedKey(t, base+"/network") != network || servedKey(t, base+"/enterprises/shakyhands") != shaky {
		t.Fatal("the keys changed when serve restarted")
	}
	res := r.ok("keys", "rotate", "--database", db, "shakyhands")
	if res.stdout != "http://localhost:8080/enterprises/shakyhands#main-key\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	if servedKey(t, base+"/enterprises/shakyhands") == shaky {
		t.Error("the running server still serves the old key")
	}
	if servedKey(t, base+"/network") != network {
		t.Error("rotating one key changed another")
	}
	r.env["COOPDIR_BASE_URL"] = "https://coop.example"
	if res := r.ok("keys", "rotate", "--database", db, "network"); res.stdout != "https://coop.example/network#main-key\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	if servedKey(t, base+"/network") == network {
		t.Error("the network key did not change")
	}
	const unknown = `coopdir keys rotate: no enterprise here has the handle "nobody"; ` +
		"give an enterprise's handle, or network, instance, needs or offers"
	r.fails(ExitUsage, unknown, "keys", "rotate", "--database", db, "nobody")
	r.fails(ExitUsage, "coopdir keys: keys needs a subcommand: rotate"+hint, "keys")
	r.fails(ExitUsage, "coopdir keys rotate: missing argument; usage: coopdir keys rotate [--database DSN] "+
		"[--secret-file PATH] [--base-url URL] HANDLE"+hint, "keys", "rotate", "--database", db)
}

// serveFails runs serve, which must exit before it starts, and returns
// its exit code and standard error.
func serveFails(t *testing.T, env map[string]string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stderr strings.Builder
	app := &App{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr,
		Getenv:  func(k string) string { return env[k] },
		Started: func(*Server) { cancel(); t.Error("serve started") }}
	code := app.Run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0", "--log-level", "error"}, args...))
	return code, stderr.String()
}

func TestSecretFile(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "data", "coopdir.db")
	secret := filepath.Join(dir, "data", "coopdir.secret")
	r := newRunner(t)
	r.ok("keys", "rotate", "--database", db, "instance")
	info, err := os.Stat(secret)
	if err != nil {
		t.Fatalf("no secret beside the database: %v", err)
	}
	if info.Mode().Perm() != 0o600 || info.Size() != 32 {
		t.Errorf("secret file mode %04o, %d bytes; want 0600 and 32", info.Mode().Perm(), info.Size())
	}
	for _, c := range []struct {
		name  string
		mode  os.FileMode
		data  []byte
		error string
	}{
		{"refused when others may read it", 0o644, nil, "has mode 0644: other users must not read it"},
		{"refused when too short", 0o600, []byte("short"), "holds 5 bytes; a secret needs at least 16"},
		{"refused when it is not the one that sealed the keys", 0o600, []byte("another secret of 32 bytes......"),
			"the actors' keys were sealed with another secret than the one in " + secret},
	} {
		t.Run(c.name, func(t *testing.T) {
			original, err := os.ReadFile(secret)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(secret, original, 0o600)
			if c.data != nil {
				if err := os.WriteFile(secret, c.data, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Chmod(secret, c.mode); err != nil {
				t.Fatal(err)
			}
			code, stderr := serveFails(t, nil, "--database", db)
			if code != ExitUsage || !strings.Contains(stderr, c.error) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, stderr, c.error)
			}
		})
	}
	t.Run("is required with PostgreSQL", func(t *testing.T) {
		code, stderr := serveFails(t, nil, "--database", "postgres://coopdir@127.0.0.1:1/coopdir")
		if code != ExitUsage || !strings.Contains(stderr, "--secret-file (or COOPDIR_SECRET_FILE) is required with a PostgreSQL database") {
			t.Errorf("exit %d, stderr %q", code, stderr)
		}
	})
	t.Run("is made where COOPDIR_SECRET_FILE says", func(t *testing.T) {
		elsewhere := filepath.Join(t.TempDir(), "keys", "instance.secret")
		r.env["COOPDIR_SECRET_FILE"] = elsewhere
		r.ok("keys", "rotate", "--database", tempDB(t), "needs")
		if info, err := os.Stat(elsewhere); err != nil || info.Mode().Perm() != 0o600 {
			t.Errorf("secret file: %v", err)
		}
	})
}

func TestServeAllowPrivateAddresses(t *testing.T) {
	srv, stop := startServe(t, map[string]string{"COOPDIR_ALLOW_PRIVATE_ADDRESSES": "true"},
		"--listen", "127.0.0.1:0", "--database", tempDB(t))
	defer stop()
	if !srv.cfg.AllowPrivateAddresses {
		t.Error("COOPDIR_ALLOW_PRIVATE_ADDRESSES=true did not reach the configuration")
	}
	r := newRunner(t)
	if res := r.ok("serve", "-h"); !strings.Contains(res.stdout, "-allow-private-addresses") || !strings.Contains(res.stdout, "-secret-file") {
		t.Errorf("serve -h:\n%s", res.stdout)
	}
	if res := r.ok("help"); !strings.Contains(res.stdout, "keys rotate") {
		t.Errorf("help does not list keys:\n%s", res.stdout)
	}
}
