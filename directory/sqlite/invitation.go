package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/coopdir/coopdir/directory"
)

const invitationColumns = `i.id, i.email, i.name, i.role, i.enterprise_id, coalesce(e.handle, ''),
	coalesce(i.invited_by, 0), i.created_at, i.expires_at`

const invitationFrom = `invitations i LEFT JOIN enterprises e ON e.id = i.enterprise_id`

func scanInvitation(row scanner) (*directory.Invitation, error) {
	var (
		inv              directory.Invitation
		enterprise       sql.NullInt64
		created, expires int64
	)
	err := row.Scan(&inv.ID, &inv.Email, &inv.Name, &inv.Role, &enterprise, &inv.EnterpriseHandle,
		&inv.InvitedBy, &created, &expires)
	if err != nil {
		return nil, err
	}
	if enterprise.Valid {
		id := enterprise.Int64
		inv.EnterpriseID = &id
	}
	inv.CreatedAt, inv.ExpiresAt = fromMicros(created), fromMicros(expires)
	return &inv, nil
}

// CreateInvitation inserts inv, replacing any invitation for its email, and
// sets inv.ID. ECONFLICT when a user has the email, ENOTFOUND when the
// enterprise is gone.
func (db *DB) CreateInvitation(ctx context.Context, inv *directory.Invitation, hash []byte) error {
	var enterprise sql.NullInt64
	if inv.EnterpriseID != nil {
		enterprise = sql.NullInt64{Int64: *inv.EnterpriseID, Valid: true}
	}
	var id int64
	err := db.inWrite(ctx, "create invitation", func(tx *sql.Tx) error {
		var taken bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)`, inv.Email).Scan(&taken)
		if err != nil {
			return directory.Internal(err, "check invitation email")
		}
		if taken {
			return directory.Errorf(directory.ECONFLICT, "the email %s already has an account", inv.Email)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM invitations WHERE email = ?`, inv.Email); err != nil {
			return directory.Internal(err, "replace invitation")
		}
		err = tx.QueryRowContext(ctx, `
			INSERT INTO invitations (email, name, role, enterprise_id, hash, invited_by, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			inv.Email, inv.Name, string(inv.Role), enterprise, hash, nullID(inv.InvitedBy),
			micros(inv.CreatedAt), micros(inv.ExpiresAt)).Scan(&id)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "the invitation's enterprise or inviter does not exist")
		case isUnique(err):
			return directory.Errorf(directory.ECONFLICT, "the invitation already exists")
		case err != nil:
			return directory.Internal(err, "insert invitation")
		}
		return nil
	})
	if err == nil {
		inv.ID = id
	}
	return err
}

// ListInvitations returns the invitations that expire after now, newest
// first.
func (db *DB) ListInvitations(ctx context.Context, now time.Time) ([]*directory.Invitation, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+invitationColumns+` FROM `+invitationFrom+`
		WHERE i.expires_at > ? ORDER BY i.created_at DESC, i.id DESC`, micros(now))
	if err != nil {
		return nil, directory.Internal(err, "list invitations")
	}
	defer rows.Close()
	list := []*directory.Invitation{}
	for rows.Next() {
		inv, err := scanInvitation(rows)
		if err != nil {
			return nil, directory.Internal(err, "scan invitation")
		}
		list = append(list, inv)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "list invitations")
	}
	return list, nil
}

// FindInvitation returns the invitation with this hash if it expires after
// now. ENOTFOUND.
func (db *DB) FindInvitation(ctx context.Context, hash []byte, now time.Time) (*directory.Invitation, error) {
	inv, err := scanInvitation(db.read.QueryRowContext(ctx, `SELECT `+invitationColumns+` FROM `+invitationFrom+`
		WHERE i.hash = ? AND i.expires_at > ?`, hash, micros(now)))
	if err != nil {
		return nil, notFound(err, "invitation not found", "find invitation")
	}
	return inv, nil
}

// DeleteInvitation removes invitation id. ENOTFOUND.
func (db *DB) DeleteInvitation(ctx context.Context, id int64) error {
	return db.inWrite(ctx, "delete invitation", func(tx *sql.Tx) error {
		var deleted int64
		err := tx.QueryRowContext(ctx, `DELETE FROM invitations WHERE id = ? RETURNING id`, id).Scan(&deleted)
		if err != nil {
			return notFound(err, "invitation not found", "delete invitation")
		}
		return nil
	})
}

// AcceptInvitation deletes the invitation with this hash, which must expire
// after now, and creates u, in one transaction. ENOTFOUND, ECONFLICT.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, u *directory.User, now time.Time) error {
	err := db.inWrite(ctx, "accept invitation", func(tx *sql.Tx) error {
		var used int64
		err := tx.QueryRowContext(ctx,
			`DELETE FROM invitations WHERE hash = ? AND expires_at > ? RETURNING id`, hash, micros(now)).Scan(&used)
		if err != nil {
			return notFound(err, "invitation not found", "use invitation")
		}
		return insertUser(ctx, tx, u)
	})
	if err != nil {
		u.ID = 0
	}
	return err
}
