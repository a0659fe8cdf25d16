package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// The copies of partners' announcements, of
// directory.PartnerAnnouncementStore, found by (origin, remote_id) through
// the partial unique index announcements_remote_id.

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
	err := db.inWrite(ctx, "import remote announcements", func(tx *sql.Tx) error {
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
	}
	return res, nil
}

// importAnnouncement writes one copy and counts it in res; it returns the
// copy's id, 0 for an orphan.
func importAnnouncement(ctx context.Context, tx *sql.Tx, origin string, a *directory.Announcement, res *directory.RemoteImport) (int64, error) {
	var owner int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM enterprises WHERE origin = ? AND handle = ?`,
		origin, a.EnterpriseHandle).Scan(&owner)
	if errors.Is(err, sql.ErrNoRows) {
		res.Orphans++
		return 0, nil
	}
	if err != nil {
		return 0, directory.Internal(err, "find announcement's enterprise")
	}
	a.EnterpriseID = owner
	var (
		id, edited int64
		content    string
	)
	err = tx.QueryRowContext(ctx, `SELECT id, coalesce(updated_at, created_at), content_html FROM announcements INDEXED BY announcements_remote_id
		WHERE origin = ? AND remote_id = ? AND origin <> '' AND remote_id <> ''`, origin, a.RemoteID).Scan(&id, &edited, &content)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = tx.QueryRowContext(ctx, `
			INSERT INTO announcements (id, enterprise_id, content, content_html, demo, origin, remote_id,
				created_at, updated_at, translations)
			VALUES (`+nextID("announcements")+`, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			owner, a.Content, a.ContentHTML, boolInt(a.Demo), origin, a.RemoteID,
			micros(a.CreatedAt), nullMicros(a.UpdatedAt), a.Translations.Encode()).Scan(&id)
		if err != nil {
			return 0, directory.Internal(err, "insert remote announcement")
		}
		res.Created++
		return id, nil
	case err != nil:
		return 0, directory.Internal(err, "find remote announcement")
	case micros(a.EditedAt()) < edited || micros(a.EditedAt()) == edited && content == a.ContentHTML:
		res.Unchanged++
		return id, nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE announcements SET enterprise_id = ?, content = ?, content_html = ?, demo = ?,
		created_at = ?, updated_at = ?, translations = ? WHERE id = ?`,
		owner, a.Content, a.ContentHTML, boolInt(a.Demo), micros(a.CreatedAt), nullMicros(a.UpdatedAt),
		a.Translations.Encode(), id)
	if err != nil {
		return 0, directory.Internal(err, "update remote announcement")
	}
	res.Updated++
	return id, nil
}

// DeleteRemoteAnnouncement removes the copy (origin, remoteID) and reports
// whether it was there.
func (db *DB) DeleteRemoteAnnouncement(ctx context.Context, origin, remoteID string) (bool, error) {
	n, err := db.exec(ctx, "delete remote announcement", `DELETE FROM announcements INDEXED BY announcements_remote_id
		WHERE origin = ? AND remote_id = ? AND origin <> '' AND remote_id <> ''`, origin, remoteID)
	return n > 0, err
}

// LocalAnnouncementsAfter returns up to limit local announcements with an
// ID above afterID, by ID.
func (db *DB) LocalAnnouncementsAfter(ctx context.Context, afterID int64, limit int) ([]*directory.Announcement, error) {
	return readPage(ctx, db, "page announcements", scanAnnouncement,
		`SELECT `+announcementColumns+` FROM `+announcementFrom+` WHERE +a.origin = '' AND a.id > ? ORDER BY a.id LIMIT ?`,
		afterID, limit)
}

// ListPartnerAnnouncements returns a page of partners' announcements
// (origin's, unless origin is ""), newest first, and their total.
func (db *DB) ListPartnerAnnouncements(ctx context.Context, origin string, p directory.Page) ([]*directory.Announcement, int, error) {
	p = p.Normal()
	cond, args := `origin <> ''`, []any{}
	if origin != "" {
		cond, args = `origin = ? AND origin <> ''`, []any{origin}
	}
	items := []*directory.Announcement{}
	var total int
	err := db.inRead(ctx, "list partner announcements", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(n), 0) FROM announcement_counts WHERE `+cond, args...).Scan(&total)
		if err != nil {
			return directory.Internal(err, "count partner announcements")
		}
		return eachRow(ctx, tx, "list partner announcements", func(row scanner) error {
			a, err := scanAnnouncement(row)
			if err == nil {
				items = append(items, a)
			}
			return err
		}, `SELECT `+announcementColumns+` FROM `+announcementFrom+` WHERE `+strings.ReplaceAll(cond, "origin", "a.origin")+`
			ORDER BY a.created_at DESC, a.id DESC LIMIT ? OFFSET ?`, append(args, p.PerPage, p.Offset())...)
	})
	if err != nil {
		return nil, 0, err
	}
	return items, total, nil
}
