package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// invitationColumns is what scanInvitation reads, from invitations i
// left-joined to their enterprise e.
const invitationColumns = `i.id, i.email, i.name, i.role, i.enterprise_id, COALESCE(e.handle, ''),
	COALESCE(i.invited_by, 0), i.created_at, i.expires_at`

const invitationFrom = `invitations i LEFT JOIN enterprises e ON e.id = i.enterprise_id`

func scanInvitation(row pgx.Row) (*directory.Invitation, error) {
	inv := &directory.Invitation{}
	if err := row.Scan(&inv.ID, &inv.Email, &inv.Name, (*string)(&inv.Role), &inv.EnterpriseID,
		&inv.EnterpriseHandle, &inv.InvitedBy, &inv.CreatedAt, &inv.ExpiresAt); err != nil {
		return nil, err
	}
	inv.CreatedAt, inv.ExpiresAt = inv.CreatedAt.UTC(), inv.ExpiresAt.UTC()
	return inv, nil
}

// CreateInvitation inserts inv, replacing any invitation for its email, and
// sets inv.ID. ECONFLICT when a user has the email, ENOTFOUND when the
// enterprise is gone.
func (db *DB) CreateInvitation(ctx context.Context, inv *directory.Invitation, hash []byte) error {
	var id int64
	err := db.write(ctx, "invitation", func(tx pgx.Tx) error {
		var taken bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE email = $1)`, inv.Email).Scan(&taken)
		if err != nil {
			return err
		}
		if taken {
			return directory.Errorf(directory.ECONFLICT, "the email %s already has an account", inv.Email)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM invitations WHERE email = $1`, inv.Email); err != nil {
			return err
		}
		return tx.QueryRow(ctx, `
			INSERT INTO invitations (email, name, role, enterprise_id, hash, invited_by, created_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			inv.Email, inv.Name, string(inv.Role), inv.EnterpriseID, hash, nullID(inv.InvitedBy),
			ts(inv.CreatedAt), ts(inv.ExpiresAt)).Scan(&id)
	})
	if err != nil {
		return err
	}
	inv.ID = id
	inv.CreatedAt, inv.ExpiresAt = ts(inv.CreatedAt), ts(inv.ExpiresAt)
	return nil
}

// ListInvitations returns the invitations that expire after now, newest
// first.
func (db *DB) ListInvitations(ctx context.Context, now time.Time) ([]*directory.Invitation, error) {
	list := []*directory.Invitation{}
	err := db.read(ctx, "invitations", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+invitationColumns+` FROM `+invitationFrom+`
			WHERE i.expires_at > $1 ORDER BY i.created_at DESC, i.id DESC`, ts(now))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			inv, err := scanInvitation(rows)
			if err != nil {
				return err
			}
			list = append(list, inv)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return list, nil
}

// FindInvitation returns the invitation with this hash if it expires after
// now. ENOTFOUND.
func (db *DB) FindInvitation(ctx context.Context, hash []byte, now time.Time) (*directory.Invitation, error) {
	var inv *directory.Invitation
	err := db.read(ctx, "invitation", func(tx pgx.Tx) (err error) {
		inv, err = scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM `+invitationFrom+`
			WHERE i.hash = $1 AND i.expires_at > $2`, hash, ts(now)))
		return err
	})
	if err != nil {
		return nil, err
	}
	return inv, nil
}

// DeleteInvitation removes invitation id. ENOTFOUND.
func (db *DB) DeleteInvitation(ctx context.Context, id int64) error {
	return db.write(ctx, "invitation", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM invitations WHERE id = $1 RETURNING id`, id).Scan(new(int64))
	})
}

// AcceptInvitation deletes the invitation with this hash, which must expire
// after now, and creates u, in one transaction. ENOTFOUND, ECONFLICT.
func (db *DB) AcceptInvitation(ctx context.Context, hash []byte, u *directory.User, now time.Time) error {
	err := db.write(ctx, "invitation", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `DELETE FROM invitations WHERE hash = $1 AND expires_at > $2 RETURNING id`,
			hash, ts(now)).Scan(new(int64))
		if err != nil {
			return err
		}
		return insertUser(ctx, tx, u)
	})
	if err != nil {
		u.ID = 0 // nothing was stored
	}
	return err
}
