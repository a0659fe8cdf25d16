package postgres

import (
	"cmp"
	"context"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// allMatches is how many matches a relevance search reads in full: up to
// this many, one pass over the text index gives the total, the window and
// every later page. With more (a word found in much of the directory), or
// more than a capped count's limit, the window is the newest matches
// (postgres_search_window.go) and the total a count, if the window does
// not settle it; the planner's estimate of the matches picks the way, so
// that a common word does not first read allMatches rows for nothing. (A
// variable so that a test can send small searches the second way.)
var allMatches = 20000

// ranked serves the relevance sort of a text search: the newest RankWindow
// matches (by id), best rank first, ties newest first; then the remaining
// matches newest first. It finds the ids of the page first, then reads
// their rows.
func (s *search[T]) ranked(ctx context.Context, tx pgx.Tx, p directory.Page) ([]T, int, error) {
	expected, err := s.estimate(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	// A capped count needs only the newest matches when there are more
	// than its limit: reading them all would cost as much as the count.
	if expected <= float64(allMatches) && (s.limit == 0 || expected <= float64(s.limit)) {
		ids, err := s.matchIDs(ctx, tx)
		if err != nil {
			return nil, 0, err
		}
		if len(ids) <= allMatches {
			return s.rankedAll(ctx, tx, p, ids)
		}
	}
	return s.rankedTop(ctx, tx, p)
}

// rankedAll pages through matches whose ids are all known.
func (s *search[T]) rankedAll(ctx context.Context, tx pgx.Tx, p directory.Page, ids []int64) ([]T, int, error) {
	slices.SortFunc(ids, func(a, b int64) int { return cmp.Compare(b, a) })
	window, err := s.rank(ctx, tx, ids[:min(len(ids), directory.RankWindow)])
	if err != nil {
		return nil, 0, err
	}
	pageIDs, _ := rankedPage(p.PerPage, p.Offset(), window, func(limit, offset int) ([]int64, error) {
		return ids[min(offset, len(ids)):min(offset+limit, len(ids))], nil
	})
	items, err := s.load(ctx, tx, pageIDs)
	return items, len(ids), err
}

// rankedTop pages through more matches than allMatches (or than a capped
// count's limit): the window is the newest matches, later pages read the
// primary key further and the total is a count.
func (s *search[T]) rankedTop(ctx context.Context, tx pgx.Tx, p directory.Page) ([]T, int, error) {
	window, more, err := s.window(ctx, tx)
	if err != nil {
		return nil, 0, err
	}
	pageIDs, err := rankedPage(p.PerPage, p.Offset(), window, func(limit, offset int) ([]int64, error) {
		return s.newestIDs(ctx, tx, limit, offset)
	})
	if err != nil {
		return nil, 0, err
	}
	items, err := s.load(ctx, tx, pageIDs)
	if err != nil {
		return nil, 0, err
	}
	if !more {
		return items, len(window), nil // the window holds every match
	}
	if seen := len(window) + 1; s.limit > 0 && seen > s.limit {
		return items, seen, nil // more than the limit: the total is capped
	}
	total, err := s.count(ctx, tx)
	return items, total, err
}

// estimate returns the number of matches the planner expects.
func (s *search[T]) estimate(ctx context.Context, tx pgx.Tx) (float64, error) {
	var plan []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	err := tx.QueryRow(ctx, `EXPLAIN (FORMAT JSON) SELECT `+s.alias+`.id FROM `+s.table+s.String(), s.args...).Scan(&plan)
	if err != nil || len(plan) == 0 {
		return 0, err
	}
	return plan[0].Plan.Rows, nil
}

// matchIDs returns the ids of the matches, in no order, or allMatches+1 of
// them when there are more.
func (s *search[T]) matchIDs(ctx context.Context, tx pgx.Tx) ([]int64, error) {
	args, ph := s.with(allMatches + 1)
	rows, err := tx.Query(ctx, `SELECT `+s.alias+`.id FROM `+s.table+s.String()+` LIMIT `+ph[0], args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// hit is a match of a text search with its rank.
type hit struct {
	id     int64
	rank   float32
	reader bool // in the reader's language (see markReader)
}

// rank returns the matches with these ids, best rank first, ties newest
// first. The search's conditions are applied again (cheap on a window), as
// they bind the arguments the tsquery is one of.
func (s *search[T]) rank(ctx context.Context, tx pgx.Tx, ids []int64) ([]hit, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args, ph := s.with(ids, s.rankQuery())
	rows, err := tx.Query(ctx, `SELECT `+s.alias+`.id, ts_rank(`+s.alias+`.search, to_tsquery('simple', `+ph[1]+`))
		FROM `+s.table+s.andID(ph[0]), args...)
	if err != nil {
		return nil, err
	}
	hits, err := collectHits(rows)
	if err != nil {
		return nil, err
	}
	return hits, s.markReader(ctx, tx, hits)
}

// markReader marks the hits in the reader's language, if the search has
// one (entries without a language are in the default one), and sorts
// them again: best rank (to two digits) first, then the reader's
// language, then newest.
func (s *search[T]) markReader(ctx context.Context, tx pgx.Tx, hits []hit) error {
	if s.reader == "" || len(hits) == 0 {
		return nil
	}
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	rows, err := tx.Query(ctx, `SELECT `+s.alias+`.id, `+s.lang+` FROM `+s.table+` WHERE `+s.alias+`.id = ANY($1)`, ids)
	if err != nil {
		return err
	}
	langs := map[int64]string{}
	var (
		id   int64
		lang *string
	)
	if _, err := pgx.ForEachRow(rows, []any{&id, &lang}, func() error {
		langs[id] = fulltext.DefaultLanguage
		if lang != nil {
			langs[id] = fulltext.MainLanguage([]string{*lang})
		}
		return nil
	}); err != nil {
		return err
	}
	for i := range hits {
		hits[i].reader = langs[hits[i].id] == s.reader
		// Ranks that agree to two digits are of equal relevance: the
		// reader's language orders them.
		hits[i].rank = float32(fulltext.RoundRank(float64(hits[i].rank)))
	}
	sortHits(hits)
	return nil
}

// window returns the newest RankWindow matches, best rank first, ties
// newest first, and whether there are older ones (it reads one more, in
// windows of ids: postgres_search_window.go). The rank is computed for
// these only.
func (s *search[T]) window(ctx context.Context, tx pgx.Tx) ([]hit, bool, error) {
	var hits []hit
	win := windowScan{table: s.table, alias: s.alias, w: &s.where}
	cols := func(w *where) string {
		return s.alias + ".id, ts_rank(" + s.alias + ".search, to_tsquery('simple', " + w.arg(s.rankQuery()) + "))"
	}
	err := win.newestFirst(ctx, tx, cols, directory.RankWindow+1, func(rows pgx.Rows) (bool, error) {
		var h hit
		if err := rows.Scan(&h.id, &h.rank); err != nil {
			return false, err
		}
		hits = append(hits, h)
		return len(hits) <= directory.RankWindow, nil
	})
	if err != nil {
		return nil, false, err
	}
	more := len(hits) > directory.RankWindow
	if more {
		hits = hits[:directory.RankWindow] // the oldest one read only tells there are more
	}
	sortHits(hits)
	return hits, more, s.markReader(ctx, tx, hits)
}

// collectHits reads (id, rank) rows and sorts them best rank first, ties
// newest first.
func collectHits(rows pgx.Rows) ([]hit, error) {
	hits, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (h hit, err error) {
		return h, row.Scan(&h.id, &h.rank)
	})
	if err != nil {
		return nil, err
	}
	sortHits(hits)
	return hits, nil
}

// sortHits orders hits best rank first, ties in the reader's language
// first, then newest first.
func sortHits(hits []hit) {
	slices.SortFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(b.rank, a.rank); c != 0 {
			return c
		}
		if a.reader != b.reader {
			if a.reader {
				return -1
			}
			return 1
		}
		return cmp.Compare(b.id, a.id)
	})
}

// newestIDs returns ids of matches in id-descending order.
func (s *search[T]) newestIDs(ctx context.Context, tx pgx.Tx, limit, offset int) ([]int64, error) {
	args, ph := s.with(limit, offset)
	rows, err := tx.Query(ctx, `SELECT `+s.alias+`.id FROM `+s.table+s.String()+`
		ORDER BY `+s.alias+`.id DESC LIMIT `+ph[0]+` OFFSET `+ph[1], args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// rankedPage returns the ids of one page of a relevance sort: positions
// inside the ranked window come from it, positions past it from newest,
// which reads all matches in id-descending order (past the window, both
// orders agree).
func rankedPage(perPage, offset int, window []hit, newest func(limit, offset int) ([]int64, error)) ([]int64, error) {
	ids := []int64{}
	for i := offset; i < min(offset+perPage, len(window)); i++ {
		ids = append(ids, window[i].id)
	}
	if len(window) < directory.RankWindow || len(ids) == perPage {
		return ids, nil
	}
	more, err := newest(perPage-len(ids), max(offset, directory.RankWindow))
	return append(ids, more...), err
}
