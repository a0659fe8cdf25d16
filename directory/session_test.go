package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestSessions(t *testing.T) {
	svc := newService(t)
	clock := now
	svc.Now = func() time.Time { return clock }
	ctx := context.Background()
	asUser(t, svc, "ana@example.org", directory.RoleAdmin, "")

	t.Run("signs in with the right password and finds the user by secret", func(t *testing.T) {
		secret, u, err := svc.StartSession(ctx, " Ana@Example.org ", "long enough password", directory.SessionClient{})
		must(t, err)
		if u.Email != "ana@example.org" || !strings.HasPrefix(secret, directory.SessionPrefix) {
			t.Fatalf("user %+v, secret %q", u, secret)
		}
		got, err := svc.SessionUser(ctx, secret)
		must(t, err)
		if got.ID != u.ID {
			t.Errorf("session user = %+v", got)
		}
	})
	t.Run("refuses a wrong password and an unknown email alike", func(t *testing.T) {
		_, _, err1 := svc.StartSession(ctx, "ana@example.org", "wrong password!", directory.SessionClient{})
		_, _, err2 := svc.StartSession(ctx, "nobody@example.org", "long enough password", directory.SessionClient{})
		wantCode(t, err1, directory.EUNAUTHORIZED)
		wantCode(t, err2, directory.EUNAUTHORIZED)
		if directory.ErrorMessage(err1) != directory.ErrorMessage(err2) {
			t.Errorf("messages differ: %q, %q", directory.ErrorMessage(err1), directory.ErrorMessage(err2))
		}
	})
	t.Run("refuses unknown and malformed secrets", func(t *testing.T) {
		for _, s := range []string{"", "nonsense", directory.SessionPrefix + "unknown", directory.TokenPrefix + "x"} {
			_, err := svc.SessionUser(ctx, s)
			wantCode(t, err, directory.EUNAUTHORIZED)
		}
	})
	t.Run("slides the expiry on use and expires when unused", func(t *testing.T) {
		clock = now
		secret, _, err := svc.StartSession(ctx, "ana@example.org", "long enough password", directory.SessionClient{})
		must(t, err)
		clock = now.Add(directory.SessionTTL - time.Hour)
		_, err = svc.SessionUser(ctx, secret)
		must(t, err)
		clock = now.Add(2*directory.SessionTTL - 2*time.Hour)
		_, err = svc.SessionUser(ctx, secret)
		must(t, err) // still valid: the first use extended it
		clock = clock.Add(directory.SessionTTL)
		_, err = svc.SessionUser(ctx, secret)
		wantCode(t, err, directory.EUNAUTHORIZED)
		clock = now
		_, err = svc.SessionUser(ctx, secret)
		wantCode(t, err, directory.EUNAUTHORIZED) // deleted when found expired
	})
	t.Run("ends a session, twice without error", func(t *testing.T) {
		clock = now
		secret, _, err := svc.StartSession(ctx, "ana@example.org", "long enough password", directory.SessionClient{})
		must(t, err)
		must(t, svc.EndSession(ctx, secret))
		must(t, svc.EndSession(ctx, secret))
		_, err = svc.SessionUser(ctx, secret)
		wantCode(t, err, directory.EUNAUTHORIZED)
	})
	t.Run("the store deletes expired sessions", func(t *testing.T) {
		clock = now
		secret, _, err := svc.StartSession(ctx, "ana@example.org", "long enough password", directory.SessionClient{})
		must(t, err)
		n, err := directory.StoreOf(svc).DeleteExpiredSessions(ctx, now.Add(directory.SessionTTL+time.Second))
		must(t, err)
		if n < 1 {
			t.Errorf("deleted %d", n)
		}
		_, err = svc.SessionUser(ctx, secret)
		wantCode(t, err, directory.EUNAUTHORIZED)
	})
}
