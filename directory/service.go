package directory

import (
	"context"
	"crypto/rand"
	"io"
	"time"
)

// PasswordHasher hashes and checks passwords (argon2id in production).
type PasswordHasher interface {
	Hash(password string) (string, error)
	Verify(hash, password string) (bool, error)
}

// Service holds the use cases of the directory. It validates every input,
// checks who may do what (the user in the context, see WithUser and AsSystem)
// and stores through Store, which records the matching domain event in the
// same transaction.
type Service struct {
	store     Store
	Now       func() time.Time    // the clock; injected so tests are deterministic
	Markdown  func(string) string // renders Markdown to sanitized HTML
	Passwords PasswordHasher
	Random    io.Reader // source of token secrets
	Defaults  Settings  // the settings until an admin saves them (cmd fills them from flags)
	// Codes checks two-step sign-in codes, and Secret (the instance
	// secret) seals their secrets; without both, two-step sign-in cannot
	// be turned on.
	Codes  OneTimeCodes
	Secret []byte

	settings settingsCache
}

// NewService returns a Service over store with the real clock and randomness.
func NewService(store Store, markdown func(string) string, passwords PasswordHasher) *Service {
	return &Service{store: store, Now: time.Now, Markdown: markdown, Passwords: passwords, Random: rand.Reader}
}

// now returns the current time as stored: UTC, microsecond precision (what
// both engines keep).
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Microsecond) }

func (s *Service) render(md string) string {
	if md == "" {
		return ""
	}
	return s.Markdown(md)
}

// requireAdmin allows the instance itself and admins.
func requireAdmin(ctx context.Context) error {
	if isSystem(ctx) {
		return nil
	}
	u := UserFromContext(ctx)
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	if u.Role != RoleAdmin {
		return Errorf(EFORBIDDEN, "only an admin may do this")
	}
	return nil
}

// canEdit allows the instance, admins and the enterprise's own editors to
// change a local enterprise and what belongs to it.
func canEdit(ctx context.Context, e *Enterprise) error {
	if !e.IsLocal() {
		return Errorf(EFORBIDDEN, "entries from partner networks can only be changed where they come from")
	}
	if isSystem(ctx) {
		return nil
	}
	u := UserFromContext(ctx)
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	if u.Role == RoleAdmin || (u.EnterpriseID != nil && *u.EnterpriseID == e.ID) {
		return nil
	}
	return Errorf(EFORBIDDEN, "you may only change your own enterprise")
}
