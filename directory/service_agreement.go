package directory

import (
	"context"
	"time"
)

// AgreementTerms are what a responder proposes: an optional quantity (in
// the listing's unit) and message, and optionally its own listing that
// goes with the answer (an offer of its that meets the need, or a need of
// its that the offer meets).
type AgreementTerms struct {
	Quantity  *float64
	Message   string
	ListingID int64
}

// OfferAgreement records the agreement that the local enterprise handle
// offers on listing id, pending, under offerID (the id of its Offer
// activity). The listing must be open and of another enterprise; the
// quantity a number above 0, at most the listing's. When the listing is a
// partner's copy, the returned agreement is what federation sends (its
// ProposerID is the listing's enterprise's actor). EINVALID, ENOTFOUND,
// ECONFLICT, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) OfferAgreement(ctx context.Context, handle string, listingID int64, terms AgreementTerms, offerID string) (*Agreement, error) {
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, err
	}
	l, err := s.store.FindListing(ctx, listingID)
	if err != nil {
		return nil, err
	}
	if l.EnterpriseID == e.ID {
		return nil, Errorf(EINVALID, "an enterprise cannot answer its own %s", l.Type)
	}
	a := &Agreement{ListingID: l.ID, Listing: l, EnterpriseID: e.ID, ResponderName: e.Name, ResponderHandle: e.Handle,
		OfferID: offerID, Quantity: terms.Quantity, Message: terms.Message, State: AgreementPending, CreatedAt: s.now()}
	if err := checkAgreementTerms(a, l, s.now()); err != nil {
		return nil, err
	}
	if terms.ListingID != 0 {
		if a.ResponderListing, err = s.responderListing(ctx, e, l, terms.ListingID); err != nil {
			return nil, err
		}
		a.ResponderListingID = terms.ListingID
	}
	if err := s.checkNotWaiting(ctx, l.ID, func(o *Agreement) bool { return o.EnterpriseID == e.ID }); err != nil {
		return nil, err
	}
	if l.Origin != "" {
		owner, err := s.store.FindEnterprise(ctx, l.Origin, l.EnterpriseHandle)
		if err != nil {
			return nil, err
		}
		a.ProposerID = owner.RemoteID
	}
	return a, s.store.CreateAgreement(ctx, a)
}

// responderListing loads listing id, which must be an open listing of
// enterprise e of the other type than l.
func (s *Service) responderListing(ctx context.Context, e *Enterprise, l *Listing, id int64) (*Listing, error) {
	own, err := s.store.FindListing(ctx, id)
	if err != nil && ErrorCode(err) != ENOTFOUND {
		return nil, err
	}
	if err != nil || own.EnterpriseID != e.ID || own.Type == l.Type || own.EffectiveStatus(s.now()) != StatusOpen {
		return nil, fieldError("listing", "own", "must be an open listing of the enterprise, of the other kind")
	}
	return own, nil
}

// WithdrawAgreement forgets an agreement its sender could not send.
func (s *Service) WithdrawAgreement(ctx context.Context, id int64) error {
	return s.store.DeleteAgreement(ctx, id)
}

// ReceiveAgreement records an agreement offered from another server (its
// ResponderID, ResponderName, ResponderInbox and OfferID set by
// federation) on the local listing a.ListingID, pending, under the same
// rules as OfferAgreement. EINVALID, ENOTFOUND, ECONFLICT.
func (s *Service) ReceiveAgreement(ctx context.Context, a *Agreement) error {
	l, err := s.store.FindListing(ctx, a.ListingID)
	if err != nil {
		return err
	}
	if l.Origin != "" {
		return Errorf(EINVALID, "the listing is not one of this server's")
	}
	a.ID, a.EnterpriseID, a.ProposerID, a.URI, a.Reason, a.ResponderListingID = 0, 0, "", "", "", 0
	a.Listing, a.State, a.CreatedAt, a.DecidedAt = l, AgreementPending, s.now(), nil
	a.ResponderName = truncate(cleanLine(a.ResponderName), 200)
	if err := checkAgreementTerms(a, l, s.now()); err != nil {
		return err
	}
	if err := s.checkNotWaiting(ctx, l.ID, func(o *Agreement) bool { return o.ResponderID == a.ResponderID }); err != nil {
		return err
	}
	return s.store.CreateAgreement(ctx, a)
}

// checkNotWaiting refuses a second pending agreement of one responder
// (those for which same holds) on listing id: one answer waits at a time,
// so that nobody can flood a listing's editors. ECONFLICT.
func (s *Service) checkNotWaiting(ctx context.Context, id int64, same func(*Agreement) bool) error {
	as, err := s.store.ListingAgreements(ctx, id)
	if err != nil {
		return err
	}
	for _, o := range as {
		if o.ListingID == id && o.State == AgreementPending && same(o) {
			return Errorf(ECONFLICT, "an answer of this enterprise to this %s is waiting already", o.Listing.Type)
		}
	}
	return nil
}

// DecideAgreement accepts or rejects agreement id about a local listing,
// for the listing enterprise's editors. Accepting fulfils the listing (see
// Agreement.Fulfil), which must still be open, in the same transaction;
// uri is the finalized agreement's id. ENOTFOUND, EINVALID, ECONFLICT (not
// pending), EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DecideAgreement(ctx context.Context, id int64, accept bool, uri, reason string) (*Agreement, error) {
	a, err := s.store.FindAgreement(ctx, id)
	if err != nil {
		return nil, err
	}
	l := a.Listing
	if err := canEdit(ctx, &Enterprise{ID: l.EnterpriseID, Handle: l.EnterpriseHandle, Origin: l.Origin}); err != nil {
		return nil, err
	}
	if a.State != AgreementPending {
		return nil, Errorf(ECONFLICT, "this agreement was %s already", a.State)
	}
	now := s.now()
	d := AgreementDecision{State: AgreementRejected, Reason: truncate(reason, MaxAgreementMessage), At: now}
	if accept {
		if l.EffectiveStatus(now) != StatusOpen {
			return nil, Errorf(EINVALID, "this %s is closed: it takes no agreement", l.Type)
		}
		done := a.Fulfil(*l)
		done.UpdatedAt = now
		d = AgreementDecision{State: AgreementAccepted, URI: uri, At: now, Listing: &done,
			Event: Event{Type: EventListingUpdated, EnterpriseHandle: l.EnterpriseHandle, ListingID: l.ID, At: now}}
	}
	if err := s.store.DecideAgreement(ctx, a.ID, d); err != nil {
		return nil, err
	}
	return s.store.FindAgreement(ctx, a.ID)
}

// AnswerAgreement applies the answer (Accept or Reject) that actor sent to
// the Offer offerID of one of our enterprises: only the actor it was sent
// to may answer, once. uri is the finalized agreement's id. ENOTFOUND
// (never offered), EFORBIDDEN (another actor), ECONFLICT (answered
// already).
func (s *Service) AnswerAgreement(ctx context.Context, offerID, actor string, accept bool, uri, reason string) (*Agreement, error) {
	a, err := s.store.FindAgreementByOffer(ctx, offerID)
	if err != nil {
		return nil, err
	}
	if a.EnterpriseID == 0 || a.ProposerID == "" {
		return nil, Errorf(ENOTFOUND, "no agreement of ours was offered as %s", offerID)
	}
	if a.ProposerID != actor {
		return nil, Errorf(EFORBIDDEN, "only the actor the agreement was offered to may answer it")
	}
	if a.State != AgreementPending {
		return nil, Errorf(ECONFLICT, "this agreement was %s already", a.State)
	}
	d := AgreementDecision{State: AgreementRejected, Reason: truncate(reason, MaxAgreementMessage), At: s.now()}
	if accept {
		d = AgreementDecision{State: AgreementAccepted, URI: uri, At: s.now()}
	}
	if err := s.store.DecideAgreement(ctx, a.ID, d); err != nil {
		return nil, err
	}
	return s.store.FindAgreement(ctx, a.ID)
}

// Agreement returns agreement id. ENOTFOUND.
func (s *Service) Agreement(ctx context.Context, id int64) (*Agreement, error) {
	return s.store.FindAgreement(ctx, id)
}

// ListingAgreements returns the agreements about listing id, newest first
// (public: the listing's page shows the accepted ones).
func (s *Service) ListingAgreements(ctx context.Context, id int64) ([]*Agreement, error) {
	return s.store.ListingAgreements(ctx, id)
}

// EnterpriseAgreements returns the agreements the local enterprise handle
// takes part in, newest first, for its editors. ENOTFOUND, EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) EnterpriseAgreements(ctx context.Context, handle string) (*Enterprise, []*Agreement, error) {
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return nil, nil, err
	}
	as, err := s.store.EnterpriseAgreements(ctx, e.ID, agreementsShown)
	return e, as, err
}

// agreementsShown is the most agreements an enterprise's page lists.
const agreementsShown = 200

// PendingAgreements counts the pending agreements about the local
// enterprise handle's listings. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) PendingAgreements(ctx context.Context, handle string) (int, error) {
	e, err := s.EditableEnterprise(ctx, handle)
	if err != nil {
		return 0, err
	}
	return s.store.PendingAgreements(ctx, e.ID)
}

// Decided reports whether a is no longer pending, and when.
func (a *Agreement) Decided() (time.Time, bool) {
	if a.DecidedAt == nil {
		return time.Time{}, false
	}
	return *a.DecidedAt, true
}
