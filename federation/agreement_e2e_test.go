package federation_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// Agreements across partners (FEP-0837): A's movers answer B's pantry's need
// for boxes, seen on A as a partner's copy. B's pantry accepts, B's need
// loses the quantity agreed, then is fulfilled, and A's copy follows; an
// answer to B's offer is rejected. Hostile offers and answers are refused
// and change nothing.

func TestAgreementsAcrossPartnersSQLite(t *testing.T) {
	testAgreementsAcrossPartners(t, func() string { return tempDB(t) })
}

func TestAgreementsAcrossPartnersPostgres(t *testing.T) {
	u := postgresURL(t)
	testAgreementsAcrossPartners(t, func() string { return freshPostgres(t, u) })
}

func ptr[T any](v T) *T { return &v }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// copyOf returns in's copy of listing id of other, waiting for it.
func (in *coop) copyOf(other *coop, id int64) *directory.Listing {
	in.T.Helper()
	remote := other.URLOf("/listings/") + itoa(id)
	var l *directory.Listing
	eventually(in.T, "the copy of "+remote, func() bool {
		res, err := in.Service().SearchListings(sys, directory.ListingQuery{Origin: other.Host(), Page: directory.Page{Page: 1, PerPage: 100}})
		if err != nil {
			in.T.Fatal(err)
		}
		for _, r := range res.Items {
			if r.RemoteID == remote {
				l = r.Listing
				return true
			}
		}
		return false
	})
	return l
}

// agreementOn returns the one agreement about listing id on in, nil when
// there is none.
func (in *coop) agreementOn(id int64) *directory.Agreement {
	in.T.Helper()
	as, err := in.Service().ListingAgreements(sys, id)
	if err != nil {
		in.T.Fatal(err)
	}
	if len(as) == 0 {
		return nil
	}
	return as[0]
}

// signerOf signs as in's enterprise handle.
func signerOf(t testing.TB, in *coop, handle string) *federation.Signer {
	t.Helper()
	key, err := in.Keys().PrivateKey(context.Background(), directory.EnterpriseActorKey(handle), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return &federation.Signer{KeyID: in.URLOf("/enterprises/" + handle + "#main-key"), Key: key}
}

func testAgreementsAcrossPartners(t *testing.T, newDB func() string) {
	a := startInstance(t, "127.0.0.1:0", newDB())
	b := startInstance(t, "127.0.0.1:0", newDB())
	a.addEnterprise("movers", "Milwaukee Movers Co-op", directory.KindWorkerCoop, milwaukee)
	a.addEnterprise("other", "Another Co-op", directory.KindWorkerCoop, milwaukee)
	b.addEnterprise("pantry", "Chicago Pantry", directory.KindMutualAid, chicago)
	b.addEnterprise("stranger", "Stranger Co-op", directory.KindWorkerCoop, chicago)
	need := &directory.Listing{Type: directory.Need, Title: "Moving boxes", Category: "other", Quantity: ptr(10.0), Unit: "boxes"}
	if err := b.Service().CreateListing(sys, "pantry", need); err != nil {
		t.Fatal(err)
	}
	offer := b.addListing("pantry", directory.Offer, "Spare shelving", "other")
	boxes := a.addListing("movers", directory.Offer, "Boxes to give", "other")
	partnerWith(t, a, b, directory.Scope{})
	needCopy, offerCopy := a.copyOf(b, need.ID), a.copyOf(b, offer)

	var sent *directory.Agreement
	t.Run("an offer from A reaches B's pantry as a pending agreement", func(t *testing.T) {
		var err error
		sent, err = a.Node().OfferAgreement(sys, "movers", needCopy.ID, directory.AgreementTerms{Quantity: ptr(4.0), Message: "Four, Saturday.",
			ListingID: boxes})
		if err != nil {
			t.Fatal(err)
		}
		var got *directory.Agreement
		eventually(t, "B has the agreement", func() bool { got = b.agreementOn(need.ID); return got != nil })
		if got.State != directory.AgreementPending || got.ResponderName != "Milwaukee Movers Co-op" || got.Quantity == nil ||
			*got.Quantity != 4 || got.Unit != "boxes" || got.Message != "Four, Saturday." || got.ResponderID != a.URLOf("/enterprises/movers") ||
			got.ResponderListingURI != a.URLOf("/listings/")+itoa(boxes) {
			t.Errorf("B's agreement = %+v", got)
		}
		if n, err := b.Service().PendingAgreements(sys, "pantry"); err != nil || n != 1 {
			t.Errorf("pending on B: %d %v", n, err)
		}
	})

	pantry, stranger, movers := signerOf(t, b, "pantry"), signerOf(t, b, "stranger"), signerOf(t, a, "movers")
	hostileOffers(t, a, b, need.ID, movers)

	t.Run("B accepts: its need loses 4, A's agreement and copy follow", func(t *testing.T) {
		got := b.agreementOn(need.ID)
		if _, err := b.Node().DecideAgreement(sys, got.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A's agreement is accepted", func() bool {
			x := a.agreementOn(needCopy.ID)
			return x != nil && x.State == directory.AgreementAccepted && x.URI == b.URLOf("/agreements/")+itoa(got.ID)
		})
		eventually(t, "A's copy has 6 boxes left", func() bool {
			l, err := a.Service().Listing(sys, needCopy.ID)
			return err == nil && l.Quantity != nil && *l.Quantity == 6 && l.Status == directory.StatusOpen
		})
		for _, u := range []string{a.URLOf("/listings/") + itoa(needCopy.ID), b.URLOf("/listings/") + itoa(need.ID)} {
			st, _, body := instancetest.Fetch(t, u, "text/html")
			if st != http.StatusOK || !strings.Contains(string(body), "Met by Milwaukee Movers Co-op on ") {
				t.Errorf("%s (%d) does not say who met the need:\n%s", u, st, body)
			}
		}
		st, _, body := instancetest.Fetch(t, a.URLOf("/listings/")+itoa(boxes), "text/html")
		if st != http.StatusOK || !strings.Contains(string(body), "Agreed with Chicago Pantry on ") {
			t.Errorf("the movers' offer (%d) does not name the need it met:\n%s", st, body)
		}
	})

	t.Run("answers A did not ask for are refused", func(t *testing.T) {
		answer := func(id, typ, offerID string) map[string]any {
			return map[string]any{"@context": ap.ActivityStreamsContext, "id": b.URLOf("/activities/" + id), "type": typ,
				"actor": b.URLOf("/enterprises/pantry"), "object": offerID, "to": []string{a.URLOf("/enterprises/movers")},
				"result": map[string]any{"type": "Agreement", "id": b.URLOf("/agreements/99")}}
		}
		if st := postSigned(t, a.URLOf("/inbox"), answer("never", "Accept", a.URLOf("/activities/offer-0000")), pantry); st != http.StatusBadRequest {
			t.Errorf("accept of an offer never made: %d, want 400", st)
		}
		if st := postSigned(t, a.URLOf("/inbox"), answer("again", "Accept", sent.OfferID), pantry); st != http.StatusConflict {
			t.Errorf("a second accept: %d, want 409", st)
		}
		wrong := answer("wrong", "Reject", sent.OfferID)
		wrong["actor"] = b.URLOf("/enterprises/stranger")
		if st := postSigned(t, a.URLOf("/inbox"), wrong, stranger); st != http.StatusForbidden {
			t.Errorf("an answer by an actor the offer was not sent to: %d, want 403", st)
		}
		if x := a.agreementOn(needCopy.ID); x.State != directory.AgreementAccepted {
			t.Errorf("A's agreement is %s after refused answers", x.State)
		}
	})

	t.Run("the rest fulfils the need on both sides", func(t *testing.T) {
		rest, err := a.Node().OfferAgreement(sys, "movers", needCopy.ID, directory.AgreementTerms{Quantity: ptr(6.0)})
		if err != nil {
			t.Fatal(err)
		}
		var got *directory.Agreement
		eventually(t, "B has the second agreement", func() bool {
			got = b.agreementOn(need.ID)
			return got != nil && got.State == directory.AgreementPending
		})
		if _, err := b.Node().DecideAgreement(sys, got.ID, true, ""); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A's copy is fulfilled", func() bool {
			l, err := a.Service().Listing(sys, needCopy.ID)
			return err == nil && l.Status == directory.StatusFulfilled
		})
		eventually(t, "A's second agreement is accepted", func() bool {
			x, err := a.Service().Agreement(sys, rest.ID)
			return err == nil && x.State == directory.AgreementAccepted
		})
		if l, _ := b.Service().Listing(sys, need.ID); l.Status != directory.StatusFulfilled {
			t.Errorf("B's need is %s", l.Status)
		}
		if _, err := a.Node().OfferAgreement(sys, "movers", needCopy.ID, directory.AgreementTerms{}); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("an offer on a fulfilled need: %v", err)
		}
		closed := map[string]any{"@context": ap.ActivityStreamsContext, "id": a.URLOf("/activities/closed"), "type": "Offer",
			"actor": a.URLOf("/enterprises/movers"), "to": []string{b.URLOf("/enterprises/pantry")},
			"object": map[string]any{"type": "Agreement", "stipulates": map[string]any{"type": "Commitment",
				"satisfies": b.URLOf("/listings/") + itoa(need.ID) + "#primary", "provider": a.URLOf("/enterprises/movers")}}}
		if st := postSigned(t, b.URLOf("/inbox"), closed, movers); st != http.StatusBadRequest {
			t.Errorf("an Offer on B's fulfilled need: %d, want 400", st)
		}
		if as, _ := b.Service().ListingAgreements(sys, need.ID); len(as) != 2 {
			t.Errorf("B keeps %d agreements on its need, want 2", len(as))
		}
	})

	t.Run("B rejects an answer to its offer; a later accept is refused", func(t *testing.T) {
		sent, err := a.Node().OfferAgreement(sys, "other", offerCopy.ID, directory.AgreementTerms{})
		if err != nil {
			t.Fatal(err)
		}
		var got *directory.Agreement
		eventually(t, "B has the answer to its offer", func() bool { got = b.agreementOn(offer); return got != nil })
		if _, err := b.Node().DecideAgreement(sys, got.ID, false, "Promised to someone else"); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A's agreement is rejected", func() bool {
			x, err := a.Service().Agreement(sys, sent.ID)
			return err == nil && x.State == directory.AgreementRejected && x.Reason == "Promised to someone else"
		})
		late := map[string]any{"@context": ap.ActivityStreamsContext, "id": b.URLOf("/activities/late"), "type": "Accept",
			"actor": b.URLOf("/enterprises/pantry"), "object": sent.OfferID}
		if st := postSigned(t, a.URLOf("/inbox"), late, pantry); st != http.StatusConflict {
			t.Errorf("accept after reject: %d, want 409", st)
		}
		if l, _ := b.Service().Listing(sys, offer); l.Status != directory.StatusOpen {
			t.Errorf("B's offer is %s after a rejection", l.Status)
		}
	})
}

// hostileOffers posts offers B must refuse, signed by A's movers, and checks
// that B kept none of them.
func hostileOffers(t *testing.T, a, b *coop, needID int64, movers *federation.Signer) {
	t.Run("hostile offers are refused and kept nowhere", func(t *testing.T) {
		intent := b.URLOf("/listings/") + itoa(needID) + "#primary"
		offer := func(id string, c map[string]any) map[string]any {
			c["type"] = "Commitment"
			if _, ok := c["satisfies"]; !ok {
				c["satisfies"] = intent
			}
			if _, ok := c["provider"]; !ok {
				c["provider"] = a.URLOf("/enterprises/movers")
			}
			return map[string]any{"@context": ap.ActivityStreamsContext, "id": a.URLOf("/activities/" + id), "type": "Offer",
				"actor": a.URLOf("/enterprises/movers"), "to": []string{b.URLOf("/enterprises/pantry")},
				"object": map[string]any{"type": "Agreement", "stipulates": c}}
		}
		qty := func(v any, unit string) map[string]any {
			return map[string]any{"resourceQuantity": map[string]any{"hasUnit": unit, "hasNumericalValue": v}}
		}
		cases := []struct {
			name string
			doc  map[string]any
			want int
		}{
			{"another party stipulated", offer("h1", map[string]any{"provider": a.URLOf("/enterprises/other")}), http.StatusForbidden},
			{"a negative quantity", offer("h2", qty("-1", "boxes")), http.StatusBadRequest},
			{"a huge quantity", offer("h3", qty("1e12", "boxes")), http.StatusBadRequest},
			{"NaN", offer("h4", qty("NaN", "boxes")), http.StatusBadRequest},
			{"more than needed", offer("h5", qty(11, "boxes")), http.StatusBadRequest},
			{"another unit", offer("h6", qty("2", "one")), http.StatusBadRequest},
			{"an intent not here", offer("h7", map[string]any{"satisfies": a.URLOf("/listings/1#primary")}), http.StatusBadRequest},
			{"a second answer while one waits", offer("h8", qty("1", "boxes")), http.StatusConflict},
		}
		for _, c := range cases {
			if st := postSigned(t, b.URLOf("/inbox"), c.doc, movers); st != c.want {
				t.Errorf("%s: %d, want %d", c.name, st, c.want)
			}
		}
		if as, _ := b.Service().ListingAgreements(sys, needID); len(as) != 1 {
			t.Errorf("B keeps %d agreements, want the 1 real one", len(as))
		}
	})
}
