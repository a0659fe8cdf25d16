package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// result is what one run of the program left behind.
type result struct {
	code           int
	stdout, stderr string
}

// runner runs the program in-process with a fixed environment and stdin.
type runner struct {
	t     *testing.T
	env   map[string]string
	stdin string
}

func newRunner(t *testing.T) *runner {
	t.Helper()
	return &runner{t: t, env: map[string]string{}}
}

// tempDB returns the address of a new SQLite database in a temp folder.
func tempDB(t testing.TB) string {
	t.Helper()
	return "sqlite:" + filepath.Join(t.TempDir(), "coopdir.db")
}

func (r *runner) run(args ...string) result {
	r.t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, strings.NewReader(r.stdin), &stdout, &stderr,
		func(k string) string { return r.env[k] })
	return result{code, stdout.String(), stderr.String()}
}

// ok runs args and fails the test unless the program exits 0.
func (r *runner) ok(args ...string) result {
	r.t.Helper()
	res := r.run(args...)
	if res.code != ExitOK {
		r.t.Fatalf("coopdir %s: exit %d\nstderr: %s", strings.Join(args, " "), res.code, res.stderr)
	}
	return res
}

// fails runs args and checks the exit code and the one line on stderr.
func (r *runner) fails(code int, wantStderr string, args ...string) result {
	r.t.Helper()
	res := r.run(args...)
	if res.code != code {
		r.t.Errorf("coopdir %s: exit %d, want %d\nstderr: %s", strings.Join(args, " "), res.code, code, res.stderr)
	}
	if res.stderr != wantStderr+"\n" {
		r.t.Errorf("coopdir %s: stderr\n got: %q\nwant: %q", strings.Join(args, " "), res.stderr, wantStderr+"\n")
	}
	return res
}

// writeFile writes content to name in a temp folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const hint = "; run 'coopdir help' for usage"

func TestUsageErrors(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"no subcommand", nil, "coopdir: missing subcommand" + hint},
		{"unknown subcommand", []string{"frobnicate"}, `coopdir: unknown subcommand "frobnicate"` + hint},
		{"unknown flag", []string{"export", "--colour"}, "coopdir export: flag provided but not defined: -colour" + hint},
		{"flag without its value", []string{"export", "--format"}, "coopdir export: flag needs an argument: -format" + hint},
		{"unexpected argument", []string{"migrate", "now"}, `coopdir migrate: unexpected argument "now"` + hint},
		{"bad export format", []string{"export", "--format", "xml"}, `coopdir export: --format: "xml" is not json, csv or sea-csv` + hint},
		{"help for an unknown command", []string{"help", "nope"}, `coopdir help: unknown subcommand "nope"` + hint},
		{"help for an unknown subcommand", []string{"help", "user", "delete"}, `coopdir help: unknown subcommand "user delete"` + hint},
		{"help for a subcommand of a command without any", []string{"help", "serve", "now"}, `coopdir help: unknown subcommand "serve now"` + hint},
		{"help for a path too long", []string{"help", "partner", "add", "more"}, `coopdir help: unknown subcommand "partner add more"` + hint},
		{"user without a subcommand", []string{"user"}, "coopdir user: user needs a subcommand: add, two-step-off" + hint},
		{"unknown user subcommand", []string{"user", "delete"}, `coopdir user: unknown subcommand "user delete"` + hint},
		{"token without a subcommand", []string{"token"}, "coopdir token: token needs a subcommand: create" + hint},
		{"import without a file", []string{"import", "--database", db}, "coopdir import: missing argument; usage: coopdir import [--format csv|json] [--skip-invalid] PATH" + hint},
		{"import of two files", []string{"import", "a.csv", "b.csv"}, `coopdir import: unexpected argument "b.csv"` + hint},
		{"import of stdin without a format", []string{"import", "-"}, "coopdir import: --format csv or --format json is needed to read standard input" + hint},
		{"import of an unknown extension", []string{"import", "x.txt"}, `coopdir import: cannot tell the format of "x.txt" from its extension: pass --format csv or --format json` + hint},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			r.fails(ExitUsage, tt.stderr, tt.args...)
		})
	}
}

func TestBadDatabaseScheme(t *testing.T) {
	r := newRunner(t)
	const msg = `--database: bad database address: "mysql://db/coop" is not a database address; ` +
		"use postgres://… (or postgresql://…) for PostgreSQL or sqlite:PATH for SQLite" + hint
	for _, args := range [][]string{
		{"serve"}, {"migrate"}, {"export"}, {"import", "x.csv"},
		{"user", "add", "--email", "a@b.org", "--name", "A", "--role", "admin", "--password-stdin"},
		{"token", "create", "--user", "a@b.org"},
	} {
		label := "coopdir " + args[0]
		if args[0] == "user" || args[0] == "token" {
			label += " " + args[1]
		}
		t.Run(label, func(t *testing.T) {
			r.t = t
			r.fails(ExitUsage, label+": "+msg, append(args, "--database", "mysql://db/coop")...)
		})
	}
	t.Run("from DATABASE_URL", func(t *testing.T) {
		r := newRunner(t)
		r.env["DATABASE_URL"] = "mysql://db/coop"
		r.fails(ExitUsage, "coopdir migrate: "+msg, "migrate")
	})
}

func TestHelpAndVersion(t *testing.T) {
	r := newRunner(t)
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		if res := r.ok(args...); !strings.Contains(res.stdout, "Commands:") || res.stderr != "" {
			t.Errorf("%v: stdout %q, stderr %q", args, res.stdout, res.stderr)
		}
	}
	for _, c := range commands() {
		res := r.ok("help", c.name)
		if !strings.Contains(res.stdout, "Usage") {
			t.Errorf("help %s: %q", c.name, res.stdout)
		}
	}
	for name, subs := range subcommands {
		for _, sub := range subs {
			path := name + " " + sub
			t.Run("help "+path, func(t *testing.T) {
				r.t = t
				res := r.ok("help", name, sub)
				if !strings.HasPrefix(res.stdout, "Usage: coopdir "+path) || res.stderr != "" {
					t.Errorf("help %s: stdout %q, stderr %q", path, res.stdout, res.stderr)
				}
				for _, flag := range []string{"-h", "--help"} {
					if again := r.ok(name, sub, flag); again.stdout != res.stdout {
						t.Errorf("%s %s prints\n%s\nbut help %s prints\n%s", path, flag, again.stdout, path, res.stdout)
					}
				}
			})
		}
	}
	r.t = t
	if res := r.ok("serve", "-h"); !strings.Contains(res.stdout, "-base-url") || !strings.Contains(res.stdout, "COOPDIR_BASE_URL") {
		t.Errorf("serve -h does not list --base-url with its variable:\n%s", res.stdout)
	}
	if res := r.ok("version"); res.stdout != "coopdir dev\n" {
		t.Errorf("version = %q", res.stdout)
	}
	if res := r.ok("--version"); res.stdout != "coopdir dev\n" {
		t.Errorf("--version = %q", res.stdout)
	}
}

func TestMigrate(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	res := r.ok("migrate", "--database", db)
	if !strings.HasPrefix(res.stdout, "sqlite database "+db+" is at schema version ") {
		t.Errorf("stdout = %q", res.stdout)
	}
	t.Run("is idempotent", func(t *testing.T) {
		r.t = t
		if again := r.ok("migrate", "--database", db); again.stdout != res.stdout {
			t.Errorf("second run: %q, first: %q", again.stdout, res.stdout)
		}
	})
	t.Run("takes DATABASE_URL", func(t *testing.T) {
		r.t = t
		r.env["DATABASE_URL"] = db
		if got := r.ok("migrate"); got.stdout != res.stdout {
			t.Errorf("stdout = %q", got.stdout)
		}
	})
}

func TestUnreachableDatabaseIsARuntimeFailure(t *testing.T) {
	r := newRunner(t)
	// Port 1 on loopback: nothing listens there, so the connection is refused at once.
	res := r.run("migrate", "--database", "postgres://coopdir:secret@127.0.0.1:1/coopdir?connect_timeout=5")
	if res.code != ExitFailure {
		t.Fatalf("exit %d, want %d; stderr: %s", res.code, ExitFailure, res.stderr)
	}
	if strings.Count(res.stderr, "\n") != 1 || !strings.HasPrefix(res.stderr, "coopdir migrate: ") {
		t.Errorf("stderr is not one line of coopdir migrate: %q", res.stderr)
	}
	if strings.Contains(res.stderr, "secret") {
		t.Errorf("stderr shows the password: %q", res.stderr)
	}
}

func TestMalformedPostgresAddressIsAUsageError(t *testing.T) {
	tests := []struct{ name, dsn, reason string }{
		{"a port that is not a number", "postgres://coopdir:hunter2@db.example:notaport/coopdir", "invalid port"},
		{"an unclosed IPv6 host", "postgres://coopdir:hunter2@[::1", `matching "]" in IPv6 host`},
		{"a bad parameter beside a password parameter", "postgres://coopdir@db.example/coopdir?password=hunter2&sslmode=bogus", "sslmode is invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRunner(t)
			for _, args := range [][]string{{"migrate", "--database", tt.dsn}, {"serve", "--database", tt.dsn}} {
				res := r.run(args...)
				if res.code != ExitUsage {
					t.Errorf("%s: exit %d, want %d; stderr: %s", args[0], res.code, ExitUsage, res.stderr)
				}
				want := "coopdir " + args[0] + ": --database: bad PostgreSQL address: "
				if !strings.HasPrefix(res.stderr, want) || !strings.Contains(res.stderr, tt.reason) || !strings.HasSuffix(res.stderr, hint+"\n") {
					t.Errorf("%s: stderr %q, want %q…%q…", args[0], res.stderr, want, tt.reason)
				}
				if strings.Contains(res.stderr, "hunter2") {
					t.Errorf("%s: stderr shows the password: %q", args[0], res.stderr)
				}
			}
		})
	}
}
