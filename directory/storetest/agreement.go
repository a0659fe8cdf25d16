package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Agreements: CreateAgreement, FindAgreement(ByOffer), DecideAgreement,
// ListingAgreements, EnterpriseAgreements, PendingAgreements and
// DeleteAgreement.

func testAgreements(t *testing.T, open opener) {
	s := open(t)
	fund := mustCreateEnterprise(t, s, newEnterprise("fund", "Mutual Aid Fund"))
	movers := mustCreateEnterprise(t, s, newEnterprise("movers", "Movers Co-op"))
	need := newListing(fund, directory.Need, "Boxes for a move")
	need.Quantity, need.Unit = ptr(10.0), "boxes"
	mustCreateListing(t, s, need)
	boxes := mustCreateListing(t, s, newListing(movers, directory.Offer, "Boxes to give"))

	sent := &directory.Agreement{ListingID: need.ID, EnterpriseID: movers.ID, ResponderListingID: boxes.ID, OfferID: "https://here.example/activities/offer-1",
		Quantity: ptr(4.0), Unit: "boxes", Message: "We have four.", State: directory.AgreementPending, CreatedAt: at(1)}
	remote := &directory.Agreement{ListingID: need.ID, ResponderName: "Far Co-op", ResponderID: "https://far.example/far",
		ResponderInbox: "https://far.example/inbox", ResponderListingURI: "https://far.example/listings/5",
		OfferID: "https://far.example/offer-2", State: directory.AgreementPending, CreatedAt: at(2)}
	for _, a := range []*directory.Agreement{sent, remote} {
		mustNot(t, s.CreateAgreement(ctx, a), "create agreement")
		if a.ID == 0 {
			t.Fatal("create agreement left ID 0")
		}
	}

	t.Run("an offer id is taken once", func(t *testing.T) {
		dup := *remote
		wantCode(t, s.CreateAgreement(ctx, &dup), directory.ECONFLICT)
	})
	t.Run("an agreement about a listing that does not exist is refused", func(t *testing.T) {
		wantCode(t, s.CreateAgreement(ctx, &directory.Agreement{ListingID: 999999, OfferID: "x", State: directory.AgreementPending, CreatedAt: t0}), directory.ENOTFOUND)
	})
	t.Run("reads name the responder and carry the listing", func(t *testing.T) {
		a, err := s.FindAgreement(ctx, sent.ID)
		mustNot(t, err, "find agreement")
		if a.ResponderName != "Movers Co-op" || a.ResponderHandle != "movers" || a.Listing == nil || a.Listing.ID != need.ID ||
			a.Quantity == nil || *a.Quantity != 4 || a.Unit != "boxes" || a.Message != "We have four." || a.State != directory.AgreementPending ||
			!a.CreatedAt.Equal(at(1)) || a.DecidedAt != nil || a.ResponderListing == nil || a.ResponderListing.Title != "Boxes to give" {
			t.Errorf("agreement = %+v", a)
		}
		b, err := s.FindAgreementByOffer(ctx, remote.OfferID)
		mustNot(t, err, "find by offer")
		if b.ID != remote.ID || b.ResponderName != "Far Co-op" || b.EnterpriseID != 0 || b.ResponderInbox != "https://far.example/inbox" ||
			b.ResponderListingURI != "https://far.example/listings/5" || b.ResponderListing != nil {
			t.Errorf("by offer = %+v", b)
		}
		_, err = s.FindAgreementByOffer(ctx, "https://nowhere.example/offer")
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("the responder's listing lists the agreement too", func(t *testing.T) {
		as, err := s.ListingAgreements(ctx, boxes.ID)
		mustNot(t, err, "listing agreements")
		if len(as) != 1 || as[0].ID != sent.ID || as[0].Listing.ID != need.ID {
			t.Errorf("agreements of the responder's listing = %+v", as)
		}
	})
	t.Run("both enterprises see it; the listing's counts it pending", func(t *testing.T) {
		for _, e := range []*directory.Enterprise{fund, movers} {
			as, err := s.EnterpriseAgreements(ctx, e.ID, 10)
			mustNot(t, err, "enterprise agreements")
			if e == fund && len(as) != 2 || e == movers && len(as) != 1 {
				t.Errorf("%s sees %d agreements", e.Handle, len(as))
			}
		}
		wantPending(t, s, fund.ID, 2)
		wantPending(t, s, movers.ID, 0)
	})
	t.Run("accepting writes the listing and its event with it", func(t *testing.T) {
		done := *need
		done.Quantity = ptr(6.0)
		done.UpdatedAt = at(3)
		ev := directory.Event{Type: directory.EventListingUpdated, EnterpriseHandle: "fund", ListingID: need.ID, At: at(3)}
		d := directory.AgreementDecision{State: directory.AgreementAccepted, URI: "https://here.example/agreements/1", At: at(3), Listing: &done, Event: ev}
		mustNot(t, s.DecideAgreement(ctx, sent.ID, d), "accept")
		a, err := s.FindAgreement(ctx, sent.ID)
		mustNot(t, err, "find")
		if a.State != directory.AgreementAccepted || a.URI != d.URI || a.DecidedAt == nil || !a.DecidedAt.Equal(at(3)) {
			t.Errorf("accepted = %+v", a)
		}
		l, err := s.FindListing(ctx, need.ID)
		mustNot(t, err, "listing")
		if l.Quantity == nil || *l.Quantity != 6 {
			t.Errorf("listing quantity = %v, want 6", l.Quantity)
		}
		wantPending(t, s, fund.ID, 1)
	})
	t.Run("a decided agreement is not decided again", func(t *testing.T) {
		done := *need
		done.Status = directory.StatusFulfilled
		d := directory.AgreementDecision{State: directory.AgreementRejected, At: at(4), Listing: &done,
			Event: directory.Event{Type: directory.EventListingUpdated, EnterpriseHandle: "fund", ListingID: need.ID, At: at(4)}}
		wantCode(t, s.DecideAgreement(ctx, sent.ID, d), directory.ECONFLICT)
		l, err := s.FindListing(ctx, need.ID)
		mustNot(t, err, "listing")
		if l.Status != directory.StatusOpen {
			t.Errorf("a refused decision changed the listing: %s", l.Status)
		}
		wantCode(t, s.DecideAgreement(ctx, 999999, d), directory.ENOTFOUND)
	})
	t.Run("rejecting keeps the reason", func(t *testing.T) {
		mustNot(t, s.DecideAgreement(ctx, remote.ID, directory.AgreementDecision{State: directory.AgreementRejected, Reason: "Not now", At: at(5)}), "reject")
		as, err := s.ListingAgreements(ctx, need.ID)
		mustNot(t, err, "listing agreements")
		if len(as) != 2 || as[0].ID != remote.ID || as[0].State != directory.AgreementRejected || as[0].Reason != "Not now" {
			t.Errorf("listing agreements = %+v", as)
		}
		wantPending(t, s, fund.ID, 0)
	})
	t.Run("a deleted agreement is gone", func(t *testing.T) {
		mustNot(t, s.DeleteAgreement(ctx, remote.ID), "delete")
		_, err := s.FindAgreement(ctx, remote.ID)
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.DeleteAgreement(ctx, remote.ID), directory.ENOTFOUND)
	})
	t.Run("deleting the responder's listing unlinks it", func(t *testing.T) {
		mustNot(t, s.DeleteListing(ctx, boxes.ID, directory.Event{Type: directory.EventListingDeleted, EnterpriseHandle: "movers", ListingID: boxes.ID, At: at(6)}), "delete listing")
		a, err := s.FindAgreement(ctx, sent.ID)
		mustNot(t, err, "find")
		if a.ResponderListingID != 0 || a.ResponderListing != nil {
			t.Errorf("agreement still links a deleted listing: %+v", a)
		}
	})
	t.Run("deleting the listing deletes its agreements", func(t *testing.T) {
		mustNot(t, s.DeleteListing(ctx, need.ID, directory.Event{Type: directory.EventListingDeleted, EnterpriseHandle: "fund", ListingID: need.ID, At: at(6)}), "delete listing")
		as, err := s.EnterpriseAgreements(ctx, movers.ID, 10)
		mustNot(t, err, "enterprise agreements")
		if len(as) != 0 {
			t.Errorf("agreements left: %+v", as)
		}
	})
}

func wantPending(t *testing.T, s directory.Store, enterpriseID int64, want int) {
	t.Helper()
	n, err := s.PendingAgreements(ctx, enterpriseID)
	mustNot(t, err, "pending agreements")
	if n != want {
		t.Errorf("pending agreements of %d = %d, want %d", enterpriseID, n, want)
	}
}
