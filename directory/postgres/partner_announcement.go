package postgres

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// The copies of partners' announcements, of
// directory.PartnerAnnouncementStore, found by (origin, remote_id) through
// the partial unique index announcements_remote_id_idx.

// ImportRemoteAnnouncements stores copies of origin's announcements in one
// transaction: a new one is inserted under its enterprise's copy, a stored
// one overwritten when the announcement is newer. EINVALID (nothing is
// written) when one is not origin's.
func (db *DB) ImportRemoteAnnouncements(ctx context.Context, origin string, as []*directory.Announcement) (directory.RemoteImport, error) {
	var res directory.RemoteImport
	if err := directory.CheckRemoteAnnouncements(origin, as); err != nil {
		return res, err
	}
	ids := make([]int64, len(as))
	err := db.write(ctx, "import announcements", func(tx pgx.Tx) error {
		res = directory.RemoteImport{}
		for i, a := range as {
			id, err := importAnnouncement(ctx, tx, origin, a, &res)
			if err != nil {
				return err
			}
			ids[i] = id
		}
		return nil
	})
	if err != nil {
		return directory.RemoteImport{}, err
	}
	for i, a := range as {
		a.ID = ids[i]
		a.CreatedAt, a.UpdatedAt = ts(a.CreatedAt), tsPtr(a.UpdatedAt)
	}
	return res, nil
}

// importAnnouncement writes one copy and counts it in res; it returns the
// copy's id, 0 for an orphan.
func importAnnouncement(ctx context.Context, tx pgx.Tx, origin string, a *directory.Announcement, res *directory.RemoteImport) (int64, error) {
	var owner int64
	err := tx.QueryRow(ctx, `SELECT id FROM enterprises WHERE origin = $1 AND handle = $2`,
		origin, a.EnterpriseHandle).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) {
		res.Orphans++
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	a.EnterpriseID = owner
	var (
		id      int64
		edited  time.Time
		content string
	)
	err = tx.QueryRow(ctx, `SELECT id, coalesce(updated_at, created_at), content_html FROM announcements
		WHERE origin = $1 AND remote_id = $2 AND origin <> '' AND remote_id <> ''`, origin, a.RemoteID).Scan(&id, &edited, &content)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		err = tx.QueryRow(ctx, `
			INSERT INTO announcements (enterprise_id, content, content_html, demo, origin, remote_id,
				created_at, updated_at, translations)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			owner, a.Content, a.ContentHTML, a.Demo, origin, a.RemoteID, ts(a.CreatedAt), tsPtr(a.UpdatedAt),
			a.Translations.Encode()).Scan(&id)
		if err != nil {
			return 0, err
		}
		res.Created++
		return id, nil
	case err != nil:
		return 0, err
	case ts(a.EditedAt()).Before(edited) || ts(a.EditedAt()).Equal(edited) && content == a.ContentHTML:
		res.Unchanged++
		return id, nil
	}
	_, err = tx.Exec(ctx, `UPDATE announcements SET enterprise_id = $1, content = $2, content_html = $3, demo = $4,
		created_at = $5, updated_at = $6, translations = $8 WHERE id = $7`,
		owner, a.Content, a.ContentHTML, a.Demo, ts(a.CreatedAt), tsPtr(a.UpdatedAt), id, a.Translations.Encode())
	if err != nil {
		return 0, err
	}
	res.Updated++
	return id, nil
}

// DeleteRemoteAnnouncement removes the copy (origin, remoteID) and reports
// whether it was there.
func (db *DB) DeleteRemoteAnnouncement(ctx context.Context, origin, remoteID string) (bool, error) {
	n, err := db.exec(ctx, "announcement", `DELETE FROM announcements
		WHERE origin = $1 AND remote_id = $2 AND origin <> '' AND remote_id <> ''`, origin, remoteID)
	return n > 0, err
}

// LocalAnnouncementsAfter returns up to limit local announcements with an
// ID above afterID, by ID.
func (db *DB) LocalAnnouncementsAfter(ctx context.Context, afterID int64, limit int) ([]*directory.Announcement, error) {
	var out []*directory.Announcement
	err := db.read(ctx, "announcements", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanAnnouncement,
			`SELECT `+announcementColumns+` FROM `+announcementFrom+` WHERE a.origin = '' AND a.id > $1 ORDER BY a.id LIMIT $2`,
			afterID, limit)
		return err
	})
	return out, err
}

// ListPartnerAnnouncements returns a page of partners' announcements
// (origin's, unless origin is ""), newest first, and their total.
func (db *DB) ListPartnerAnnouncements(ctx context.Context, origin string, p directory.Page) ([]*directory.Announcement, int, error) {
	p = p.Normal()
	cond, args := `origin <> ''`, []any{}
	if origin != "" {
		cond, args = `origin = $1 AND origin <> ''`, []any{origin}
	}
	n := len(args)
	out := []*directory.Announcement{}
	var total int
	err := db.read(ctx, "partner announcements", func(tx pgx.Tx) (err error) {
		if err := tx.QueryRow(ctx, `SELECT coalesce(sum(n), 0) FROM announcement_counts WHERE `+cond, args...).Scan(&total); err != nil {
			return err
		}
		out, err = queryAll(ctx, tx, scanAnnouncement, `SELECT `+announcementColumns+` FROM `+announcementFrom+`
			WHERE `+strings.ReplaceAll(cond, "origin", "a.origin")+` ORDER BY a.created_at DESC, a.id DESC
			LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), append(args, p.PerPage, p.Offset())...)
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	if out == nil {
		out = []*directory.Announcement{}
	}
	return out, total, nil
}
