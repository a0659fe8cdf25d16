package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

const shakyCSV = "handle,name,kind\nshakyhands,Shaky Hands,worker_coop\n"

func TestUserAdd(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	r.ok("import", writeFile(t, "shaky.csv", shakyCSV))
	add := func(email, role string, extra ...string) []string {
		return append([]string{"user", "add", "--email", email, "--name", "Ana Example", "--role", role, "--password-stdin"}, extra...)
	}

	t.Run("adds an admin with a password from stdin", func(t *testing.T) {
		r.t = t
		r.stdin = "correct horse battery\n"
		res := r.ok(add("Ana@Example.org", "admin")...)
		if res.stdout != "added admin ana@example.org (Ana Example)\n" {
			t.Errorf("stdout = %q", res.stdout)
		}
		checkLogin(t, db, "ana@example.org", "correct horse battery")
	})
	t.Run("adds an editor of an enterprise", func(t *testing.T) {
		r.t = t
		r.stdin = "another long password"
		r.ok(add("bo@example.org", "editor", "--enterprise", "shakyhands")...)
	})

	r.stdin = "long enough password\n"
	tests := []struct {
		name   string
		args   []string
		stdin  string
		stderr string
	}{
		{"refuses a bad email", add("not-an-email", "admin"), "",
			"invalid user: email: must be an email address such as info@example.org"},
		{"refuses a short password", add("cy@example.org", "admin"), "short\n",
			"invalid user: password: must be between 10 and 200 characters"},
		{"refuses an unknown enterprise", add("cy@example.org", "admin", "--enterprise", "nope"), "",
			`invalid user: enterprise: no enterprise with handle "nope"`},
		{"refuses an editor without an enterprise", add("cy@example.org", "editor"), "",
			"invalid user: enterprise: an editor needs an enterprise"},
		{"refuses an unknown role", add("cy@example.org", "owner"), "",
			"invalid user: role: must be admin or editor"},
		{"refuses a duplicate email", add("ANA@example.org", "admin"), "",
			"email is taken: email: ana@example.org already has an account"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			r.stdin = "long enough password\n"
			if tt.stdin != "" {
				r.stdin = tt.stdin
			}
			r.fails(ExitUsage, "coopdir user add: "+tt.stderr, tt.args...)
		})
	}

	t.Run("refuses an editor of an unknown enterprise", func(t *testing.T) {
		r.t = t
		res := r.run(add("cy@example.org", "editor", "--enterprise", "nope")...)
		want := `coopdir user add: invalid user: enterprise: no enterprise with handle "nope"`
		if res.code != ExitUsage || !strings.HasPrefix(res.stderr, want) || strings.Count(res.stderr, "\n") != 1 {
			t.Errorf("exit %d, stderr %q; want %d and one line starting %q", res.code, res.stderr, ExitUsage, want)
		}
	})
	t.Run("needs --email, --name and --role", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir user add: --email is required"+hint, "user", "add", "--name", "A", "--role", "admin")
		r.fails(ExitUsage, "coopdir user add: --role is required"+hint, "user", "add", "--email", "a@b.org", "--name", "A")
	})
	t.Run("refuses to read a password from a non-terminal without --password-stdin", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir user add: standard input is not a terminal: pass the password with --password-stdin"+hint,
			"user", "add", "--email", "dee@example.org", "--name", "Dee", "--role", "admin")
	})
}

// checkLogin fails the test unless email can sign in with pw.
func checkLogin(t *testing.T, dsn, email, pw string) {
	t.Helper()
	ctx := context.Background()
	db, err := instance.OpenDatabase(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := newService(db).Login(ctx, email, pw); err != nil {
		t.Errorf("login as %s: %v", email, err)
	}
}

func TestTokenCreate(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	r.stdin = "correct horse battery\n"
	r.ok("user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "admin", "--password-stdin")

	t.Run("prints a secret that authenticates the user", func(t *testing.T) {
		r.t = t
		res := r.ok("token", "create", "--user", "ana@example.org", "--name", "import script")
		secret := strings.TrimSuffix(res.stdout, "\n")
		if !strings.HasPrefix(secret, directory.TokenPrefix) || strings.Contains(secret, "\n") {
			t.Fatalf("stdout = %q, want one token", res.stdout)
		}
		ctx := context.Background()
		sdb, err := instance.OpenDatabase(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		defer sdb.Close()
		u, err := newService(sdb).Authenticate(ctx, secret)
		if err != nil || u.Email != "ana@example.org" {
			t.Errorf("authenticate: %v, %v", u, err)
		}
	})
	t.Run("refuses an unknown user", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, `coopdir token create: no user with email "nobody@example.org"`, "token", "create", "--user", "nobody@example.org")
	})
	t.Run("needs --user", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir token create: --user is required"+hint, "token", "create")
	})
}

func TestUserTwoStepOff(t *testing.T) {
	r := newRunner(t)
	dsn := tempDB(t)
	r.env["DATABASE_URL"] = dsn
	r.stdin = "correct horse battery\n"
	r.ok("user", "add", "--email", "ana@example.org", "--name", "Ana", "--role", "admin", "--password-stdin")
	ctx := context.Background()
	db, err := instance.OpenDatabase(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u, err := db.FindUserByEmail(ctx, "ana@example.org")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	if err := db.EnableTwoStep(ctx, &directory.TwoStep{UserID: u.ID, Sealed: []byte{1}, Recovery: []string{"h"}, EnabledAt: now}); err != nil {
		t.Fatal(err)
	}
	held := &directory.Session{UserID: u.ID, Hash: []byte("held by whoever has the phone"), CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := db.CreateSession(ctx, held); err != nil {
		t.Fatal(err)
	}

	t.Run("turns it off and signs the account out", func(t *testing.T) {
		r.t = t
		res := r.ok("user", "two-step-off", "--email", "ANA@example.org")
		if res.stdout != "two-step sign-in of ANA@example.org is off; 1 browser session(s) signed out\n" {
			t.Errorf("stdout = %q", res.stdout)
		}
		if _, err := db.TwoStep(ctx, u.ID); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("two-step after: %v, want ENOTFOUND", err)
		}
		if list, err := db.ListSessions(ctx, u.ID, now); err != nil || len(list) != 0 {
			t.Errorf("sessions after: %v, %v", list, err)
		}
		checkLogin(t, dsn, "ana@example.org", "correct horse battery")
	})
	t.Run("says when it is already off, and for an unknown account", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir user two-step-off: ana@example.org: no account with that email has two-step sign-in on; nothing changed",
			"user", "two-step-off", "--email", "ana@example.org")
		r.fails(ExitUsage, "coopdir user two-step-off: nobody@example.org: no account with that email has two-step sign-in on; nothing changed",
			"user", "two-step-off", "--email", "nobody@example.org")
	})
	t.Run("needs --email", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir user two-step-off: --email is required"+hint, "user", "two-step-off")
	})
}
