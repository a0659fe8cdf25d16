package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// Facets are counted from the summary tables (enterprise_counts,
// sector_counts, listing_counts, kept by triggers) when a query filters on
// their columns alone: a sum over a few hundred rows. A query with text, a
// distance or an enterprise counts its matches; a text query with a
// CountCap counts a sample of them (search_capped.go). Each summary table
// is read under the alias of the searched table, so that the search
// conditions apply to it unchanged.

// EnterpriseFacets counts the matches of q by kind and by sector (the
// MaxSectorFacets most common), each facet ignoring its own filter.
func (db *DB) EnterpriseFacets(ctx context.Context, q directory.EnterpriseQuery) (*directory.EnterpriseFacets, error) {
	f := &directory.EnterpriseFacets{}
	err := db.read(ctx, "enterprise counts", func(tx pgx.Tx) (err error) {
		lookups, err := textLookups(ctx, tx, q.Text)
		if err != nil {
			return err
		}
		w, summary := enterpriseFilters(q, lookups)
		if q.CountCap > 0 && len(fulltext.Terms(q.Text)) > 0 {
			f.Kinds, f.Sectors, err = cappedEnterpriseFacets(ctx, tx, q, lookups)
			return err
		}
		if !summary {
			f.Kinds, f.Sectors, err = matchFacets(ctx, tx, w, q, lookups)
			return err
		}
		if f.Kinds, err = facetRows(ctx, tx, kindSummary(w, q)); err != nil {
			return err
		}
		f.Sectors, err = facetRows(ctx, tx, sectorSummary(q))
		return err
	})
	if err != nil {
		return nil, err
	}
	f.Kinds = directory.SortFacets(f.Kinds, 0)
	f.Sectors = directory.SortFacets(f.Sectors, directory.MaxSectorFacets)
	return f, nil
}

// facetQuery is a query returning (value, count) rows, with its arguments.
type facetQuery struct {
	sql  string
	args []any
}

// enterpriseFilters returns the conditions both facets keep: text (asking
// the text index for lookups, see lookupTerms), origin and distance; and
// whether there are only conditions on origin, which the summary tables
// answer.
func enterpriseFilters(q directory.EnterpriseQuery, lookups []string) (*where, bool) {
	w := &where{}
	tsq := w.text("e", q.Text)
	w.use(lookups)
	w.origin("e", q.Origin)
	if q.Geo != nil {
		w.near("e", q.Geo)
	}
	return w, tsq == "" && q.Geo == nil
}

func kinds(q directory.EnterpriseQuery) []string {
	out := make([]string, len(q.Kinds))
	for i, k := range q.Kinds {
		out[i] = string(k)
	}
	return out
}

// topSectors orders and cuts the sector facet of a query grouped by sector.
func topSectors(sector string) string {
	return " GROUP BY 1 ORDER BY 2 DESC, " + sector + ` COLLATE "C" LIMIT ` + strconv.Itoa(directory.MaxSectorFacets)
}

// kindSummary counts by kind from the summaries, ignoring the kind filter.
func kindSummary(w *where, q directory.EnterpriseQuery) facetQuery {
	from := "enterprise_counts e"
	if q.Sector != "" {
		from = "sector_counts e"
		w.add("e.sector = " + w.arg(q.Sector))
	}
	return facetQuery{"SELECT e.kind, sum(e.n)::bigint FROM " + from + w.String() + " GROUP BY 1", w.args}
}

// sectorSummary counts the most common sectors from the summary, ignoring
// the sector filter.
func sectorSummary(q directory.EnterpriseQuery) facetQuery {
	w, _ := enterpriseFilters(q, nil)
	if len(q.Kinds) > 0 {
		w.add("e.kind = ANY(" + w.arg(kinds(q)) + ")")
	}
	return facetQuery{"SELECT e.sector, sum(e.n)::bigint FROM sector_counts e" + w.String() + topSectors("e.sector"), w.args}
}

// lookupSectors is the number of expected matches up to which
// matchFacets reads the matches once and looks up each one's sectors;
// above it, two queries that PostgreSQL runs in parallel cost less.
var lookupSectors = 20000.0

// estimate returns the number of rows the planner expects query to return.
func estimate(ctx context.Context, tx pgx.Tx, query string, args []any) (float64, error) {
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+query, args...).Scan(&plan); err != nil || len(plan) == 0 {
		return 0, err
	}
	return plan[0].Plan.Rows, nil
}

// matchFacets counts the matches of a text or distance query in one read
// of them: by kind (of those in the sector filter, if any) and by sector
// (of those of the kinds filtered on). The sectors of each match are read
// through their primary key: the matches are few next to the sectors.
func matchFacets(ctx context.Context, tx pgx.Tx, w *where, q directory.EnterpriseQuery, lookups []string) (kindCounts, sectorCounts []directory.FacetCount, err error) {
	n, err := estimate(ctx, tx, "SELECT e.id FROM enterprises e"+w.String(), w.args)
	if err != nil {
		return nil, nil, err
	}
	inSector, ofKind := "true", "true"
	if q.Sector != "" {
		inSector = "EXISTS (SELECT 1 FROM enterprise_sectors s WHERE s.enterprise_id = e.id AND s.sector = " + w.arg(q.Sector) + ")"
	}
	if len(q.Kinds) > 0 {
		ofKind = "m.kind = ANY(" + w.arg(kinds(q)) + ")"
	}
	if n > lookupSectors {
		return manyMatchFacets(ctx, tx, q, lookups)
	}
	// A lateral subquery makes PostgreSQL look up each match's sectors by
	// its key (left alone, it hashes the whole sector table).
	rows, err := tx.Query(ctx, `
		WITH m AS MATERIALIZED (SELECT e.id, e.kind, `+inSector+` AS in_sector FROM enterprises e`+w.String()+`)
		SELECT true, m.kind, count(*) FROM m WHERE m.in_sector GROUP BY 2
		UNION ALL
		(SELECT false, s.sector, count(*) FROM m
			CROSS JOIN LATERAL (SELECT s.sector FROM enterprise_sectors s WHERE s.enterprise_id = m.id OFFSET 0) s
		WHERE `+ofKind+` GROUP BY 2 ORDER BY 3 DESC, s.sector COLLATE "C" LIMIT `+strconv.Itoa(directory.MaxSectorFacets)+`)`,
		w.args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			isKind bool
			c      directory.FacetCount
		)
		if err := rows.Scan(&isKind, &c.Value, &c.Count); err != nil {
			return nil, nil, err
		}
		if isKind {
			kindCounts = append(kindCounts, c)
		} else {
			sectorCounts = append(sectorCounts, c)
		}
	}
	return kindCounts, sectorCounts, rows.Err()
}

// ListingFacets counts the matches of q by type and by category, each
// facet ignoring its own filter. One pass counts the matches of the other
// filters by type and category together; directory.ListingFacetsOf adds
// them up.
func (db *DB) ListingFacets(ctx context.Context, q directory.ListingQuery) (*directory.ListingFacets, error) {
	if q.CountCap > 0 && len(fulltext.Terms(q.Text)) > 0 {
		var f *directory.ListingFacets
		err := db.read(ctx, "listing counts", func(tx pgx.Tx) (err error) {
			f, err = cappedListingFacets(ctx, tx, q)
			return err
		})
		if err != nil {
			return nil, err
		}
		return f, nil
	}
	var pairs []directory.PairCount
	err := db.read(ctx, "listing counts", func(tx pgx.Tx) error {
		lookups, err := textLookups(ctx, tx, q.Text)
		if err != nil {
			return err
		}
		sql, args := listingPairs(q, lookups)
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		pairs, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (p directory.PairCount, err error) {
			return p, row.Scan((*string)(&p.Type), (*string)(&p.Category), &p.Count)
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	return directory.ListingFacetsOf(pairs, q), nil
}

// listingPairs is the query counting the matches of q, but for its type
// and category filters, by type and category. listing_counts has every
// column but those of text, distance and enterprise, valid_until included.
func listingPairs(q directory.ListingQuery, lookups []string) (string, []any) {
	w := listingMatches(q)
	w.use(lookups)
	if len(fulltext.Terms(q.Text)) == 0 && q.Geo == nil && q.Enterprise == "" {
		return "SELECT l.type, l.category, sum(l.n)::bigint FROM listing_counts l" + w.String() + " GROUP BY 1, 2", w.args
	}
	return "SELECT l.type, l.category, count(*) FROM listings l" + w.String() + " GROUP BY 1, 2", w.args
}

// listingMatches is the condition of the matches of q but for its type and
// category filters. Without text, distance or enterprise it is also one
// on listing_counts.
func listingMatches(q directory.ListingQuery) *where {
	w := &where{}
	w.text("l", q.Text)
	statusFilter(w, q.Status, q.Today)
	w.origin("l", q.Origin)
	if q.Enterprise != "" {
		w.add("l.enterprise_id IN (SELECT id FROM enterprises WHERE handle = " + w.arg(q.Enterprise) + ")")
	}
	if q.Geo != nil {
		w.near("l", q.Geo)
	}
	return w
}

func facetRows(ctx context.Context, tx pgx.Tx, q facetQuery) ([]directory.FacetCount, error) {
	rows, err := tx.Query(ctx, q.sql, q.args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (c directory.FacetCount, err error) {
		return c, row.Scan(&c.Value, &c.Count)
	})
}

// Counts counts every enterprise, the open needs and offers that have not
// expired on today, and every announcement, from the summary tables.
func (db *DB) Counts(ctx context.Context, today string) (*directory.Counts, error) {
	c := &directory.Counts{}
	err := db.read(ctx, "counts", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `SELECT
			(SELECT COALESCE(sum(n), 0)::bigint FROM enterprise_counts),
			(SELECT COALESCE(sum(n) FILTER (WHERE type = 'need'), 0)::bigint FROM listing_counts
				WHERE status = 'open' AND valid_until >= $1::date),
			(SELECT COALESCE(sum(n) FILTER (WHERE type = 'offer'), 0)::bigint FROM listing_counts
				WHERE status = 'open' AND valid_until >= $1::date),
			(SELECT COALESCE(sum(n), 0)::bigint FROM announcement_counts)`, today,
		).Scan(&c.Enterprises, &c.Needs, &c.Offers, &c.Announcements)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// manyMatchFacets counts the facets of many matches (see matchFacets) in
// two queries, leaving the plans to PostgreSQL.
func manyMatchFacets(ctx context.Context, tx pgx.Tx, q directory.EnterpriseQuery, lookups []string) (kindCounts, sectorCounts []directory.FacetCount, err error) {
	kw, _ := enterpriseFilters(q, lookups)
	if q.Sector != "" {
		kw.add("EXISTS (SELECT 1 FROM enterprise_sectors s WHERE s.enterprise_id = e.id AND s.sector = " + kw.arg(q.Sector) + ")")
	}
	kindCounts, err = facetRows(ctx, tx, facetQuery{"SELECT e.kind, count(*) FROM enterprises e" + kw.String() + " GROUP BY 1", kw.args})
	if err != nil {
		return nil, nil, err
	}
	sw, _ := enterpriseFilters(q, lookups)
	if len(q.Kinds) > 0 {
		sw.add("e.kind = ANY(" + sw.arg(kinds(q)) + ")")
	}
	sectorCounts, err = facetRows(ctx, tx, facetQuery{"SELECT s.sector, count(*) FROM enterprises e" +
		" JOIN enterprise_sectors s ON s.enterprise_id = e.id" + sw.String() + topSectors("s.sector"), sw.args})
	return kindCounts, sectorCounts, err
}
