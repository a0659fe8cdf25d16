package postgres

import (
	"cmp"
	"context"
	"math"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory/fulltext"
)

// The newest matches of a text search, read in windows of ids.
//
// The text index finds the matches of a term in no useful order, so there
// were two ways to the newest ones: fetch every match and sort (a word in
// 7% of 500,000 listings is 34,000 rows), or walk the primary key down
// fetching every row until enough match (for that word, 45,000 rows for
// 2,000 matches). A window, the ids from some lower bound up, needs
// neither: the matches of the text index and the window's ids are
// intersected as bitmaps, and only the matches inside the window are
// fetched. The first window is sized from the planner's estimate of the
// matches so that it holds what the caller wants; each further one is four
// times as wide, the last one open down to the oldest id.
//
// The planner cannot be left to choose that plan: it prices a text index
// scan for a prefix at about the same, high, cost whatever the prefix
// (postgres_search_words.go turns most prefixes into words, not all), and
// walks the key down instead. The windows run with index scans off, which
// leaves it the choice that matters: intersect the bitmaps, or (for a
// common word, whose window is narrow) read every row of the window.
//
// The text index reads all the matches of each prefix term into a bitmap
// before combining them, so one common word costs a query of several words
// as much as all its matches. The windows look up only the term the planner
// expects the fewest matches of in the text index; the whole text is
// checked on the rows it finds.

// windowScan reads the matches of a text search newest first: the rows of
// table (with its alias) that pass w, which has a text condition.
type windowScan struct {
	table string // "listings l"
	alias string // "l"
	w     *where
	// counted, if set, adds the conditions of the matches that the
	// caller's want counts (a subset of the matches).
	counted func(w *where)
}

// windowSpan, when above 0, is the width of the first window, in ids (a
// variable so that a test can make the suite's small tables take several).
var windowSpan int64

// windowGrowth is how much wider each window is than the one before.
const windowGrowth = 4

// newestFirst calls each with the matches, newest first, until it returns
// false or the matches run out: each row holds the columns that cols
// returns (of the alias; cols may add arguments to w, the conditions of
// the read). want is the number of matches (of counted) the caller
// expects to need; each window is read whole, so a want far too high
// costs rows. Index scans are as they were afterwards.
func (s windowScan) newestFirst(ctx context.Context, tx pgx.Tx, cols func(w *where) string, want int, each func(pgx.Rows) (bool, error)) error {
	maxID, expected, driver, err := s.plan(ctx, tx)
	if err != nil {
		return err
	}
	span := windowSpan
	if span <= 0 {
		span = max(1, int64(math.Ceil(1.25*float64(want)*float64(maxID)/max(expected, 1))))
	}
	for hi, more := int64(0), maxID > 0; more; span *= windowGrowth {
		lo := int64(0) // no lower bound: the last window
		if hi == 0 && span < maxID {
			lo = maxID - span + 1
		} else if hi > span {
			lo = hi - span
		}
		// The text index reads every row of the term; the window's own rows
		// cost about twice as much each. A common word's window is narrow:
		// reading its rows costs less than the term's rows in the index.
		width := cmp.Or(hi, maxID+1) - lo
		indexed := driver.rows/2 < float64(width)
		if more, err = s.read(ctx, tx, cols, driver.term, indexed, lo, hi, each); err != nil {
			return err
		}
		more, hi = more && lo > 0, lo
	}
	_, err = tx.Exec(ctx, `SET LOCAL enable_indexscan TO DEFAULT`)
	return err
}

// driver is the term that the windows look up in the text index, and the
// number of rows the planner expects to have it.
type driver struct {
	term int
	rows float64
}

// plan returns the highest id, the number of matches of counted that the
// planner expects, and the driver: the term it expects the fewest rows of.
// It asks in one round trip, which also turns index scans off for the
// windows.
func (s windowScan) plan(ctx context.Context, tx pgx.Tx) (maxID int64, expected float64, d driver, err error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT COALESCE(max(` + s.alias + `.id), 0) FROM ` + s.table).QueryRow(func(row pgx.Row) error {
		return row.Scan(&maxID)
	})
	c := s.w.clone()
	if s.counted != nil {
		s.counted(c)
	}
	queueEstimate(b, `SELECT 1 FROM `+s.table+c.String(), c.args, &expected)
	perTerm := make([]float64, len(s.w.terms))
	for i := range perTerm {
		queueEstimate(b, `SELECT 1 FROM `+s.table+` WHERE `+s.alias+`.search @@ to_tsquery('simple', $1)`,
			[]any{s.lookup(i)}, &perTerm[i])
	}
	b.Queue(`SET LOCAL enable_indexscan = off`)
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, 0, d, err
	}
	for i, n := range perTerm {
		if n < perTerm[d.term] {
			d.term = i
		}
	}
	d.rows = perTerm[d.term]
	return maxID, expected, d, nil
}

// queueEstimate queues the planner's estimate of the rows of query into n.
func queueEstimate(b *pgx.Batch, query string, args []any, n *float64) {
	b.Queue(`EXPLAIN (FORMAT JSON) `+query, args...).QueryRow(func(row pgx.Row) error {
		var plan []struct {
			Plan struct {
				Rows float64 `json:"Plan Rows"`
			}
		}
		if err := row.Scan(&plan); err != nil || len(plan) == 0 {
			return err
		}
		*n = plan[0].Plan.Rows
		return nil
	})
}

// read reads the matches with ids from lo (0: no bound) up to hi (0: no
// bound), newest first, and reports whether each wants more. indexed says
// whether to look the driver term up in the text index; if not, every row
// of the window is read.
func (s windowScan) read(ctx context.Context, tx pgx.Tx, cols func(w *where) string, driver int, indexed bool, lo, hi int64, each func(pgx.Rows) (bool, error)) (bool, error) {
	w := s.w.clone()
	a := s.alias
	if !indexed || len(w.terms) > 1 {
		// IS TRUE makes the whole text a check of the rows found, which
		// the planner cannot turn into a scan of the text index.
		w.conds[w.textAt-1] = "(" + w.conds[w.textAt-1] + ") IS TRUE"
	}
	if indexed && len(w.terms) > 1 {
		w.add(a + ".search @@ to_tsquery('simple', " + w.arg(s.lookup(driver)) + ")")
	}
	if lo > 0 {
		w.add(a + ".id >= " + strconv.FormatInt(lo, 10))
	}
	if hi > 0 {
		w.add(a + ".id < " + strconv.FormatInt(hi, 10))
	}
	sel := cols(w)
	rows, err := tx.Query(ctx, `SELECT `+sel+` FROM `+s.table+w.String()+` ORDER BY `+a+`.id DESC`, w.args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	for rows.Next() {
		more, err := each(rows)
		if err != nil || !more {
			return false, err
		}
	}
	return true, rows.Err()
}

// lookup returns the tsquery form that the text index is asked for term
// i: the looked-up words (postgres_search_words.go), or the term itself.
func (s windowScan) lookup(i int) string {
	if s.w.lookups != nil {
		return s.w.lookups[i]
	}
	return fulltext.PostgresQuery(s.w.terms[i : i+1])
}

// columns returns cols as the columns of a window's read.
func columns(cols string) func(*where) string {
	return func(*where) string { return cols }
}
