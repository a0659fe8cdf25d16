package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// Facets are counted from the summary tables (enterprise_counts,
// sector_counts, listing_counts, listing_expiry_counts, kept by triggers)
// when a query filters on their columns alone: a sum over a few hundred or
// thousand rows. A query with text, a
// distance or an enterprise counts its matches, reading them the way its
// search does; a text query with a CountCap counts a sample of them
// (search_capped.go).

// EnterpriseFacets counts the matches of q by kind and by sector (the
// MaxSectorFacets most common), each facet ignoring its own filter.
func (db *DB) EnterpriseFacets(ctx context.Context, q directory.EnterpriseQuery) (*directory.EnterpriseFacets, error) {
	f := &directory.EnterpriseFacets{}
	err := db.inRead(ctx, "count enterprises", func(tx *sql.Tx) error {
		var err error
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
// A query over a sample of sample matches (see sampleSQL) returns a third
// column, the size of the sample plus one when there are more matches.
type facetQuery struct {
	sql    string
	args   []any
	sample int
}

// enterpriseFilters starts a search over enterprises with the filters that
// both facets keep: text, origin and distance.
func enterpriseFilters(q directory.EnterpriseQuery) *search {
	s := newSearch(enterpriseTable, q.Sort, q.Page)
	s.text(q.Text, 0)
	s.origin(q.Origin)
	s.geo(q.Geo)
	return s
}

// kindFacet counts by kind, ignoring the kind filter.
func kindFacet(q directory.EnterpriseQuery) facetQuery {
	s := enterpriseFilters(q)
	if s.match == "" && s.dist == "" {
		from := "enterprise_counts t"
		if q.Sector != "" {
			from = "sector_counts t"
			s.where("t.sector = " + s.arg(q.Sector))
		}
		return facetQuery{sql: "SELECT t.kind, sum(t.n) FROM " + from + " WHERE " + s.cond() + " GROUP BY t.kind", args: s.args}
	}
	if q.Sector != "" {
		s.narrow = append(s.narrow, "t.id IN (SELECT enterprise_id FROM enterprise_sectors WHERE sector = "+s.arg(q.Sector)+")")
	}
	if s.match != "" && q.CountCap > 0 {
		return s.sampleFacet(q.CountCap, "kind")
	}
	from, cond := s.matchesFrom()
	return facetQuery{sql: "SELECT t.kind, count(*) FROM " + from + " WHERE " + cond + " GROUP BY t.kind", args: s.args}
}

// sectorFacet counts the most common sectors, ignoring the sector filter.
// enterprise_sectors carries its enterprise's kind and origin, so that
// without a distance the enterprise rows are not read.
func sectorFacet(q directory.EnterpriseQuery) facetQuery {
	s := enterpriseFilters(q)
	in(s, "kind", q.Kinds)
	top := fmt.Sprintf(" GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT %d", directory.MaxSectorFacets)
	switch {
	case s.match == "" && s.dist == "":
		return facetQuery{sql: "SELECT t.sector, sum(t.n) FROM sector_counts t WHERE " + s.cond() + top, args: s.args}
	case s.match != "" && q.CountCap > 0:
		return s.sampleSectors(q.CountCap)
	case s.dist == "":
		cond := s.cond(fmt.Sprintf("t.enterprise_id IN (SELECT rowid FROM %s WHERE %s MATCH %s)", s.fts, s.fts, s.match))
		return facetQuery{sql: "SELECT t.sector, count(*) FROM enterprise_sectors t WHERE " + cond + top, args: s.args}
	}
	from, cond := s.matchesFrom()
	return facetQuery{sql: "SELECT es.sector, count(*) FROM " + from +
		" JOIN enterprise_sectors es ON es.enterprise_id = t.id WHERE " + cond + top, args: s.args}
}

// matchesFrom returns how to read the matches of a search with text or
// narrow filters, and their condition: through the index of a narrow
// filter, testing rows against the set of text matches; or, with text
// alone, by reading the text matches and looking up each row.
func (s *search) matchesFrom() (string, string) {
	switch {
	case s.match == "":
		return s.from(byFilter), s.cond()
	case s.via != "" || len(s.narrow) > 0:
		return s.from(byFilter), s.cond(s.matches(false))
	}
	return fmt.Sprintf("%s CROSS JOIN %s t ON t.id = %s.rowid", s.fts, s.name, s.fts),
		s.cond(fmt.Sprintf("%s MATCH %s", s.fts, s.match))
}

// ListingFacets counts the matches of q by type and by category, each
// facet ignoring its own filter. One pass counts the matches of the other
// filters by type and category together; each facet then adds up the pairs
// that pass the filter it keeps. A text query with a CountCap is counted as
// cappedListingFacets says.
func (db *DB) ListingFacets(ctx context.Context, q directory.ListingQuery) (*directory.ListingFacets, error) {
	var f *directory.ListingFacets
	err := db.inRead(ctx, "count listings", func(tx *sql.Tx) error {
		if q.CountCap > 0 && len(fulltext.Terms(q.Text)) > 0 {
			var err error
			f, err = cappedListingFacets(ctx, tx, q)
			return err
		}
		pairs, err := listingPairs(ctx, tx, q)
		f = directory.ListingFacetsOf(pairs, q)
		return err
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// listingPairs counts the matches of q, but for its type and category
// filters, by type and category.
func listingPairs(ctx context.Context, tx *sql.Tx, q directory.ListingQuery) ([]directory.PairCount, error) {
	if len(fulltext.Terms(q.Text)) == 0 && q.Geo == nil && q.Enterprise == "" {
		s := newSearch(listingTable, q.Sort, q.Page)
		s.origin(q.Origin)
		return summaryPairs(ctx, tx, s, q.Status, q.Today)
	}
	s := listingMatches(q)
	from, cond := s.matchesFrom()
	return pairRows(ctx, tx, "SELECT t.type, t.category, count(*) FROM "+from+" WHERE "+cond+" GROUP BY 1, 2", s.args)
}

// listingMatches is the search of the matches of q but for its type and
// category filters.
func listingMatches(q directory.ListingQuery) *search {
	s := newSearch(listingTable, q.Sort, q.Page)
	s.text(q.Text, 0)
	s.origin(q.Origin)
	listingStatus(s, q.Status, q.Today)
	if q.Enterprise != "" {
		s.narrow = append(s.narrow, "t.enterprise_id IN (SELECT id FROM enterprises WHERE handle = "+s.arg(q.Enterprise)+")")
		s.via = "listings_enterprise"
	}
	s.geo(q.Geo)
	return s
}

// summaryPairs counts listings by type and category from the summaries:
// listing_counts for stored statuses, less listing_expiry_counts for open
// listings that have expired by today.
func summaryPairs(ctx context.Context, tx *sql.Tx, s *search, status directory.Status, today string) ([]directory.PairCount, error) {
	stored := "SELECT t.type, t.category, sum(t.n) FROM listing_counts t WHERE %s GROUP BY 1, 2"
	expired := "SELECT t.type, t.category, sum(t.n) FROM listing_expiry_counts t WHERE %s GROUP BY 1, 2"
	isExpired := "t.valid_until < " + s.arg(today)
	switch status {
	case "":
		return pairRows(ctx, tx, fmt.Sprintf(stored, s.cond()), s.args)
	case directory.StatusExpired:
		return pairRows(ctx, tx, fmt.Sprintf(expired, s.cond(isExpired)), s.args)
	case directory.StatusOpen:
		open, err := pairRows(ctx, tx, fmt.Sprintf(stored, s.cond("t.status = 'open'")), s.args)
		if err != nil {
			return nil, err
		}
		gone, err := pairRows(ctx, tx, fmt.Sprintf(expired, s.cond(isExpired)), s.args)
		for _, g := range gone {
			open = append(open, directory.PairCount{Type: g.Type, Category: g.Category, Count: -g.Count})
		}
		return open, err
	}
	return pairRows(ctx, tx, fmt.Sprintf(stored, s.cond("t.status = "+s.arg(string(status)))), s.args)
}

func pairRows(ctx context.Context, tx *sql.Tx, query string, args []any) ([]directory.PairCount, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, directory.Internal(err, "count listings")
	}
	defer rows.Close()
	var pairs []directory.PairCount
	for rows.Next() {
		var p directory.PairCount
		if err := rows.Scan(&p.Type, &p.Category, &p.Count); err != nil {
			return nil, directory.Internal(err, "count listings")
		}
		pairs = append(pairs, p)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "count listings")
	}
	return pairs, nil
}

func facetRows(ctx context.Context, tx *sql.Tx, q facetQuery) ([]directory.FacetCount, error) {
	rows, err := tx.QueryContext(ctx, q.sql, q.args...)
	if err != nil {
		return nil, directory.Internal(err, "count facets")
	}
	defer rows.Close()
	var (
		counts []directory.FacetCount
		seen   int
	)
	for rows.Next() {
		var c directory.FacetCount
		dest := []any{&c.Value, &c.Count}
		if q.sample > 0 {
			dest = append(dest, &seen)
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, directory.Internal(err, "count facets")
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "count facets")
	}
	return directory.CapFacets(counts, q.sample > 0 && seen > q.sample), nil
}

// Counts counts every enterprise, the open needs and offers that have not
// expired on today, and every announcement, from the summary tables.
func (db *DB) Counts(ctx context.Context, today string) (*directory.Counts, error) {
	c := &directory.Counts{}
	err := db.inRead(ctx, "count the directory", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT coalesce(sum(n), 0) FROM enterprise_counts),
			(SELECT coalesce(sum(n), 0) FROM announcement_counts)`).Scan(&c.Enterprises, &c.Announcements)
		if err != nil {
			return directory.Internal(err, "count the directory")
		}
		s := newSearch(listingTable, "", directory.Page{})
		pairs, err := summaryPairs(ctx, tx, s, directory.StatusOpen, today)
		for _, p := range pairs {
			switch p.Type {
			case directory.Need:
				c.Needs += p.Count
			case directory.Offer:
				c.Offers += p.Count
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}
