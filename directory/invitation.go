package directory

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Invitation lets a person create their own account: an admin invites an
// email address with a role, and the person chooses a password through the
// secret link they were sent. Only a hash of the secret is stored.
type Invitation struct {
	ID               int64     `json:"id"`
	Email            string    `json:"email"`
	Name             string    `json:"name,omitempty"` // suggested; the person may change it
	Role             Role      `json:"role"`
	EnterpriseID     *int64    `json:"-"`
	EnterpriseHandle string    `json:"enterprise,omitempty"` // the enterprise an editor manages
	CreatedAt        time.Time `json:"created_at"`
	ExpiresAt        time.Time `json:"expires_at"`
	InvitedBy        int64     `json:"invited_by,omitempty"` // user id; 0 for the instance itself
}

// InvitationTTL is how long an invitation can be accepted.
const InvitationTTL = 7 * 24 * time.Hour

// InvitationPrefix starts every invitation secret.
const InvitationPrefix = "coopdir_i_"

// Invite records an invitation (admins only) and returns its secret, which
// is shown once. A new invitation for an email replaces the previous one.
// EINVALID, ECONFLICT (a user has the email), EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) Invite(ctx context.Context, inv *Invitation) (string, error) {
	if err := requireAdmin(ctx); err != nil {
		return "", err
	}
	if err := s.validateInvitation(ctx, inv); err != nil {
		return "", err
	}
	if _, err := s.store.FindUserByEmail(ctx, inv.Email); err == nil {
		return "", emailTaken(inv.Email)
	} else if ErrorCode(err) != ENOTFOUND {
		return "", err
	}
	secret, hash, err := s.newSecret(InvitationPrefix)
	if err != nil {
		return "", err
	}
	now := s.now()
	inv.ID, inv.CreatedAt, inv.ExpiresAt, inv.InvitedBy = 0, now, now.Add(InvitationTTL), 0
	if u := UserFromContext(ctx); u != nil {
		inv.InvitedBy = u.ID
	}
	err = s.store.CreateInvitation(ctx, inv, hash)
	if ErrorCode(err) == ECONFLICT {
		return "", emailTaken(inv.Email)
	}
	if err != nil {
		return "", err
	}
	return secret, nil
}

// validateInvitation normalises inv, looks up its enterprise and checks it.
func (s *Service) validateInvitation(ctx context.Context, inv *Invitation) error {
	var fe fieldErrors
	inv.EnterpriseID = nil
	inv.EnterpriseHandle = strings.TrimSpace(inv.EnterpriseHandle)
	if inv.EnterpriseHandle != "" {
		e, err := s.store.FindEnterprise(ctx, "", inv.EnterpriseHandle)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			fe.add("enterprise", "exists", "no enterprise with handle %q", inv.EnterpriseHandle)
		case err != nil:
			return err
		default:
			inv.EnterpriseID, inv.EnterpriseHandle = &e.ID, e.Handle
		}
	}
	inv.Email = validateAccount(&fe, inv.Email, inv.Role, inv.EnterpriseID)
	if fe.has("enterprise") && inv.EnterpriseHandle != "" {
		// Only report the unknown handle once.
		fe = dropRule(fe, "enterprise", "required")
	}
	inv.Name = cleanLine(inv.Name)
	maxText(&fe, "name", inv.Name, 100)
	return fe.err("invitation")
}

func emailTaken(email string) error {
	return &Error{Code: ECONFLICT, Message: "email is taken",
		Fields: []FieldError{{Field: "email", Rule: "unique", Message: fmt.Sprintf("%s already has an account", email)}}}
}

// Invitations returns the pending invitations, newest first (admins only).
// EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) Invitations(ctx context.Context) ([]*Invitation, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListInvitations(ctx, s.now())
}

// CancelInvitation withdraws an invitation (admins only).
// ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CancelInvitation(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.DeleteInvitation(ctx, id)
}

// Invitation returns the pending invitation with this secret, for the page
// where the person accepts it. ENOTFOUND when unknown, used or expired.
func (s *Service) Invitation(ctx context.Context, secret string) (*Invitation, error) {
	if !strings.HasPrefix(secret, InvitationPrefix) || len(secret) > 200 {
		return nil, Errorf(ENOTFOUND, "this invitation is unknown, used or expired")
	}
	inv, err := s.store.FindInvitation(ctx, hashSecret(secret), s.now())
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "this invitation is unknown, used or expired")
	}
	return inv, err
}

// AcceptInvitation creates the invited account with the name and password
// the person chose, and consumes the invitation, in one transaction. An
// empty name takes the one suggested by the invitation.
// ENOTFOUND (unknown, used or expired), EINVALID, ECONFLICT.
func (s *Service) AcceptInvitation(ctx context.Context, secret, name, password string) (*User, error) {
	inv, err := s.Invitation(ctx, secret)
	if err != nil {
		return nil, err
	}
	u := &User{Email: inv.Email, Name: name, Role: inv.Role,
		EnterpriseID: inv.EnterpriseID, EnterpriseHandle: inv.EnterpriseHandle}
	if strings.TrimSpace(u.Name) == "" {
		u.Name = inv.Name
	}
	var fe fieldErrors
	checkPassword(&fe, password)
	if err := u.Validate(); err != nil {
		fe = append(fe, ErrorFields(err)...)
	}
	if err := fe.err("account"); err != nil {
		return nil, err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return nil, Internal(err, "hash password")
	}
	now := s.now()
	u.PasswordHash, u.CreatedAt = hash, now
	err = s.store.AcceptInvitation(ctx, hashSecret(secret), u, now)
	if ErrorCode(err) == ECONFLICT {
		return nil, emailTaken(u.Email)
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}
