package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// Facets are counted from the summary tables (enterprise_counts,
// sector_counts, listing_counts, kept by triggers) when a query filters on
// their columns alone: a sum over a few hundred rows. A query with text, a
// distance or an enterprise counts its matches. Each summary table is read
// under the alias of the searched table, so that the search conditions
// apply to it unchanged.

// EnterpriseFacets counts the matches of q by kind and by sector (the
// MaxSectorFacets most common), each facet ignoring its own filter.
func (db *DB) EnterpriseFacets(ctx context.Context, q directory.EnterpriseQuery) (*directory.EnterpriseFacets, error) {
	f := &directory.EnterpriseFacets{}
	err := db.read(ctx, "enterprise counts", func(tx pgx.Tx) (err error) {
		if f.Kinds, err = facetRows(ctx, tx, kindFacet(q)); err != nil {
			return err
		}
		f.Sectors, err = facetRows(ctx, tx, sectorFacet(q))
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

// enterpriseFilters returns the conditions both facets keep: text, origin
// and distance; and whether there are only conditions on origin.
func enterpriseFilters(q directory.EnterpriseQuery) (*where, bool) {
	w := &where{}
	tsq := w.text("e", q.Text)
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

// kindFacet counts by kind, ignoring the kind filter.
func kindFacet(q directory.EnterpriseQuery) facetQuery {
	w, summary := enterpriseFilters(q)
	if summary {
		from := "enterprise_counts e"
		if q.Sector != "" {
			from = "sector_counts e"
			w.add("e.sector = " + w.arg(q.Sector))
		}
		return facetQuery{"SELECT e.kind, sum(e.n)::bigint FROM " + from + w.String() + " GROUP BY 1", w.args}
	}
	if q.Sector != "" {
		w.add("EXISTS (SELECT 1 FROM enterprise_sectors s WHERE s.enterprise_id = e.id AND s.sector = " + w.arg(q.Sector) + ")")
	}
	return facetQuery{"SELECT e.kind, count(*) FROM enterprises e" + w.String() + " GROUP BY 1", w.args}
}

// sectorFacet counts the most common sectors, ignoring the sector filter.
func sectorFacet(q directory.EnterpriseQuery) facetQuery {
	w, summary := enterpriseFilters(q)
	if len(q.Kinds) > 0 {
		w.add("e.kind = ANY(" + w.arg(kinds(q)) + ")")
	}
	top := func(sector string) string {
		return " GROUP BY 1 ORDER BY 2 DESC, " + sector + ` COLLATE "C" LIMIT ` + strconv.Itoa(directory.MaxSectorFacets)
	}
	if summary {
		return facetQuery{"SELECT e.sector, sum(e.n)::bigint FROM sector_counts e" + w.String() + top("e.sector"), w.args}
	}
	return facetQuery{"SELECT s.sector, count(*) FROM enterprises e JOIN enterprise_sectors s ON s.enterprise_id = e.id" +
		w.String() + top("s.sector"), w.args}
}

// ListingFacets counts the matches of q by type and by category, each
// facet ignoring its own filter. One pass counts the matches of the other
// filters by type and category together; directory.ListingFacetsOf adds
// them up.
func (db *DB) ListingFacets(ctx context.Context, q directory.ListingQuery) (*directory.ListingFacets, error) {
	var pairs []directory.PairCount
	err := db.read(ctx, "listing counts", func(tx pgx.Tx) error {
		sql, args := listingPairs(q)
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
func listingPairs(q directory.ListingQuery) (string, []any) {
	w := &where{}
	tsq := w.text("l", q.Text)
	statusFilter(w, q.Status, q.Today)
	w.origin("l", q.Origin)
	if tsq == "" && q.Geo == nil && q.Enterprise == "" {
		return "SELECT l.type, l.category, sum(l.n)::bigint FROM listing_counts l" + w.String() + " GROUP BY 1, 2", w.args
	}
	if q.Enterprise != "" {
		w.add("l.enterprise_id IN (SELECT id FROM enterprises WHERE handle = " + w.arg(q.Enterprise) + ")")
	}
	if q.Geo != nil {
		w.near("l", q.Geo)
	}
	return "SELECT l.type, l.category, count(*) FROM listings l" + w.String() + " GROUP BY 1, 2", w.args
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
