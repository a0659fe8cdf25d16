package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// addWords adds words (folded, distinct) to the vocabulary of the text
// indexes (migrations/sqlite/00019), which suggestions read.
func addWords(ctx context.Context, tx dbtx, words []string) error {
	if len(words) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO search_vocabulary (word, head, size)
		SELECT value, substr(value, 1, 1), length(value) FROM json_each(?)`, encodeList(words))
	if err != nil {
		return directory.Internal(err, "add search words")
	}
	return nil
}

// SearchWords returns up to limit words of the vocabulary that begin with
// head and have from minSize to maxSize characters.
func (db *DB) SearchWords(ctx context.Context, head string, minSize, maxSize, limit int) ([]string, error) {
	var words []string
	err := db.inRead(ctx, "search words", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT word FROM search_vocabulary
			WHERE head = ? AND size BETWEEN ? AND ? LIMIT ?`, head, minSize, maxSize, limit)
		if err != nil {
			return directory.Internal(err, "search words")
		}
		defer rows.Close()
		for rows.Next() {
			var w string
			if err := rows.Scan(&w); err != nil {
				return directory.Internal(err, "search words")
			}
			words = append(words, w)
		}
		if err := rows.Err(); err != nil {
			return directory.Internal(err, "search words")
		}
		return nil
	})
	return words, err
}
