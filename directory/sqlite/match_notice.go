package sqlite

import (
	"context"
	"database/sql"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// MatchesToNotify returns up to limit shown matches whose editors were not
// told yet, oldest first.
func (db *DB) MatchesToNotify(ctx context.Context, today string, limit int) ([]*directory.Match, error) {
	var out []*directory.Match
	err := db.inRead(ctx, "matches to notify", func(tx *sql.Tx) (err error) {
		out, err = readMatches(ctx, tx, 0, `SELECT `+matchColumns+shownMatches+
			` AND m.notified_at IS NULL ORDER BY m.id LIMIT :limit`,
			sql.Named("today", today), sql.Named("limit", limit))
		return err
	})
	return out, err
}

// MarkMatchesNotified records that the editors of matches ids were told at
// at. Ids of matches that are gone are skipped.
func (db *DB) MarkMatchesNotified(ctx context.Context, ids []int64, at time.Time) error {
	return db.inWrite(ctx, "mark matches notified", func(tx *sql.Tx) error {
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE matches SET notified_at = ? WHERE id = ? AND notified_at IS NULL`, micros(at), id); err != nil {
				return directory.Internal(err, "mark match notified")
			}
		}
		return nil
	})
}
