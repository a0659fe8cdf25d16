package directory

import (
	"context"
	"strings"
	"time"
)

// PasswordReset lets a person choose a new password through a secret link,
// which an admin makes for them and passes on, as with invitations, or
// which they ask for on the sign-in page and get by mail. It
// works once, until ExpiresAt. Only a hash of the secret is stored.
type PasswordReset struct {
	ID        int64
	UserID    int64
	Email     string // of the user, for the page where the link is used
	CreatedBy int64  // user id; 0 for the instance itself or a deleted admin
	CreatedAt time.Time
	ExpiresAt time.Time
}

// PasswordResetTTL is how long a password-reset link works.
const PasswordResetTTL = 24 * time.Hour

// PasswordResetPrefix starts every password-reset secret.
const PasswordResetPrefix = "coopdir_r_"

// CreatePasswordReset makes a password-reset link for user userID (admins
// only) and returns its secret, which is shown once. A new link for a user
// replaces the previous one. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreatePasswordReset(ctx context.Context, userID int64) (string, error) {
	if err := requireAdmin(ctx); err != nil {
		return "", err
	}
	secret, hash, err := s.newSecret(PasswordResetPrefix)
	if err != nil {
		return "", err
	}
	now := s.now()
	pr := &PasswordReset{UserID: userID, CreatedAt: now, ExpiresAt: now.Add(PasswordResetTTL)}
	if u := UserFromContext(ctx); u != nil {
		pr.CreatedBy = u.ID
	}
	if err := s.store.CreatePasswordReset(ctx, pr, hash); err != nil {
		return "", err
	}
	return secret, nil
}

// RequestPasswordReset makes a password-reset link for the account with
// this email, asked for by the person on the sign-in page, and returns its
// secret and the account's address, to which the secret is mailed (it is
// never shown). It replaces the account's previous link. ENOTFOUND when no
// account has the address.
func (s *Service) RequestPasswordReset(ctx context.Context, email string) (secret, address string, err error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" || len(email) > 254 {
		return "", "", Errorf(ENOTFOUND, "no such user")
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil {
		return "", "", err
	}
	secret, hash, err := s.newSecret(PasswordResetPrefix)
	if err != nil {
		return "", "", err
	}
	now := s.now()
	pr := &PasswordReset{UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(PasswordResetMailTTL)}
	if err := s.store.CreatePasswordReset(ctx, pr, hash); err != nil {
		return "", "", err
	}
	return secret, u.Email, nil
}

// PasswordResetMailTTL is how long a password-reset link sent by mail
// works: shorter than an admin's, since a mailbox may be read by others
// later.
const PasswordResetMailTTL = 2 * time.Hour

// PasswordReset returns the pending password-reset link with this secret,
// for the page where the person uses it. ENOTFOUND when unknown, used or
// expired.
func (s *Service) PasswordReset(ctx context.Context, secret string) (*PasswordReset, error) {
	if !strings.HasPrefix(secret, PasswordResetPrefix) || len(secret) > 200 {
		return nil, resetGone()
	}
	pr, err := s.store.FindPasswordReset(ctx, hashSecret(secret), s.now())
	if ErrorCode(err) == ENOTFOUND {
		return nil, resetGone()
	}
	return pr, err
}

// ResetPassword sets the password of the link's user, under the same rules
// as a new account's, consumes the link and ends every session of that
// user, in one transaction. It returns the user's email, with which the
// person can sign in. ENOTFOUND (unknown, used or expired), EINVALID.
func (s *Service) ResetPassword(ctx context.Context, secret, password string) (string, error) {
	pr, err := s.PasswordReset(ctx, secret)
	if err != nil {
		return "", err
	}
	var fe fieldErrors
	checkPassword(&fe, password)
	if err := fe.err("password"); err != nil {
		return "", err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return "", Internal(err, "hash password")
	}
	_, err = s.store.UsePasswordReset(ctx, hashSecret(secret), hash, s.now())
	if ErrorCode(err) == ENOTFOUND {
		// Used meanwhile, in another tab.
		return "", resetGone()
	}
	if err != nil {
		return "", err
	}
	return pr.Email, nil
}

func resetGone() error {
	return Errorf(ENOTFOUND, "this password-reset link is unknown, used or expired")
}
