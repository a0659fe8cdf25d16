package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// Capped facets (directory.DefaultCountCap): a text query with a CountCap
// counts its kind and sector facets over a sample, its newest CountCap
// matches, which reads at most CountCap+1 of them; and its listing facets
// in one read of its newest matches, until directory.ListingTally has
// enough. Both read the newest matches in windows
// (postgres_search_window.go).

// cappedEnterpriseFacets counts the kinds and sectors of a text query with
// a CountCap over samples: the newest CountCap matches of the query without
// its kind filter, and of the query without its sector filter (one sample
// when it has neither).
func cappedEnterpriseFacets(ctx context.Context, tx pgx.Tx, q directory.EnterpriseQuery, lookups []string) (kindCounts, sectorCounts []directory.FacetCount, err error) {
	kw, _ := enterpriseFilters(q, lookups)
	if q.Sector != "" {
		kw.add("EXISTS (SELECT 1 FROM enterprise_sectors s WHERE s.enterprise_id = e.id AND s.sector = " + kw.arg(q.Sector) + ")")
	}
	ks, err := newestSample(ctx, tx, kw, q.CountCap)
	if err != nil {
		return nil, nil, err
	}
	ss := ks
	if q.Sector != "" || len(q.Kinds) > 0 {
		sw, _ := enterpriseFilters(q, lookups)
		if len(q.Kinds) > 0 {
			sw.add("e.kind = ANY(" + sw.arg(kinds(q)) + ")")
		}
		if ss, err = newestSample(ctx, tx, sw, q.CountCap); err != nil {
			return nil, nil, err
		}
	}
	sectorCounts, err = sampleSectors(ctx, tx, ss)
	return ks.kindCounts(), sectorCounts, err
}

// sample is the newest matches of an enterprise query, up to a size, and
// whether it has more.
type sample struct {
	ids   []int64
	kinds []string
	more  bool
}

// newestSample returns the newest n matches of w.
func newestSample(ctx context.Context, tx pgx.Tx, w *where, n int) (sample, error) {
	var s sample
	win := windowScan{table: "enterprises e", alias: "e", w: w}
	err := win.newestFirst(ctx, tx, columns("e.id, e.kind"), n+1, func(rows pgx.Rows) (bool, error) {
		if len(s.ids) == n {
			s.more = true
			return false, nil
		}
		var (
			id   int64
			kind string
		)
		if err := rows.Scan(&id, &kind); err != nil {
			return false, err
		}
		s.ids, s.kinds = append(s.ids, id), append(s.kinds, kind)
		return true, nil
	})
	return s, err
}

// kindCounts counts the sample by kind.
func (s sample) kindCounts() []directory.FacetCount {
	byKind := map[string]int{}
	for _, k := range s.kinds {
		byKind[k]++
	}
	counts := make([]directory.FacetCount, 0, len(byKind))
	for k, n := range byKind {
		counts = append(counts, directory.FacetCount{Value: k, Count: n})
	}
	return directory.CapFacets(counts, s.more)
}

// sampleSectors counts the most common sectors of the sample.
func sampleSectors(ctx context.Context, tx pgx.Tx, s sample) ([]directory.FacetCount, error) {
	counts, err := facetRows(ctx, tx, facetQuery{`SELECT s.sector, count(*) FROM enterprise_sectors s
		WHERE s.enterprise_id = ANY($1)` + topSectors("s.sector"), []any{s.ids}})
	return directory.CapFacets(counts, s.more), err
}

// cappedListingFacets counts the facets of a listing text query with a
// CountCap from its matches without its type and category filters, newest
// first, read in windows (postgres_search_window.go) until
// directory.ListingTally has enough: about CountCap+1 of each type.
func cappedListingFacets(ctx context.Context, tx pgx.Tx, q directory.ListingQuery) (*directory.ListingFacets, error) {
	tally := directory.NewListingTally(q)
	w := listingMatches(q)
	if err := w.lookUp(ctx, tx); err != nil {
		return nil, err
	}
	s := windowScan{table: "listings l", alias: "l", w: w}
	if len(q.Categories) > 0 {
		s.counted = func(w *where) { w.add("l.category = ANY(" + w.arg(categories(q)) + ")") }
	}
	err := s.newestFirst(ctx, tx, columns("l.type, l.category"), 2*(q.CountCap+1), func(rows pgx.Rows) (bool, error) {
		var typ, category string
		if err := rows.Scan(&typ, &category); err != nil {
			return false, err
		}
		return tally.Add(directory.ListingType(typ), directory.Category(category)), nil
	})
	if err != nil {
		return nil, err
	}
	return tally.Facets(), nil
}

// categories returns the category filter of q as strings.
func categories(q directory.ListingQuery) []string {
	out := make([]string, len(q.Categories))
	for i, c := range q.Categories {
		out[i] = string(c)
	}
	return out
}
