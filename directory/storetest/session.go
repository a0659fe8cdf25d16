package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func mustCreateUser(t *testing.T, s directory.Store, email string, enterprise *directory.Enterprise) *directory.User {
	t.Helper()
	u := &directory.User{Email: email, Name: "Someone", Role: directory.RoleAdmin, PasswordHash: "hash", CreatedAt: t0}
	if enterprise != nil {
		u.Role, u.EnterpriseID = directory.RoleEditor, &enterprise.ID
	}
	mustNot(t, s.CreateUser(ctx, u), "create user "+email)
	return u
}

func mustStartSession(t *testing.T, s directory.Store, u *directory.User, secret string) *directory.Session {
	t.Helper()
	sess := &directory.Session{UserID: u.ID, Hash: hashOf(secret), CreatedAt: t0, LastSeenAt: t0, ExpiresAt: at(60),
		ClientIP: "192.0.2.7", UserAgent: "Firefox/140"}
	mustNot(t, s.CreateSession(ctx, sess), "create session")
	if sess.ID == 0 {
		t.Fatal("session ID not set")
	}
	return sess
}

func testSessions(t *testing.T, open opener) {
	t.Run("finds a session with its user, extends and deletes it", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		u := mustCreateUser(t, s, "ed@bakery.example", e)
		sess := mustStartSession(t, s, u, "secret")
		got, gotUser, err := s.FindSession(ctx, hashOf("secret"))
		mustNot(t, err, "find")
		assertSame(t, "session", got, sess)
		if gotUser.ID != u.ID || gotUser.EnterpriseHandle != "bakery" || gotUser.PasswordHash != "hash" {
			t.Errorf("user = %s", show(gotUser))
		}
		mustNot(t, s.ExtendSession(ctx, sess.ID, at(5), at(120)), "extend")
		got, _, err = s.FindSession(ctx, hashOf("secret"))
		mustNot(t, err, "find")
		if !got.ExpiresAt.Equal(at(120)) || !got.LastSeenAt.Equal(at(5)) || !got.CreatedAt.Equal(t0) {
			t.Errorf("expires at %v, last seen %v, want %v, %v", got.ExpiresAt, got.LastSeenAt, at(120), at(5))
		}
		mustNot(t, s.DeleteSession(ctx, hashOf("secret")), "delete")
		mustNot(t, s.DeleteSession(ctx, hashOf("secret")), "delete again")
		_, _, err = s.FindSession(ctx, hashOf("secret"))
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.ExtendSession(ctx, sess.ID, at(6), at(180)), directory.ENOTFOUND)
	})
	t.Run("lists a user's live sessions, most recently used first", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "a@example.org", nil)
		other := mustCreateUser(t, s, "b@example.org", nil)
		older := mustStartSession(t, s, u, "older")
		newer := mustStartSession(t, s, u, "newer")
		mustStartSession(t, s, other, "theirs")
		mustNot(t, s.ExtendSession(ctx, older.ID, at(9), at(60)), "extend")
		mustNot(t, s.ExtendSession(ctx, newer.ID, at(3), at(60)), "extend")
		expired := &directory.Session{UserID: u.ID, Hash: hashOf("expired"), CreatedAt: t0, LastSeenAt: at(10), ExpiresAt: at(10)}
		mustNot(t, s.CreateSession(ctx, expired), "create expired")
		list, err := s.ListSessions(ctx, u.ID, at(10))
		mustNot(t, err, "list")
		if len(list) != 2 || list[0].ID != older.ID || list[1].ID != newer.ID {
			t.Fatalf("sessions = %s", show(list))
		}
		if list[0].ClientIP != "192.0.2.7" || list[0].UserAgent != "Firefox/140" || !list[0].LastSeenAt.Equal(at(9)) {
			t.Errorf("listed session = %s", show(list[0]))
		}
	})
	t.Run("deletes one session of a user, or all but one", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "a@example.org", nil)
		other := mustCreateUser(t, s, "b@example.org", nil)
		one := mustStartSession(t, s, u, "one")
		mustStartSession(t, s, u, "two")
		mustStartSession(t, s, u, "three")
		theirs := mustStartSession(t, s, other, "theirs")
		wantCode(t, s.DeleteUserSession(ctx, u.ID, theirs.ID), directory.ENOTFOUND)
		mustNot(t, s.DeleteUserSession(ctx, u.ID, one.ID), "delete one")
		wantCode(t, s.DeleteUserSession(ctx, u.ID, one.ID), directory.ENOTFOUND)
		n, err := s.DeleteUserSessions(ctx, u.ID, hashOf("two"))
		mustNot(t, err, "delete others")
		if n != 1 {
			t.Errorf("deleted %d, want 1", n)
		}
		if _, _, err := s.FindSession(ctx, hashOf("two")); err != nil {
			t.Errorf("kept session: %v", err)
		}
		_, _, err = s.FindSession(ctx, hashOf("three"))
		wantCode(t, err, directory.ENOTFOUND)
		if _, _, err := s.FindSession(ctx, hashOf("theirs")); err != nil {
			t.Errorf("another user's session: %v", err)
		}
		n, err = s.DeleteUserSessions(ctx, u.ID, nil)
		mustNot(t, err, "delete all")
		if n != 1 {
			t.Errorf("deleted %d, want 1", n)
		}
	})
	t.Run("refuses a session of a missing user or a known hash", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "a@example.org", nil)
		mustStartSession(t, s, u, "secret")
		wantCode(t, s.CreateSession(ctx, &directory.Session{UserID: u.ID + 100, Hash: hashOf("x"), CreatedAt: t0, ExpiresAt: at(1)}), directory.ENOTFOUND)
		wantCode(t, s.CreateSession(ctx, &directory.Session{UserID: u.ID, Hash: hashOf("secret"), CreatedAt: t0, ExpiresAt: at(1)}), directory.ECONFLICT)
	})
	t.Run("deletes expired sessions only", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "a@example.org", nil)
		early := &directory.Session{UserID: u.ID, Hash: hashOf("early"), CreatedAt: t0, ExpiresAt: at(10)}
		mustNot(t, s.CreateSession(ctx, early), "create")
		mustStartSession(t, s, u, "late") // expires at(60)
		n, err := s.DeleteExpiredSessions(ctx, at(10))
		mustNot(t, err, "delete expired")
		if n != 1 {
			t.Errorf("deleted %d, want 1", n)
		}
		if _, _, err := s.FindSession(ctx, hashOf("late")); err != nil {
			t.Errorf("late session: %v", err)
		}
	})
	t.Run("deleting a user deletes their sessions and tokens", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "a@example.org", nil)
		other := mustCreateUser(t, s, "b@example.org", nil)
		mustStartSession(t, s, u, "secret")
		mustNot(t, s.CreateToken(ctx, &directory.Token{UserID: u.ID, Name: "t", Hash: hashOf("token"), CreatedAt: t0}), "token")
		mustNot(t, s.DeleteUser(ctx, u.ID), "delete")
		_, _, err := s.FindSession(ctx, hashOf("secret"))
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.UserByTokenHash(ctx, hashOf("token"), t0)
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.DeleteUser(ctx, u.ID), directory.ENOTFOUND)
		users, err := s.ListUsers(ctx)
		mustNot(t, err, "list")
		if len(users) != 1 || users[0].ID != other.ID {
			t.Errorf("users = %s", show(users))
		}
	})
	t.Run("lists users by email", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		for _, email := range []string{"zoe@example.org", "Ann@example.org", "ann@example.org", "bob@example.org"} {
			var of *directory.Enterprise
			if email == "bob@example.org" {
				of = e
			}
			mustCreateUser(t, s, email, of)
		}
		users, err := s.ListUsers(ctx)
		mustNot(t, err, "list")
		var emails []string
		for _, u := range users {
			emails = append(emails, u.Email)
		}
		wantOrder(t, "users", emails, len(users), "Ann@example.org", "ann@example.org", "bob@example.org", "zoe@example.org")
		if users[2].EnterpriseHandle != "bakery" {
			t.Errorf("bob = %s", show(users[2]))
		}
	})
}

func testPasswordResets(t *testing.T, open opener) {
	reset := func(t *testing.T, s directory.Store, u *directory.User, secret string, by int64) *directory.PasswordReset {
		t.Helper()
		pr := &directory.PasswordReset{UserID: u.ID, CreatedBy: by, CreatedAt: at(1), ExpiresAt: at(100)}
		mustNot(t, s.CreatePasswordReset(ctx, pr, hashOf(secret)), "create reset")
		if pr.ID == 0 {
			t.Fatal("password reset ID not set")
		}
		return pr
	}
	t.Run("finds a link and uses it once: new password, no sessions", func(t *testing.T) {
		s := open(t)
		admin := mustCreateUser(t, s, "admin@example.org", nil)
		u := mustCreateUser(t, s, "rosa@example.org", nil)
		mustStartSession(t, s, u, "rosa's laptop")
		mustStartSession(t, s, admin, "admin's laptop")
		pr := reset(t, s, u, "secret", admin.ID)
		got, err := s.FindPasswordReset(ctx, hashOf("secret"), at(2))
		mustNot(t, err, "find")
		want := *pr
		want.Email = "rosa@example.org"
		assertSame(t, "password reset", got, &want)
		id, err := s.UsePasswordReset(ctx, hashOf("secret"), "new hash", at(3))
		mustNot(t, err, "use")
		if id != u.ID {
			t.Errorf("used for user %d, want %d", id, u.ID)
		}
		if got, err := s.FindUserByEmail(ctx, "rosa@example.org"); err != nil || got.PasswordHash != "new hash" {
			t.Errorf("user after reset: %s, %v", show(got), err)
		}
		_, _, err = s.FindSession(ctx, hashOf("rosa's laptop"))
		wantCode(t, err, directory.ENOTFOUND)
		if _, _, err := s.FindSession(ctx, hashOf("admin's laptop")); err != nil {
			t.Errorf("another user's session: %v", err)
		}
		_, err = s.UsePasswordReset(ctx, hashOf("secret"), "third hash", at(4))
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindPasswordReset(ctx, hashOf("secret"), at(4))
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("an expired link is neither found nor used", func(t *testing.T) {
		s := open(t)
		u := mustCreateUser(t, s, "rosa@example.org", nil)
		reset(t, s, u, "secret", 0) // expires at(100)
		_, err := s.FindPasswordReset(ctx, hashOf("secret"), at(100))
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.UsePasswordReset(ctx, hashOf("secret"), "new hash", at(100))
		wantCode(t, err, directory.ENOTFOUND)
		if got, err := s.FindUserByEmail(ctx, "rosa@example.org"); err != nil || got.PasswordHash != "hash" {
			t.Errorf("password changed anyway: %s, %v", show(got), err)
		}
	})
	t.Run("a new link replaces the old; a missing user has none; deleting the user deletes it", func(t *testing.T) {
		s := open(t)
		admin := mustCreateUser(t, s, "admin@example.org", nil)
		u := mustCreateUser(t, s, "rosa@example.org", nil)
		reset(t, s, u, "first", admin.ID)
		reset(t, s, u, "second", admin.ID)
		_, err := s.FindPasswordReset(ctx, hashOf("first"), at(2))
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.CreatePasswordReset(ctx, &directory.PasswordReset{UserID: u.ID + 100, CreatedAt: t0, ExpiresAt: at(1)},
			hashOf("x")), directory.ENOTFOUND)
		mustNot(t, s.DeleteUser(ctx, admin.ID), "delete admin")
		got, err := s.FindPasswordReset(ctx, hashOf("second"), at(2))
		mustNot(t, err, "find after the admin left")
		if got.CreatedBy != 0 {
			t.Errorf("created by %d after the admin left", got.CreatedBy)
		}
		mustNot(t, s.DeleteUser(ctx, u.ID), "delete user")
		_, err = s.FindPasswordReset(ctx, hashOf("second"), at(2))
		wantCode(t, err, directory.ENOTFOUND)
	})
}

func testInvitations(t *testing.T, open opener) {
	invite := func(t *testing.T, s directory.Store, email, secret string, e *directory.Enterprise, by int64) *directory.Invitation {
		t.Helper()
		inv := &directory.Invitation{Email: email, Name: "Invitee", Role: directory.RoleAdmin, InvitedBy: by,
			CreatedAt: at(1), ExpiresAt: at(100)}
		if e != nil {
			inv.Role, inv.EnterpriseID = directory.RoleEditor, &e.ID
		}
		mustNot(t, s.CreateInvitation(ctx, inv, hashOf(secret)), "invite "+email)
		if inv.ID == 0 {
			t.Fatal("invitation ID not set")
		}
		return inv
	}
	t.Run("stores, finds, lists and accepts an invitation", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		admin := mustCreateUser(t, s, "admin@example.org", nil)
		inv := invite(t, s, "rosa@example.org", "secret", e, admin.ID)
		got, err := s.FindInvitation(ctx, hashOf("secret"), at(2))
		mustNot(t, err, "find")
		want := *inv
		want.EnterpriseHandle = "bakery"
		assertSame(t, "invitation", got, &want)
		list, err := s.ListInvitations(ctx, at(2))
		mustNot(t, err, "list")
		if len(list) != 1 {
			t.Fatalf("list = %s", show(list))
		}
		assertSame(t, "listed invitation", list[0], &want)
		u := &directory.User{Email: "rosa@example.org", Name: "Rosa", Role: directory.RoleEditor, EnterpriseID: &e.ID,
			PasswordHash: "hash", CreatedAt: at(3)}
		mustNot(t, s.AcceptInvitation(ctx, hashOf("secret"), u, at(3)), "accept")
		if u.ID == 0 {
			t.Fatal("user ID not set")
		}
		if _, err := s.FindUserByEmail(ctx, "rosa@example.org"); err != nil {
			t.Error(err)
		}
		_, err = s.FindInvitation(ctx, hashOf("secret"), at(3))
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.AcceptInvitation(ctx, hashOf("secret"), &directory.User{Email: "x@example.org", Name: "X",
			Role: directory.RoleAdmin, CreatedAt: at(4)}, at(4)), directory.ENOTFOUND)
	})
	t.Run("a new invitation for an email replaces the old one", func(t *testing.T) {
		s := open(t)
		invite(t, s, "rosa@example.org", "first", nil, 0)
		second := invite(t, s, "rosa@example.org", "second", nil, 0)
		_, err := s.FindInvitation(ctx, hashOf("first"), at(2))
		wantCode(t, err, directory.ENOTFOUND)
		list, err := s.ListInvitations(ctx, at(2))
		mustNot(t, err, "list")
		if len(list) != 1 || list[0].ID != second.ID || list[0].InvitedBy != 0 {
			t.Errorf("list = %s", show(list))
		}
	})
	t.Run("refuses to invite an email that has an account", func(t *testing.T) {
		s := open(t)
		mustCreateUser(t, s, "taken@example.org", nil)
		err := s.CreateInvitation(ctx, &directory.Invitation{Email: "taken@example.org", Role: directory.RoleAdmin,
			CreatedAt: t0, ExpiresAt: at(10)}, hashOf("x"))
		wantCode(t, err, directory.ECONFLICT)
	})
	t.Run("an expired invitation is neither found, listed nor accepted", func(t *testing.T) {
		s := open(t)
		invite(t, s, "late@example.org", "secret", nil, 0) // expires at(100)
		_, err := s.FindInvitation(ctx, hashOf("secret"), at(100))
		wantCode(t, err, directory.ENOTFOUND)
		list, err := s.ListInvitations(ctx, at(100))
		mustNot(t, err, "list")
		if len(list) != 0 {
			t.Errorf("list = %s", show(list))
		}
		u := &directory.User{Email: "late@example.org", Name: "Late", Role: directory.RoleAdmin, CreatedAt: at(100)}
		wantCode(t, s.AcceptInvitation(ctx, hashOf("secret"), u, at(100)), directory.ENOTFOUND)
		if _, err := s.FindUserByEmail(ctx, "late@example.org"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("user created anyway: %v", err)
		}
	})
	t.Run("accepting keeps the invitation when the account cannot be created", func(t *testing.T) {
		s := open(t)
		invite(t, s, "rosa@example.org", "secret", nil, 0)
		mustCreateUser(t, s, "taken@example.org", nil)
		u := &directory.User{Email: "taken@example.org", Name: "Rosa", Role: directory.RoleAdmin, CreatedAt: at(2)}
		wantCode(t, s.AcceptInvitation(ctx, hashOf("secret"), u, at(2)), directory.ECONFLICT)
		if _, err := s.FindInvitation(ctx, hashOf("secret"), at(2)); err != nil {
			t.Errorf("invitation gone after a failed accept: %v", err)
		}
	})
	t.Run("deletes an invitation; deleting the enterprise or inviter", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		admin := mustCreateUser(t, s, "admin@example.org", nil)
		first := invite(t, s, "a@example.org", "a", nil, admin.ID)
		invite(t, s, "b@example.org", "b", e, 0)
		mustNot(t, s.DeleteInvitation(ctx, first.ID), "delete")
		wantCode(t, s.DeleteInvitation(ctx, first.ID), directory.ENOTFOUND)
		mustNot(t, s.DeleteEnterprise(ctx, e.ID, directory.Event{Type: directory.EventEnterpriseDeleted, At: t0}), "delete enterprise")
		list, err := s.ListInvitations(ctx, at(2))
		mustNot(t, err, "list")
		if len(list) != 0 {
			t.Errorf("an invitation to edit a deleted enterprise is left: %s", show(list))
		}
		kept := invite(t, s, "c@example.org", "c", nil, admin.ID)
		mustNot(t, s.DeleteUser(ctx, admin.ID), "delete inviter")
		got, err := s.FindInvitation(ctx, hashOf("c"), at(2))
		mustNot(t, err, "find")
		if got.ID != kept.ID || got.InvitedBy != 0 {
			t.Errorf("after the inviter left: %s", show(got))
		}
	})
}
