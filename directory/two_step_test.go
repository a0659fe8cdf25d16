package directory_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/directory/totp"
)

func TestTwoStep(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/coopdir.db")
	must(t, err)
	t.Cleanup(func() { db.Close() })
	must(t, db.Migrate(context.Background()))
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{P: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	clock := now
	svc.Now = func() time.Time { return clock }
	ctx := context.Background()
	ana := asUser(t, svc, "ana@example.org", directory.RoleAdmin, "")
	bo := asUser(t, svc, "bo@example.org", directory.RoleAdmin, "")

	t.Run("is not offered without the codes and the instance secret", func(t *testing.T) {
		_, _, err := svc.NewTwoStepSecret(ana, "Testville")
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
	})
	svc.Codes, svc.Secret = totp.Codes{}, []byte("a directory test instance secret")
	secret, uri, err := svc.NewTwoStepSecret(ana, "Testville")
	must(t, err)
	if len(secret) < 32 || !bytes.Contains([]byte(uri), []byte("secret="+secret)) {
		t.Fatalf("secret %q, uri %q", secret, uri)
	}
	code := func() string {
		c, err := totp.Code(secret, clock)
		must(t, err)
		return c
	}
	recovery, err := svc.EnableTwoStep(ana, secret, code())
	must(t, err)
	if len(recovery) != directory.RecoveryCodeCount {
		t.Fatalf("%d recovery codes", len(recovery))
	}
	t.Run("keeps the secret sealed and the recovery codes hashed", func(t *testing.T) {
		u := directory.UserFromContext(ana)
		ts, err := db.TwoStep(ctx, u.ID)
		must(t, err)
		if bytes.Contains(ts.Sealed, []byte(secret)) {
			t.Error("the secret is stored in clear")
		}
		for _, h := range ts.Recovery {
			for _, c := range recovery {
				if h == c {
					t.Error("a recovery code is stored in clear")
				}
			}
		}
	})
	t.Run("refuses to turn on twice", func(t *testing.T) {
		_, err := svc.EnableTwoStep(ana, secret, code())
		if directory.ErrorCode(err) != directory.ECONFLICT {
			t.Fatalf("err = %v, want ECONFLICT", err)
		}
	})
	startTwoStep := func(t *testing.T) *directory.SecondStepError {
		t.Helper()
		_, _, err := svc.StartSession(ctx, "ana@example.org", "long enough password", directory.SessionClient{})
		step := directory.IsSecondStep(err)
		if step == nil || step.Email != "ana@example.org" {
			t.Fatalf("StartSession = %v, want the second step", err)
		}
		return step
	}
	t.Run("a ticket lasts SecondStepTTL", func(t *testing.T) {
		step := startTwoStep(t)
		clock = clock.Add(directory.SecondStepTTL + time.Second)
		_, _, err := svc.FinishSignIn(ctx, step.Ticket, step.Email, code(), directory.SessionClient{})
		if directory.ErrorCode(err) != directory.EUNAUTHORIZED {
			t.Fatalf("err = %v, want EUNAUTHORIZED", err)
		}
	})
	t.Run("a ticket is for its user only", func(t *testing.T) {
		step := startTwoStep(t)
		clock = clock.Add(time.Minute)
		_, _, err := svc.FinishSignIn(ctx, step.Ticket, "bo@example.org", code(), directory.SessionClient{})
		if directory.ErrorCode(err) != directory.EUNAUTHORIZED {
			t.Fatalf("err = %v, want EUNAUTHORIZED", err)
		}
		session, u, err := svc.FinishSignIn(ctx, step.Ticket, step.Email, code(), directory.SessionClient{})
		must(t, err)
		if session == "" || u.Email != "ana@example.org" {
			t.Fatalf("session %q for %+v", session, u)
		}
	})
	t.Run("an editor cannot turn off another's", func(t *testing.T) {
		mustCreate(t, svc, "flora")
		ed := asUser(t, svc, "cy@example.org", directory.RoleEditor, "flora")
		_, err := svc.ResetTwoStepByEmail(ed, "ana@example.org")
		if directory.ErrorCode(err) != directory.EFORBIDDEN {
			t.Fatalf("err = %v, want EFORBIDDEN", err)
		}
	})
	t.Run("an admin turns it off, which signs the account out, and then the password is enough", func(t *testing.T) {
		clock = clock.Add(time.Minute)
		step := startTwoStep(t)
		held, _, err := svc.FinishSignIn(ctx, step.Ticket, step.Email, code(), directory.SessionClient{})
		must(t, err)
		u := directory.UserFromContext(ana)
		ended, err := svc.ResetTwoStep(directory.WithUser(ctx, directory.UserFromContext(bo)), u.ID)
		must(t, err)
		if ended < 1 {
			t.Fatalf("ended %d sessions, want the one held", ended)
		}
		if _, err := svc.SessionUser(ctx, held); err == nil {
			t.Fatal("the session made with the lost phone still works")
		}
		_, _, err = svc.StartSession(ctx, "ana@example.org", "long enough password", directory.SessionClient{})
		must(t, err)
		if _, err := svc.ResetTwoStepByEmail(directory.AsSystem(ctx), "ana@example.org"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("second reset: err = %v, want ENOTFOUND", err)
		}
		if _, err := svc.ResetTwoStepByEmail(directory.AsSystem(ctx), "nobody@example.org"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("unknown account: err = %v, want ENOTFOUND", err)
		}
	})
}
