package directory

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"strings"
	"time"
)

// SessionTTL is how long a browser stays signed in without being used. It
// slides: each use extends the session to SessionTTL from then, writing the
// new expiry at most once per sessionWriteInterval.
const SessionTTL = 30 * 24 * time.Hour

// sessionWriteInterval bounds how often using a session writes to the
// database.
const sessionWriteInterval = time.Minute

// SessionPrefix starts every session secret, as TokenPrefix does tokens.
const SessionPrefix = "coopdir_s_"

// Session is a signed-in browser. Only the SHA-256 hash of its secret (the
// cookie's value) is stored. LastSeenAt is the last time it was used, to
// within sessionWriteInterval; ClientIP and UserAgent say where it was
// started from, so that its owner recognises it.
type Session struct {
	ID         int64
	UserID     int64
	Hash       []byte
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	ClientIP   string
	UserAgent  string
	// Current marks, in Sessions, the session of the browser asking.
	Current bool
}

// SessionClient describes the browser starting a session: its address (as
// the web layer determined it) and its User-Agent header. Both are only
// shown to the session's owner.
type SessionClient struct {
	IP, UserAgent string
}

// Bounds of what a session keeps of its client.
const (
	maxSessionIP        = 64
	maxSessionUserAgent = 300
)

// StartSession signs a user in with email and password and returns the
// session's secret, for a cookie, with the user. EUNAUTHORIZED with the
// same message whether the email or the password was wrong. A user with
// two-step sign-in gets a *SecondStepError instead, for FinishSignIn.
func (s *Service) StartSession(ctx context.Context, email, password string, client SessionClient) (string, *User, error) {
	u, err := s.Login(ctx, email, password)
	if err != nil {
		return "", nil, err
	}
	if err := s.needsSecondStep(ctx, u); err != nil {
		return "", nil, err
	}
	return s.startSession(ctx, u, client)
}

// startSession makes a session for u, whose sign-in is complete.
func (s *Service) startSession(ctx context.Context, u *User, client SessionClient) (string, *User, error) {
	secret, hash, err := s.newSecret(SessionPrefix)
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	sess := &Session{UserID: u.ID, Hash: hash, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(SessionTTL),
		ClientIP:  truncate(cleanLine(client.IP), maxSessionIP),
		UserAgent: truncate(cleanLine(client.UserAgent), maxSessionUserAgent)}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", nil, err
	}
	return secret, u, nil
}

// SessionUser returns the user signed in with this session secret and
// extends the session. An expired session is deleted. EUNAUTHORIZED when
// the secret is unknown or expired.
func (s *Service) SessionUser(ctx context.Context, secret string) (*User, error) {
	if !strings.HasPrefix(secret, SessionPrefix) || len(secret) > 200 {
		return nil, Errorf(EUNAUTHORIZED, "you are not signed in")
	}
	hash := hashSecret(secret)
	sess, u, err := s.store.FindSession(ctx, hash)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(EUNAUTHORIZED, "you are not signed in")
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	if !sess.ExpiresAt.After(now) {
		if err := s.store.DeleteSession(ctx, hash); err != nil {
			return nil, err
		}
		return nil, Errorf(EUNAUTHORIZED, "your session has expired: sign in again")
	}
	if next := now.Add(SessionTTL); next.Sub(sess.ExpiresAt) >= sessionWriteInterval {
		err := s.store.ExtendSession(ctx, sess.ID, now, next)
		// Signed out meanwhile, in another tab: the session is gone.
		if ErrorCode(err) == ENOTFOUND {
			return nil, Errorf(EUNAUTHORIZED, "you are not signed in")
		}
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// EndSession signs a browser out. Ending an unknown session is not an error.
func (s *Service) EndSession(ctx context.Context, secret string) error {
	if secret == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashSecret(secret))
}

// Sessions returns the live sessions of the signed-in user, the most
// recently used first; the one whose secret is current is marked Current.
// EUNAUTHORIZED.
func (s *Service) Sessions(ctx context.Context, current string) ([]*Session, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return nil, Errorf(EUNAUTHORIZED, "sign in first")
	}
	list, err := s.store.ListSessions(ctx, u.ID, s.now())
	if err != nil {
		return nil, err
	}
	hash := hashSecret(current)
	for _, sess := range list {
		sess.Current = string(sess.Hash) == string(hash)
	}
	return list, nil
}

// EndOwnSession signs out session id of the signed-in user, wherever it
// is. ENOTFOUND when the user has no such session, EUNAUTHORIZED.
func (s *Service) EndOwnSession(ctx context.Context, id int64) error {
	u := UserFromContext(ctx)
	if u == nil {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	return s.store.DeleteUserSession(ctx, u.ID, id)
}

// EndOtherSessions signs out every session of the signed-in user but the
// one with the current secret, and returns how many it ended.
// EUNAUTHORIZED.
func (s *Service) EndOtherSessions(ctx context.Context, current string) (int, error) {
	u := UserFromContext(ctx)
	if u == nil {
		return 0, Errorf(EUNAUTHORIZED, "sign in first")
	}
	return s.store.DeleteUserSessions(ctx, u.ID, hashSecret(current))
}

// newSecret returns a random secret starting with prefix and its hash.
func (s *Service) newSecret(prefix string) (string, []byte, error) {
	raw := make([]byte, 32)
	if _, err := io.ReadFull(s.Random, raw); err != nil {
		return "", nil, Internal(err, "secret randomness")
	}
	secret := prefix + base64.RawURLEncoding.EncodeToString(raw)
	return secret, hashSecret(secret), nil
}

func hashSecret(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
