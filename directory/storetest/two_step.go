package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func testTwoStep(t *testing.T, open opener) {
	t.Run("stores, reads and turns off a user's two-step sign-in", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "ana@example.org", nil)
		other := mustCreateUser(t, s, "bo@example.org", nil)
		_, err := s.TwoStep(ctx, u.ID)
		wantCode(t, err, directory.ENOTFOUND)
		ts := &directory.TwoStep{UserID: u.ID, Sealed: []byte{1, 2, 0, 3}, LastStep: 100, Recovery: []string{"h1", "h2", "h3"}, EnabledAt: t0}
		mustNot(t, s.EnableTwoStep(ctx, ts), "enable")
		wantCode(t, s.EnableTwoStep(ctx, ts), directory.ECONFLICT)
		wantCode(t, s.EnableTwoStep(ctx, &directory.TwoStep{UserID: 999999, Sealed: []byte{1}, Recovery: []string{}, EnabledAt: t0}), directory.ENOTFOUND)
		got, err := s.TwoStep(ctx, u.ID)
		mustNot(t, err, "read")
		assertSame(t, "two-step", got, ts)
		ids, err := s.TwoStepUsers(ctx)
		mustNot(t, err, "users")
		if len(ids) != 1 || ids[0] != u.ID {
			t.Fatalf("two-step users %v, want [%d]", ids, u.ID)
		}
		_, err = s.TwoStep(ctx, other.ID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.DisableTwoStep(ctx, u.ID, false)
		mustNot(t, err, "disable")
		_, err = s.DisableTwoStep(ctx, u.ID, false)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.TwoStep(ctx, u.ID)
		wantCode(t, err, directory.ENOTFOUND)
		ids, err = s.TwoStepUsers(ctx)
		mustNot(t, err, "users")
		if len(ids) != 0 {
			t.Fatalf("two-step users %v after turning off", ids)
		}
	})
	t.Run("a code's step and a recovery code are good once", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "ana@example.org", nil)
		wantCode(t, s.UseTwoStepCode(ctx, u.ID, 5), directory.ENOTFOUND)
		wantCode(t, s.UseRecoveryCode(ctx, u.ID, "h1"), directory.ENOTFOUND)
		mustNot(t, s.EnableTwoStep(ctx, &directory.TwoStep{UserID: u.ID, Sealed: []byte{9}, LastStep: 100,
			Recovery: []string{"h1", "h2"}, EnabledAt: t0}), "enable")
		wantCode(t, s.UseTwoStepCode(ctx, u.ID, 100), directory.ECONFLICT)
		wantCode(t, s.UseTwoStepCode(ctx, u.ID, 99), directory.ECONFLICT)
		mustNot(t, s.UseTwoStepCode(ctx, u.ID, 101), "use step 101")
		wantCode(t, s.UseTwoStepCode(ctx, u.ID, 101), directory.ECONFLICT)
		mustNot(t, s.UseRecoveryCode(ctx, u.ID, "h2"), "use h2")
		wantCode(t, s.UseRecoveryCode(ctx, u.ID, "h2"), directory.ECONFLICT)
		mustNot(t, s.UseRecoveryCode(ctx, u.ID, "h1"), "use h1")
		got, err := s.TwoStep(ctx, u.ID)
		mustNot(t, err, "read")
		if got.LastStep != 101 || len(got.Recovery) != 0 {
			t.Fatalf("last step %d, recovery %v: want 101, none", got.LastStep, got.Recovery)
		}
	})
	t.Run("goes with its user", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "ana@example.org", nil)
		mustNot(t, s.EnableTwoStep(ctx, &directory.TwoStep{UserID: u.ID, Sealed: []byte{9}, Recovery: []string{"h"}, EnabledAt: t0}), "enable")
		mustNot(t, s.DeleteUser(ctx, u.ID), "delete user")
		_, err := s.TwoStep(ctx, u.ID)
		wantCode(t, err, directory.ENOTFOUND)
	})
}
