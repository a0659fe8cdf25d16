package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// CreateSession inserts s and sets s.ID. ENOTFOUND when the user does not
// exist, ECONFLICT when the hash is already stored.
func (db *DB) CreateSession(ctx context.Context, s *directory.Session) error {
	var id int64
	err := db.write(ctx, "session", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO sessions (user_id, hash, created_at, expires_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			s.UserID, s.Hash, ts(s.CreatedAt), ts(s.ExpiresAt)).Scan(&id)
	})
	if err != nil {
		return err
	}
	s.ID = id
	s.CreatedAt, s.ExpiresAt = ts(s.CreatedAt), ts(s.ExpiresAt)
	return nil
}

// FindSession returns the session with this hash and its user. ENOTFOUND.
func (db *DB) FindSession(ctx context.Context, hash []byte) (*directory.Session, *directory.User, error) {
	s := &directory.Session{}
	var u *directory.User
	err := db.read(ctx, "session", func(tx pgx.Tx) (err error) {
		u, err = scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+`, s.id, s.hash, s.created_at, s.expires_at
			FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id
			WHERE s.hash = $1`, hash), &s.ID, &s.Hash, &s.CreatedAt, &s.ExpiresAt)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	s.UserID, s.CreatedAt, s.ExpiresAt = u.ID, s.CreatedAt.UTC(), s.ExpiresAt.UTC()
	return s, u, nil
}

// ExtendSession sets the expiry of session id. ENOTFOUND.
func (db *DB) ExtendSession(ctx context.Context, id int64, expiresAt time.Time) error {
	return db.write(ctx, "session", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `UPDATE sessions SET expires_at = $2 WHERE id = $1 RETURNING id`,
			id, ts(expiresAt)).Scan(new(int64))
	})
}

// DeleteSession removes the session with this hash, if there is one.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.write(ctx, "session", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
		return err
	})
}

// DeleteExpiredSessions removes the sessions that expired at or before now.
func (db *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "sessions", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, ts(now))
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}
