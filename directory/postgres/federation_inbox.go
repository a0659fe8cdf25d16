package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// upsertID runs an INSERT … ON CONFLICT DO UPDATE … WHERE … RETURNING id
// and returns the id, or 0 when the conflict's WHERE kept the stored row.
func upsertID(ctx context.Context, tx pgx.Tx, query string, args ...any) (int64, error) {
	var id int64
	err := tx.QueryRow(ctx, query, args...).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

// SaveFeedPost stores p, or updates the post with the same ObjectID when
// p.Author is its author; sets p.ID. A post of another author is left as it
// is, and p.ID stays 0.
func (db *DB) SaveFeedPost(ctx context.Context, p *directory.FeedPost) error {
	var id int64
	err := db.write(ctx, "feed post", func(tx pgx.Tx) (err error) {
		id, err = upsertID(ctx, tx, `
			INSERT INTO feed_posts (object_id, source, author, type, name, content, url, in_reply_to, published, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
			ON CONFLICT (object_id) DO UPDATE SET type = excluded.type,
				name = excluded.name, content = excluded.content, url = excluded.url,
				in_reply_to = excluded.in_reply_to, published = excluded.published, updated = excluded.updated
			WHERE feed_posts.author = excluded.author
			RETURNING id`,
			p.ObjectID, p.Source, p.Author, p.Type, p.Name, p.Content, p.URL, p.InReplyTo,
			ts(p.Published), ts(p.Updated))
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
	n, err := db.exec(ctx, "feed post", `DELETE FROM feed_posts WHERE object_id = $1 AND author = $2`, objectID, author)
	return n > 0, err
}

// feedFrom selects the posts of the actors that $1 follows (accepted).
const feedFrom = ` FROM feed_posts WHERE source IN (
	SELECT target_id FROM following WHERE actor = $1 AND state = 'accepted')`

func scanFeedPost(row pgx.Row) (*directory.FeedPost, error) {
	f := &directory.FeedPost{}
	if err := row.Scan(&f.ID, &f.ObjectID, &f.Source, &f.Author, &f.Type, &f.Name, &f.Content,
		&f.URL, &f.InReplyTo, &f.Published, &f.Updated); err != nil {
		return nil, err
	}
	f.Published, f.Updated = f.Published.UTC(), f.Updated.UTC()
	return f, nil
}

// ListFeed returns the posts whose source actor follows (accepted), newest
// published first, and their total.
func (db *DB) ListFeed(ctx context.Context, actor string, p directory.Page) ([]*directory.FeedPost, int, error) {
	p = p.Normal()
	var (
		out   []*directory.FeedPost
		total int
	)
	err := db.read(ctx, "feed", func(tx pgx.Tx) (err error) {
		if err := tx.QueryRow(ctx, `SELECT count(*)`+feedFrom, actor).Scan(&total); err != nil {
			return err
		}
		out, err = queryAll(ctx, tx, scanFeedPost, `
			SELECT id, object_id, source, author, type, name, content, url, in_reply_to, published, updated`+
			feedFrom+` ORDER BY published DESC, id DESC LIMIT $2 OFFSET $3`, actor, p.PerPage, p.Offset())
		return err
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
	err := db.write(ctx, "response", func(tx pgx.Tx) (err error) {
		id, err = upsertID(ctx, tx, `
			INSERT INTO responses (object_id, enterprise_id, listing_id, announcement_id, author,
				author_name, author_url, content, url, published, updated)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (object_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
				listing_id = excluded.listing_id, announcement_id = excluded.announcement_id,
				author_name = excluded.author_name, author_url = excluded.author_url,
				content = excluded.content, url = excluded.url, published = excluded.published,
				updated = excluded.updated
			WHERE responses.author = excluded.author
			RETURNING id`,
			r.ObjectID, r.EnterpriseID, nullID(r.ListingID), nullID(r.AnnouncementID), r.Author,
			r.AuthorName, r.AuthorURL, r.Content, r.URL, ts(r.Published), ts(r.Updated))
		return err
	})
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return &directory.Error{Code: directory.ENOTFOUND, Message: "enterprise not found", Err: err}
	}
	if err == nil {
		r.ID = id
	}
	return err
}

// DeleteResponse removes the response objectID written by author and
// reports whether it was there.
func (db *DB) DeleteResponse(ctx context.Context, objectID, author string) (bool, error) {
	n, err := db.exec(ctx, "response", `DELETE FROM responses WHERE object_id = $1 AND author = $2`, objectID, author)
	return n > 0, err
}

func scanResponse(row pgx.Row) (*directory.Response, error) {
	r := &directory.Response{}
	if err := row.Scan(&r.ID, &r.ObjectID, &r.EnterpriseID, &r.ListingID, &r.AnnouncementID, &r.Author,
		&r.AuthorName, &r.AuthorURL, &r.Content, &r.URL, &r.Published, &r.Updated); err != nil {
		return nil, err
	}
	r.Published, r.Updated = r.Published.UTC(), r.Updated.UTC()
	return r, nil
}

// ListResponses returns the responses to enterprise's listings and
// announcements, newest first, and their total.
func (db *DB) ListResponses(ctx context.Context, enterpriseID int64, p directory.Page) ([]*directory.Response, int, error) {
	p = p.Normal()
	var (
		out   []*directory.Response
		total int
	)
	err := db.read(ctx, "responses", func(tx pgx.Tx) (err error) {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM responses WHERE enterprise_id = $1`, enterpriseID).Scan(&total); err != nil {
			return err
		}
		out, err = queryAll(ctx, tx, scanResponse, `
			SELECT id, object_id, enterprise_id, COALESCE(listing_id, 0), COALESCE(announcement_id, 0), author,
				author_name, author_url, content, url, published, updated
			FROM responses WHERE enterprise_id = $1
			ORDER BY published DESC, id DESC LIMIT $2 OFFSET $3`, enterpriseID, p.PerPage, p.Offset())
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// CreateReport inserts r and sets r.ID; a report with the same ActivityID
// is kept once, and r.ID is then the stored report's.
func (db *DB) CreateReport(ctx context.Context, r *directory.Report) error {
	var id int64
	err := db.write(ctx, "report", func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, `
			INSERT INTO reports (activity_id, reporter, objects, content, received_at, resolved)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (activity_id) DO NOTHING RETURNING id`,
			r.ActivityID, r.Reporter, strs(r.Objects), r.Content, ts(r.ReceivedAt), r.Resolved).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			err = tx.QueryRow(ctx, `SELECT id FROM reports WHERE activity_id = $1`, r.ActivityID).Scan(&id)
		}
		return err
	})
	if err == nil {
		r.ID = id
	}
	return err
}

func scanReport(row pgx.Row) (*directory.Report, error) {
	r := &directory.Report{}
	if err := row.Scan(&r.ID, &r.ActivityID, &r.Reporter, &r.Objects, &r.Content, &r.ReceivedAt, &r.Resolved); err != nil {
		return nil, err
	}
	r.Objects, r.ReceivedAt = strs(r.Objects), r.ReceivedAt.UTC()
	return r, nil
}

// ListReports returns the unresolved reports (or every report, with all),
// newest first.
func (db *DB) ListReports(ctx context.Context, all bool) ([]*directory.Report, error) {
	var out []*directory.Report
	err := db.read(ctx, "reports", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, scanReport, `
			SELECT id, activity_id, reporter, objects, content, received_at, resolved
			FROM reports WHERE $1 OR NOT resolved ORDER BY received_at DESC, id DESC`, all)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ResolveReport marks report id resolved. ENOTFOUND.
func (db *DB) ResolveReport(ctx context.Context, id int64) error {
	return db.write(ctx, "report", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `UPDATE reports SET resolved = true WHERE id = $1 RETURNING id`, id).Scan(&id)
	})
}

// ClaimActivity claims an incoming activity id at time at with a lease
// until until: new, or taken over when an earlier lease ran out before at
// (ClaimNew); already applied (ClaimApplied); or leased to another request
// (ClaimBusy). The upsert decides alone whether the claim is ours; the read
// after it only tells an applied id from a busy one, and a row released
// in between counts as busy (the sender tries again).
func (db *DB) ClaimActivity(ctx context.Context, id string, at, until time.Time) (directory.Claim, error) {
	claim := directory.ClaimBusy
	err := db.write(ctx, "activity", func(tx pgx.Tx) error {
		var got time.Time
		err := tx.QueryRow(ctx, `
			INSERT INTO inbox_activities (id, received_at, lease_until) VALUES ($1, $2, $3)
			ON CONFLICT (id) DO UPDATE SET received_at = excluded.received_at, lease_until = excluded.lease_until
			WHERE inbox_activities.lease_until < excluded.received_at
			RETURNING lease_until`, id, ts(at), ts(until)).Scan(&got)
		if err == nil {
			claim = directory.ClaimNew
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var lease *time.Time
		err = tx.QueryRow(ctx, `SELECT lease_until FROM inbox_activities WHERE id = $1`, id).Scan(&lease)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err == nil && lease == nil {
			claim = directory.ClaimApplied
		}
		return err
	})
	return claim, err
}

// ActivityApplied marks a claimed activity id applied.
func (db *DB) ActivityApplied(ctx context.Context, id string) error {
	_, err := db.exec(ctx, "activity", `UPDATE inbox_activities SET lease_until = NULL WHERE id = $1`, id)
	return err
}

// ReleaseActivity forgets an activity id whose processing failed, so a
// retry by the sender is applied.
func (db *DB) ReleaseActivity(ctx context.Context, id string) error {
	_, err := db.exec(ctx, "activity", `DELETE FROM inbox_activities WHERE id = $1`, id)
	return err
}

// PruneActivities forgets activity ids recorded before t and returns how
// many.
func (db *DB) PruneActivities(ctx context.Context, before time.Time) (int, error) {
	n, err := db.exec(ctx, "activities", `DELETE FROM inbox_activities WHERE received_at < $1`, ts(before))
	return int(n), err
}
