package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// CreateAnnouncement inserts a, sets a.ID and records ev with it. ENOTFOUND
// when the enterprise does not exist.
func (db *DB) CreateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	var id int64
	err := db.write(ctx, "announcement", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO announcements (enterprise_id, content, content_html, origin, remote_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			RETURNING id`,
			a.EnterpriseID, a.Content, a.ContentHTML, a.Origin, a.RemoteID, ts(a.CreatedAt)).Scan(&id)
		if err != nil {
			return err
		}
		ev.AnnouncementID = id
		return recordEvents(ctx, tx, ev)
	})
	if err != nil {
		return err
	}
	a.ID = id
	a.CreatedAt = ts(a.CreatedAt)
	return nil
}

// ListAnnouncements returns a page of an enterprise's announcements, newest
// first, and their total.
func (db *DB) ListAnnouncements(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.Announcement, int, error) {
	p = page(p)
	out := []*directory.Announcement{}
	var total int
	err := db.read(ctx, "announcements", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `
			SELECT a.id, a.enterprise_id, e.handle, a.content, a.content_html, a.origin, a.remote_id, a.created_at
			FROM announcements a JOIN enterprises e ON e.id = a.enterprise_id
			WHERE a.enterprise_id = $1
			ORDER BY a.created_at DESC, a.id DESC LIMIT $2 OFFSET $3`, enterpriseID, p.PerPage, p.Offset())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a := &directory.Announcement{}
			if err := rows.Scan(&a.ID, &a.EnterpriseID, &a.EnterpriseHandle, &a.Content, &a.ContentHTML,
				&a.Origin, &a.RemoteID, &a.CreatedAt); err != nil {
				return err
			}
			a.CreatedAt = a.CreatedAt.UTC()
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n, ok := pageTotal(p, len(out)); ok {
			total = n
			return nil
		}
		return tx.QueryRow(ctx, `SELECT count(*) FROM announcements WHERE enterprise_id = $1`, enterpriseID).Scan(&total)
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}
