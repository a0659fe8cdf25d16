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
			INSERT INTO sessions (user_id, hash, created_at, last_seen_at, expires_at, client_ip, user_agent)
			VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			s.UserID, s.Hash, micros(s.CreatedAt), micros(s.LastSeenAt), micros(s.ExpiresAt), s.ClientIP, s.UserAgent).Scan(&id)
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

const sessionColumns = `id, user_id, hash, created_at, last_seen_at, expires_at, client_ip, user_agent`

func scanSession(row scanner) (*directory.Session, error) {
	var (
		s                      directory.Session
		created, seen, expires int64
	)
	err := row.Scan(&s.ID, &s.UserID, &s.Hash, &created, &seen, &expires, &s.ClientIP, &s.UserAgent)
	if err != nil {
		return nil, err
	}
	s.CreatedAt, s.LastSeenAt, s.ExpiresAt = fromMicros(created), fromMicros(seen), fromMicros(expires)
	return &s, nil
}

// FindSession returns the session with this hash and its user. ENOTFOUND.
func (db *DB) FindSession(ctx context.Context, hash []byte) (*directory.Session, *directory.User, error) {
	var (
		s *directory.Session
		u *directory.User
	)
	err := db.inRead(ctx, "find session", func(tx *sql.Tx) error {
		var err error
		s, err = scanSession(tx.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE hash = ?`, hash))
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
	return s, u, nil
}

// ExtendSession marks session id used at seenAt and sets its expiry.
// ENOTFOUND.
func (db *DB) ExtendSession(ctx context.Context, id int64, seenAt, expiresAt time.Time) error {
	return db.inWrite(ctx, "extend session", func(tx *sql.Tx) error {
		var got int64
		err := tx.QueryRowContext(ctx, `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ? RETURNING id`,
			micros(seenAt), micros(expiresAt), id).Scan(&got)
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

// ListSessions returns the sessions of user userID that expire after now,
// the most recently used first.
func (db *DB) ListSessions(ctx context.Context, userID int64, now time.Time) ([]*directory.Session, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+sessionColumns+` FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY last_seen_at DESC, id DESC`, userID, micros(now))
	if err != nil {
		return nil, directory.Internal(err, "list sessions")
	}
	defer rows.Close()
	list := []*directory.Session{}
	for rows.Next() {
		s, err := scanSession(rows)
		if err != nil {
			return nil, directory.Internal(err, "scan session")
		}
		list = append(list, s)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "list sessions")
	}
	return list, nil
}

// DeleteUserSession removes session id of user userID. ENOTFOUND.
func (db *DB) DeleteUserSession(ctx context.Context, userID, id int64) error {
	return db.inWrite(ctx, "delete user session", func(tx *sql.Tx) error {
		var got int64
		err := tx.QueryRowContext(ctx, `DELETE FROM sessions WHERE id = ? AND user_id = ? RETURNING id`, id, userID).Scan(&got)
		if err != nil {
			return notFound(err, "session not found", "delete user session")
		}
		return nil
	})
}

// DeleteUserSessions removes every session of user userID but the one with
// hash keep, and returns how many it removed.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64, keep []byte) (int, error) {
	var n int
	err := db.inWrite(ctx, "delete user sessions", func(tx *sql.Tx) (err error) {
		n, err = deleteUserSessions(ctx, tx, userID, keep)
		return err
	})
	return n, err
}

func deleteUserSessions(ctx context.Context, tx *sql.Tx, userID int64, keep []byte) (int, error) {
	if keep == nil {
		keep = []byte{}
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND hash <> ?`, userID, keep)
	if err != nil {
		return 0, directory.Internal(err, "delete user sessions")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, directory.Internal(err, "delete user sessions")
	}
	return int(n), nil
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
