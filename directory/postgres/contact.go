package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// CreateContactMessage inserts m and sets m.ID. ENOTFOUND when its
// enterprise is gone.
func (db *DB) CreateContactMessage(ctx context.Context, m *directory.ContactMessage) error {
	var id int64
	err := db.write(ctx, "contact message", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO contact_messages (enterprise_id, listing_id, name, reach, message, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			m.EnterpriseID, nullID(m.ListingID), m.Name, m.Reach, m.Message, ts(m.CreatedAt)).Scan(&id)
	})
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return directory.Errorf(directory.ENOTFOUND, "enterprise not found")
	}
	if err != nil {
		return err
	}
	m.ID, m.CreatedAt = id, ts(m.CreatedAt)
	return nil
}

func scanContactMessage(row pgx.Row) (*directory.ContactMessage, error) {
	m := &directory.ContactMessage{}
	if err := row.Scan(&m.ID, &m.EnterpriseID, &m.ListingID, &m.Name, &m.Reach, &m.Message, &m.CreatedAt); err != nil {
		return nil, err
	}
	m.CreatedAt = m.CreatedAt.UTC()
	return m, nil
}

// ListContactMessages returns the messages to enterpriseID, newest first,
// and their total.
func (db *DB) ListContactMessages(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.ContactMessage, int, error) {
	p = p.Normal()
	var (
		out   []*directory.ContactMessage
		total int
	)
	err := db.read(ctx, "contact messages", func(tx pgx.Tx) (err error) {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM contact_messages WHERE enterprise_id = $1`, enterpriseID).Scan(&total); err != nil {
			return err
		}
		out, err = queryAll(ctx, tx, scanContactMessage, `
			SELECT id, enterprise_id, COALESCE(listing_id, 0), name, reach, message, created_at
			FROM contact_messages WHERE enterprise_id = $1
			ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, enterpriseID, p.PerPage, p.Offset())
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []*directory.ContactMessage{}
	}
	return out, total, nil
}
