package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// CreateAnnouncement inserts a, sets a.ID and records ev with the new id.
// ENOTFOUND when the enterprise does not exist.
func (db *DB) CreateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	var id int64
	err := db.inWrite(ctx, "create announcement", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO announcements (enterprise_id, content, content_html, origin, remote_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
			a.EnterpriseID, a.Content, a.ContentHTML, a.Origin, a.RemoteID, micros(a.CreatedAt),
		).Scan(&id)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "the announcement's enterprise does not exist")
		case err != nil:
			return directory.Internal(err, "insert announcement")
		}
		ev.AnnouncementID = id
		return insertEvent(ctx, tx, ev)
	})
	if err == nil {
		a.ID = id
	}
	return err
}

// ListAnnouncements returns a page of an enterprise's announcements, newest
// first, and how many it has.
func (db *DB) ListAnnouncements(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.Announcement, int, error) {
	p = normalPage(p)
	list := []*directory.Announcement{}
	var total int
	err := db.inRead(ctx, "list announcements", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx,
			`SELECT count(*) FROM announcements WHERE enterprise_id = ?`, enterpriseID).Scan(&total)
		if err != nil {
			return directory.Internal(err, "count announcements")
		}
		rows, err := tx.QueryContext(ctx, `
			SELECT a.id, a.enterprise_id, e.handle, a.content, a.content_html, a.origin,
				a.remote_id, a.created_at
			FROM announcements a JOIN enterprises e ON e.id = a.enterprise_id
			WHERE a.enterprise_id = ?
			ORDER BY a.created_at DESC, a.id DESC
			LIMIT ? OFFSET ?`, enterpriseID, p.PerPage, p.Offset())
		if err != nil {
			return directory.Internal(err, "list announcements")
		}
		defer rows.Close()
		for rows.Next() {
			var (
				a       directory.Announcement
				created int64
			)
			if err := rows.Scan(&a.ID, &a.EnterpriseID, &a.EnterpriseHandle, &a.Content,
				&a.ContentHTML, &a.Origin, &a.RemoteID, &created); err != nil {
				return directory.Internal(err, "scan announcement")
			}
			a.CreatedAt = fromMicros(created)
			list = append(list, &a)
		}
		if err := rows.Err(); err != nil {
			return directory.Internal(err, "list announcements")
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// normalPage fills the defaults of an unvalidated page.
func normalPage(p directory.Page) directory.Page {
	if p.Page < 1 {
		p.Page = 1
	}
	if p.PerPage < 1 {
		p.PerPage = directory.DefaultPerPage
	}
	if p.PerPage > directory.MaxPerPage {
		p.PerPage = directory.MaxPerPage
	}
	return p
}
