package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// CreatePasswordReset inserts pr, replacing any link of its user, and sets
// pr.ID. ENOTFOUND when the user is gone.
func (db *DB) CreatePasswordReset(ctx context.Context, pr *directory.PasswordReset, hash []byte) error {
	var id int64
	err := db.write(ctx, "password reset", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM password_resets WHERE user_id = $1`, pr.UserID); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO password_resets (user_id, hash, created_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			pr.UserID, hash, nullID(pr.CreatedBy), ts(pr.CreatedAt), ts(pr.ExpiresAt)).Scan(&id)
	})
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return directory.Errorf(directory.ENOTFOUND, "no such user")
	}
	if err != nil {
		return err
	}
	pr.ID = id
	pr.CreatedAt, pr.ExpiresAt = ts(pr.CreatedAt), ts(pr.ExpiresAt)
	return nil
}

// FindPasswordReset returns the link with this hash, with its user's email,
// if it expires after now. ENOTFOUND.
func (db *DB) FindPasswordReset(ctx context.Context, hash []byte, now time.Time) (*directory.PasswordReset, error) {
	pr := &directory.PasswordReset{}
	err := db.read(ctx, "password reset", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			SELECT r.id, r.user_id, u.email, COALESCE(r.created_by, 0), r.created_at, r.expires_at
			FROM password_resets r JOIN users u ON u.id = r.user_id
			WHERE r.hash = $1 AND r.expires_at > $2`, hash, ts(now),
		).Scan(&pr.ID, &pr.UserID, &pr.Email, &pr.CreatedBy, &pr.CreatedAt, &pr.ExpiresAt)
	})
	if err != nil {
		return nil, err
	}
	pr.CreatedAt, pr.ExpiresAt = pr.CreatedAt.UTC(), pr.ExpiresAt.UTC()
	return pr, nil
}

// UsePasswordReset consumes the link with this hash, sets its user's
// password hash and removes the user's sessions, in one transaction.
// ENOTFOUND when the link is unknown, used or expired.
func (db *DB) UsePasswordReset(ctx context.Context, hash []byte, passwordHash string, now time.Time) (int64, error) {
	var userID int64
	err := db.write(ctx, "password reset", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `DELETE FROM password_resets WHERE hash = $1 AND expires_at > $2 RETURNING user_id`,
			hash, ts(now)).Scan(&userID)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, passwordHash, userID); err != nil {
			return err
		}
		_, err = deleteUserSessions(ctx, tx, userID, nil)
		return err
	})
	return userID, err
}
