package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// announcementColumns is what scanAnnouncement reads, from announcements a
// joined to their enterprise e.
const announcementColumns = `a.id, a.enterprise_id, e.handle, e.name, a.content, a.content_html,
	a.demo, a.origin, a.remote_id, a.created_at, a.updated_at, a.translations,
	coalesce(e.languages[1], '')`

const announcementFrom = `announcements a JOIN enterprises e ON e.id = a.enterprise_id`

func scanAnnouncement(row pgx.Row) (*directory.Announcement, error) {
	a := &directory.Announcement{}
	if err := row.Scan(&a.ID, &a.EnterpriseID, &a.EnterpriseHandle, &a.EnterpriseName, &a.Content,
		&a.ContentHTML, &a.Demo, &a.Origin, &a.RemoteID, &a.CreatedAt, &a.UpdatedAt, &a.Translations, &a.Language); err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	if a.UpdatedAt != nil {
		t := a.UpdatedAt.UTC()
		a.UpdatedAt = &t
	}
	return a, nil
}

// tsPtr is ts for an optional time.
func tsPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	v := ts(*t)
	return &v
}

// CreateAnnouncement inserts a, sets a.ID and records ev with it. ENOTFOUND
// when the enterprise does not exist.
func (db *DB) CreateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	var id int64
	err := db.write(ctx, "announcement", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO announcements (enterprise_id, content, content_html, demo, origin, remote_id,
				created_at, updated_at, translations)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			RETURNING id`,
			a.EnterpriseID, a.Content, a.ContentHTML, a.Demo, a.Origin, a.RemoteID, ts(a.CreatedAt),
			tsPtr(a.UpdatedAt), a.Translations.Encode()).Scan(&id)
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
	a.CreatedAt, a.UpdatedAt = ts(a.CreatedAt), tsPtr(a.UpdatedAt)
	return nil
}

// ListAnnouncements returns a page of an enterprise's announcements (every
// enterprise's when enterpriseID is 0), newest first, and their total.
func (db *DB) ListAnnouncements(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.Announcement, int, error) {
	p = p.Normal()
	var w where
	if enterpriseID != 0 {
		w.add("a.enterprise_id = " + w.arg(enterpriseID))
	}
	out := []*directory.Announcement{}
	var total int
	err := db.read(ctx, "announcements", func(tx pgx.Tx) error {
		args, ph := w.with(p.PerPage, p.Offset())
		rows, err := tx.Query(ctx, `SELECT `+announcementColumns+` FROM `+announcementFrom+w.String()+`
			ORDER BY a.created_at DESC, a.id DESC LIMIT `+ph[0]+` OFFSET `+ph[1], args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAnnouncement(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if n, ok := p.KnownTotal(len(out)); ok {
			total = n
			return nil
		}
		count := `SELECT COALESCE(sum(n), 0)::bigint FROM announcement_counts`
		if enterpriseID != 0 {
			count = `SELECT count(*) FROM announcements a` + w.String()
		}
		return tx.QueryRow(ctx, count, w.args...).Scan(&total)
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FindAnnouncement returns announcement id. ENOTFOUND.
func (db *DB) FindAnnouncement(ctx context.Context, id int64) (*directory.Announcement, error) {
	var a *directory.Announcement
	err := db.read(ctx, "announcement", func(tx pgx.Tx) (err error) {
		a, err = scanAnnouncement(tx.QueryRow(ctx,
			`SELECT `+announcementColumns+` FROM `+announcementFrom+` WHERE a.id = $1`, id))
		return err
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// UpdateAnnouncement overwrites the content of announcement a.ID and
// records ev. ENOTFOUND.
func (db *DB) UpdateAnnouncement(ctx context.Context, a *directory.Announcement, ev directory.Event) error {
	err := db.write(ctx, "announcement", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			UPDATE announcements SET content = $2, content_html = $3, updated_at = $4, translations = $5
			WHERE id = $1 RETURNING id`,
			a.ID, a.Content, a.ContentHTML, tsPtr(a.UpdatedAt), a.Translations.Encode()).Scan(new(int64))
		if err != nil {
			return err
		}
		ev.AnnouncementID = a.ID
		return recordEvents(ctx, tx, ev)
	})
	if err == nil {
		a.UpdatedAt = tsPtr(a.UpdatedAt)
	}
	return err
}

// DeleteAnnouncement removes announcement id and records ev. ENOTFOUND.
func (db *DB) DeleteAnnouncement(ctx context.Context, id int64, ev directory.Event) error {
	return db.write(ctx, "announcement", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `DELETE FROM announcements WHERE id = $1 RETURNING id`, id).Scan(new(int64)); err != nil {
			return err
		}
		ev.AnnouncementID = id
		return recordEvents(ctx, tx, ev)
	})
}
