package directory_test

import (
	"math"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// agreementFixture is a fund's need of 10 boxes and the movers who answer it,
// both on this instance.
func agreementFixture(t *testing.T) (*directory.Service, *directory.Listing) {
	t.Helper()
	svc := newService(t)
	mustCreate(t, svc, "fund")
	mustCreate(t, svc, "movers")
	need := &directory.Listing{Type: directory.Need, Title: "Moving boxes", Category: "other", Quantity: ptr(10.0), Unit: "boxes"}
	must(t, svc.CreateListing(sys, "fund", need))
	return svc, need
}

func TestAgreementQuantitiesAreChecked(t *testing.T) {
	svc, need := agreementFixture(t)
	for name, q := range map[string]float64{"negative": -1, "zero": 0, "NaN": math.NaN(), "infinite": math.Inf(1),
		"huge": 1e12, "more than the need": 11} {
		t.Run("refuses a "+name+" quantity", func(t *testing.T) {
			_, err := svc.OfferAgreement(sys, "movers", need.ID, directory.AgreementTerms{Quantity: ptr(q)}, "urn:offer:"+name)
			wantFields(t, err, "quantity")
		})
	}
	t.Run("refuses an answer to the enterprise's own listing", func(t *testing.T) {
		_, err := svc.OfferAgreement(sys, "fund", need.ID, directory.AgreementTerms{}, "urn:offer:own")
		wantCode(t, err, directory.EINVALID)
	})
	t.Run("refuses an editor of another enterprise", func(t *testing.T) {
		mustCreate(t, svc, "other")
		ed := asUser(t, svc, "ed@other.example", directory.RoleEditor, "other")
		_, err := svc.OfferAgreement(ed, "movers", need.ID, directory.AgreementTerms{}, "urn:offer:forbidden")
		wantCode(t, err, directory.EFORBIDDEN)
	})
	as, err := svc.ListingAgreements(sys, need.ID)
	if err != nil || len(as) != 0 {
		t.Errorf("refused offers left agreements: %+v %v", as, err)
	}
}

func TestLocalAgreementFulfilsTheNeed(t *testing.T) {
	svc, need := agreementFixture(t)
	movers := asUser(t, svc, "ed@movers.example", directory.RoleEditor, "movers")
	fund := asUser(t, svc, "ed@fund.example", directory.RoleEditor, "fund")
	part, err := svc.OfferAgreement(movers, "movers", need.ID, directory.AgreementTerms{Quantity: ptr(4.0), Message: " Four boxes. "}, "urn:offer:1")
	must(t, err)
	if part.Unit != "boxes" || part.Message != "Four boxes." || part.State != directory.AgreementPending {
		t.Errorf("offered = %+v", part)
	}
	if n, err := svc.PendingAgreements(fund, "fund"); err != nil || n != 1 {
		t.Errorf("pending for the fund = %d, %v", n, err)
	}
	t.Run("only the listing's editors decide", func(t *testing.T) {
		_, err := svc.DecideAgreement(movers, part.ID, true, "urn:agreement:1", "")
		wantCode(t, err, directory.EFORBIDDEN)
	})
	t.Run("accepting takes the agreed quantity off", func(t *testing.T) {
		a, err := svc.DecideAgreement(fund, part.ID, true, "urn:agreement:1", "")
		must(t, err)
		if a.State != directory.AgreementAccepted || a.URI != "urn:agreement:1" || a.Listing.Quantity == nil || *a.Listing.Quantity != 6 || a.Listing.Status != directory.StatusOpen {
			t.Errorf("accepted = %+v, listing %+v", a, a.Listing)
		}
	})
	t.Run("a duplicate accept and an accept after reject are refused", func(t *testing.T) {
		_, err := svc.DecideAgreement(fund, part.ID, true, "urn:agreement:1", "")
		wantCode(t, err, directory.ECONFLICT)
		other, err := svc.OfferAgreement(movers, "movers", need.ID, directory.AgreementTerms{}, "urn:offer:2")
		must(t, err)
		_, err = svc.DecideAgreement(fund, other.ID, false, "", "Not now")
		must(t, err)
		_, err = svc.DecideAgreement(fund, other.ID, true, "urn:agreement:2", "")
		wantCode(t, err, directory.ECONFLICT)
		l, _ := svc.Listing(sys, need.ID)
		if *l.Quantity != 6 {
			t.Errorf("quantity changed to %v", *l.Quantity)
		}
	})
	t.Run("the rest fulfils it; a closed listing takes no agreement", func(t *testing.T) {
		rest, err := svc.OfferAgreement(movers, "movers", need.ID, directory.AgreementTerms{Quantity: ptr(6.0)}, "urn:offer:3")
		must(t, err)
		_, err = svc.OfferAgreement(movers, "movers", need.ID, directory.AgreementTerms{}, "urn:offer:again")
		wantCode(t, err, directory.ECONFLICT)
		mustCreate(t, svc, "late")
		late, err := svc.OfferAgreement(sys, "late", need.ID, directory.AgreementTerms{}, "urn:offer:4")
		must(t, err)
		a, err := svc.DecideAgreement(fund, rest.ID, true, "urn:agreement:3", "")
		must(t, err)
		if a.Listing.Status != directory.StatusFulfilled || a.Listing.Quantity != nil {
			t.Errorf("listing after the rest: %+v", a.Listing)
		}
		_, err = svc.DecideAgreement(fund, late.ID, true, "urn:agreement:4", "")
		wantCode(t, err, directory.EINVALID)
		_, err = svc.OfferAgreement(movers, "movers", need.ID, directory.AgreementTerms{}, "urn:offer:5")
		wantCode(t, err, directory.EINVALID)
	})
}

func TestAnswerAgreementChecksTheAnswerer(t *testing.T) {
	svc, need := agreementFixture(t)
	// A remote answer applies only to an agreement we sent about a
	// partner's listing; a local one has no proposer actor.
	a, err := svc.OfferAgreement(sys, "movers", need.ID, directory.AgreementTerms{}, "urn:offer:1")
	must(t, err)
	_, err = svc.AnswerAgreement(sys, a.OfferID, "https://evil.example/actor", true, "urn:x", "")
	wantCode(t, err, directory.ENOTFOUND)
	_, err = svc.AnswerAgreement(sys, "urn:never-offered", "https://evil.example/actor", true, "urn:x", "")
	wantCode(t, err, directory.ENOTFOUND)
}

func TestAgreementLinksTheRespondersListing(t *testing.T) {
	svc, need := agreementFixture(t)
	boxes := &directory.Listing{Type: directory.Offer, Title: "Boxes to give", Category: "other"}
	must(t, svc.CreateListing(sys, "movers", boxes))
	wanted := &directory.Listing{Type: directory.Need, Title: "Tape", Category: "other"}
	must(t, svc.CreateListing(sys, "movers", wanted))
	fundOffer := &directory.Listing{Type: directory.Offer, Title: "Spare tape", Category: "other"}
	must(t, svc.CreateListing(sys, "fund", fundOffer))
	for name, id := range map[string]int64{"of the same kind": wanted.ID, "of another enterprise": fundOffer.ID, "missing": 999999} {
		t.Run("refuses a listing "+name, func(t *testing.T) {
			_, err := svc.OfferAgreement(sys, "movers", need.ID, directory.AgreementTerms{ListingID: id}, "urn:offer:"+name)
			wantFields(t, err, "listing")
		})
	}
	a, err := svc.OfferAgreement(sys, "movers", need.ID, directory.AgreementTerms{ListingID: boxes.ID}, "urn:offer:ok")
	must(t, err)
	_, err = svc.DecideAgreement(sys, a.ID, true, "urn:agreement:1", "")
	must(t, err)
	as, err := svc.ListingAgreements(sys, boxes.ID)
	must(t, err)
	if len(as) != 1 || as[0].Listing.ID != need.ID || as[0].ResponderListing.ID != boxes.ID || as[0].State != directory.AgreementAccepted {
		t.Errorf("agreements of the movers' offer: %+v", as)
	}
}
