package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// Capped facets (directory.DefaultCountCap): a text query with a CountCap
// counts its kind and sector facets over a sample, its newest CountCap
// matches, which reads at most CountCap+1 of them; and its listing facets
// in one read of its newest matches, until directory.ListingTally has
// enough.

// sampleSQL starts a query over the sample of the enterprises that pass w:
// m holds the newest n+1 (id and cols, columns of e with a leading comma),
// c the newest n. A facet counted over c, with the size of m as its third
// column, tells whether there were more than n matches.
func sampleSQL(w *where, n int, cols string) string {
	return `WITH m AS MATERIALIZED (SELECT e.id` + cols + ` FROM enterprises e` + w.String() +
		` ORDER BY e.id DESC LIMIT ` + strconv.Itoa(n+1) + `), c AS (SELECT * FROM m ORDER BY id DESC LIMIT ` + strconv.Itoa(n) + `) `
}

// cappedEnterpriseFacets counts the kinds and sectors of a text query with
// a CountCap over samples: the newest CountCap matches of the query without
// its kind filter, and of the query without its sector filter.
func cappedEnterpriseFacets(ctx context.Context, tx pgx.Tx, q directory.EnterpriseQuery) (kindCounts, sectorCounts []directory.FacetCount, err error) {
	n := q.CountCap
	if q.Sector == "" && len(q.Kinds) == 0 {
		return sharedSample(ctx, tx, q)
	}
	kw, _ := enterpriseFilters(q)
	if q.Sector != "" {
		kw.add("EXISTS (SELECT 1 FROM enterprise_sectors s WHERE s.enterprise_id = e.id AND s.sector = " + kw.arg(q.Sector) + ")")
	}
	kindCounts, err = sampleRows(ctx, tx, n, facetQuery{sampleSQL(kw, n, ", e.kind") +
		`SELECT c.kind, count(*), (SELECT count(*) FROM m) FROM c GROUP BY 1`, kw.args})
	if err != nil {
		return nil, nil, err
	}
	sw, _ := enterpriseFilters(q)
	if len(q.Kinds) > 0 {
		sw.add("e.kind = ANY(" + sw.arg(kinds(q)) + ")")
	}
	sectorCounts, err = sampleRows(ctx, tx, n, facetQuery{sampleSQL(sw, n, "") +
		`SELECT s.sector, count(*), (SELECT count(*) FROM m) FROM c JOIN enterprise_sectors s ON s.enterprise_id = c.id` +
		topSectors("s.sector"), sw.args})
	return kindCounts, sectorCounts, err
}

// sharedSample counts both facets over one sample, when neither has a
// filter of its own to leave out.
func sharedSample(ctx context.Context, tx pgx.Tx, q directory.EnterpriseQuery) (kindCounts, sectorCounts []directory.FacetCount, err error) {
	n := q.CountCap
	w, _ := enterpriseFilters(q)
	rows, err := tx.Query(ctx, sampleSQL(w, n, ", e.kind")+`
		SELECT true, c.kind, count(*), (SELECT count(*) FROM m) FROM c GROUP BY 2
		UNION ALL
		(SELECT false, s.sector, count(*), (SELECT count(*) FROM m) FROM c JOIN enterprise_sectors s ON s.enterprise_id = c.id
		GROUP BY 2 ORDER BY 3 DESC, s.sector COLLATE "C" LIMIT `+strconv.Itoa(directory.MaxSectorFacets)+`)`, w.args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var seen int
	for rows.Next() {
		var (
			isKind bool
			c      directory.FacetCount
		)
		if err := rows.Scan(&isKind, &c.Value, &c.Count, &seen); err != nil {
			return nil, nil, err
		}
		if isKind {
			kindCounts = append(kindCounts, c)
		} else {
			sectorCounts = append(sectorCounts, c)
		}
	}
	return directory.CapFacets(kindCounts, seen > n), directory.CapFacets(sectorCounts, seen > n), rows.Err()
}

// sampleRows reads the (value, count, size of the sample) rows of a facet
// counted over a sample of n, marking the counts AtLeast when there were
// more matches.
func sampleRows(ctx context.Context, tx pgx.Tx, n int, q facetQuery) ([]directory.FacetCount, error) {
	rows, err := tx.Query(ctx, q.sql, q.args...)
	if err != nil {
		return nil, err
	}
	var seen int
	counts, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (c directory.FacetCount, err error) {
		return c, row.Scan(&c.Value, &c.Count, &seen)
	})
	return directory.CapFacets(counts, seen > n), err
}

// tallyBatch is how many matches cappedListingFacets fetches at a time.
const tallyBatch = 1000

// cappedListingFacets counts the facets of a listing text query with a
// CountCap from its matches without its type and category filters, newest
// first, fetched through a cursor until directory.ListingTally has enough.
func cappedListingFacets(ctx context.Context, tx pgx.Tx, q directory.ListingQuery) (*directory.ListingFacets, error) {
	w := listingMatches(q)
	if _, err := tx.Exec(ctx, `DECLARE listing_tally NO SCROLL CURSOR FOR
		SELECT l.type, l.category FROM listings l`+w.String()+` ORDER BY l.id DESC`, w.args...); err != nil {
		return nil, err
	}
	tally := directory.NewListingTally(q)
	for more := true; more; {
		rows, err := tx.Query(ctx, `FETCH `+strconv.Itoa(tallyBatch)+` FROM listing_tally`)
		if err != nil {
			return nil, err
		}
		got := 0
		for rows.Next() {
			var typ, category string
			if err := rows.Scan(&typ, &category); err != nil {
				rows.Close()
				return nil, err
			}
			got++
			more = tally.Add(directory.ListingType(typ), directory.Category(category)) && more
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		more = more && got == tallyBatch
	}
	if _, err := tx.Exec(ctx, `CLOSE listing_tally`); err != nil {
		return nil, err
	}
	return tally.Facets(), nil
}
