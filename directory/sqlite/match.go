package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

// queueMatch puts listing id on the matching queue (or bumps its version
// when it is there), in the transaction that writes it.
func queueMatch(ctx context.Context, tx dbtx, id int64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO match_queue (listing_id) VALUES (?)
		ON CONFLICT (listing_id) DO UPDATE SET version = version + 1`, id)
	if err != nil {
		return directory.Internal(err, "queue listing for matching")
	}
	return nil
}

// MatchPending matches up to limit queued listings, each in its own write
// transaction (so that other writers wait for one listing at most), and
// returns how many it matched.
func (db *DB) MatchPending(ctx context.Context, limit int, today string, at time.Time) (int, error) {
	n := 0
	for n < limit {
		done := false
		err := db.inWrite(ctx, "match listing", func(tx *sql.Tx) error {
			var id, version int64
			err := tx.QueryRowContext(ctx, `SELECT listing_id, version FROM match_queue ORDER BY listing_id LIMIT 1`).Scan(&id, &version)
			if err == sql.ErrNoRows {
				done = true
				return nil
			}
			if err != nil {
				return directory.Internal(err, "read matching queue")
			}
			if err := matchListing(ctx, tx, id, today, at); err != nil {
				return err
			}
			_, err = tx.ExecContext(ctx, `DELETE FROM match_queue WHERE listing_id = ? AND version = ?`, id, version)
			return orInternal(err, "dequeue listing")
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
	return db.inWrite(ctx, "match listing", func(tx *sql.Tx) error {
		if err := matchListing(ctx, tx, id, today, at); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM match_queue WHERE listing_id = ?`, id)
		return orInternal(err, "dequeue listing")
	})
}

// matchListing replaces the matches of listing id with those found now.
func matchListing(ctx context.Context, tx *sql.Tx, id int64, today string, at time.Time) error {
	l, err := scanListing(tx.QueryRowContext(ctx, `SELECT `+listingColumns+` FROM `+listingFrom+` WHERE l.id = ?`, id))
	if err != nil {
		return notFound(err, "listing not found", "read listing to match")
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
func matchCandidates(ctx context.Context, tx *sql.Tx, l *directory.Listing, today string) ([]directory.MatchCandidate, error) {
	terms := directory.MatchTerms(l)
	words := make([]string, len(terms))
	for i, t := range terms {
		words[i] = `"` + t.Word + `"`
	}
	// The category is the last word of every listing's body, so asking
	// for it lets FTS5 narrow the rows before they are read.
	match := "(" + strings.Join(words, " OR ") + `) AND body : "` + fulltext.Fold(string(l.Category)) + `"`
	other := directory.Offer
	if l.Type == directory.Offer {
		other = directory.Need
	}
	var out []directory.MatchCandidate
	err := eachRow(ctx, tx, "match candidates", func(row scanner) error {
		var (
			c                directory.MatchCandidate
			lat, lon, radius sql.NullFloat64
		)
		if err := row.Scan(&c.ID, &c.EnterpriseID, &c.Title, &c.Description, &lat, &lon, &radius); err != nil {
			return err
		}
		c.Location.Lat, c.Location.Lon, c.Location.RadiusKM = fromNullFloat(lat), fromNullFloat(lon), fromNullFloat(radius)
		out = append(out, c)
		return nil
	}, `SELECT l.id, l.enterprise_id, l.title, l.description, l.lat, l.lon, l.radius_km
		FROM listings_fts CROSS JOIN listings l ON l.id = listings_fts.rowid
		WHERE listings_fts MATCH ? AND l.type = ? AND l.category = ? AND l.status = 'open'
			AND (l.valid_until IS NULL OR l.valid_until >= ?) AND l.enterprise_id <> ?
		ORDER BY listings_fts.rowid DESC LIMIT ?`,
		match, string(other), string(l.Category), today, l.EnterpriseID, directory.MatchCandidates)
	return out, err
}

// writeMatches stores found as l's matches: new pairs inserted, kept ones
// rescored, the others removed; dismissed pairs are left as they are.
func writeMatches(ctx context.Context, tx *sql.Tx, l *directory.Listing, found []directory.ScoredMatch, at time.Time) error {
	mine, theirs := "need_id", "offer_id"
	if l.Type == directory.Offer {
		mine, theirs = theirs, mine
	}
	stored := map[int64]int64{}
	err := eachRow(ctx, tx, "read matches", func(row scanner) error {
		var id, other int64
		if err := row.Scan(&id, &other); err != nil {
			return err
		}
		stored[other] = id
		return nil
	}, `SELECT id, `+theirs+` FROM matches WHERE `+mine+` = ? AND dismissed_at IS NULL`, l.ID)
	if err != nil {
		return err
	}
	for _, id := range directory.StaleMatches(stored, found) {
		if _, err := tx.ExecContext(ctx, `DELETE FROM matches WHERE id = ?`, id); err != nil {
			return directory.Internal(err, "remove match")
		}
	}
	for _, f := range found {
		need, offer := directory.MatchPair(l, f.CandidateID)
		_, err := tx.ExecContext(ctx, `INSERT INTO matches (need_id, offer_id, score, reasons, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (need_id, offer_id) DO UPDATE SET score = excluded.score, reasons = excluded.reasons,
				updated_at = excluded.updated_at WHERE matches.dismissed_at IS NULL`,
			need, offer, f.Score, directory.JoinReasons(f.Reasons), micros(at), micros(at))
		if err != nil {
			return directory.Internal(err, "store match")
		}
	}
	return nil
}

// matchColumns are read by every query of matches m joined to their need
// n and offer o.
const matchColumns = `m.id, m.need_id, m.offer_id, m.score, m.reasons, m.need_seen, m.offer_seen,
	m.dismissed_at IS NOT NULL, m.created_at, m.updated_at`

// shownMatches is the join and condition of the matches shown: not
// dismissed, both listings open and not expired on the day ?today.
const shownMatches = ` FROM matches m JOIN listings n ON n.id = m.need_id JOIN listings o ON o.id = m.offer_id
	WHERE m.dismissed_at IS NULL AND n.status = 'open' AND o.status = 'open'
		AND (n.valid_until IS NULL OR n.valid_until >= :today) AND (o.valid_until IS NULL OR o.valid_until >= :today)`

// enterpriseMatches is the condition of the matches of enterprise :e's
// listings.
const enterpriseMatches = ` AND (m.need_id IN (SELECT id FROM listings WHERE enterprise_id = :e)
	OR m.offer_id IN (SELECT id FROM listings WHERE enterprise_id = :e))`

// ListingMatches returns up to limit shown matches of listing id, best
// first.
func (db *DB) ListingMatches(ctx context.Context, listingID int64, today string, limit int) ([]*directory.Match, error) {
	var out []*directory.Match
	err := db.inRead(ctx, "listing matches", func(tx *sql.Tx) (err error) {
		out, err = readMatches(ctx, tx, 0, `SELECT `+matchColumns+shownMatches+
			` AND (m.need_id = :id OR m.offer_id = :id) ORDER BY m.score DESC, m.id DESC LIMIT :limit`,
			sql.Named("today", today), sql.Named("id", listingID), sql.Named("limit", limit))
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
	args := []any{sql.Named("today", today), sql.Named("e", enterpriseID)}
	err := db.inRead(ctx, "enterprise matches", func(tx *sql.Tx) (err error) {
		out, err = readMatches(ctx, tx, enterpriseID, `SELECT `+matchColumns+shownMatches+enterpriseMatches+
			` ORDER BY m.score DESC, m.id DESC LIMIT :limit OFFSET :offset`,
			append(args, sql.Named("limit", p.PerPage), sql.Named("offset", p.Offset()))...)
		if err != nil {
			return err
		}
		if n, ok := p.KnownTotal(len(out)); ok {
			total = n
			return nil
		}
		err = tx.QueryRowContext(ctx, `SELECT count(*)`+shownMatches+enterpriseMatches, args...).Scan(&total)
		return orInternal(err, "count matches")
	})
	return out, total, err
}

// NewMatches counts the shown matches of enterprise id's listings that it
// has not seen.
func (db *DB) NewMatches(ctx context.Context, enterpriseID int64, today string) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*)`+shownMatches+`
		AND ((n.enterprise_id = :e AND m.need_seen = 0) OR (o.enterprise_id = :e AND m.offer_seen = 0))`+enterpriseMatches,
		sql.Named("today", today), sql.Named("e", enterpriseID)).Scan(&n)
	return n, orInternal(err, "count new matches")
}

// MarkMatchesSeen marks every match of enterprise id's listings seen by it.
func (db *DB) MarkMatchesSeen(ctx context.Context, enterpriseID int64) error {
	return db.inWrite(ctx, "mark matches seen", func(tx *sql.Tx) error {
		for _, side := range []string{"need", "offer"} {
			_, err := tx.ExecContext(ctx, `UPDATE matches SET `+side+`_seen = 1
				WHERE `+side+`_seen = 0 AND `+side+`_id IN (SELECT id FROM listings WHERE enterprise_id = ?)`, enterpriseID)
			if err != nil {
				return directory.Internal(err, "mark matches seen")
			}
		}
		return nil
	})
}

// FindMatch returns match id, dismissed or not. ENOTFOUND.
func (db *DB) FindMatch(ctx context.Context, id int64) (*directory.Match, error) {
	var out []*directory.Match
	err := db.inRead(ctx, "find match", func(tx *sql.Tx) (err error) {
		out, err = readMatches(ctx, tx, 0, `SELECT `+matchColumns+` FROM matches m WHERE m.id = ?`, id)
		return err
	})
	return directory.OneMatch(out, err)
}

// DismissMatch marks match id dismissed at at (a dismissed match keeps
// its first dismissal). ENOTFOUND.
func (db *DB) DismissMatch(ctx context.Context, id int64, at time.Time) error {
	return db.inWrite(ctx, "dismiss match", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `UPDATE matches SET dismissed_at = coalesce(dismissed_at, ?)
			WHERE id = ? RETURNING id`, micros(at), id).Scan(&id)
		if err != nil {
			return notFound(err, "match not found", "dismiss match")
		}
		return nil
	})
}

// readMatches runs a query of matchColumns and loads the listings of the
// matches, with New for enterprise viewer's side.
func readMatches(ctx context.Context, tx *sql.Tx, viewer int64, query string, args ...any) ([]*directory.Match, error) {
	var rows []directory.MatchRow
	err := eachRow(ctx, tx, "read matches", func(row scanner) error {
		var (
			r                  directory.MatchRow
			created, updated   int64
			needSeen, offerSee int64
		)
		if err := row.Scan(&r.ID, &r.NeedID, &r.OfferID, &r.Score, &r.Reasons, &needSeen, &offerSee, &r.Dismissed,
			&created, &updated); err != nil {
			return err
		}
		r.NeedSeen, r.OfferSeen = needSeen == 1, offerSee == 1
		r.CreatedAt, r.UpdatedAt = fromMicros(created), fromMicros(updated)
		rows = append(rows, r)
		return nil
	}, query, args...)
	if err != nil || len(rows) == 0 {
		return []*directory.Match{}, err
	}
	listings := map[int64]*directory.Listing{}
	ids, _ := json.Marshal(directory.ListingIDs(rows)) // []int64 always marshals
	err = eachRow(ctx, tx, "read matched listings", func(row scanner) error {
		l, err := scanListing(row)
		if err == nil {
			listings[l.ID] = l
		}
		return err
	}, `SELECT `+listingColumns+` FROM `+listingFrom+` WHERE l.id IN (SELECT value FROM json_each(?))`, string(ids))
	return directory.AssembleMatches(rows, listings, viewer), err
}

// orInternal is nil for nil, else err as EINTERNAL.
func orInternal(err error, what string) error {
	if err == nil {
		return nil
	}
	return directory.Internal(err, what)
}
