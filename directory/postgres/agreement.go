package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// agreementColumns are read by every query that returns agreements; the
// responder's name and handle come from its enterprise when it is here.
const agreementColumns = `a.id, a.listing_id, coalesce(a.enterprise_id, 0), coalesce(r.handle, ''),
	coalesce(r.name, a.responder_name), a.responder_id, a.responder_inbox, a.responder_url,
	a.proposer_id, a.offer_id, a.uri, a.quantity, a.unit, a.message, a.state, a.reason,
	a.created_at, a.decided_at, coalesce(a.responder_listing_id, 0), a.responder_listing`

const agreementFrom = ` FROM agreements a LEFT JOIN enterprises r ON r.id = a.enterprise_id `

func scanAgreement(row pgx.Row) (*directory.Agreement, error) {
	a := &directory.Agreement{}
	err := row.Scan(&a.ID, &a.ListingID, &a.EnterpriseID, &a.ResponderHandle, &a.ResponderName, &a.ResponderID,
		&a.ResponderInbox, &a.ResponderURL, &a.ProposerID, &a.OfferID, &a.URI, &a.Quantity, &a.Unit, &a.Message,
		(*string)(&a.State), &a.Reason, &a.CreatedAt, &a.DecidedAt, &a.ResponderListingID, &a.ResponderListingURI)
	if err != nil {
		return nil, err
	}
	a.CreatedAt = a.CreatedAt.UTC()
	if a.DecidedAt != nil {
		t := a.DecidedAt.UTC()
		a.DecidedAt = &t
	}
	return a, nil
}

// CreateAgreement inserts a and sets a.ID. ENOTFOUND, ECONFLICT.
func (db *DB) CreateAgreement(ctx context.Context, a *directory.Agreement) error {
	err := db.write(ctx, "agreement", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			INSERT INTO agreements (listing_id, enterprise_id, responder_name, responder_id, responder_inbox,
				responder_url, proposer_id, offer_id, quantity, unit, message, state, created_at,
				responder_listing_id, responder_listing)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			a.ListingID, nullID(a.EnterpriseID), a.ResponderName, a.ResponderID, a.ResponderInbox, a.ResponderURL,
			a.ProposerID, a.OfferID, a.Quantity, a.Unit, a.Message, string(a.State), ts(a.CreatedAt),
			nullID(a.ResponderListingID), a.ResponderListingURI,
		).Scan(&a.ID)
	})
	switch directory.ErrorCode(err) {
	case directory.ECONFLICT:
		return &directory.Error{Code: directory.ECONFLICT, Message: "this offer was received already", Err: err}
	case directory.ENOTFOUND:
		return &directory.Error{Code: directory.ENOTFOUND, Message: "the agreement's listing or enterprise does not exist", Err: err}
	}
	return err
}

// DeleteAgreement removes agreement id. ENOTFOUND.
func (db *DB) DeleteAgreement(ctx context.Context, id int64) error {
	return db.write(ctx, "agreement", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `DELETE FROM agreements WHERE id = $1 RETURNING id`, id).Scan(&id)
	})
}

// FindAgreement returns agreement id with its listing. ENOTFOUND.
func (db *DB) FindAgreement(ctx context.Context, id int64) (*directory.Agreement, error) {
	return db.oneAgreement(ctx, `a.id = $1`, id)
}

// FindAgreementByOffer returns the agreement of Offer offerID. ENOTFOUND.
func (db *DB) FindAgreementByOffer(ctx context.Context, offerID string) (*directory.Agreement, error) {
	return db.oneAgreement(ctx, `a.offer_id = $1`, offerID)
}

func (db *DB) oneAgreement(ctx context.Context, where string, arg any) (*directory.Agreement, error) {
	var out []*directory.Agreement
	err := db.read(ctx, "agreement", func(tx pgx.Tx) (err error) {
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
	return db.write(ctx, "agreement", func(tx pgx.Tx) error {
		var state string
		if err := tx.QueryRow(ctx, `SELECT state FROM agreements WHERE id = $1 FOR UPDATE`, id).Scan(&state); err != nil {
			return err
		}
		if state != string(directory.AgreementPending) {
			return directory.Errorf(directory.ECONFLICT, "this agreement was %s already", state)
		}
		_, err := tx.Exec(ctx, `UPDATE agreements SET state = $2, uri = $3, reason = $4, decided_at = $5 WHERE id = $1`,
			id, string(d.State), d.URI, d.Reason, ts(d.At))
		if err != nil || d.Listing == nil {
			return err
		}
		lang, err := storedListingLanguage(ctx, tx, d.Listing.ID)
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, updateListingSQL, updateListingArgs(d.Listing, lang)...).Scan(new(int64)); err != nil {
			return err
		}
		if err := queueMatches(ctx, tx, d.Listing.ID); err != nil {
			return err
		}
		return recordEvents(ctx, tx, d.Event)
	})
}

// ListingAgreements returns the agreements about listing id, newest first.
func (db *DB) ListingAgreements(ctx context.Context, listingID int64) ([]*directory.Agreement, error) {
	var out []*directory.Agreement
	err := db.read(ctx, "agreements", func(tx pgx.Tx) (err error) {
		out, err = readAgreements(ctx, tx, `SELECT `+agreementColumns+agreementFrom+
			`WHERE a.listing_id = $1 OR a.responder_listing_id = $1 ORDER BY a.id DESC`, listingID)
		return err
	})
	return out, err
}

// EnterpriseAgreements returns the agreements about enterprise id's
// listings or sent by it, newest first, at most limit.
func (db *DB) EnterpriseAgreements(ctx context.Context, enterpriseID int64, limit int) ([]*directory.Agreement, error) {
	var out []*directory.Agreement
	err := db.read(ctx, "agreements", func(tx pgx.Tx) (err error) {
		out, err = readAgreements(ctx, tx, `SELECT `+agreementColumns+agreementFrom+`
			WHERE a.enterprise_id = $1 OR a.listing_id IN (SELECT id FROM listings WHERE enterprise_id = $1)
			ORDER BY a.id DESC LIMIT $2`, enterpriseID, limit)
		return err
	})
	return out, err
}

// PendingAgreements counts the pending agreements about enterprise id's
// listings.
func (db *DB) PendingAgreements(ctx context.Context, enterpriseID int64) (int, error) {
	var n int
	err := db.readOne(ctx, "agreements", func(q querier) error {
		return q.QueryRow(ctx, `SELECT count(*) FROM agreements a JOIN listings l ON l.id = a.listing_id
			WHERE l.enterprise_id = $1 AND a.state = 'pending'`, enterpriseID).Scan(&n)
	})
	return n, err
}

// readAgreements runs a query of agreementColumns and loads their listings.
func readAgreements(ctx context.Context, tx pgx.Tx, query string, args ...any) ([]*directory.Agreement, error) {
	out, err := queryAll(ctx, tx, scanAgreement, query, args...)
	if err != nil || len(out) == 0 {
		return []*directory.Agreement{}, err
	}
	ids := make([]int64, 0, 2*len(out))
	for _, a := range out {
		ids = append(ids, a.ListingID)
		if a.ResponderListingID != 0 {
			ids = append(ids, a.ResponderListingID)
		}
	}
	ls, err := queryAll(ctx, tx, func(row pgx.Row) (*directory.Listing, error) { return scanListing(row) },
		`SELECT `+listingColumns+listingFrom+` WHERE l.id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]*directory.Listing, len(ls))
	for _, l := range ls {
		byID[l.ID] = l
	}
	for _, a := range out {
		a.Listing, a.ResponderListing = byID[a.ListingID], byID[a.ResponderListingID]
	}
	return out, nil
}
