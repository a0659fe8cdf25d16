package directory

import (
	"context"
	"math"
	"strings"
	"time"
)

// Agreements (FEP-0837): an enterprise answers a need with "we can meet
// this", or an offer with "we would take this up". The answer is an
// agreement offered to the listing's enterprise, which accepts or rejects
// it. An accepted agreement marks the listing fulfilled, or takes the
// agreed quantity off it.
//
// Each instance keeps the agreements its enterprises take part in. When
// both enterprises are here, one row serves both. When the listing is a
// partner's copy, the row is the responder's record of what it sent
// (ProposerID names the actor it was sent to); when the responder is on
// another server, the row is the listing's record of what it received
// (ResponderID, ResponderInbox name who to answer).

// AgreementState is where an agreement stands.
type AgreementState string

// Agreement states.
const (
	AgreementPending  AgreementState = "pending"
	AgreementAccepted AgreementState = "accepted"
	AgreementRejected AgreementState = "rejected"
)

// Agreement is one answer to a listing.
type Agreement struct {
	ID        int64 `json:"id"`
	ListingID int64 `json:"listing_id"` // the listing answered, here or a partner's copy
	// Listing is the listing answered, filled on read.
	Listing *Listing `json:"listing,omitempty"`
	// EnterpriseID is the responding enterprise when it is here, else 0.
	EnterpriseID int64 `json:"-"`
	// ResponderName is the responding enterprise's name (filled on read
	// when it is here).
	ResponderName string `json:"responder_name"`
	// ResponderHandle is the responding enterprise's handle when it is here.
	ResponderHandle string `json:"responder,omitempty"`
	ResponderID     string `json:"responder_id,omitempty"`  // its actor, when on another server
	ResponderInbox  string `json:"-"`                       // where answers to it go
	ResponderURL    string `json:"responder_url,omitempty"` // its page
	// ResponderListingID is the responder's own listing here (the offer
	// that meets the need, or the need the offer meets), 0 when it named
	// none or is on another server; ResponderListing is it, filled on read.
	ResponderListingID int64    `json:"responder_listing_id,omitempty"`
	ResponderListing   *Listing `json:"responder_listing,omitempty"`
	// ResponderListingURI is the id of the responder's listing when it is
	// on another server.
	ResponderListingURI string `json:"responder_listing_uri,omitempty"`
	// ProposerID is the actor the offer was sent to, when the listing is a
	// partner's copy.
	ProposerID string `json:"proposer_id,omitempty"`
	// OfferID is the id of the Offer activity; unique.
	OfferID string `json:"offer_id"`
	// URI is the finalized agreement's id, set when accepted.
	URI      string         `json:"uri,omitempty"`
	Quantity *float64       `json:"quantity,omitempty"`
	Unit     string         `json:"unit,omitempty"`
	Message  string         `json:"message,omitempty"`
	State    AgreementState `json:"state"`
	// Reason is why it was rejected, when the rejecting party said.
	Reason    string     `json:"reason,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	DecidedAt *time.Time `json:"decided_at,omitempty"`
}

// Agreement limits.
const (
	// MaxAgreementMessage is the longest message, in bytes.
	MaxAgreementMessage = 2000
	// MaxAgreementQuantity is the largest quantity, as for listings.
	MaxAgreementQuantity = 1e9
)

// CheckAgreementQuantity refuses a quantity that is not a finite number
// above 0 and at most MaxAgreementQuantity, or more than the listing has.
func CheckAgreementQuantity(q *float64, l *Listing) error {
	if q == nil {
		return nil
	}
	v := *q
	if math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 || v > MaxAgreementQuantity {
		return fieldError("quantity", "range", "must be a number above 0")
	}
	if l.Quantity != nil && v > *l.Quantity {
		return fieldError("quantity", "max", "must be at most the listing's quantity")
	}
	return nil
}

// checkAgreementTerms validates the quantity and message of an agreement
// about l, which must be open on now, and cleans the message.
func checkAgreementTerms(a *Agreement, l *Listing, now time.Time) error {
	if l.EffectiveStatus(now) != StatusOpen {
		return Errorf(EINVALID, "this %s is closed: it takes no agreement", l.Type)
	}
	if err := CheckAgreementQuantity(a.Quantity, l); err != nil {
		return err
	}
	a.Message = strings.TrimSpace(a.Message)
	if len(a.Message) > MaxAgreementMessage {
		return fieldError("message", "max", "is too long")
	}
	a.Unit = l.Unit
	if a.Quantity == nil {
		a.Unit = ""
	}
	return nil
}

// Fulfil returns l as accepting a is to leave it: the agreed quantity taken
// off, or fulfilled when none was agreed, the listing had none, or nothing
// is left (then without a quantity).
func (a *Agreement) Fulfil(l Listing) Listing {
	if a.Quantity != nil && l.Quantity != nil {
		if left := *l.Quantity - *a.Quantity; left > 1e-9 {
			l.Quantity = &left
			return l
		}
	}
	l.Status, l.Quantity, l.Unit = StatusFulfilled, nil, ""
	return l
}

// AgreementDecision is the answer to a pending agreement.
type AgreementDecision struct {
	State  AgreementState // accepted or rejected
	URI    string         // the finalized agreement's id, when accepted
	Reason string         // why it was rejected, optional
	At     time.Time
	// Listing, when not nil, is written with the decision (the listing an
	// acceptance fulfils), and Event with it.
	Listing *Listing
	Event   Event
}

// AgreementStore keeps agreements.
type AgreementStore interface {
	// CreateAgreement inserts a (pending), and sets a.ID. ENOTFOUND when
	// the listing or the enterprise is gone, ECONFLICT when the offer id is
	// taken.
	CreateAgreement(ctx context.Context, a *Agreement) error
	// DeleteAgreement removes agreement id. ENOTFOUND.
	DeleteAgreement(ctx context.Context, id int64) error
	// FindAgreement returns agreement id with its listing. ENOTFOUND.
	FindAgreement(ctx context.Context, id int64) (*Agreement, error)
	// FindAgreementByOffer returns the agreement of an Offer id. ENOTFOUND.
	FindAgreementByOffer(ctx context.Context, offerID string) (*Agreement, error)
	// DecideAgreement records the decision on agreement id, which must be
	// pending (ECONFLICT otherwise, nothing changed), and writes
	// d.Listing with d.Event in the same transaction. ENOTFOUND.
	DecideAgreement(ctx context.Context, id int64, d AgreementDecision) error
	// ListingAgreements returns the agreements about listing id, or that
	// name it as the responder's listing, newest first.
	ListingAgreements(ctx context.Context, listingID int64) ([]*Agreement, error)
	// EnterpriseAgreements returns the agreements enterprise id takes part
	// in (about its listings, or sent by it), newest first, at most limit.
	EnterpriseAgreements(ctx context.Context, enterpriseID int64, limit int) ([]*Agreement, error)
	// PendingAgreements counts the pending agreements about enterprise
	// id's listings.
	PendingAgreements(ctx context.Context, enterpriseID int64) (int, error)
}
