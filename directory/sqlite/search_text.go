package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// countMatches counts the full-text matches, reading the FTS5 index alone.
// A capped search counts as far as its limit or denseMatches, whichever
// is further: beyond both, the number changes neither plan nor total.
func (s *search) countMatches(ctx context.Context, tx *sql.Tx) (int, error) {
	upTo := 0
	if s.limit > 0 {
		upTo = max(s.limit, denseMatches)
	}
	return s.count(ctx, tx, countSQL(s.fts, s.fts+" MATCH "+s.match, upTo))
}

// runText serves a text search in an order other than relevance.
func (s *search) runText(ctx context.Context, tx *sql.Tx) ([]hit, int, error) {
	n, err := s.countMatches(ctx, tx)
	if err != nil || n == 0 {
		return nil, 0, err
	}
	how := byMatches
	if n > denseMatches {
		how = byOrder
	}
	hits, err := s.hits(ctx, tx, s.pageSQL(s.from(how), s.cond(s.matches(how == byMatches))))
	if err != nil {
		return nil, 0, err
	}
	total, err := s.textTotal(ctx, tx, n, len(hits))
	return hits, total, err
}

// textTotal counts the matches of a text search that passes the filters,
// knowing n, the number of full-text matches, and the page's length.
func (s *search) textTotal(ctx context.Context, tx *sql.Tx, n, got int) (int, error) {
	if len(s.broad) == 0 && len(s.narrow) == 0 {
		return n, nil
	}
	if total, ok := s.page.KnownTotal(got); ok {
		return total, nil
	}
	// Look up every match, unless the filters select fewer rows: then test
	// those against the set of matches, which costs about a third as much
	// per row (the set takes some building).
	how := byMatches
	switch {
	case n <= denseMatches:
	case len(s.narrow) > 0:
		how = byFilter
	default:
		f, err := s.count(ctx, tx, s.filterCount())
		if err != nil {
			return 0, err
		}
		if f < 2*n {
			how = byFilter
		}
	}
	return s.count(ctx, tx, countSQL(s.from(how), s.cond(s.matches(how == byMatches)), s.limit))
}

// runRanked serves the relevance order of a text search: the newest
// RankWindow matches (by id) ranked by bm25, best first, ties newest first;
// the older matches follow newest first.
func (s *search) runRanked(ctx context.Context, tx *sql.Tx) ([]hit, int, error) {
	if len(s.narrow) > 0 {
		n, err := s.countMatches(ctx, tx)
		if err != nil || n == 0 {
			return nil, 0, err
		}
		if n > denseMatches {
			return s.runRankedNarrow(ctx, tx)
		}
	}
	window, err := s.hits(ctx, tx, fmt.Sprintf(
		"SELECT t.id, %s, bm25(%s, %s) FROM %s CROSS JOIN %s t ON t.id = %s.rowid WHERE %s MATCH %s AND %s ORDER BY %s.rowid DESC LIMIT %d",
		s.distSQL(), s.fts, s.weights, s.fts, s.name, s.fts, s.fts, s.match, s.cond(), s.fts, directory.RankWindow+1))
	if err != nil {
		return nil, 0, err
	}
	// One match past the window tells whether there are older ones.
	if len(window) <= directory.RankWindow {
		if err := s.markReader(ctx, tx, window); err != nil {
			return nil, 0, err
		}
		return s.rankedPage(window, nil), len(window), nil
	}
	window = window[:directory.RankWindow]
	if err := s.markReader(ctx, tx, window); err != nil {
		return nil, 0, err
	}
	var rest []hit
	start, end := s.page.Offset(), s.page.Offset()+s.page.PerPage
	if end > len(window) {
		rest, err = s.hits(ctx, tx, fmt.Sprintf(
			"SELECT t.id, %s, 0 FROM %s WHERE %s ORDER BY t.id DESC LIMIT %s OFFSET %s",
			s.distSQL(), s.from(byMatches), s.cond(s.matches(true), "t.id < "+s.arg(window[len(window)-1].id)),
			s.arg(end-max(start, len(window))), s.arg(max(0, start-len(window)))))
		if err != nil {
			return nil, 0, err
		}
	}
	hits := s.rankedPage(window, rest)
	if s.limit > 0 && s.limit <= directory.RankWindow {
		return hits, directory.RankWindow + 1, nil // more than the limit: the total is capped
	}
	n, err := s.countMatches(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	total, err := s.textTotal(ctx, tx, n, len(hits))
	return hits, total, err
}

// rankedPage sorts the window (newest first) by rank and returns the page
// of window followed by rest, the matches older than the window from the
// page's position on.
func (s *search) rankedPage(window, rest []hit) []hit {
	// A stable sort keeps the newest first among equal ranks, after those
	// in the reader's language, if the search has one: then ranks are
	// equal when they agree to two digits (fulltext.RoundRank).
	rank := func(h hit) float64 { return h.rank }
	if s.reader != "" {
		rank = func(h hit) float64 { return fulltext.RoundRank(h.rank) }
	}
	slices.SortStableFunc(window, func(a, b hit) int {
		switch ra, rb := rank(a), rank(b); {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		case a.reader != b.reader && a.reader:
			return -1
		case a.reader != b.reader:
			return 1
		}
		return 0
	})
	start, end := s.page.Offset(), s.page.Offset()+s.page.PerPage
	var hits []hit
	if start < len(window) {
		hits = window[start:min(end, len(window))]
	}
	return append(hits, rest...)
}

// runRankedNarrow serves the relevance order when narrow filters select
// fewer rows than the text matches: those rows, tested against the set of
// matches, give every result in id order (and so the total); one pass over
// the FTS5 index then ranks the window.
func (s *search) runRankedNarrow(ctx context.Context, tx *sql.Tx) ([]hit, int, error) {
	all, err := s.hits(ctx, tx, fmt.Sprintf("SELECT t.id, %s, 0 FROM %s WHERE %s ORDER BY t.id DESC",
		s.distSQL(), s.from(byFilter), s.cond(s.matches(false))))
	if err != nil || len(all) == 0 {
		return nil, 0, err
	}
	window := all[:min(len(all), directory.RankWindow)]
	byID := make(map[int64]*hit, len(window))
	for i := range window {
		byID[window[i].id] = &window[i]
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf(
		"SELECT rowid, bm25(%s, %s) FROM %s WHERE %s MATCH %s AND rowid BETWEEN %s AND %s AND +rowid IN (SELECT value FROM json_each(%s))",
		s.fts, s.weights, s.fts, s.fts, s.match, s.arg(window[len(window)-1].id), s.arg(window[0].id), s.arg(idList(window))),
		s.args...)
	if err != nil {
		return nil, 0, directory.Internal(err, "rank "+s.name)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int64
			rank float64
		)
		if err := rows.Scan(&id, &rank); err != nil {
			return nil, 0, directory.Internal(err, "rank "+s.name)
		}
		if h := byID[id]; h != nil {
			h.rank = rank
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, directory.Internal(err, "rank "+s.name)
	}
	if err := s.markReader(ctx, tx, window); err != nil {
		return nil, 0, err
	}
	start := max(s.page.Offset(), len(window))
	end := max(s.page.Offset()+s.page.PerPage, start)
	return s.rankedPage(window, all[min(start, len(all)):min(end, len(all))]), len(all), nil
}

// markReader marks the hits in the reader's language, if the search has
// one, for rankedPage: entries without a language are in the default one.
func (s *search) markReader(ctx context.Context, tx *sql.Tx, window []hit) error {
	if s.reader == "" || len(window) == 0 {
		return nil
	}
	byID := make(map[int64]*hit, len(window))
	for i := range window {
		byID[window[i].id] = &window[i]
	}
	rows, err := tx.QueryContext(ctx, fmt.Sprintf("SELECT t.id, %s FROM %s t WHERE t.id IN (SELECT value FROM json_each(?))",
		s.lang, s.name), idList(window))
	if err != nil {
		return directory.Internal(err, "rank "+s.name)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int64
			lang sql.NullString
		)
		if err := rows.Scan(&id, &lang); err != nil {
			return directory.Internal(err, "rank "+s.name)
		}
		byID[id].reader = fulltext.MainLanguage([]string{lang.String}) == s.reader
	}
	if err := rows.Err(); err != nil {
		return directory.Internal(err, "rank "+s.name)
	}
	return nil
}
