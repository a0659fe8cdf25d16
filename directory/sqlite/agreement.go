package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// agreementColumns are read by every query that returns agreements; the
// responder's name and handle come from its enterprise when it is here.
const agreementColumns = `a.id, a.listing_id, coalesce(a.enterprise_id, 0), coalesce(r.handle, ''),
	coalesce(r.name, a.responder_name), a.responder_id, a.responder_inbox, a.responder_url,
	a.proposer_id, a.offer_id, a.uri, a.quantity, a.unit, a.message, a.state, a.reason,
	a.created_at, a.decided_at, coalesce(a.responder_listing_id, 0), a.responder_listing`

const agreementFrom = ` FROM agreements a LEFT JOIN enterprises r ON r.id = a.enterprise_id `

func scanAgreement(row scanner) (*directory.Agreement, error) {
	var (
		a        directory.Agreement
		quantity sql.NullFloat64
		created  int64
		decided  sql.NullInt64
	)
	err := row.Scan(&a.ID, &a.ListingID, &a.EnterpriseID, &a.ResponderHandle, &a.ResponderName, &a.ResponderID,
		&a.ResponderInbox, &a.ResponderURL, &a.ProposerID, &a.OfferID, &a.URI, &quantity, &a.Unit, &a.Message,
		&a.State, &a.Reason, &created, &decided, &a.ResponderListingID, &a.ResponderListingURI)
	if err != nil {
		return nil, err
	}
	a.Quantity, a.CreatedAt = fromNullFloat(quantity), fromMicros(created)
	if decided.Valid {
		t := fromMicros(decided.Int64)
		a.DecidedAt = &t
	}
	return &a, nil
}

// CreateAgreement inserts a and sets a.ID. ENOTFOUND, ECONFLICT.
func (db *DB) CreateAgreement(ctx context.Context, a *directory.Agreement) error {
	return db.inWrite(ctx, "create agreement", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `
			INSERT INTO agreements (listing_id, enterprise_id, responder_name, responder_id, responder_inbox,
				responder_url, proposer_id, offer_id, quantity, unit, message, state, created_at,
				responder_listing_id, responder_listing)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			a.ListingID, nullID(a.EnterpriseID), a.ResponderName, a.ResponderID, a.ResponderInbox, a.ResponderURL,
			a.ProposerID, a.OfferID, nullFloat(a.Quantity), a.Unit, a.Message, string(a.State), micros(a.CreatedAt),
			nullID(a.ResponderListingID), a.ResponderListingURI,
		).Scan(&a.ID)
		switch {
		case isForeignKey(err):
			return directory.Errorf(directory.ENOTFOUND, "the agreement's listing or enterprise does not exist")
		case isUnique(err):
			return directory.Errorf(directory.ECONFLICT, "this offer was received already")
		case err != nil:
			return directory.Internal(err, "create agreement")
		}
		return nil
	})
}

// DeleteAgreement removes agreement id. ENOTFOUND.
func (db *DB) DeleteAgreement(ctx context.Context, id int64) error {
	return db.inWrite(ctx, "delete agreement", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `DELETE FROM agreements WHERE id = ? RETURNING id`, id).Scan(&id)
		if err != nil {
			return notFound(err, "agreement not found", "delete agreement")
		}
		return nil
	})
}

// FindAgreement returns agreement id with its listing. ENOTFOUND.
func (db *DB) FindAgreement(ctx context.Context, id int64) (*directory.Agreement, error) {
	return db.oneAgreement(ctx, `a.id = ?`, id)
}

// FindAgreementByOffer returns the agreement of Offer offerID. ENOTFOUND.
func (db *DB) FindAgreementByOffer(ctx context.Context, offerID string) (*directory.Agreement, error) {
	return db.oneAgreement(ctx, `a.offer_id = ?`, offerID)
}

func (db *DB) oneAgreement(ctx context.Context, where string, arg any) (*directory.Agreement, error) {
	var out []*directory.Agreement
	err := db.inRead(ctx, "find agreement", func(tx *sql.Tx) (err error) {
		out, err = readAgreements(ctx, tx, `SELECT `+agreementColumns+agreementFrom+`WHERE `+where, arg)
		return err
	})
	if err == nil && len(out) == 0 {
		return nil, directory.Errorf(directory.ENOTFOUND, "agreement not found")
	}
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// DecideAgreement records d on pending agreement id, with d.Listing and
// d.Event. ENOTFOUND, ECONFLICT.
func (db *DB) DecideAgreement(ctx context.Context, id int64, d directory.AgreementDecision) error {
	return db.inWrite(ctx, "decide agreement", func(tx *sql.Tx) error {
		var state string
		err := tx.QueryRowContext(ctx, `SELECT state FROM agreements WHERE id = ?`, id).Scan(&state)
		if err != nil {
			return notFound(err, "agreement not found", "decide agreement")
		}
		if state != string(directory.AgreementPending) {
			return directory.Errorf(directory.ECONFLICT, "this agreement was %s already", state)
		}
		_, err = tx.ExecContext(ctx, `UPDATE agreements SET state = ?, uri = ?, reason = ?, decided_at = ? WHERE id = ?`,
			string(d.State), d.URI, d.Reason, micros(d.At), id)
		if err != nil {
			return directory.Internal(err, "decide agreement")
		}
		if d.Listing == nil {
			return nil
		}
		if _, err := updateListing(ctx, tx, d.Listing); err != nil {
			return err
		}
		return insertEvent(ctx, tx, d.Event)
	})
}

// ListingAgreements returns the agreements about listing id, newest first.
func (db *DB) ListingAgreements(ctx context.Context, listingID int64) ([]*directory.Agreement, error) {
	var out []*directory.Agreement
	err := db.inRead(ctx, "listing agreements", func(tx *sql.Tx) (err error) {
		out, err = readAgreements(ctx, tx, `SELECT `+agreementColumns+agreementFrom+
			`WHERE a.listing_id = ? OR a.responder_listing_id = ? ORDER BY a.id DESC`, listingID, listingID)
		return err
	})
	return out, err
}

// EnterpriseAgreements returns the agreements about enterprise id's
// listings or sent by it, newest first, at most limit.
func (db *DB) EnterpriseAgreements(ctx context.Context, enterpriseID int64, limit int) ([]*directory.Agreement, error) {
	var out []*directory.Agreement
	err := db.inRead(ctx, "enterprise agreements", func(tx *sql.Tx) (err error) {
		out, err = readAgreements(ctx, tx, `SELECT `+agreementColumns+agreementFrom+`
			WHERE a.enterprise_id = ? OR a.listing_id IN (SELECT id FROM listings WHERE enterprise_id = ?)
			ORDER BY a.id DESC LIMIT ?`, enterpriseID, enterpriseID, limit)
		return err
	})
	return out, err
}

// PendingAgreements counts the pending agreements about enterprise id's
// listings.
func (db *DB) PendingAgreements(ctx context.Context, enterpriseID int64) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM agreements a JOIN listings l ON l.id = a.listing_id
		WHERE l.enterprise_id = ? AND a.state = 'pending'`, enterpriseID).Scan(&n)
	if err != nil {
		return 0, directory.Internal(err, "count pending agreements")
	}
	return n, nil
}

// readAgreements runs a query of agreementColumns and loads their listings.
func readAgreements(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]*directory.Agreement, error) {
	out := []*directory.Agreement{}
	err := eachRow(ctx, tx, "read agreements", func(row scanner) error {
		a, err := scanAgreement(row)
		if err == nil {
			out = append(out, a)
		}
		return err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	listings := map[int64]*directory.Listing{}
	load := func(id int64) (*directory.Listing, error) {
		if id == 0 || listings[id] != nil {
			return listings[id], nil
		}
		l, err := scanListing(tx.QueryRowContext(ctx, `SELECT `+listingColumns+` FROM `+listingFrom+` WHERE l.id = ?`, id))
		if err != nil {
			return nil, notFound(err, "listing not found", "read agreement listing")
		}
		listings[id] = l
		return l, nil
	}
	for _, a := range out {
		var err error
		if a.Listing, err = load(a.ListingID); err != nil {
			return nil, err
		}
		if a.ResponderListing, err = load(a.ResponderListingID); err != nil {
			return nil, err
		}
	}
	return out, nil
}
