package directory_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestInvitations(t *testing.T) {
	svc := newService(t)
	clock := now
	svc.Now = func() time.Time { return clock }
	ctx := context.Background()
	mustCreate(t, svc, "flora")
	admin := asUser(t, svc, "admin@example.org", directory.RoleAdmin, "")

	var secret string
	t.Run("an admin invites an editor of an enterprise", func(t *testing.T) {
		inv := &directory.Invitation{Email: " Rosa@Example.org ", Name: "Rosa", Role: directory.RoleEditor, EnterpriseHandle: "flora"}
		var err error
		secret, err = svc.Invite(admin, inv)
		must(t, err)
		if !strings.HasPrefix(secret, directory.InvitationPrefix) || inv.ID == 0 || inv.Email != "rosa@example.org" ||
			inv.EnterpriseID == nil || !inv.ExpiresAt.Equal(inv.CreatedAt.Add(directory.InvitationTTL)) ||
			inv.InvitedBy != directory.UserFromContext(admin).ID {
			t.Fatalf("invitation %+v, secret %q", inv, secret)
		}
		got, err := svc.Invitation(ctx, secret)
		must(t, err)
		if got.ID != inv.ID || got.EnterpriseHandle != "flora" || got.Role != directory.RoleEditor {
			t.Errorf("found %+v", got)
		}
		list, err := svc.Invitations(admin)
		must(t, err)
		if len(list) != 1 || list[0].Email != "rosa@example.org" {
			t.Errorf("pending = %+v", list)
		}
	})
	t.Run("a new invitation for the same email replaces the old one", func(t *testing.T) {
		again, err := svc.Invite(admin, &directory.Invitation{Email: "rosa@example.org", Role: directory.RoleEditor, EnterpriseHandle: "flora"})
		must(t, err)
		if _, err := svc.Invitation(ctx, secret); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Errorf("old secret: %v", err)
		}
		list, err := svc.Invitations(admin)
		must(t, err)
		if len(list) != 1 {
			t.Errorf("pending = %+v", list)
		}
		secret = again
	})
	t.Run("rejects bad input naming each field and stores nothing", func(t *testing.T) {
		_, err := svc.Invite(admin, &directory.Invitation{Email: "not an email", Name: strings.Repeat("n", 101), Role: "boss"})
		wantFields(t, err, "email", "name", "role")
		_, err = svc.Invite(admin, &directory.Invitation{Email: "x@example.org", Role: directory.RoleEditor})
		wantFields(t, err, "enterprise")
		_, err = svc.Invite(admin, &directory.Invitation{Email: "x@example.org", Role: directory.RoleEditor, EnterpriseHandle: "missing"})
		wantFields(t, err, "enterprise")
		list, err := svc.Invitations(admin)
		must(t, err)
		if len(list) != 1 {
			t.Errorf("pending = %+v", list)
		}
	})
	t.Run("refuses an email that has an account", func(t *testing.T) {
		_, err := svc.Invite(admin, &directory.Invitation{Email: "admin@example.org", Role: directory.RoleAdmin})
		wantCode(t, err, directory.ECONFLICT)
		if f := directory.ErrorFields(err); len(f) != 1 || f[0].Field != "email" {
			t.Errorf("fields = %+v", f)
		}
	})
	t.Run("only admins invite, list and cancel", func(t *testing.T) {
		editor := asUser(t, svc, "ed@example.org", directory.RoleEditor, "flora")
		_, err := svc.Invite(editor, &directory.Invitation{Email: "y@example.org", Role: directory.RoleAdmin})
		wantCode(t, err, directory.EFORBIDDEN)
		_, err = svc.Invitations(ctx)
		wantCode(t, err, directory.EUNAUTHORIZED)
		wantCode(t, svc.CancelInvitation(editor, 1), directory.EFORBIDDEN)
	})
	t.Run("accepting checks the password and name and changes nothing when bad", func(t *testing.T) {
		_, err := svc.AcceptInvitation(ctx, secret, strings.Repeat("n", 101), "short")
		wantFields(t, err, "name", "password")
		if _, err := svc.Invitation(ctx, secret); err != nil {
			t.Errorf("invitation used up by a failed accept: %v", err)
		}
	})
	t.Run("accepting creates the account and consumes the invitation", func(t *testing.T) {
		u, err := svc.AcceptInvitation(ctx, secret, "Rosa Parks", "a long enough password")
		must(t, err)
		if u.ID == 0 || u.Email != "rosa@example.org" || u.Role != directory.RoleEditor || u.EnterpriseHandle != "flora" {
			t.Fatalf("user = %+v", u)
		}
		if _, err := svc.Login(ctx, "rosa@example.org", "a long enough password"); err != nil {
			t.Error(err)
		}
		_, err = svc.AcceptInvitation(ctx, secret, "Rosa", "a long enough password")
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("an empty name takes the suggested one", func(t *testing.T) {
		s, err := svc.Invite(admin, &directory.Invitation{Email: "sam@example.org", Name: "Sam", Role: directory.RoleAdmin})
		must(t, err)
		u, err := svc.AcceptInvitation(ctx, s, " ", "a long enough password")
		must(t, err)
		if u.Name != "Sam" {
			t.Errorf("name = %q", u.Name)
		}
	})
	t.Run("an expired invitation cannot be seen, listed or used", func(t *testing.T) {
		s, err := svc.Invite(admin, &directory.Invitation{Email: "late@example.org", Role: directory.RoleAdmin, Name: "Late"})
		must(t, err)
		clock = clock.Add(directory.InvitationTTL)
		defer func() { clock = now }()
		_, err = svc.Invitation(ctx, s)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = svc.AcceptInvitation(ctx, s, "Late", "a long enough password")
		wantCode(t, err, directory.ENOTFOUND)
		list, err := svc.Invitations(admin)
		must(t, err)
		if len(list) != 0 {
			t.Errorf("pending = %+v", list)
		}
	})
	t.Run("a cancelled invitation cannot be used", func(t *testing.T) {
		inv := &directory.Invitation{Email: "gone@example.org", Role: directory.RoleAdmin, Name: "Gone"}
		s, err := svc.Invite(admin, inv)
		must(t, err)
		must(t, svc.CancelInvitation(admin, inv.ID))
		wantCode(t, svc.CancelInvitation(admin, inv.ID), directory.ENOTFOUND)
		_, err = svc.AcceptInvitation(ctx, s, "Gone", "a long enough password")
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("unknown and malformed secrets are not found", func(t *testing.T) {
		for _, s := range []string{"", "x", directory.InvitationPrefix + "nope"} {
			_, err := svc.Invitation(ctx, s)
			wantCode(t, err, directory.ENOTFOUND)
		}
	})
}

func TestUserAdministration(t *testing.T) {
	svc := newService(t)
	ctx := context.Background()
	mustCreate(t, svc, "flora")
	admin := asUser(t, svc, "admin@example.org", directory.RoleAdmin, "")
	editor := asUser(t, svc, "b-editor@example.org", directory.RoleEditor, "flora")

	t.Run("lists users by email", func(t *testing.T) {
		users, err := svc.Users(admin)
		must(t, err)
		if len(users) != 2 || users[0].Email != "admin@example.org" || users[1].EnterpriseHandle != "flora" {
			t.Errorf("users = %+v", users)
		}
		_, err = svc.Users(editor)
		wantCode(t, err, directory.EFORBIDDEN)
	})
	t.Run("an admin cannot delete themselves", func(t *testing.T) {
		err := svc.DeleteUser(admin, directory.UserFromContext(admin).ID)
		wantFields(t, err, "id")
	})
	t.Run("deleting a user ends their sessions and tokens", func(t *testing.T) {
		u := directory.UserFromContext(editor)
		secret, _, err := svc.StartSession(ctx, u.Email, "long enough password", directory.SessionClient{})
		must(t, err)
		token, err := svc.CreateToken(sys, u.Email, "script")
		must(t, err)
		wantCode(t, svc.DeleteUser(editor, u.ID), directory.EFORBIDDEN)
		must(t, svc.DeleteUser(admin, u.ID))
		_, err = svc.SessionUser(ctx, secret)
		wantCode(t, err, directory.EUNAUTHORIZED)
		_, err = svc.Authenticate(ctx, token)
		wantCode(t, err, directory.EUNAUTHORIZED)
		wantCode(t, svc.DeleteUser(admin, u.ID), directory.ENOTFOUND)
	})
}
