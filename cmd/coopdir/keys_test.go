package main

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

func TestKeysPersistAcrossRestartsAndRotate(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.ok("import", "--database", db, writeFile(t, "shaky.csv", shakyCSV))
	srv, stop := startServe(t, nil, "--listen", "127.0.0.1:0", "--database", db)
	network, shaky := instancetest.PublicKeyPEM(t, srv.URL()+"/network"), instancetest.PublicKeyPEM(t, srv.URL()+"/enterprises/shakyhands")
	stop()

	srv, stop = startServe(t, nil, "--listen", "127.0.0.1:0", "--database", db)
	defer stop()
	base := srv.URL()
	if instancetest.PublicKeyPEM(t, base+"/network") != network || instancetest.PublicKeyPEM(t, base+"/enterprises/shakyhands") != shaky {
		t.Fatal("the keys changed when serve restarted")
	}
	res := r.ok("keys", "rotate", "--database", db, "shakyhands")
	if res.stdout != "http://localhost:8080/enterprises/shakyhands#main-key\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	if instancetest.PublicKeyPEM(t, base+"/enterprises/shakyhands") == shaky {
		t.Error("the running server still serves the old key")
	}
	if instancetest.PublicKeyPEM(t, base+"/network") != network {
		t.Error("rotating one key changed another")
	}
	r.env["COOPDIR_BASE_URL"] = "https://coop.example"
	if res := r.ok("keys", "rotate", "--database", db, "network"); res.stdout != "https://coop.example/network#main-key\n" {
		t.Errorf("stdout %q", res.stdout)
	}
	if instancetest.PublicKeyPEM(t, base+"/network") == network {
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
		Started: func(*instance.Instance) { cancel(); t.Error("serve started") }}
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
	t.Run("keys rotate refuses another secret, except for the instance key", func(t *testing.T) {
		r.ok("keys", "rotate", "--database", db, "network")
		other := filepath.Join(t.TempDir(), "other.secret")
		if err := os.WriteFile(other, []byte("another secret of 32 bytes......"), 0o600); err != nil {
			t.Fatal(err)
		}
		before, err := os.ReadFile(secret)
		if err != nil {
			t.Fatal(err)
		}
		r.fails(ExitUsage, "coopdir keys rotate: the actors' keys were sealed with another secret than the one in "+other+
			": restore that file from a backup; if it is lost, rotate the instance key first (coopdir keys rotate instance), "+
			"then every other actor's key",
			"keys", "rotate", "--database", db, "--secret-file", other, "network")
		// Nothing changed: the server still starts with its own secret.
		code, stderr := serveFails(t, nil, "--database", db, "--secret-file", other)
		if code != ExitUsage {
			t.Errorf("serve with the other secret: exit %d, %s", code, stderr)
		}
		// Recovering from a lost secret: the instance key first, then the rest.
		r.ok("keys", "rotate", "--database", db, "--secret-file", other, "instance")
		r.ok("keys", "rotate", "--database", db, "--secret-file", other, "network")
		if after, _ := os.ReadFile(secret); string(after) != string(before) {
			t.Error("the database's own secret file changed")
		}
	})
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
	if !srv.Config().AllowPrivateAddresses {
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
