package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// The federation state of directory.FederationStore: followers and follows
// here; what arrives in the inbox (feed posts, responses, reports, activity
// ids) in federation_inbox.go; remote actors, hosts, domain blocks, cursors
// and the expiry sweep in federation_remote.go.

// queryAll runs query in tx and scans every row with scan.
func queryAll[T any](ctx context.Context, tx querier, scan func(pgx.Row) (T, error), query string, args ...any) ([]T, error) {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (T, error) { return scan(row) })
}

// exec runs one statement in its own transaction and returns the number of
// rows it changed.
func (db *DB) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	var n int64
	err := db.write(ctx, what, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, query, args...)
		n = tag.RowsAffected()
		return err
	})
	return n, err
}

// SaveFollower adds f, or updates the follower with the same Actor and
// FollowerID (its creation time is kept).
func (db *DB) SaveFollower(ctx context.Context, f *directory.Follower) error {
	_, err := db.exec(ctx, "follower", `
		INSERT INTO followers (actor, follower_id, inbox, shared_inbox, follow_id, peer, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (actor, follower_id) DO UPDATE SET inbox = excluded.inbox,
			shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id, peer = excluded.peer`,
		f.Actor, f.FollowerID, f.Inbox, f.SharedInbox, f.FollowID, f.Peer, ts(f.CreatedAt))
	return err
}

// DeleteFollower removes followerID from actor's followers and reports
// whether it was there.
func (db *DB) DeleteFollower(ctx context.Context, actor, followerID string) (bool, error) {
	n, err := db.exec(ctx, "follower",
		`DELETE FROM followers WHERE actor = $1 AND follower_id = $2`, actor, followerID)
	return n > 0, err
}

// DeleteFollowersByInbox removes every follower whose inbox or shared inbox
// is inbox and returns how many.
func (db *DB) DeleteFollowersByInbox(ctx context.Context, inbox string) (int, error) {
	n, err := db.exec(ctx, "followers", `DELETE FROM followers WHERE inbox = $1 OR shared_inbox = $1`, inbox)
	return int(n), err
}

func scanFollower(row pgx.Row) (*directory.Follower, error) {
	f := &directory.Follower{}
	if err := row.Scan(&f.Actor, &f.FollowerID, &f.Inbox, &f.SharedInbox, &f.FollowID, &f.Peer, &f.CreatedAt); err != nil {
		return nil, err
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return f, nil
}

// ListFollowers returns a page of actor's followers, oldest first, and
// their total.
func (db *DB) ListFollowers(ctx context.Context, actor string, p directory.Page) ([]*directory.Follower, int, error) {
	p = p.Normal()
	var (
		out   []*directory.Follower
		total int
	)
	err := db.read(ctx, "followers", func(tx pgx.Tx) (err error) {
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM followers WHERE actor = $1`, actor).Scan(&total); err != nil {
			return err
		}
		out, err = queryAll(ctx, tx, scanFollower, `
			SELECT actor, follower_id, inbox, shared_inbox, follow_id, peer, created_at
			FROM followers WHERE actor = $1 ORDER BY created_at, follower_id LIMIT $2 OFFSET $3`,
			actor, p.PerPage, p.Offset())
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// FollowerRecipients returns the distinct delivery inboxes (shared inbox
// when there is one) of the followers of any of actors, sorted.
func (db *DB) FollowerRecipients(ctx context.Context, actors []string) ([]directory.Recipient, error) {
	var out []directory.Recipient
	err := db.read(ctx, "recipients", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, func(row pgx.Row) (r directory.Recipient, err error) {
			err = row.Scan(&r.Inbox, &r.Peer)
			return r, err
		}, `SELECT CASE WHEN shared_inbox <> '' THEN shared_inbox ELSE inbox END AS box, bool_or(peer)
			FROM followers WHERE actor = ANY($1)
			GROUP BY box ORDER BY box`, strs(actors))
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const followingColumns = `id, actor, target_id, account, name, url, inbox, follow_id, state, created_at, updated_at`

func scanFollowing(row pgx.Row) (*directory.Following, error) {
	f := &directory.Following{}
	err := row.Scan(&f.ID, &f.Actor, &f.TargetID, &f.Account, &f.Name, &f.URL, &f.Inbox, &f.FollowID,
		(*string)(&f.State), &f.CreatedAt, &f.UpdatedAt)
	if err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = f.CreatedAt.UTC(), f.UpdatedAt.UTC()
	return f, nil
}

// CreateFollowing inserts f and sets f.ID. ECONFLICT when f.Actor already
// follows (or asked to follow) f.TargetID, or the Follow id is taken.
func (db *DB) CreateFollowing(ctx context.Context, f *directory.Following) error {
	if err := directory.CheckFollowState(f.State); err != nil {
		return err
	}
	var id int64
	err := db.write(ctx, "follow", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO following (actor, target_id, account, name, url, inbox, follow_id, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			f.Actor, f.TargetID, f.Account, f.Name, f.URL, f.Inbox, f.FollowID, string(f.State),
			ts(f.CreatedAt), ts(f.UpdatedAt)).Scan(&id)
	})
	if directory.ErrorCode(err) == directory.ECONFLICT {
		return &directory.Error{Code: directory.ECONFLICT, Message: "already following", Err: err}
	}
	if err == nil {
		f.ID = id
	}
	return err
}

// FindFollowing returns the follow with id. ENOTFOUND.
func (db *DB) FindFollowing(ctx context.Context, id int64) (*directory.Following, error) {
	return db.findFollowing(ctx, `id = $1`, id)
}

// FindFollowingByFollowID returns the follow whose Follow activity has this
// id. ENOTFOUND.
func (db *DB) FindFollowingByFollowID(ctx context.Context, followID string) (*directory.Following, error) {
	return db.findFollowing(ctx, `follow_id = $1`, followID)
}

func (db *DB) findFollowing(ctx context.Context, cond string, arg any) (*directory.Following, error) {
	var f *directory.Following
	err := db.read(ctx, "follow", func(tx pgx.Tx) (err error) {
		f, err = scanFollowing(tx.QueryRow(ctx, `SELECT `+followingColumns+` FROM following WHERE `+cond, arg))
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// ListFollowing returns every follow of actor, newest first.
func (db *DB) ListFollowing(ctx context.Context, actor string) ([]*directory.Following, error) {
	return db.followingWhere(ctx, `actor = $1 ORDER BY created_at DESC, id DESC`, actor)
}

// FollowingOf returns the accepted follows whose target is targetID.
func (db *DB) FollowingOf(ctx context.Context, targetID string) ([]*directory.Following, error) {
	return db.followingWhere(ctx, `target_id = $1 AND state = 'accepted' ORDER BY id`, targetID)
}

func (db *DB) followingWhere(ctx context.Context, cond string, arg any) ([]*directory.Following, error) {
	var out []*directory.Following
	err := db.readOne(ctx, "follows", func(q querier) (err error) {
		out, err = queryAll(ctx, q, scanFollowing, `SELECT `+followingColumns+` FROM following WHERE `+cond, arg)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CountFollowing counts actor's accepted follows.
func (db *DB) CountFollowing(ctx context.Context, actor string) (int, error) {
	var n int
	err := db.read(ctx, "follows", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM following WHERE actor = $1 AND state = 'accepted'`, actor).Scan(&n)
	})
	return n, err
}

// SetFollowingState changes the state of follow id at time at. ENOTFOUND,
// EINVALID for an unknown state.
func (db *DB) SetFollowingState(ctx context.Context, id int64, state directory.FollowState, at time.Time) error {
	if err := directory.CheckFollowState(state); err != nil {
		return err
	}
	return db.write(ctx, "follow", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `UPDATE following SET state = $2, updated_at = $3 WHERE id = $1 RETURNING id`,
			id, string(state), ts(at)).Scan(&id)
	})
}

// DeleteFollowing removes follow id. ENOTFOUND.
func (db *DB) DeleteFollowing(ctx context.Context, id int64) error {
	return db.write(ctx, "follow", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM following WHERE id = $1 RETURNING id`, id).Scan(&id)
	})
}
