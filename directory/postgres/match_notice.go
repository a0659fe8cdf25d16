package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// MatchesToNotify returns up to limit shown matches whose editors were not
// told yet, oldest first.
func (db *DB) MatchesToNotify(ctx context.Context, today string, limit int) ([]*directory.Match, error) {
	var out []*directory.Match
	err := db.read(ctx, "matches to notify", func(tx pgx.Tx) (err error) {
		out, err = readMatches(ctx, tx, 0, `SELECT `+matchColumns+shownMatches+
			` AND m.notified_at IS NULL ORDER BY m.id LIMIT $2`, today, limit)
		return err
	})
	return out, err
}

// MarkMatchesNotified records that the editors of matches ids were told at
// at. Ids of matches that are gone are skipped.
func (db *DB) MarkMatchesNotified(ctx context.Context, ids []int64, at time.Time) error {
	return db.write(ctx, "matches", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE matches SET notified_at = $1 WHERE id = ANY($2) AND notified_at IS NULL`, ts(at), ids)
		return err
	})
}
