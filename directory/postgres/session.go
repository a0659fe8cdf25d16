package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// sessionColumns is what sessionDest reads, from sessions s.
const sessionColumns = `s.id, s.user_id, s.hash, s.created_at, s.last_seen_at, s.expires_at, s.client_ip, s.user_agent`

// sessionDest returns the scan targets of sessionColumns.
func sessionDest(s *directory.Session) []any {
	return []any{&s.ID, &s.UserID, &s.Hash, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.ClientIP, &s.UserAgent}
}

func utcSession(s *directory.Session) {
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC()
}

// CreateSession inserts s and sets s.ID. ENOTFOUND when the user does not
// exist, ECONFLICT when the hash is already stored.
func (db *DB) CreateSession(ctx context.Context, s *directory.Session) error {
	var id int64
	err := db.write(ctx, "session", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO sessions (user_id, hash, created_at, last_seen_at, expires_at, client_ip, user_agent)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			s.UserID, s.Hash, ts(s.CreatedAt), ts(s.LastSeenAt), ts(s.ExpiresAt), s.ClientIP, s.UserAgent).Scan(&id)
	})
	if err != nil {
		return err
	}
	s.ID = id
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = ts(s.CreatedAt), ts(s.LastSeenAt), ts(s.ExpiresAt)
	return nil
}

// FindSession returns the session with this hash and its user. ENOTFOUND.
func (db *DB) FindSession(ctx context.Context, hash []byte) (*directory.Session, *directory.User, error) {
	s := &directory.Session{}
	var u *directory.User
	err := db.read(ctx, "session", func(tx pgx.Tx) (err error) {
		u, err = scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+`, `+sessionColumns+`
			FROM sessions s JOIN users u ON u.id = s.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id
			WHERE s.hash = $1`, hash), sessionDest(s)...)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	utcSession(s)
	return s, u, nil
}

// ExtendSession marks session id used at seenAt and sets its expiry.
// ENOTFOUND.
func (db *DB) ExtendSession(ctx context.Context, id int64, seenAt, expiresAt time.Time) error {
	return db.write(ctx, "session", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE id = $1 RETURNING id`,
			id, ts(seenAt), ts(expiresAt)).Scan(new(int64))
	})
}

// DeleteSession removes the session with this hash, if there is one.
func (db *DB) DeleteSession(ctx context.Context, hash []byte) error {
	return db.write(ctx, "session", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash)
		return err
	})
}

// ListSessions returns the sessions of user userID that expire after now,
// the most recently used first.
func (db *DB) ListSessions(ctx context.Context, userID int64, now time.Time) ([]*directory.Session, error) {
	list := []*directory.Session{}
	err := db.read(ctx, "sessions", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+sessionColumns+` FROM sessions s
			WHERE s.user_id = $1 AND s.expires_at > $2 ORDER BY s.last_seen_at DESC, s.id DESC`, userID, ts(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			s := &directory.Session{}
			if err := rows.Scan(sessionDest(s)...); err != nil {
				return err
			}
			utcSession(s)
			list = append(list, s)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// DeleteUserSession removes session id of user userID. ENOTFOUND.
func (db *DB) DeleteUserSession(ctx context.Context, userID, id int64) error {
	return db.write(ctx, "session", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM sessions WHERE id = $1 AND user_id = $2 RETURNING id`, id, userID).Scan(new(int64))
	})
}

// DeleteUserSessions removes every session of user userID but the one with
// hash keep, and returns how many it removed.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keep []byte) (int, error) {
	var n int
	err := db.write(ctx, "sessions", func(tx pgx.Tx) (err error) {
		n, err = deleteUserSessions(ctx, tx, userID, keep)
		return err
	})
	return n, err
}

func deleteUserSessions(ctx context.Context, tx pgx.Tx, userID int64, keep []byte) (int, error) {
	if keep == nil {
		keep = []byte{}
	}
	tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE user_id = $1 AND hash <> $2`, userID, keep)
	return int(tag.RowsAffected()), err
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
