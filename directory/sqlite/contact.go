package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// CreateContactMessage inserts m and sets m.ID. ENOTFOUND when its
// enterprise is gone.
func (db *DB) CreateContactMessage(ctx context.Context, m *directory.ContactMessage) error {
	var id int64
	err := db.inWrite(ctx, "create contact message", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO contact_messages (enterprise_id, listing_id, name, reach, message, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			m.EnterpriseID, nullID(m.ListingID), m.Name, m.Reach, m.Message, micros(m.CreatedAt)).Scan(&id)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "enterprise not found")
		case err != nil:
			return directory.Internal(err, "insert contact message")
		}
		return nil
	})
	if err == nil {
		m.ID = id
	}
	return err
}

// ListContactMessages returns the messages to enterpriseID, newest first,
// and their total.
func (db *DB) ListContactMessages(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.ContactMessage, int, error) {
	p = p.Normal()
	out := []*directory.ContactMessage{}
	var total int
	err := db.inRead(ctx, "list contact messages", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM contact_messages WHERE enterprise_id = ?`, enterpriseID).Scan(&total)
		if err != nil {
			return directory.Internal(err, "count contact messages")
		}
		return eachRow(ctx, tx, "list contact messages", func(row scanner) error {
			var (
				m       directory.ContactMessage
				listing sql.NullInt64
				created int64
			)
			if err := row.Scan(&m.ID, &m.EnterpriseID, &listing, &m.Name, &m.Reach, &m.Message, &created); err != nil {
				return err
			}
			m.ListingID, m.CreatedAt = listing.Int64, fromMicros(created)
			out = append(out, &m)
			return nil
		}, `SELECT id, enterprise_id, listing_id, name, reach, message, created_at
			FROM contact_messages WHERE enterprise_id = ?
			ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?`, enterpriseID, p.PerPage, p.Offset())
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
