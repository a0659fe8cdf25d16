package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// A search runs in two steps: the first finds the ids of the page and the
// total, reading indexes and as few rows as it can; the second loads the
// page's rows whole. SQLite's planner has no statistics here (nothing runs
// ANALYZE) and, left alone, prefers an equality on a broad column (status =
// 'open') to a range on the coordinates that selects a thousand times fewer
// rows, or to looking up a few hundred text matches. So the first step
// chooses how the table is read (see from):
//
//   - Broad filters (kind, origin, type, status, category) are columns of
//     every search index. Without text, a page walks the index of its sort
//     order (created_at, or the lowercase name), reading index entries
//     only, and stops when the page is full; the total comes from the
//     listing_counts summary or a covering index.
//   - Narrow filters (place, sector, enterprise) select few rows through an
//     index of their own, which the query starts from. A distance search
//     reads its bounding box once: every row in the circle, in order, gives
//     both the page and the total.
//   - Text is matched by FTS5. Relevance ranks the newest RankWindow matches
//     by bm25, reading the FTS5 index backwards by rowid. Other orders look
//     up and sort every match when there are few (denseMatches), and walk
//     the sort index testing each entry against the set of matches when
//     there are many. A total without other filters is a count of the FTS5
//     index alone.

// denseMatches is the number of full-text matches above which a search
// stops looking up every match and walks an index instead, testing entries
// against the set of matches. A variable so that tests run both plans.
var denseMatches = 2000

// table describes a searched table to the search machinery.
type table struct {
	name    string            // enterprises or listings
	fts     string            // its FTS5 table, rowid = id
	weights string            // bm25 weights of the FTS5 columns
	order   map[string]string // ORDER BY of each sort
	key     map[string]string // column of each sort order but distance
	walk    map[string]string // covering index that yields each sort order
	near    string            // the (lat, lon) index
	lang    string            // the main language code of row t (JSON null for none)
}

// search is one query over a table: its filters (with every value bound as
// a named parameter), its FTS5 MATCH expression and distance expression.
type search struct {
	*table
	broad   []string // filters that the covering indexes evaluate
	narrow  []string // filters that an index of their own narrows to few rows
	via     string   // the index of a narrow filter, which SQLite must start from
	args    []any
	match   string // placeholder of the MATCH expression; "" without text
	dist    string // distance expression; "" without a distance filter
	within  string // the distance filter, one of narrow
	km      float64
	summary string // a cheaper count of the rows that pass the broad filters
	exact   bool   // summary counts the matches, narrow filters included
	limit   int    // counts of a text search stop past it (directory.TotalLimit); 0: no cap
	reader  string // the reader's language: at equal rank, rows in it come first
	sort    string
	page    directory.Page
}

// hit is one result of the first step.
type hit struct {
	id     int64
	dist   *float64
	rank   float64
	reader bool // in the reader's language (only looked up to rank)
}

func newSearch(t *table, sort string, p directory.Page) *search {
	if sort == "" {
		sort = directory.SortRelevance
	}
	return &search{table: t, sort: sort, page: p.Normal()}
}

// arg binds v and returns its placeholder.
func (s *search) arg(v any) string {
	name := "p" + strconv.Itoa(len(s.args)+1)
	s.args = append(s.args, sql.Named(name, v))
	return "@" + name
}

func (s *search) where(cond string) { s.broad = append(s.broad, cond) }

// in adds "t.column IN (…)" for a non-empty list.
func in[T ~string](s *search, column string, values []T) {
	if len(values) == 0 {
		return
	}
	ph := make([]string, len(values))
	for i, v := range values {
		ph[i] = s.arg(string(v))
	}
	s.where("t." + column + " IN (" + strings.Join(ph, ", ") + ")")
}

// text sets the full-text filter: every term must match. A query without
// terms (empty, or punctuation only) has no text filter. A text search
// counts its total up to directory.TotalLimit of countCap.
func (s *search) text(q string, countCap int) {
	if terms := fulltext.Terms(q); len(terms) > 0 {
		s.match = s.arg(fulltext.SQLiteQuery(terms))
		s.limit = directory.TotalLimit(countCap, s.page)
	}
}

// origin adds the origin filter (OriginAll adds none). "Partners" is
// written as a range, origin greater than the empty string, so that an
// index on origin serves it.
func (s *search) origin(o string) {
	switch o {
	case "", directory.OriginAll:
	case directory.OriginLocal:
		s.where("t.origin = ''")
	case directory.OriginPartners:
		s.where("t.origin > '' AND t.origin NOT LIKE '" + directory.MurmurationsOriginPrefix + "%'")
	case directory.OriginMurmurations:
		s.where("t.origin LIKE '" + directory.MurmurationsOriginPrefix + "%'")
	default:
		s.where("t.origin = " + s.arg(o))
	}
}

// geo adds the distance filter: first the bounding box, which the (lat, lon)
// index answers, then the exact haversine distance, computed with the same
// formula and Earth radius as directory.DistanceKM.
func (s *search) geo(g *directory.Geo) {
	if g == nil {
		return
	}
	b := directory.BoundingBox(g.Near, g.KM)
	box := fmt.Sprintf("t.lat BETWEEN %s AND %s AND ", s.arg(b.MinLat), s.arg(b.MaxLat))
	if b.CrossesAntimeridian() {
		box += fmt.Sprintf("(t.lon >= %s OR t.lon <= %s)", s.arg(b.MinLon), s.arg(b.MaxLon))
	} else {
		box += fmt.Sprintf("t.lon BETWEEN %s AND %s", s.arg(b.MinLon), s.arg(b.MaxLon))
	}
	// cos(lat) of the centre is computed once, here.
	s.dist = fmt.Sprintf("(2 * %s * asin(min(1, sqrt(pow(sin(radians(t.lat - %s) / 2), 2) + %s * cos(radians(t.lat)) * pow(sin(radians(t.lon - %s) / 2), 2)))))",
		strconv.FormatFloat(directory.EarthRadiusKM, 'f', -1, 64), s.arg(g.Near.Lat),
		s.arg(math.Cos(g.Near.Lat*math.Pi/180)), s.arg(g.Near.Lon))
	s.within, s.km = s.dist+" <= "+s.arg(g.KM), g.KM
	if in, ok := directory.InnerBox(g.Near, g.KM); ok {
		// Points of the inner box are within the distance: SQLite stops at
		// the first true term of an OR, and so skips half the distances.
		s.within = fmt.Sprintf("(t.lat BETWEEN %s AND %s AND t.lon BETWEEN %s AND %s OR %s)",
			s.arg(in.MinLat), s.arg(in.MaxLat), s.arg(in.MinLon), s.arg(in.MaxLon), s.within)
	}
	s.narrow = append(s.narrow, box, s.within)
	s.via = s.near
}

// cond joins every filter and extra with AND.
func (s *search) cond(extra ...string) string {
	all := slices.Concat(s.broad, s.narrow, extra)
	if len(all) == 0 {
		return "1"
	}
	return strings.Join(all, " AND ")
}

// matches is the full-text filter as a condition on t. With drive, SQLite
// reads the matches and looks each row up; without, it finds rows another
// way and tests them against the set of matches.
func (s *search) matches(drive bool) string {
	plus := "+"
	if drive {
		plus = ""
	}
	return fmt.Sprintf("%st.id IN (SELECT rowid FROM %s WHERE %s MATCH %s)", plus, s.fts, s.fts, s.match)
}

// How a query reads the table.
const (
	byFilter  = iota // through the index of a narrow filter, if any
	byOrder          // through the index of a narrow filter, else the sort order's
	byMatches        // by rowid, looking up each full-text match
)

// from names the table and how SQLite must read it. Left alone, the planner
// (which has no statistics) prefers an equality on a broad column, say
// status = 'open', to a range on the coordinates that selects a thousand
// times fewer rows, or to looking up a few hundred text matches.
func (s *search) from(how int) string {
	idx := s.via
	switch {
	case how == byMatches:
		return s.name + " t NOT INDEXED"
	case idx == "" && how == byOrder && len(s.narrow) == 0:
		idx = s.walk[s.sort]
	}
	if idx == "" {
		return s.name + " t"
	}
	return s.name + " t INDEXED BY " + idx
}

func (s *search) distSQL() string {
	if s.dist == "" {
		return "NULL"
	}
	return s.dist
}

// pageSQL selects the hits of the page in the sort order.
func (s *search) pageSQL(from, cond string) string {
	return fmt.Sprintf("SELECT t.id, %s AS dist, 0 FROM %s WHERE %s ORDER BY %s LIMIT %s OFFSET %s",
		s.distSQL(), from, cond, s.order[s.sort], s.arg(s.page.PerPage), s.arg(s.page.Offset()))
}

// run returns the hits of the page, in order, and the total.
func (s *search) run(ctx context.Context, tx *sql.Tx) ([]hit, int, error) {
	if s.order[s.sort] == "" || (s.sort == directory.SortDistance && s.dist == "") {
		return nil, 0, directory.Errorf(directory.EINVALID, "cannot sort by %q here", s.sort)
	}
	switch {
	case s.match == "":
		return s.runFiltered(ctx, tx)
	case s.summary != "":
		// No row passes the other filters (a partner's entries, before
		// there are partners): the text need not be matched.
		if n, err := s.count(ctx, tx, s.summary); err != nil || n == 0 {
			return nil, 0, err
		}
	}
	if s.sort == directory.SortRelevance {
		return s.runRanked(ctx, tx)
	}
	return s.runText(ctx, tx)
}

// runFiltered serves a search without text.
func (s *search) runFiltered(ctx context.Context, tx *sql.Tx) ([]hit, int, error) {
	if s.summary != "" {
		// The summary's count comes first: walking the sort order or a
		// bounding box for matches that do not exist (a partner's entries,
		// before there are partners) would read the whole of it.
		total, err := s.count(ctx, tx, s.summary)
		switch {
		case err != nil || total == 0:
			return nil, total, err
		case s.dist == "" && (len(s.narrow) == 0 || s.exact):
			if total <= s.page.Offset() {
				return nil, total, nil
			}
			hits, err := s.hits(ctx, tx, s.pageSQL(s.from(byOrder), s.cond()))
			return hits, total, err
		}
	}
	if s.dist != "" {
		return s.runNear(ctx, tx)
	}
	hits, err := s.hits(ctx, tx, s.pageSQL(s.from(byOrder), s.cond()))
	if err != nil {
		return nil, 0, err
	}
	if total, ok := s.page.KnownTotal(len(hits)); ok {
		return hits, total, nil
	}
	count := "SELECT count(*) FROM " + s.from(byFilter) + " WHERE " + s.cond()
	if len(s.narrow) == 0 || s.exact {
		count = s.filterCount()
	}
	total, err := s.count(ctx, tx, count)
	return hits, total, err
}

// filterCount counts the rows that pass the broad filters.
func (s *search) filterCount() string {
	if s.summary != "" {
		return s.summary
	}
	return "SELECT count(*) FROM " + s.name + " t WHERE " + s.cond()
}

// runNear serves a distance search without text in one pass over the
// bounding box: every row in the circle, in order, gives both the page and
// the total, and the costly distance is computed once per row.
func (s *search) runNear(ctx context.Context, tx *sql.Tx) ([]hit, int, error) {
	inBox := slices.DeleteFunc(slices.Concat(s.broad, s.narrow), func(c string) bool { return c == s.within })
	key := ""
	if k := s.key[s.sort]; k != "" {
		key = k + ", "
	}
	all, err := s.hits(ctx, tx, fmt.Sprintf(
		"WITH c AS MATERIALIZED (SELECT t.id, %s%s AS dist FROM %s WHERE %s) "+
			"SELECT t.id, t.dist, 0 FROM c t WHERE t.dist <= %s ORDER BY %s",
		key, s.dist, s.from(byFilter), strings.Join(inBox, " AND "), s.arg(s.km), s.order[s.sort]))
	if err != nil {
		return nil, 0, err
	}
	start := min(s.page.Offset(), len(all))
	return all[start:min(start+s.page.PerPage, len(all))], len(all), nil
}

func (s *search) hits(ctx context.Context, tx *sql.Tx, query string) ([]hit, error) {
	rows, err := tx.QueryContext(ctx, query, s.args...)
	if err != nil {
		return nil, directory.Internal(err, "search "+s.name)
	}
	defer rows.Close()
	var hits []hit
	for rows.Next() {
		var (
			h    hit
			dist sql.NullFloat64
		)
		if err := rows.Scan(&h.id, &dist, &h.rank); err != nil {
			return nil, directory.Internal(err, "search "+s.name)
		}
		h.dist = fromNullFloat(dist)
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "search "+s.name)
	}
	return hits, nil
}

// countSQL counts the rows of from that pass cond: every one, or up to
// upTo+1 of them when upTo is above 0 (enough to tell that there are more
// than upTo).
func countSQL(from, cond string, upTo int) string {
	if upTo <= 0 {
		return "SELECT count(*) FROM " + from + " WHERE " + cond
	}
	return fmt.Sprintf("SELECT count(*) FROM (SELECT 1 FROM %s WHERE %s LIMIT %d)", from, cond, upTo+1)
}

func (s *search) count(ctx context.Context, tx *sql.Tx, query string) (int, error) {
	var n int
	if err := tx.QueryRowContext(ctx, query, s.args...).Scan(&n); err != nil {
		return 0, directory.Internal(err, "count "+s.name)
	}
	return n, nil
}

// idList is the JSON array of the hits' ids, for json_each.
func idList(hits []hit) string {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	b, _ := json.Marshal(ids) // a []int64 always marshals
	return string(b)
}
