package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// The vocabulary of the text indexes (migrations/postgres/00019): the
// writes hand each row's words over in its search_vocab column, which a
// trigger moves into search_vocabulary.

// SearchWords returns up to limit words of the vocabulary that begin with
// head and have from minSize to maxSize characters.
func (db *DB) SearchWords(ctx context.Context, head string, minSize, maxSize, limit int) ([]string, error) {
	var words []string
	err := db.readOne(ctx, "search words", func(q querier) error {
		rows, err := q.Query(ctx, `SELECT DISTINCT word FROM search_vocabulary
			WHERE head = $1 AND size BETWEEN $2 AND $3 LIMIT $4`, head, minSize, maxSize, limit)
		if err != nil {
			return err
		}
		words, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return words, err
}
