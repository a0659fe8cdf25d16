package federation_test

import (
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Matching across partners: a need posted on A is matched, within
// seconds, by an offer that B's co-op posts after the partnership, once
// B's announce brings its copy to A; a match A's editors dismiss stays
// dismissed when B edits its offer.

func TestMatchAcrossPartnersSQLite(t *testing.T) {
	testMatchAcrossPartners(t, func() string { return tempDB(t) })
}

func TestMatchAcrossPartnersPostgres(t *testing.T) {
	u := postgresURL(t)
	testMatchAcrossPartners(t, func() string { return freshPostgres(t, u) })
}

// offerMatch returns the match of A's listing need with B's copy titled
// title, nil when there is none.
func (in *coop) offerMatch(need int64, origin, title string) *directory.Match {
	in.T.Helper()
	ms, err := in.Service().ListingMatches(sys, need, 20)
	if err != nil {
		in.T.Fatal(err)
	}
	for _, m := range ms {
		if m.Offer.Origin == origin && m.Offer.Title == title {
			return m
		}
	}
	return nil
}

func testMatchAcrossPartners(t *testing.T, newDB func() string) {
	a := startInstance(t, "127.0.0.1:0", newDB())
	b := startInstance(t, "127.0.0.1:0", newDB())
	a.addEnterprise("fund", "Milwaukee Mutual Aid Fund", directory.KindMutualAid, milwaukee)
	b.addEnterprise("movers", "Chicago Movers Co-op", directory.KindWorkerCoop, chicago)
	partnerWith(t, a, b, directory.Scope{})
	bHost := b.Host()
	need := &directory.Listing{Type: directory.Need, Title: "Van for a food run", Category: "transport",
		Description: "Saturday mornings, from the warehouse to three pantries."}
	if err := a.Service().CreateListing(sys, "fund", need); err != nil {
		t.Fatal(err)
	}
	radius := 200.0
	offer := &directory.Listing{Type: directory.Offer, Title: "Cargo van with driver", Category: "transport",
		Description: "We drive anywhere in the region.", Location: chicago}
	offer.Location.RadiusKM = &radius
	if err := b.Service().CreateListing(sys, "movers", offer); err != nil {
		t.Fatal(err)
	}

	var m *directory.Match
	t.Run("A's need is matched by B's offer within seconds of B's announce", func(t *testing.T) {
		within(t, 10*time.Second, "A matches its need with B's offer", func() bool {
			m = a.offerMatch(need.ID, bHost, "Cargo van with driver")
			return m != nil
		})
		if m.Offer.EnterpriseName != "Chicago Movers Co-op" || m.Need.ID != need.ID {
			t.Errorf("match: %+v", m)
		}
		want := []string{"same category Transport", "both mention van", "131 km apart, within 200 km"}
		if len(m.Reasons) != 3 || m.Reasons[0] != want[0] || m.Reasons[1] != want[1] || m.Reasons[2] != want[2] {
			t.Errorf("reasons %q, want %q", m.Reasons, want)
		}
		n, err := a.Service().NewMatches(sys, "fund")
		if err != nil || n != 1 {
			t.Errorf("new matches of the fund: %d, %v; want 1", n, err)
		}
	})

	t.Run("a match dismissed on A stays dismissed when B edits its offer", func(t *testing.T) {
		if m == nil {
			t.Fatal("no match to dismiss: the subtest before failed")
		}
		if err := a.Service().DismissMatch(sys, "fund", m.ID); err != nil {
			t.Fatal(err)
		}
		text := "We drive anywhere in the region, van and all."
		if _, err := b.Service().UpdateListing(sys, offer.ID, directory.ListingUpdate{Description: &text}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A has B's edit", func() bool {
			l, err := a.Service().Listing(sys, m.Offer.ID)
			return err == nil && l.Description == text
		})
		// A later offer is matched after the edited one (the queue goes by
		// listing id): once it is, the edit was matched too.
		later := &directory.Listing{Type: directory.Offer, Title: "Van on weekends", Category: "transport", Location: chicago}
		later.Location.RadiusKM = &radius
		if err := b.Service().CreateListing(sys, "movers", later); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A matches B's later offer", func() bool { return a.offerMatch(need.ID, bHost, "Van on weekends") != nil })
		if back := a.offerMatch(need.ID, bHost, "Cargo van with driver"); back != nil {
			t.Errorf("the dismissed match came back: %+v", back)
		}
	})
}
