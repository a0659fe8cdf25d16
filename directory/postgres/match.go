package postgres

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// queueMatches puts listings ids on the matching queue (or bumps the
// version of those there), in the transaction that writes them.
func queueMatches(ctx context.Context, tx pgx.Tx, ids ...int64) error {
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	_, err := tx.Exec(ctx, `INSERT INTO match_queue (listing_id) SELECT unnest($1::bigint[])
		ON CONFLICT (listing_id) DO UPDATE SET version = match_queue.version + 1`, ids)
	return err
}

// MatchPending matches up to limit queued listings, each in its own
// transaction; a listing another process is matching is skipped. It
// returns how many it matched.
func (db *DB) MatchPending(ctx context.Context, limit int, today string, at time.Time) (int, error) {
	n := 0
	for n < limit {
		done := false
		err := db.write(ctx, "match listing", func(tx pgx.Tx) error {
			var id, version int64
			err := tx.QueryRow(ctx, `SELECT listing_id, version FROM match_queue
				ORDER BY listing_id LIMIT 1 FOR UPDATE SKIP LOCKED`).Scan(&id, &version)
			if errors.Is(err, pgx.ErrNoRows) {
				done = true
				return nil
			}
			if err != nil {
				return err
			}
			if err := matchListing(ctx, tx, id, today, at); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `DELETE FROM match_queue WHERE listing_id = $1 AND version = $2`, id, version)
			return err
		})
		if err != nil || done {
			return n, err
		}
		n++
	}
	return n, nil
}

// MatchListing matches listing id at once and takes it off the queue.
// ENOTFOUND.
func (db *DB) MatchListing(ctx context.Context, id int64, today string, at time.Time) error {
	return db.write(ctx, "listing", func(tx pgx.Tx) error {
		if err := matchListing(ctx, tx, id, today, at); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM match_queue WHERE listing_id = $1`, id)
		return err
	})
}

// matchListing replaces the matches of listing id with those found now.
func matchListing(ctx context.Context, tx pgx.Tx, id int64, today string, at time.Time) error {
	l, err := scanListing(tx.QueryRow(ctx, `SELECT `+listingColumns+listingFrom+` WHERE l.id = $1`, id))
	if err != nil {
		return err
	}
	var found []directory.ScoredMatch
	if directory.Matchable(l, today) {
		cands, err := matchCandidates(ctx, tx, l, today)
		if err != nil {
			return err
		}
		found = directory.BestMatches(l, cands)
	}
	return writeMatches(ctx, tx, l, found, at)
}

// matchCandidates reads the newest open listings of the other type in l's
// category, of other enterprises, that hold a word of l's title.
func matchCandidates(ctx context.Context, tx pgx.Tx, l *directory.Listing, today string) ([]directory.MatchCandidate, error) {
	terms := directory.MatchTerms(l)
	words := make([]string, len(terms))
	for i, t := range terms {
		words[i] = "'" + t.Word + "'"
	}
	// The category is the last word of every listing's body, so asking
	// for it lets the text index narrow the rows before they are read
	// (without a weight: a weighted term makes every row found be read
	// again to check it).
	query := "(" + strings.Join(words, " | ") + ") & '" + fulltext.Fold(string(l.Category)) + "'"
	other := directory.Offer
	if l.Type == directory.Offer {
		other = directory.Need
	}
	return queryAll(ctx, tx, func(row pgx.Row) (c directory.MatchCandidate, err error) {
		err = row.Scan(&c.ID, &c.EnterpriseID, &c.Title, &c.Description, &c.Location.Lat, &c.Location.Lon, &c.Location.RadiusKM)
		return c, err
	}, `SELECT l.id, l.enterprise_id, l.title, l.description, l.lat, l.lon, l.radius_km FROM listings l
		WHERE l.search @@ to_tsquery('simple', $1) AND l.status = 'open' AND l.type = $2 AND l.category = $3
			AND (l.valid_until IS NULL OR l.valid_until >= $4::date) AND l.enterprise_id <> $5
		ORDER BY l.id DESC LIMIT $6`,
		query, string(other), string(l.Category), today, l.EnterpriseID, directory.MatchCandidates)
}

// writeMatches stores found as l's matches: new pairs inserted, kept ones
// rescored, the others removed; dismissed pairs are left as they are.
func writeMatches(ctx context.Context, tx pgx.Tx, l *directory.Listing, found []directory.ScoredMatch, at time.Time) error {
	mine, theirs := "need_id", "offer_id"
	if l.Type == directory.Offer {
		mine, theirs = theirs, mine
	}
	pairs, err := queryAll(ctx, tx, func(row pgx.Row) (p [2]int64, err error) {
		err = row.Scan(&p[0], &p[1])
		return p, err
	}, `SELECT id, `+theirs+` FROM matches WHERE `+mine+` = $1 AND dismissed_at IS NULL`, l.ID)
	if err != nil {
		return err
	}
	stored := make(map[int64]int64, len(pairs))
	for _, p := range pairs {
		stored[p[1]] = p[0]
	}
	if stale := directory.StaleMatches(stored, found); len(stale) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM matches WHERE id = ANY($1)`, stale); err != nil {
			return err
		}
	}
	if len(found) == 0 {
		return nil
	}
	needs, offers := make([]int64, len(found)), make([]int64, len(found))
	scores, reasons := make([]float64, len(found)), make([]string, len(found))
	for i, f := range found {
		needs[i], offers[i] = directory.MatchPair(l, f.CandidateID)
		scores[i], reasons[i] = f.Score, directory.JoinReasons(f.Reasons)
	}
	_, err = tx.Exec(ctx, `INSERT INTO matches (need_id, offer_id, score, reasons, created_at, updated_at)
		SELECT n, o, s, r, $5, $5 FROM unnest($1::bigint[], $2::bigint[], $3::float8[], $4::text[]) AS f (n, o, s, r)
		ON CONFLICT (need_id, offer_id) DO UPDATE SET score = excluded.score, reasons = excluded.reasons,
			updated_at = excluded.updated_at WHERE matches.dismissed_at IS NULL`,
		needs, offers, scores, reasons, ts(at))
	return err
}

// matchColumns are read by every query of matches m joined to their need
// n and offer o.
const matchColumns = `m.id, m.need_id, m.offer_id, m.score, m.reasons, m.need_seen, m.offer_seen,
	m.dismissed_at IS NOT NULL, m.created_at, m.updated_at`

// shownMatches is the join and condition of the matches shown: not
// dismissed, both listings open and not expired on the day $1.
const shownMatches = ` FROM matches m JOIN listings n ON n.id = m.need_id JOIN listings o ON o.id = m.offer_id
	WHERE m.dismissed_at IS NULL AND n.status = 'open' AND o.status = 'open'
		AND (n.valid_until IS NULL OR n.valid_until >= $1::date) AND (o.valid_until IS NULL OR o.valid_until >= $1::date)`

// enterpriseMatches is the condition of the matches of enterprise $2's
// listings.
const enterpriseMatches = ` AND (m.need_id IN (SELECT id FROM listings WHERE enterprise_id = $2)
	OR m.offer_id IN (SELECT id FROM listings WHERE enterprise_id = $2))`

// ListingMatches returns up to limit shown matches of listing id, best
// first.
func (db *DB) ListingMatches(ctx context.Context, listingID int64, today string, limit int) ([]*directory.Match, error) {
	var out []*directory.Match
	err := db.read(ctx, "listing matches", func(tx pgx.Tx) (err error) {
		out, err = readMatches(ctx, tx, 0, `SELECT `+matchColumns+shownMatches+
			` AND (m.need_id = $2 OR m.offer_id = $2) ORDER BY m.score DESC, m.id DESC LIMIT $3`, today, listingID, limit)
		return err
	})
	return out, err
}

// EnterpriseMatches returns a page of the shown matches of enterprise id's
// listings, best first, and their total.
func (db *DB) EnterpriseMatches(ctx context.Context, enterpriseID int64, today string, p directory.Page) ([]*directory.Match, int, error) {
	var (
		out   []*directory.Match
		total int
	)
	err := db.read(ctx, "enterprise matches", func(tx pgx.Tx) (err error) {
		out, err = readMatches(ctx, tx, enterpriseID, `SELECT `+matchColumns+shownMatches+enterpriseMatches+
			` ORDER BY m.score DESC, m.id DESC LIMIT $3 OFFSET $4`, today, enterpriseID, p.PerPage, p.Offset())
		if err != nil {
			return err
		}
		if n, ok := p.KnownTotal(len(out)); ok {
			total = n
			return nil
		}
		return tx.QueryRow(ctx, `SELECT count(*)`+shownMatches+enterpriseMatches, today, enterpriseID).Scan(&total)
	})
	return out, total, err
}

// NewMatches counts the shown matches of enterprise id's listings that it
// has not seen.
func (db *DB) NewMatches(ctx context.Context, enterpriseID int64, today string) (int, error) {
	var n int
	err := db.readOne(ctx, "new matches", func(q querier) error {
		return q.QueryRow(ctx, `SELECT count(*)`+shownMatches+`
			AND ((n.enterprise_id = $2 AND NOT m.need_seen) OR (o.enterprise_id = $2 AND NOT m.offer_seen))`+enterpriseMatches,
			today, enterpriseID).Scan(&n)
	})
	return n, err
}

// MarkMatchesSeen marks every match of enterprise id's listings seen by it.
func (db *DB) MarkMatchesSeen(ctx context.Context, enterpriseID int64) error {
	return db.write(ctx, "mark matches seen", func(tx pgx.Tx) error {
		for _, side := range []string{"need", "offer"} {
			_, err := tx.Exec(ctx, `UPDATE matches SET `+side+`_seen = true
				WHERE NOT `+side+`_seen AND `+side+`_id IN (SELECT id FROM listings WHERE enterprise_id = $1)`, enterpriseID)
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// FindMatch returns match id, dismissed or not. ENOTFOUND.
func (db *DB) FindMatch(ctx context.Context, id int64) (*directory.Match, error) {
	var out []*directory.Match
	err := db.read(ctx, "match", func(tx pgx.Tx) (err error) {
		out, err = readMatches(ctx, tx, 0, `SELECT `+matchColumns+` FROM matches m WHERE m.id = $1`, id)
		return err
	})
	return directory.OneMatch(out, err)
}

// DismissMatch marks match id dismissed at at (a dismissed match keeps
// its first dismissal). ENOTFOUND.
func (db *DB) DismissMatch(ctx context.Context, id int64, at time.Time) error {
	return db.write(ctx, "match", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `UPDATE matches SET dismissed_at = coalesce(dismissed_at, $2)
			WHERE id = $1 RETURNING id`, id, ts(at)).Scan(&id)
	})
}

// readMatches runs a query of matchColumns and loads the listings of the
// matches, with New for enterprise viewer's side.
func readMatches(ctx context.Context, tx pgx.Tx, viewer int64, query string, args ...any) ([]*directory.Match, error) {
	rows, err := queryAll(ctx, tx, func(row pgx.Row) (r directory.MatchRow, err error) {
		err = row.Scan(&r.ID, &r.NeedID, &r.OfferID, &r.Score, &r.Reasons, &r.NeedSeen, &r.OfferSeen, &r.Dismissed,
			&r.CreatedAt, &r.UpdatedAt)
		r.CreatedAt, r.UpdatedAt = r.CreatedAt.UTC(), r.UpdatedAt.UTC()
		return r, err
	}, query, args...)
	if err != nil || len(rows) == 0 {
		return []*directory.Match{}, err
	}
	ls, err := queryAll(ctx, tx, func(row pgx.Row) (*directory.Listing, error) { return scanListing(row) },
		`SELECT `+listingColumns+listingFrom+` WHERE l.id = ANY($1)`, directory.ListingIDs(rows))
	if err != nil {
		return nil, err
	}
	listings := make(map[int64]*directory.Listing, len(ls))
	for _, l := range ls {
		listings[l.ID] = l
	}
	return directory.AssembleMatches(rows, listings, viewer), nil
}
