package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// SaveFeedPost stores p, or updates the post with the same ObjectID when
// p.Author is its author; sets p.ID. A post of another author is left as it
// is, and p.ID stays 0.
func (db *DB) SaveFeedPost(ctx context.Context, p *directory.FeedPost) error {
	var id int64
	err := db.inWrite(ctx, "save feed post", func(tx *sql.Tx) (err error) {
		id, err = upsertID(ctx, tx, "save feed post", `
			INSERT INTO feed_posts (object_id, source, author, type, name, content, url, in_reply_to, published, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (object_id) DO UPDATE SET type = excluded.type,
				name = excluded.name, content = excluded.content, url = excluded.url,
				in_reply_to = excluded.in_reply_to, published = excluded.published, updated = excluded.updated
			WHERE feed_posts.author = excluded.author
			RETURNING id`,
			p.ObjectID, p.Source, p.Author, p.Type, p.Name, p.Content, p.URL, p.InReplyTo,
			micros(p.Published), micros(p.Updated))
		return err
	})
	if err == nil {
		p.ID = id
	}
	return err
}

// DeleteFeedPost removes the post objectID written by author and reports
// whether it was there.
func (db *DB) DeleteFeedPost(ctx context.Context, objectID, author string) (bool, error) {
	n, err := db.exec(ctx, "delete feed post",
		`DELETE FROM feed_posts WHERE object_id = ? AND author = ?`, objectID, author)
	return n > 0, err
}

// feedFrom selects the posts of the actors that ? follows (accepted).
const feedFrom = ` FROM feed_posts WHERE source IN (
	SELECT target_id FROM following WHERE actor = ? AND state = 'accepted')`

// ListFeed returns the posts whose source actor follows (accepted), newest
// published first, and their total.
func (db *DB) ListFeed(ctx context.Context, actor string, p directory.Page) ([]*directory.FeedPost, int, error) {
	p = p.Normal()
	out := []*directory.FeedPost{}
	var total int
	err := db.inRead(ctx, "list feed", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*)`+feedFrom, actor).Scan(&total); err != nil {
			return directory.Internal(err, "count feed")
		}
		return eachRow(ctx, tx, "list feed", func(row scanner) error {
			var (
				f                  directory.FeedPost
				published, updated int64
			)
			if err := row.Scan(&f.ID, &f.ObjectID, &f.Source, &f.Author, &f.Type, &f.Name, &f.Content,
				&f.URL, &f.InReplyTo, &published, &updated); err != nil {
				return err
			}
			f.Published, f.Updated = fromMicros(published), fromMicros(updated)
			out = append(out, &f)
			return nil
		}, `SELECT id, object_id, source, author, type, name, content, url, in_reply_to, published, updated`+
			feedFrom+` ORDER BY published DESC, id DESC LIMIT ? OFFSET ?`, actor, p.PerPage, p.Offset())
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// SaveResponse stores r, or updates the response with the same ObjectID
// when r.Author is its author; sets r.ID. A response of another author is
// left as it is, and r.ID stays 0. ENOTFOUND when the enterprise does not
// exist.
func (db *DB) SaveResponse(ctx context.Context, r *directory.Response) error {
	var id int64
	err := db.inWrite(ctx, "save response", func(tx *sql.Tx) (err error) {
		id, err = upsertID(ctx, tx, "save response", `
			INSERT INTO responses (object_id, enterprise_id, listing_id, announcement_id, author,
				author_name, author_url, content, url, published, updated)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (object_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
				listing_id = excluded.listing_id, announcement_id = excluded.announcement_id,
				author_name = excluded.author_name, author_url = excluded.author_url,
				content = excluded.content, url = excluded.url, published = excluded.published,
				updated = excluded.updated
			WHERE responses.author = excluded.author
			RETURNING id`,
			r.ObjectID, r.EnterpriseID, nullID(r.ListingID), nullID(r.AnnouncementID), r.Author,
			r.AuthorName, r.AuthorURL, r.Content, r.URL, micros(r.Published), micros(r.Updated))
		return err
	})
	if err == nil {
		r.ID = id
	}
	return err
}

// DeleteResponse removes the response objectID written by author and
// reports whether it was there.
func (db *DB) DeleteResponse(ctx context.Context, objectID, author string) (bool, error) {
	n, err := db.exec(ctx, "delete response",
		`DELETE FROM responses WHERE object_id = ? AND author = ?`, objectID, author)
	return n > 0, err
}

// ListResponses returns the responses to enterprise's listings and
// announcements, newest first, and their total.
func (db *DB) ListResponses(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.Response, int, error) {
	p = p.Normal()
	out := []*directory.Response{}
	var total int
	err := db.inRead(ctx, "list responses", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM responses WHERE enterprise_id = ?`, enterpriseID).Scan(&total)
		if err != nil {
			return directory.Internal(err, "count responses")
		}
		return eachRow(ctx, tx, "list responses", func(row scanner) error {
			var (
				r                  directory.Response
				listing, announce  sql.NullInt64
				published, updated int64
			)
			if err := row.Scan(&r.ID, &r.ObjectID, &r.EnterpriseID, &listing, &announce, &r.Author,
				&r.AuthorName, &r.AuthorURL, &r.Content, &r.URL, &published, &updated); err != nil {
				return err
			}
			r.ListingID, r.AnnouncementID = listing.Int64, announce.Int64
			r.Published, r.Updated = fromMicros(published), fromMicros(updated)
			out = append(out, &r)
			return nil
		}, `SELECT id, object_id, enterprise_id, listing_id, announcement_id, author, author_name,
				author_url, content, url, published, updated
			FROM responses WHERE enterprise_id = ?
			ORDER BY published DESC, id DESC LIMIT ? OFFSET ?`, enterpriseID, p.PerPage, p.Offset())
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// upsertID runs an INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING id
// and returns the id, or 0 when the conflict's WHERE kept the stored row.
func upsertID(ctx context.Context, tx *sql.Tx, what, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, query, args...).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return 0, nil
	case isForeignKey(err):
		return 0, directory.Errorf(directory.ENOTFOUND, "enterprise not found")
	case err != nil:
		return 0, directory.Internal(err, what)
	}
	return id, nil
}

// CreateReport inserts r and sets r.ID; a report with the same ActivityID
// is kept once, and r.ID is then the stored report's.
func (db *DB) CreateReport(ctx context.Context, r *directory.Report) error {
	var id int64
	err := db.inWrite(ctx, "create report", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO reports (activity_id, reporter, objects, content, received_at, resolved)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (activity_id) DO NOTHING RETURNING id`,
			r.ActivityID, r.Reporter, encodeList(r.Objects), r.Content, micros(r.ReceivedAt),
			boolInt(r.Resolved)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			err = tx.QueryRowContext(ctx, `SELECT id FROM reports WHERE activity_id = ?`, r.ActivityID).Scan(&id)
		}
		if err != nil {
			return directory.Internal(err, "create report")
		}
		return nil
	})
	if err == nil {
		r.ID = id
	}
	return err
}

// ListReports returns the unresolved reports (or every report, with all),
// newest first.
func (db *DB) ListReports(ctx context.Context, all bool) ([]*directory.Report, error) {
	out := []*directory.Report{}
	err := db.inRead(ctx, "list reports", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "list reports", func(row scanner) error {
			var (
				r        directory.Report
				objects  string
				received int64
			)
			if err := row.Scan(&r.ID, &r.ActivityID, &r.Reporter, &objects, &r.Content, &received, &r.Resolved); err != nil {
				return err
			}
			var err error
			if r.Objects, err = decodeList(objects); err != nil {
				return err
			}
			r.ReceivedAt = fromMicros(received)
			out = append(out, &r)
			return nil
		}, `SELECT id, activity_id, reporter, objects, content, received_at, resolved
			FROM reports WHERE ? OR NOT resolved ORDER BY received_at DESC, id DESC`, all)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ResolveReport marks report id resolved. ENOTFOUND.
func (db *DB) ResolveReport(ctx context.Context, id int64) error {
	return db.inWrite(ctx, "resolve report", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE reports SET resolved = 1 WHERE id = ? RETURNING id`, id).Scan(&id)
		if err != nil {
			return notFound(err, "report not found", "resolve report")
		}
		return nil
	})
}

// ClaimActivity claims an incoming activity id at time at with a lease
// until until: new, or taken over when an earlier lease ran out before at
// (ClaimNew); already applied (ClaimApplied); or leased to another request
// (ClaimBusy). The single writer makes the two statements one step.
func (db *DB) ClaimActivity(ctx context.Context, id string, at, until time.Time) (directory.Claim, error) {
	claim := directory.ClaimBusy
	err := db.inWrite(ctx, "claim activity", func(tx *sql.Tx) error {
		var got int64
		err := tx.QueryRowContext(ctx, `
			INSERT INTO inbox_activities (id, received_at, lease_until) VALUES (?, ?, ?)
			ON CONFLICT (id) DO UPDATE SET received_at = excluded.received_at, lease_until = excluded.lease_until
			WHERE inbox_activities.lease_until < excluded.received_at
			RETURNING lease_until`, id, micros(at), micros(until)).Scan(&got)
		if err == nil {
			claim = directory.ClaimNew
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return directory.Internal(err, "claim activity")
		}
		var lease sql.NullInt64
		err = tx.QueryRowContext(ctx, `SELECT lease_until FROM inbox_activities WHERE id = ?`, id).Scan(&lease)
		if err != nil {
			return directory.Internal(err, "claim activity")
		}
		if !lease.Valid {
			claim = directory.ClaimApplied
		}
		return nil
	})
	return claim, err
}

// ActivityApplied marks a claimed activity id applied.
func (db *DB) ActivityApplied(ctx context.Context, id string) error {
	_, err := db.exec(ctx, "activity applied", `UPDATE inbox_activities SET lease_until = NULL WHERE id = ?`, id)
	return err
}

// ReleaseActivity forgets an activity id whose processing failed, so a
// retry by the sender is applied.
func (db *DB) ReleaseActivity(ctx context.Context, id string) error {
	_, err := db.exec(ctx, "release activity", `DELETE FROM inbox_activities WHERE id = ?`, id)
	return err
}

// PruneActivities forgets activity ids recorded before t and returns how
// many.
func (db *DB) PruneActivities(ctx context.Context, before time.Time) (int, error) {
	n, err := db.exec(ctx, "prune activities", `DELETE FROM inbox_activities WHERE received_at < ?`, micros(before))
	return int(n), err
}
