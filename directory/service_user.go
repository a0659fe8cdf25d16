package directory

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// TokenPrefix starts every API token, so that a leaked one is recognisable.
const TokenPrefix = "coopdir_"

// AddUser creates an account (admins and the instance only). enterprise is
// the handle an editor manages. The password is stored as a hash.
// EINVALID, ECONFLICT, ENOTFOUND (enterprise).
func (s *Service) AddUser(ctx context.Context, u *User, enterprise, password string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	var fe fieldErrors
	if enterprise != "" {
		e, err := s.store.FindEnterprise(ctx, "", enterprise)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			fe.add("enterprise", "exists", "no enterprise with handle %q", enterprise)
		case err != nil:
			return err
		default:
			u.EnterpriseID, u.EnterpriseHandle = &e.ID, e.Handle
		}
	}
	checkPassword(&fe, password)
	if err := u.Validate(); err != nil {
		fe = append(fe, ErrorFields(err)...)
	}
	if err := fe.err("user"); err != nil {
		return err
	}
	hash, err := s.Passwords.Hash(password)
	if err != nil {
		return Internal(err, "hash password")
	}
	u.PasswordHash, u.CreatedAt = hash, s.now()
	err = s.store.CreateUser(ctx, u)
	if ErrorCode(err) == ECONFLICT {
		return &Error{Code: ECONFLICT, Message: "email is taken",
			Fields: []FieldError{{Field: "email", Rule: "unique", Message: fmt.Sprintf("%s already has an account", u.Email)}}}
	}
	return err
}

// CreateToken makes an API token for the user with this email and returns
// its secret, which is shown once: only its hash is stored.
// ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreateToken(ctx context.Context, email, name string) (string, error) {
	if err := requireAdmin(ctx); err != nil {
		return "", err
	}
	u, err := s.store.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return "", err
	}
	raw := make([]byte, 32)
	if _, err := io.ReadFull(s.Random, raw); err != nil {
		return "", Internal(err, "token randomness")
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	sum := sha256.Sum256([]byte(secret))
	t := &Token{UserID: u.ID, Name: cleanLine(name), Hash: sum[:], CreatedAt: s.now()}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", err
	}
	return secret, nil
}

// Authenticate returns the user owning an API token secret. EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return nil, Errorf(EUNAUTHORIZED, "invalid token")
	}
	sum := sha256.Sum256([]byte(secret))
	u, err := s.store.UserByTokenHash(ctx, sum[:], s.now())
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "invalid token")
	}
	return u, err
}

// Login checks an email and password. EUNAUTHORIZED, with the same message
// whether the email or the password was wrong.
func (s *Service) Login(ctx context.Context, email, password string) (*User, error) {
	u, err := s.store.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(email)))
	if ErrorCode(err) == ENOTFOUND {
		// Hash anyway so that timing does not tell which accounts exist.
		_, _ = s.Passwords.Hash(password)
		return nil, Errorf(EUNAUTHORIZED, "wrong email or password")
	}
	if err != nil {
		return nil, err
	}
	ok, err := s.Passwords.Verify(u.PasswordHash, password)
	if err != nil {
		return nil, Internal(err, "verify password")
	}
	if !ok {
		return nil, Errorf(EUNAUTHORIZED, "wrong email or password")
	}
	return u, nil
}

// Users returns every account, ordered by email (admins only).
// EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) Users(ctx context.Context) ([]*User, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return s.store.ListUsers(ctx)
}

// DeleteUser removes an account with its sessions and API tokens (admins
// only; not your own). ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DeleteUser(ctx context.Context, id int64) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	if u := UserFromContext(ctx); u != nil && u.ID == id {
		return &Error{Code: EINVALID, Message: "you cannot delete your own account",
			Fields: []FieldError{{Field: "id", Rule: "self", Message: "is your own account"}}}
	}
	return s.store.DeleteUser(ctx, id)
}

// checkPassword adds a field error when password breaks the length rule.
func checkPassword(fe *fieldErrors, password string) {
	if n := utf8.RuneCountInString(password); n < MinPasswordLength || n > 200 {
		fe.add("password", "length", "must be between %d and 200 characters", MinPasswordLength)
	}
}
