package postgres

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// where collects the conditions of a search and their arguments. Conditions
// are fixed SQL fragments; every value a user gave goes in as an argument.
type where struct {
	conds []string
	args  []any
	// terms are the full-text terms of the text condition, which is
	// conds[textAt-1] (textAt 0: none), with the tsquery in args[textArg-1].
	terms           []fulltext.Term
	textAt, textArg int
	// lookups are the tsquery forms the text index is asked for the
	// terms, once lookUp has found them (postgres_search_words.go).
	lookups []string
}

// arg adds v to the arguments and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

func (w *where) add(cond string) { w.conds = append(w.conds, cond) }

// String renders the conditions as a WHERE clause ("" without any).
func (w *where) String() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// with returns the arguments followed by extra ones, and the placeholders of
// the extra ones.
func (w *where) with(extra ...any) ([]any, []string) {
	args := make([]any, 0, len(w.args)+len(extra))
	args = append(args, w.args...)
	ph := make([]string, len(extra))
	for i, v := range extra {
		args = append(args, v)
		ph[i] = "$" + strconv.Itoa(len(args))
	}
	return args, ph
}

// text adds a full-text condition on alias.search: every term of the query
// must match. It returns the placeholder of the tsquery, or "" when the text
// has no terms (no text filter).
func (w *where) text(alias, text string) string {
	terms := fulltext.Terms(text)
	if len(terms) == 0 {
		return ""
	}
	tsq := "to_tsquery('simple', " + w.arg(fulltext.PostgresQuery(terms)) + ")"
	w.add(alias + ".search @@ " + tsq)
	w.terms, w.textAt, w.textArg = terms, len(w.conds), len(w.args)
	return tsq
}

// clone returns a copy of w that takes more conditions without changing w.
func (w *where) clone() *where {
	c := *w // lookups are shared: neither changes them
	c.conds, c.args = slices.Clone(w.conds), slices.Clone(w.args)
	return &c
}

// origin adds the origin filter on alias.origin.
func (w *where) origin(alias, origin string) {
	switch origin {
	case "", directory.OriginAll:
	case directory.OriginLocal:
		w.add(alias + ".origin = ''")
	case directory.OriginPartners:
		w.add(alias + ".origin <> '' AND " + alias + ".origin NOT LIKE '" + directory.MurmurationsOriginPrefix + "%'")
	case directory.OriginMurmurations:
		w.add(alias + ".origin LIKE '" + directory.MurmurationsOriginPrefix + "%'")
	default:
		w.add(alias + ".origin = " + w.arg(origin))
	}
}

// near adds a distance filter on alias.lat/lon: the bounding box first, so
// that an index narrows the rows, then the exact great-circle distance. It
// returns the SQL expression of the distance in km.
func (w *where) near(alias string, g *directory.Geo) string {
	box := directory.BoundingBox(g.Near, g.KM)
	w.add(alias + ".lat BETWEEN " + w.arg(box.MinLat) + " AND " + w.arg(box.MaxLat))
	switch {
	case box.MinLon <= -180 && box.MaxLon >= 180:
		w.add(alias + ".lon IS NOT NULL")
	case box.CrossesAntimeridian():
		w.add("(" + alias + ".lon >= " + w.arg(box.MinLon) + " OR " + alias + ".lon <= " + w.arg(box.MaxLon) + ")")
	default:
		w.add(alias + ".lon BETWEEN " + w.arg(box.MinLon) + " AND " + w.arg(box.MaxLon))
	}
	dist := distanceSQL(alias, w.arg(g.Near.Lat)+"::float8", w.arg(g.Near.Lon)+"::float8")
	w.add(dist + " <= " + w.arg(g.KM) + "::float8")
	return dist
}

// earthRadius is directory.EarthRadiusKM as an SQL literal.
var earthRadius = strconv.FormatFloat(directory.EarthRadiusKM, 'f', -1, 64)

// distanceSQL is the haversine distance in km between alias.lat/lon and the
// point lat/lon (placeholders), the same formula as directory.DistanceKM.
func distanceSQL(alias, lat, lon string) string {
	return "(2 * " + earthRadius + " * asin(least(1, sqrt(" +
		"power(sin(radians(" + alias + ".lat - " + lat + ") / 2), 2) + " +
		"cos(radians(" + lat + ")) * cos(radians(" + alias + ".lat)) * " +
		"power(sin(radians(" + alias + ".lon - " + lon + ") / 2), 2)))))"
}

// search is one search being run: its table, its conditions and how its
// results are read. T is the result type.
type search[T any] struct {
	where
	table   string // the searched table and its alias: "listings l"
	alias   string // that alias: "l"
	join    string // joins that the result columns need
	columns string // the result columns, the last one named distance_km
	tsq     string // the tsquery of the text filter, "" without one
	order   string // ORDER BY of the sort; "" ranks by relevance
	scan    func(pgx.Rows) (T, int64, error)
	// counts, when set, is a table of counts (column n) by every column the
	// conditions use, under the same alias: the total is its sum.
	counts string
	// limit, when above 0, caps the count of a text search: it stops at
	// limit+1 matches (directory.TotalLimit).
	limit int
	// reader is the reader's language: at equal rank, rows in it come
	// first. lang is the main language code of a row of table.
	reader, lang string
}

// capAt caps the total of a text search with countCap on page p; a search
// without text counts every match.
func (s *search[T]) capAt(countCap int, p directory.Page) {
	if s.tsq != "" {
		s.limit = directory.TotalLimit(countCap, p)
	}
}

// run reads page p of the results and returns them with the total number
// of matches.
func (s *search[T]) run(ctx context.Context, tx pgx.Tx, p directory.Page) ([]T, int, error) {
	if err := s.lookUp(ctx, tx); err != nil {
		return nil, 0, err
	}
	if s.order == "" {
		return s.ranked(ctx, tx, p)
	}
	if s.counts != "" {
		// The summary's total comes first: a page of matches that do not
		// exist (a partner's entries, before there are partners) would
		// walk the whole sort index looking for them.
		total, err := s.count(ctx, tx)
		if err != nil || total <= p.Offset() {
			return []T{}, total, err
		}
		items, err := s.readPage(ctx, tx, p)
		return items, total, err
	}
	items, err := s.readPage(ctx, tx, p)
	if err != nil {
		return nil, 0, err
	}
	if total, ok := p.KnownTotal(len(items)); ok {
		return items, total, nil
	}
	total, err := s.count(ctx, tx)
	return items, total, err
}

// readPage reads page p of the results in order.
func (s *search[T]) readPage(ctx context.Context, tx pgx.Tx, p directory.Page) ([]T, error) {
	args, ph := s.with(p.PerPage, p.Offset())
	rows, err := tx.Query(ctx, `SELECT `+s.columns+` FROM `+s.table+s.join+s.String()+`
		ORDER BY `+s.order+` LIMIT `+ph[0]+` OFFSET `+ph[1], args...)
	if err != nil {
		return nil, err
	}
	items, _, err := s.scanAll(rows)
	return items, err
}

// load reads the results with these ids, in the order of ids. The search's
// conditions are applied again, which costs little on a page and binds
// every argument the result columns use.
func (s *search[T]) load(ctx context.Context, tx pgx.Tx, ids []int64) ([]T, error) {
	if len(ids) == 0 {
		return []T{}, nil
	}
	args, ph := s.with(ids)
	rows, err := tx.Query(ctx, `SELECT `+s.columns+` FROM `+s.table+s.join+s.andID(ph[0]), args...)
	if err != nil {
		return nil, err
	}
	items, got, err := s.scanAll(rows)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]T, len(items))
	for i, id := range got {
		byID[id] = items[i]
	}
	out := make([]T, 0, len(ids))
	for _, id := range ids {
		if item, ok := byID[id]; ok {
			out = append(out, item)
		}
	}
	return out, nil
}

// andID renders the conditions and "id = ANY(ids)" as a WHERE clause.
func (s *search[T]) andID(ids string) string {
	byIDs := s.alias + ".id = ANY(" + ids + ")"
	if len(s.conds) == 0 {
		return " WHERE " + byIDs
	}
	return s.String() + " AND " + byIDs
}

// scanAll reads every row with s.scan, and closes rows.
func (s *search[T]) scanAll(rows pgx.Rows) ([]T, []int64, error) {
	defer rows.Close()
	items, ids := []T{}, []int64{}
	for rows.Next() {
		item, id, err := s.scan(rows)
		if err != nil {
			return nil, nil, err
		}
		items, ids = append(items, item), append(ids, id)
	}
	return items, ids, rows.Err()
}

// count returns the number of matches, or limit+1 when a capped search
// has more than its limit.
func (s *search[T]) count(ctx context.Context, tx pgx.Tx) (int, error) {
	sql := `SELECT count(*) FROM ` + s.table + s.String()
	switch {
	case s.counts != "":
		sql = `SELECT COALESCE(sum(` + s.alias + `.n), 0)::bigint FROM ` + s.counts + s.String()
	case s.limit > 0:
		sql = `SELECT count(*) FROM (SELECT 1 FROM ` + s.table + s.String() + ` LIMIT ` + strconv.Itoa(s.limit+1) + `) m`
	}
	var n int
	err := tx.QueryRow(ctx, sql, s.args...).Scan(&n)
	return n, err
}

// sortSQL returns the ORDER BY of a sort, or "" for ranking by relevance.
// byName orders by name; alias is the searched table's. EINVALID for a sort
// the query cannot have (validation prevents it).
func sortSQL(sort, tsq string, geo *directory.Geo, byName, alias string) (string, error) {
	newest := alias + ".created_at DESC, " + alias + ".id DESC"
	switch sort {
	case directory.SortName:
		return byName, nil
	case directory.SortNewest:
		return newest, nil
	case directory.SortDistance:
		if geo == nil {
			break
		}
		return "distance_km, " + alias + ".id", nil
	case directory.SortRelevance, "":
		if tsq == "" {
			return newest, nil // relevance without text is newest first
		}
		return "", nil
	}
	return "", directory.Errorf(directory.EINVALID, "cannot sort by %q here", sort)
}
