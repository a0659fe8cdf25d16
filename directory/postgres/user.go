package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// userColumns is what scanUser reads, from users u left-joined to their
// enterprise e.
const userColumns = `u.id, u.email, u.name, u.role, u.enterprise_id, COALESCE(e.handle, ''),
	u.password_hash, u.created_at`

// scanUser reads userColumns, then extra.
func scanUser(row pgx.Row, extra ...any) (*directory.User, error) {
	u := &directory.User{}
	dest := []any{&u.ID, &u.Email, &u.Name, (*string)(&u.Role), &u.EnterpriseID, &u.EnterpriseHandle,
		&u.PasswordHash, &u.CreatedAt}
	if err := row.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	u.CreatedAt = u.CreatedAt.UTC()
	return u, nil
}

// CreateUser inserts u and sets u.ID. ECONFLICT when the email is taken,
// ENOTFOUND when its enterprise does not exist.
func (db *DB) CreateUser(ctx context.Context, u *directory.User) error {
	err := db.write(ctx, "user", func(tx pgx.Tx) error { return insertUser(ctx, tx, u) })
	if err != nil {
		u.ID = 0 // nothing was stored
	}
	return err
}

// insertUser inserts u in tx and sets u.ID, normalising u.CreatedAt as
// stored. The caller's write translates unique and foreign-key violations.
func insertUser(ctx context.Context, tx pgx.Tx, u *directory.User) error {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO users (email, name, role, enterprise_id, password_hash, created_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
		u.Email, u.Name, string(u.Role), u.EnterpriseID, u.PasswordHash, ts(u.CreatedAt)).Scan(&id)
	if err != nil {
		return err
	}
	u.ID = id
	u.CreatedAt = ts(u.CreatedAt)
	return nil
}

// FindUserByEmail returns the user with this email. ENOTFOUND.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*directory.User, error) {
	var u *directory.User
	err := db.read(ctx, "user", func(tx pgx.Tx) (err error) {
		u, err = scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+`
			FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id
			WHERE u.email = $1`, email))
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// CreateToken inserts t and sets t.ID. ENOTFOUND when the user is gone.
func (db *DB) CreateToken(ctx context.Context, t *directory.Token) error {
	var id int64
	err := db.write(ctx, "token", func(tx pgx.Tx) error {
		var lastUsed *time.Time
		if t.LastUsedAt != nil {
			at := ts(*t.LastUsedAt)
			lastUsed = &at
		}
		return tx.QueryRow(ctx, `
			INSERT INTO api_tokens (user_id, name, hash, created_at, last_used_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			t.UserID, t.Name, t.Hash, ts(t.CreatedAt), lastUsed).Scan(&id)
	})
	if err != nil {
		return err
	}
	t.ID = id
	t.CreatedAt = ts(t.CreatedAt)
	return nil
}

// UserByTokenHash returns the owner of the token with this hash and marks
// the token used at now. ENOTFOUND.
func (db *DB) UserByTokenHash(ctx context.Context, hash []byte, now time.Time) (*directory.User, error) {
	var u *directory.User
	err := db.write(ctx, "token", func(tx pgx.Tx) (err error) {
		u, err = scanUser(tx.QueryRow(ctx, `
			WITH t AS (UPDATE api_tokens SET last_used_at = $2 WHERE hash = $1 RETURNING user_id)
			SELECT `+userColumns+`
			FROM t JOIN users u ON u.id = t.user_id LEFT JOIN enterprises e ON e.id = u.enterprise_id`,
			hash, ts(now)))
		return err
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers returns every user, ordered by email.
func (db *DB) ListUsers(ctx context.Context) ([]*directory.User, error) {
	users := []*directory.User{}
	err := db.read(ctx, "users", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+userColumns+`
			FROM users u LEFT JOIN enterprises e ON e.id = u.enterprise_id
			ORDER BY u.email COLLATE "C"`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return users, nil
}

// DeleteUser removes user id; their sessions and tokens go with them (ON
// DELETE CASCADE). ENOTFOUND.
func (db *DB) DeleteUser(ctx context.Context, id int64) error {
	return db.write(ctx, "user", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM users WHERE id = $1 RETURNING id`, id).Scan(new(int64))
	})
}
