package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// CreateSession inserts s and sets s.ID. ENOTFOUND when the user does not
// exist, ECONFLICT when the hash is already stored.
func (db *DB) CreateSession(ctx context.Context, s *directory.Session) error {
	var id int64
	err := db.inWrite(ctx, "create session", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO sessions (user_id, hash, created_at, expires_at) VALUES (?, ?, ?, ?) RETURNING id`,
			s.UserID, s.Hash, micros(s.CreatedAt), micros(s.ExpiresAt)).Scan(&id)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "the session's user does not exist")
		case isUnique(err):
			return directory.Errorf(directory.ECONFLICT, "the session already exists")
		case err != nil:
			return directory.Internal(err, "insert session")
		}
		return nil
	})
	if err == nil {
		s.ID = id
	}
	return err
}

// FindSession returns the session with this hash and its user. ENOTFOUND.
func (db *DB) FindSession(ctx context.Context, hash []byte) (*directory.Session, *directory.User, error) {
	var (
		s                directory.Session
		created, expires int64
	)
	var u *directory.User
	err := db.inRead(ctx, "find session", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			`SELECT id, user_id, hash, created_at, expires_at FROM sessions WHERE hash = ?`, hash,
		).Scan(&s.ID, &s.UserID, &s.Hash, &created, &expires)
		if err != nil {
			return notFound(err, "session not found", "find session")
		}
		u, err = scanUser(tx.QueryRowContext(ctx,
			`SELECT `+userColumns+` FROM `+userFrom+` WHERE u.id = ?`, s.UserID))
		if err != nil {
			return notFound(err, "session not found", "find session user")
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	s.CreatedAt, s.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &s, u, nil
}

// ExtendSession sets the expiry of session id. ENOTFOUND.
func (db *DB) ExtendSession(ctx context.Context, id int64, expiresAt time.Time) error {
	return db.inWrite(ctx, "extend session", func(tx *sql.Tx) error {
		var got int64
		err := tx.QueryRowContext(ctx, `UPDATE sessions SET expires_at = ? WHERE id = ? RETURNING id`,
			micros(expiresAt), id).Scan(&got)
		if err != nil {
			return notFound(err, "session not found", "extend session")
		}
		return nil
	})
}

// DeleteSession removes the session with this hash, if there is one.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.inWrite(ctx, "delete session", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
			return directory.Internal(err, "delete session")
		}
		return nil
	})
}

// DeleteExpiredSessions removes the sessions that expired at or before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.inWrite(ctx, "delete expired sessions", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, micros(now))
		if err != nil {
			return directory.Internal(err, "delete expired sessions")
		}
		n, err = res.RowsAffected()
		if err != nil {
			return directory.Internal(err, "delete expired sessions")
		}
		return nil
	})
	return int(n), err
}
