package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// announcementColumns are read by every query that returns announcements
// (alias a, with its enterprise e); scanAnnouncement reads them in order.
const announcementColumns = `a.id, a.enterprise_id, e.handle, e.name, a.content, a.content_html,
	a.demo, a.origin, a.remote_id, a.created_at, a.updated_at, a.translations,
	coalesce(json_extract(e.languages, '$[0]'), '')`

const announcementFrom = `announcements a JOIN enterprises e ON e.id = a.enterprise_id`

func scanAnnouncement(row scanner) (*directory.Announcement, error) {
	var (
		a       directory.Announcement
		tr      string
		created int64
		updated sql.NullInt64
	)
	if err := row.Scan(&a.ID, &a.EnterpriseID, &a.EnterpriseHandle, &a.EnterpriseName, &a.Content,
		&a.ContentHTML, &a.Demo, &a.Origin, &a.RemoteID, &created, &updated, &tr, &a.Language); err != nil {
		return nil, err
	}
	var err error
	if a.Translations, err = directory.DecodeTranslations(tr); err != nil {
		return nil, err
	}
	a.CreatedAt = fromMicros(created)
	if updated.Valid {
		t := fromMicros(updated.Int64)
		a.UpdatedAt = &t
	}
	return &a, nil
}

// CreateAnnouncement inserts a, sets a.ID and records ev with the new id.
// ENOTFOUND when the enterprise does not exist.
func (db *DB) CreateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	var id int64
	err := db.inWrite(ctx, "create announcement", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO announcements (id, enterprise_id, content, content_html, demo, origin, remote_id,
				created_at, updated_at, translations)
			VALUES (`+nextID("announcements")+`, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.EnterpriseID, a.Content, a.ContentHTML, boolInt(a.Demo), a.Origin, a.RemoteID,
			micros(a.CreatedAt), nullMicros(a.UpdatedAt), a.Translations.Encode(),
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

// ListAnnouncements returns a page of an enterprise's announcements (every
// enterprise's when enterpriseID is 0), newest first, and their total.
func (db *DB) ListAnnouncements(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.Announcement, int, error) {
	p = p.Normal()
	count := `SELECT coalesce(sum(n), 0) FROM announcement_counts`
	list := `SELECT ` + announcementColumns + ` FROM announcements a INDEXED BY announcements_created_at
		JOIN enterprises e ON e.id = a.enterprise_id
		ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`
	args := []any{p.PerPage, p.Offset()}
	if enterpriseID != 0 {
		count = `SELECT count(*) FROM announcements WHERE enterprise_id = ?`
		list = `SELECT ` + announcementColumns + ` FROM ` + announcementFrom + `
			WHERE a.enterprise_id = ?
			ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`
		args = []any{enterpriseID, p.PerPage, p.Offset()}
	}
	items := []*directory.Announcement{}
	var total int
	err := db.inRead(ctx, "list announcements", func(tx *sql.Tx) error {
		var countArgs []any
		if enterpriseID != 0 {
			countArgs = []any{enterpriseID}
		}
		if err := tx.QueryRowContext(ctx, count, countArgs...).Scan(&total); err != nil {
			return directory.Internal(err, "count announcements")
		}
		rows, err := tx.QueryContext(ctx, list, args...)
		if err != nil {
			return directory.Internal(err, "list announcements")
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAnnouncement(rows)
			if err != nil {
				return directory.Internal(err, "scan announcement")
			}
			items = append(items, a)
		}
		if err := rows.Err(); err != nil {
			return directory.Internal(err, "list announcements")
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return items, total, nil
}

// FindAnnouncement returns announcement id. ENOTFOUND.
func (db *DB) FindAnnouncement(ctx context.Context, id int64) (*directory.Announcement, error) {
	a, err := scanAnnouncement(db.read.QueryRowContext(ctx,
		`SELECT `+announcementColumns+` FROM `+announcementFrom+` WHERE a.id = ?`, id))
	if err != nil {
		return nil, notFound(err, "announcement not found", "find announcement")
	}
	return a, nil
}

// UpdateAnnouncement overwrites the content of announcement a.ID and
// records ev. ENOTFOUND.
func (db *DB) UpdateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	return db.inWrite(ctx, "update announcement", func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `
			UPDATE announcements SET content = ?, content_html = ?, updated_at = ?, translations = ?
			WHERE id = ? RETURNING id`,
			a.Content, a.ContentHTML, nullMicros(a.UpdatedAt), a.Translations.Encode(), a.ID).Scan(&id)
		if err != nil {
			return notFound(err, "announcement not found", "update announcement")
		}
		ev.AnnouncementID = id
		return insertEvent(ctx, tx, ev)
	})
}

// DeleteAnnouncement removes announcement id and records ev. ENOTFOUND.
func (db *DB) DeleteAnnouncement(ctx context.Context, id int64, ev directory.Event) error {
	return db.inWrite(ctx, "delete announcement", func(tx *sql.Tx) error {
		var deleted int64
		err := tx.QueryRowContext(ctx, `DELETE FROM announcements WHERE id = ? RETURNING id`, id).Scan(&deleted)
		if err != nil {
			return notFound(err, "announcement not found", "delete announcement")
		}
		ev.AnnouncementID = id
		return insertEvent(ctx, tx, ev)
	})
}
