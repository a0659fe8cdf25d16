package postgres

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// reindexBatch is how many rows one transaction of a reindex rewrites, so
// that a large directory is reindexed without long transactions.
const reindexBatch = 500

// reindexSearch rebuilds the search columns and the vocabulary when they
// were built another way than fulltext.IndexVersion (migrations/postgres
// 00019), in batches of reindexBatch rows, each its own transaction; an
// interrupted rebuild starts again at the next start.
func (db *DB) reindexSearch(ctx context.Context) error {
	var version int
	if err := db.pool.QueryRow(ctx, `SELECT version FROM search_index`).Scan(&version); err != nil {
		return translate(err, "read search index version")
	}
	if version == fulltext.IndexVersion {
		return nil
	}
	step := func(batch func(ctx context.Context, tx pgx.Tx, after int64) (int64, error)) func(int64) (int64, error) {
		return func(after int64) (last int64, err error) {
			err = db.write(ctx, "reindex", func(tx pgx.Tx) (err error) {
				last, err = batch(ctx, tx, after)
				return err
			})
			return last, err
		}
	}
	if err := directory.InBatches(step(reindexEnterprises), step(reindexListingBatch)); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, `UPDATE search_index SET version = $1`, fulltext.IndexVersion)
	return translate(err, "write search index version")
}

// reindexEnterprises rewrites the search columns of the reindexBatch
// enterprises after id after, and returns the last id (0: none left).
func reindexEnterprises(ctx context.Context, tx pgx.Tx, after int64) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e WHERE e.id > $1 ORDER BY e.id LIMIT $2`,
		after, reindexBatch)
	if err != nil {
		return 0, err
	}
	es, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (*directory.Enterprise, error) { return scanEnterprise(row) })
	if err != nil || len(es) == 0 {
		return 0, err
	}
	ids := make([]int64, len(es))
	name, tags, body, vocab := make([]string, len(es)), make([]string, len(es)), make([]string, len(es)), make([]string, len(es))
	for i, e := range es {
		// enterpriseValues ends with the search columns, in order, and
		// the translations.
		v := enterpriseValues(e)
		v = v[len(v)-5 : len(v)-1]
		ids[i], name[i], tags[i], body[i] = e.ID, v[0].(string), v[1].(string), v[2].(string)
		vocab[i] = strings.Join(v[3].([]string), " ")
	}
	_, err = tx.Exec(ctx, `UPDATE enterprises e SET search_name = u.name, search_tags = u.tags, search_body = u.body,
			search_vocab = string_to_array(u.vocab, ' ')
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u (id, name, tags, body, vocab)
		WHERE e.id = u.id`, ids, name, tags, body, vocab)
	return ids[len(ids)-1], err
}

// reindexListingBatch rewrites the search columns of the reindexBatch
// listings after id after, and returns the last id (0: none left).
func reindexListingBatch(ctx context.Context, tx pgx.Tx, after int64) (int64, error) {
	return reindexListings(ctx, tx, `l.id > $1 ORDER BY l.id LIMIT $2`, after, reindexBatch)
}

// reindexListings rewrites the search columns of the listings that cond
// (on listings l) selects, in their enterprise's language, and returns
// the last id rewritten (0: none).
func reindexListings(ctx context.Context, tx pgx.Tx, cond string, args ...any) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT l.id, l.title, l.description, l.unit, l.category, l.translations, e.languages
		FROM listings l JOIN enterprises e ON e.id = l.enterprise_id WHERE `+cond, args...)
	if err != nil {
		return 0, err
	}
	var (
		ids                []int64
		title, body, vocab []string
		l                  directory.Listing
		codes              []string
	)
	_, err = pgx.ForEachRow(rows, []any{&l.ID, &l.Title, &l.Description, &l.Unit, (*string)(&l.Category), &l.Translations, &codes}, func() error {
		v := listingValues(&l, fulltext.EntryLanguage(codes))
		v = v[len(v)-4 : len(v)-1] // the search columns, in order, before the translations
		ids, title, body = append(ids, l.ID), append(title, v[0].(string)), append(body, v[1].(string))
		vocab = append(vocab, strings.Join(v[2].([]string), " "))
		return nil
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	_, err = tx.Exec(ctx, `UPDATE listings l SET search_name = u.title, search_body = u.body,
			search_vocab = string_to_array(u.vocab, ' ')
		FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS u (id, title, body, vocab)
		WHERE l.id = u.id`, ids, title, body, vocab)
	return ids[len(ids)-1], err
}
