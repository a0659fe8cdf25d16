package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/coopdir/coopdir/directory"
)

const userColumns = `u.id, u.email, u.name, u.role, u.enterprise_id, coalesce(e.handle, ''),
	u.password_hash, u.created_at`

const userFrom = `users u LEFT JOIN enterprises e ON e.id = u.enterprise_id`

func scanUser(row scanner) (*directory.User, error) {
	var (
		u          directory.User
		enterprise sql.NullInt64
		created    int64
	)
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.Role, &enterprise, &u.EnterpriseHandle,
		&u.PasswordHash, &created)
	if err != nil {
		return nil, err
	}
	if enterprise.Valid {
		id := enterprise.Int64
		u.EnterpriseID = &id
	}
	u.CreatedAt = fromMicros(created)
	return &u, nil
}

// CreateUser inserts u and sets u.ID. ECONFLICT when the email is taken,
// ENOTFOUND when its enterprise does not exist.
func (db *DB) CreateUser(ctx context.Context, u *directory.User) error {
	err := db.inWrite(ctx, "create user", func(tx *sql.Tx) error { return insertUser(ctx, tx, u) })
	if err != nil {
		u.ID = 0
	}
	return err
}

// insertUser inserts u in tx and sets u.ID. ECONFLICT, ENOTFOUND.
func insertUser(ctx context.Context, tx *sql.Tx, u *directory.User) error {
	var enterprise sql.NullInt64
	if u.EnterpriseID != nil {
		enterprise = sql.NullInt64{Int64: *u.EnterpriseID, Valid: true}
	}
	var id int64
	err := tx.QueryRowContext(ctx, `
		INSERT INTO users (email, name, role, enterprise_id, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		u.Email, u.Name, string(u.Role), enterprise, u.PasswordHash, micros(u.CreatedAt),
	).Scan(&id)
	switch {
	case isUnique(err):
		return directory.Errorf(directory.ECONFLICT, "the email %s already has an account", u.Email)
	case isForeignKey(err):
		return directory.Errorf(directory.ENOTFOUND, "the user's enterprise does not exist")
	case err != nil:
		return directory.Internal(err, "insert user")
	}
	u.ID = id
	return nil
}

// FindUserByEmail returns the user with this email. ENOTFOUND.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*directory.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx,
		`SELECT `+userColumns+` FROM `+userFrom+` WHERE u.email = ?`, email))
	if err != nil {
		return nil, notFound(err, "user not found", "find user")
	}
	return u, nil
}

// CreateToken inserts t and sets t.ID. ENOTFOUND when the user does not
// exist, ECONFLICT when the hash is already stored.
func (db *DB) CreateToken(ctx context.Context, t *directory.Token) error {
	var id int64
	err := db.inWrite(ctx, "create token", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO api_tokens (user_id, name, hash, created_at, last_used_at)
			VALUES (?, ?, ?, ?, ?) RETURNING id`,
			t.UserID, t.Name, t.Hash, micros(t.CreatedAt), nullMicros(t.LastUsedAt),
		).Scan(&id)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "the token's user does not exist")
		case isUnique(err):
			return directory.Errorf(directory.ECONFLICT, "the token already exists")
		case err != nil:
			return directory.Internal(err, "insert token")
		}
		return nil
	})
	if err == nil {
		t.ID = id
	}
	return err
}

// UserByTokenHash returns the user owning the token with this hash and marks
// the token used at now. ENOTFOUND.
func (db *DB) UserByTokenHash(ctx context.Context, hash []byte, now time.Time) (*directory.User, error) {
	var u *directory.User
	err := db.inWrite(ctx, "find user by token", func(tx *sql.Tx) error {
		var userID int64
		err := tx.QueryRowContext(ctx,
			`UPDATE api_tokens SET last_used_at = ? WHERE hash = ? RETURNING user_id`,
			micros(now), hash).Scan(&userID)
		if err != nil {
			return notFound(err, "token not found", "use token")
		}
		u, err = scanUser(tx.QueryRowContext(ctx,
			`SELECT `+userColumns+` FROM `+userFrom+` WHERE u.id = ?`, userID))
		if err != nil {
			return directory.Internal(err, "find token user")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers returns every user, ordered by email.
func (db *DB) ListUsers(ctx context.Context) ([]*directory.User, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+userColumns+` FROM `+userFrom+` ORDER BY u.email`)
	if err != nil {
		return nil, directory.Internal(err, "list users")
	}
	defer rows.Close()
	users := []*directory.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, directory.Internal(err, "scan user")
		}
		users = append(users, u)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "list users")
	}
	return users, nil
}

// DeleteUser removes user id; their sessions and tokens go with them (ON
// DELETE CASCADE). ENOTFOUND.
func (db *DB) DeleteUser(ctx context.Context, id int64) error {
	return db.inWrite(ctx, "delete user", func(tx *sql.Tx) error {
		var deleted int64
		err := tx.QueryRowContext(ctx, `DELETE FROM users WHERE id = ? RETURNING id`, id).Scan(&deleted)
		if err != nil {
			return notFound(err, "user not found", "delete user")
		}
		return nil
	})
}
