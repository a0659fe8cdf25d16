package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// CreatePasswordReset inserts pr, replacing any link of its user, and sets
// pr.ID. ENOTFOUND when the user is gone.
func (db *DB) CreatePasswordReset(ctx context.Context, pr *directory.PasswordReset, hash []byte) error {
	var id int64
	err := db.inWrite(ctx, "create password reset", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM password_resets WHERE user_id = ?`, pr.UserID); err != nil {
			return directory.Internal(err, "replace password reset")
		}
		err := tx.QueryRowContext(ctx, `
			INSERT INTO password_resets (user_id, hash, created_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			pr.UserID, hash, nullID(pr.CreatedBy), micros(pr.CreatedAt), micros(pr.ExpiresAt)).Scan(&id)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "no such user")
		case isUnique(err):
			return directory.Errorf(directory.ECONFLICT, "the password reset already exists")
		case err != nil:
			return directory.Internal(err, "insert password reset")
		}
		return nil
	})
	if err == nil {
		pr.ID = id
	}
	return err
}

// FindPasswordReset returns the link with this hash, with its user's email,
// if it expires after now. ENOTFOUND.
func (db *DB) FindPasswordReset(ctx context.Context, hash []byte, now time.Time) (*directory.PasswordReset, error) {
	var (
		pr               directory.PasswordReset
		created, expires int64
	)
	err := db.read.QueryRowContext(ctx, `
		SELECT r.id, r.user_id, u.email, coalesce(r.created_by, 0), r.created_at, r.expires_at
		FROM password_resets r JOIN users u ON u.id = r.user_id
		WHERE r.hash = ? AND r.expires_at > ?`, hash, micros(now),
	).Scan(&pr.ID, &pr.UserID, &pr.Email, &pr.CreatedBy, &created, &expires)
	if err != nil {
		return nil, notFound(err, "password reset not found", "find password reset")
	}
	pr.CreatedAt, pr.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &pr, nil
}

// UsePasswordReset consumes the link with this hash, sets its user's
// password hash and removes the user's sessions, in one transaction.
// ENOTFOUND when the link is unknown, used or expired.
func (db *DB) UsePasswordReset(ctx context.Context, hash []byte, passwordHash string, now time.Time) (int64, error) {
	var userID int64
	err := db.inWrite(ctx, "use password reset", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			`DELETE FROM password_resets WHERE hash = ? AND expires_at > ? RETURNING user_id`, hash, micros(now)).Scan(&userID)
		if err != nil {
			return notFound(err, "password reset not found", "use password reset")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, userID); err != nil {
			return directory.Internal(err, "set password")
		}
		_, err = deleteUserSessions(ctx, tx, userID, nil)
		return err
	})
	return userID, err
}
