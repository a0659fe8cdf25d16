package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The federation state of directory.FederationStore: followers and follows
// here; what arrives in the inbox (feed posts, responses, reports, activity
// ids) in federation_inbox.go; remote actors, hosts, domain blocks, cursors
// and the expiry sweep in federation_remote.go.

// SaveFollower adds f, or updates the follower with the same Actor and
// FollowerID (its creation time is kept).
func (db *DB) SaveFollower(ctx context.Context, f *directory.Follower) error {
	return db.inWrite(ctx, "save follower", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `
			INSERT INTO followers (actor, follower_id, inbox, shared_inbox, follow_id, peer, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (actor, follower_id) DO UPDATE SET inbox = excluded.inbox,
				shared_inbox = excluded.shared_inbox, follow_id = excluded.follow_id, peer = excluded.peer`,
			f.Actor, f.FollowerID, f.Inbox, f.SharedInbox, f.FollowID, boolInt(f.Peer), micros(f.CreatedAt))
		if err != nil {
			return directory.Internal(err, "save follower")
		}
		return nil
	})
}

// DeleteFollower removes followerID from actor's followers and reports
// whether it was there.
func (db *DB) DeleteFollower(ctx context.Context, actor, followerID string) (bool, error) {
	n, err := db.exec(ctx, "delete follower",
		`DELETE FROM followers WHERE actor = ? AND follower_id = ?`, actor, followerID)
	return n > 0, err
}

// DeleteFollowersByInbox removes every follower whose inbox or shared inbox
// is inbox and returns how many.
func (db *DB) DeleteFollowersByInbox(ctx context.Context, inbox string) (int, error) {
	n, err := db.exec(ctx, "delete followers",
		`DELETE FROM followers WHERE inbox = ? OR shared_inbox = ?`, inbox, inbox)
	return int(n), err
}

// exec runs one statement in its own write transaction and returns the
// number of rows it changed.
func (db *DB) exec(ctx context.Context, what, query string, args ...any) (int64, error) {
	var n int64
	err := db.inWrite(ctx, what, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return directory.Internal(err, what)
		}
		if n, err = res.RowsAffected(); err != nil {
			return directory.Internal(err, what)
		}
		return nil
	})
	return n, err
}

// ListFollowers returns a page of actor's followers, oldest first, and
// their total.
func (db *DB) ListFollowers(ctx context.Context, actor string, p directory.Page) ([]*directory.Follower, int, error) {
	p = p.Normal()
	out := []*directory.Follower{}
	var total int
	err := db.inRead(ctx, "list followers", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM followers WHERE actor = ?`, actor).Scan(&total); err != nil {
			return directory.Internal(err, "count followers")
		}
		return eachRow(ctx, tx, "list followers", func(row scanner) error {
			var (
				f       directory.Follower
				created int64
			)
			if err := row.Scan(&f.Actor, &f.FollowerID, &f.Inbox, &f.SharedInbox, &f.FollowID, &f.Peer, &created); err != nil {
				return err
			}
			f.CreatedAt = fromMicros(created)
			out = append(out, &f)
			return nil
		}, `SELECT actor, follower_id, inbox, shared_inbox, follow_id, peer, created_at
			FROM followers WHERE actor = ? ORDER BY created_at, follower_id LIMIT ? OFFSET ?`,
			actor, p.PerPage, p.Offset())
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// eachRow runs query in tx and calls fn on every row; errors become
// EINTERNAL about what.
func eachRow(ctx context.Context, tx *sql.Tx, what string, fn func(scanner) error, query string, args ...any) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return directory.Internal(err, what)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return directory.Internal(err, what)
		}
	}
	if err := rows.Err(); err != nil {
		return directory.Internal(err, what)
	}
	return nil
}

// FollowerRecipients returns the distinct delivery inboxes (shared inbox
// when there is one) of the followers of any of actors, sorted.
func (db *DB) FollowerRecipients(ctx context.Context, actors []string) ([]directory.Recipient, error) {
	out := []directory.Recipient{}
	if len(actors) == 0 {
		return out, nil
	}
	args := make([]any, len(actors))
	for i, a := range actors {
		args[i] = a
	}
	query := `SELECT CASE WHEN shared_inbox <> '' THEN shared_inbox ELSE inbox END AS box, max(peer)
		FROM followers WHERE actor IN (` + placeholders(len(actors)) + `)
		GROUP BY box ORDER BY box`
	err := db.inRead(ctx, "follower recipients", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "follower recipients", func(row scanner) error {
			var r directory.Recipient
			if err := row.Scan(&r.Inbox, &r.Peer); err != nil {
				return err
			}
			out = append(out, r)
			return nil
		}, query, args...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// placeholders returns n comma-separated "?".
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

const followingColumns = `id, actor, target_id, account, name, url, inbox, follow_id, state, created_at, updated_at`

func scanFollowing(row scanner) (*directory.Following, error) {
	var (
		f                directory.Following
		created, updated int64
	)
	err := row.Scan(&f.ID, &f.Actor, &f.TargetID, &f.Account, &f.Name, &f.URL, &f.Inbox, &f.FollowID,
		&f.State, &created, &updated)
	if err != nil {
		return nil, err
	}
	f.CreatedAt, f.UpdatedAt = fromMicros(created), fromMicros(updated)
	return &f, nil
}

// CreateFollowing inserts f and sets f.ID. ECONFLICT when f.Actor already
// follows (or asked to follow) f.TargetID, or the Follow id is taken.
func (db *DB) CreateFollowing(ctx context.Context, f *directory.Following) error {
	if err := directory.CheckFollowState(f.State); err != nil {
		return err
	}
	var id int64
	err := db.inWrite(ctx, "create following", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO following (actor, target_id, account, name, url, inbox, follow_id, state, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			f.Actor, f.TargetID, f.Account, f.Name, f.URL, f.Inbox, f.FollowID, string(f.State),
			micros(f.CreatedAt), micros(f.UpdatedAt)).Scan(&id)
		if isUnique(err) {
			return directory.Errorf(directory.ECONFLICT, "already following")
		}
		if err != nil {
			return directory.Internal(err, "create following")
		}
		return nil
	})
	if err == nil {
		f.ID = id
	}
	return err
}

// FindFollowing returns the follow with id. ENOTFOUND.
func (db *DB) FindFollowing(ctx context.Context, id int64) (*directory.Following, error) {
	f, err := scanFollowing(db.read.QueryRowContext(ctx,
		`SELECT `+followingColumns+` FROM following WHERE id = ?`, id))
	if err != nil {
		return nil, notFound(err, "follow not found", "find following")
	}
	return f, nil
}

// FindFollowingByFollowID returns the follow whose Follow activity has this
// id. ENOTFOUND.
func (db *DB) FindFollowingByFollowID(ctx context.Context, followID string) (*directory.Following, error) {
	f, err := scanFollowing(db.read.QueryRowContext(ctx,
		`SELECT `+followingColumns+` FROM following WHERE follow_id = ?`, followID))
	if err != nil {
		return nil, notFound(err, "follow not found", "find following")
	}
	return f, nil
}

// ListFollowing returns every follow of actor, newest first.
func (db *DB) ListFollowing(ctx context.Context, actor string) ([]*directory.Following, error) {
	return db.followingWhere(ctx, `actor = ? ORDER BY created_at DESC, id DESC`, actor)
}

// FollowingOf returns the accepted follows whose target is targetID.
func (db *DB) FollowingOf(ctx context.Context, targetID string) ([]*directory.Following, error) {
	return db.followingWhere(ctx, `target_id = ? AND state = 'accepted' ORDER BY id`, targetID)
}

func (db *DB) followingWhere(ctx context.Context, cond string, args ...any) ([]*directory.Following, error) {
	out := []*directory.Following{}
	err := db.inRead(ctx, "list following", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "list following", func(row scanner) error {
			f, err := scanFollowing(row)
			if err != nil {
				return err
			}
			out = append(out, f)
			return nil
		}, `SELECT `+followingColumns+` FROM following WHERE `+cond, args...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CountFollowing counts actor's accepted follows.
func (db *DB) CountFollowing(ctx context.Context, actor string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx,
		`SELECT count(*) FROM following WHERE actor = ? AND state = 'accepted'`, actor).Scan(&n)
	if err != nil {
		return 0, directory.Internal(err, "count following")
	}
	return n, nil
}

// SetFollowingState changes the state of follow id at time at. ENOTFOUND,
// EINVALID for an unknown state.
func (db *DB) SetFollowingState(ctx context.Context, id int64, state directory.FollowState, at time.Time) error {
	if err := directory.CheckFollowState(state); err != nil {
		return err
	}
	return db.inWrite(ctx, "set following state", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE following SET state = ?, updated_at = ? WHERE id = ? RETURNING id`,
			string(state), micros(at), id).Scan(&id)
		if err != nil {
			return notFound(err, "follow not found", "set following state")
		}
		return nil
	})
}

// DeleteFollowing removes follow id. ENOTFOUND.
func (db *DB) DeleteFollowing(ctx context.Context, id int64) error {
	return db.inWrite(ctx, "delete following", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM following WHERE id = ? RETURNING id`, id).Scan(&id)
		if err != nil {
			return notFound(err, "follow not found", "delete following")
		}
		return nil
	})
}
