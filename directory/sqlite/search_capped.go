package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/coopdir/coopdir/directory"
)

// Capped facets (directory.DefaultCountCap): a text query with a CountCap
// counts its kind and sector facets over a sample, its newest CountCap
// matches, which reads at most CountCap+1 of them; and its listing facets
// in one read of its newest matches, until directory.ListingTally has
// enough.

// sampleFrom returns how to read the matches of a text search newest
// first, their condition and their id (also the order). Without other
// filters, and when the caller needs no column of the row, the FTS5 index
// alone gives the ids.
func (s *search) sampleFrom(needRow bool) (from, cond, id string) {
	if !needRow && len(s.broad) == 0 && len(s.narrow) == 0 {
		return s.fts, s.fts + " MATCH " + s.match, "rowid"
	}
	from, cond = s.matchesFrom()
	if s.via == "" && len(s.narrow) == 0 {
		// FTS5 yields its matches in rowid order, either way, at no cost.
		return from, cond, s.fts + ".rowid"
	}
	return from, cond, "t.id"
}

// sampleSQL starts a query over the sample of s: m holds the newest n+1
// matches (id and cols, which name columns of t with a leading comma), c
// the newest n. A facet counted over c, with the size of m as its third
// column, tells whether the query had more than n matches.
func (s *search) sampleSQL(n int, cols string) string {
	from, cond, id := s.sampleFrom(cols != "")
	return fmt.Sprintf("WITH m AS MATERIALIZED (SELECT %s AS id%s FROM %s WHERE %s ORDER BY %s DESC LIMIT %d), "+
		"c AS (SELECT * FROM m ORDER BY id DESC LIMIT %d) ", id, cols, from, cond, id, n+1, n)
}

// sampleFacet counts the sample of s (see sampleSQL) by column of t.
func (s *search) sampleFacet(n int, column string) facetQuery {
	return facetQuery{sql: s.sampleSQL(n, ", t."+column) +
		"SELECT c." + column + ", count(*), (SELECT count(*) FROM m) FROM c GROUP BY 1", args: s.args, sample: n}
}

// sampleSectors counts the sectors of the sample of s, the most common.
func (s *search) sampleSectors(n int) facetQuery {
	return facetQuery{sql: s.sampleSQL(n, "") + "SELECT es.sector, count(*), (SELECT count(*) FROM m) FROM c " +
		fmt.Sprintf("JOIN enterprise_sectors es ON es.enterprise_id = c.id GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %d", directory.MaxSectorFacets),
		args: s.args, sample: n}
}

// cappedListingFacets counts the facets of a text query with a CountCap
// in one read of its matches, newest first, without its type and category
// filters: directory.ListingTally says when it has read enough.
func cappedListingFacets(ctx context.Context, tx *sql.Tx, q directory.ListingQuery) (*directory.ListingFacets, error) {
	s := listingMatches(q)
	from, cond, id := s.sampleFrom(true)
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT t.type, t.category FROM %s WHERE %s ORDER BY %s DESC", from, cond, id), s.args...)
	if err != nil {
		return nil, directory.Internal(err, "count listings")
	}
	defer rows.Close()
	tally := directory.NewListingTally(q)
	for rows.Next() {
		var (
			typ directory.ListingType
			c   directory.Category
		)
		if err := rows.Scan(&typ, &c); err != nil {
			return nil, directory.Internal(err, "count listings")
		}
		if !tally.Add(typ, c) {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "count listings")
	}
	return tally.Facets(), nil
}
