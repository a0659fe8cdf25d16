package storetest

import (
	"reflect"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Matching: MatchPending, ListingMatches, EnterpriseMatches, NewMatches,
// MarkMatchesSeen, FindMatch, DismissMatch, MatchesToNotify and
// MarkMatchesNotified.

const matchDay = "2026-03-01" // t0's day

// Places near Milwaukee: Wauwatosa is about 9 km west, Waukesha about 27.
var (
	wauwatosa = directory.Point{Lat: 43.0495, Lon: -88.0076}
	waukesha  = directory.Point{Lat: 43.0117, Lon: -88.2315}
)

// matchListing returns an open listing of e in category transport at p.
func matchListing(e *directory.Enterprise, typ directory.ListingType, title, description string, p directory.Point, radius float64) *directory.Listing {
	l := newListing(e, typ, title)
	l.Description, l.Category, l.Location = description, "transport", point(p, "")
	if radius > 0 {
		l.Location.RadiusKM = ptr(radius)
	}
	return l
}

func runMatching(t *testing.T, s directory.Store) int {
	t.Helper()
	n, err := s.MatchPending(ctx, 1000, matchDay, at(10))
	mustNot(t, err, "match pending")
	return n
}

func matchedIDs(t *testing.T, s directory.Store, listingID int64) []int64 {
	t.Helper()
	ms, err := s.ListingMatches(ctx, listingID, matchDay, 20)
	mustNot(t, err, "listing matches")
	ids := []int64{}
	for _, m := range ms {
		ids = append(ids, m.Other(listingID).ID)
	}
	return ids
}

func wantMatched(t *testing.T, s directory.Store, listingID int64, want ...int64) {
	t.Helper()
	if want == nil {
		want = []int64{}
	}
	if got := matchedIDs(t, s, listingID); !reflect.DeepEqual(got, want) {
		t.Fatalf("matches of listing %d = %v, want %v", listingID, got, want)
	}
}

// matchFixture is a need of a Milwaukee fund and the offers around it.
type matchFixture struct {
	fund, coop      *directory.Enterprise
	need, van, near *directory.Listing
}

func newMatchFixture(t *testing.T, s directory.Store) matchFixture {
	t.Helper()
	f := matchFixture{
		fund: mustCreateEnterprise(t, s, newEnterprise("fund", "Mutual Aid Fund")),
		coop: mustCreateEnterprise(t, s, newEnterprise("movers", "Movers Co-op")),
	}
	f.need = mustCreateListing(t, s, matchListing(f.fund, directory.Need, "Van for a food run", "Saturday mornings", milwaukee, 40))
	f.van = mustCreateListing(t, s, matchListing(f.coop, directory.Offer, "Cargo van with driver", "Our van seats two", waukesha, 0))
	f.near = mustCreateListing(t, s, matchListing(f.coop, directory.Offer, "Van and bikes", "", wauwatosa, 10))
	return f
}

func testMatches(t *testing.T, open opener) {
	t.Run("matches a need with offers of other enterprises that share a word, in reach, best first", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		// None of these may match the need.
		other := mustCreateEnterprise(t, s, newEnterprise("other", "Other"))
		misses := []*directory.Listing{
			matchListing(f.fund, directory.Offer, "Our own van", "", milwaukee, 0),    // same enterprise
			matchListing(other, directory.Need, "Van needed too", "", milwaukee, 0),   // same type
			matchListing(other, directory.Offer, "Bicycle trailer", "", milwaukee, 0), // no shared word
			matchListing(other, directory.Offer, "Van in Chicago", "", chicago, 40),   // out of reach
			func() *directory.Listing { // another category
				l := matchListing(other, directory.Offer, "Van parts", "", milwaukee, 0)
				l.Category = "goods"
				return l
			}(),
			func() *directory.Listing { // withdrawn
				l := matchListing(other, directory.Offer, "Old van", "", milwaukee, 0)
				l.Status = directory.StatusWithdrawn
				return l
			}(),
			func() *directory.Listing { // expired
				l := matchListing(other, directory.Offer, "Van last winter", "", milwaukee, 0)
				l.ValidUntil = "2026-02-01"
				return l
			}(),
		}
		for _, l := range misses {
			mustCreateListing(t, s, l)
		}
		if n := runMatching(t, s); n != 3+len(misses) {
			t.Errorf("matched %d listings, want %d", n, 3+len(misses))
		}
		if n := runMatching(t, s); n != 0 {
			t.Errorf("a second run matched %d listings, want 0 (the queue is empty)", n)
		}
		// Wauwatosa's offer is nearer and shares as many words.
		wantMatched(t, s, f.need.ID, f.near.ID, f.van.ID)
		if ids := matchedIDs(t, s, f.van.ID); !slices.Contains(ids, f.need.ID) {
			t.Errorf("matches of the van offer = %v, want the need %d among them", ids, f.need.ID)
		}
		ms, err := s.ListingMatches(ctx, f.need.ID, matchDay, 20)
		mustNot(t, err, "listing matches")
		m := ms[1]
		if m.Need.ID != f.need.ID || m.Offer.ID != f.van.ID || m.Offer.EnterpriseHandle != "movers" || m.Score <= 0 || m.Score > 1 {
			t.Errorf("match = %s", show(m))
		}
		want := []string{"same category Transport", "both mention van", "27 km apart, within 40 km"}
		if !reflect.DeepEqual(m.Reasons, want) {
			t.Errorf("reasons = %q, want %q", m.Reasons, want)
		}
		if ms[0].Score <= ms[1].Score {
			t.Errorf("scores %v, %v: want the nearer offer first", ms[0].Score, ms[1].Score)
		}
	})

	t.Run("matches a partner's copy when it is imported", func(t *testing.T) {
		s := open(t)
		fund := mustCreateEnterprise(t, s, newEnterprise("fund", "Mutual Aid Fund"))
		need := mustCreateListing(t, s, matchListing(fund, directory.Need, "Van for a food run", "", milwaukee, 40))
		runMatching(t, s)
		wantMatched(t, s, need.ID)
		e := partnerCopy("movers", coopHost, 1)
		offer := partnerListing(e, directory.Offer, "Cargo van", 1)
		offer.Category, offer.Location = "transport", point(waukesha, "Waukesha")
		mustImport(t, s, coopHost, []*directory.Enterprise{e}, []*directory.Listing{offer}, directory.RemoteImport{Created: 2})
		if n := runMatching(t, s); n != 1 {
			t.Errorf("matched %d listings after the import, want 1", n)
		}
		ms, err := s.ListingMatches(ctx, need.ID, matchDay, 20)
		mustNot(t, err, "listing matches")
		if len(ms) != 1 || ms[0].Offer.Origin != coopHost || ms[0].Offer.RemoteID != offer.RemoteID {
			t.Fatalf("matches = %s, want the partner's offer", show(ms))
		}
	})

	t.Run("a dismissed match stays dismissed when its listings are edited", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		runMatching(t, s)
		ms, err := s.ListingMatches(ctx, f.need.ID, matchDay, 20)
		mustNot(t, err, "listing matches")
		dismissed := ms[0]
		mustNot(t, s.DismissMatch(ctx, dismissed.ID, at(11)), "dismiss")
		for _, l := range []*directory.Listing{f.need, dismissed.Offer} {
			l.Description += " (edited)"
			l.UpdatedAt = at(12)
			mustNot(t, s.UpdateListing(ctx, l, directory.Event{Type: directory.EventListingUpdated, ListingID: l.ID, At: at(12)}), "update")
		}
		if n := runMatching(t, s); n != 2 {
			t.Errorf("matched %d listings after the edits, want 2", n)
		}
		wantMatched(t, s, f.need.ID, ms[1].Offer.ID)
		wantMatched(t, s, dismissed.Offer.ID)
		got, err := s.FindMatch(ctx, dismissed.ID)
		mustNot(t, err, "find dismissed")
		if !got.Dismissed {
			t.Errorf("match %d is no longer dismissed", dismissed.ID)
		}
	})

	t.Run("a closed listing loses its matches and finds them again when reopened", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		runMatching(t, s)
		f.van.Status = directory.StatusFulfilled
		mustNot(t, s.UpdateListing(ctx, f.van, directory.Event{Type: directory.EventListingUpdated, At: at(12)}), "fulfil")
		wantMatched(t, s, f.need.ID, f.near.ID) // hidden at once
		runMatching(t, s)
		wantMatched(t, s, f.need.ID, f.near.ID)
		f.van.Status = directory.StatusOpen
		mustNot(t, s.UpdateListing(ctx, f.van, directory.Event{Type: directory.EventListingUpdated, At: at(13)}), "reopen")
		runMatching(t, s)
		wantMatched(t, s, f.need.ID, f.near.ID, f.van.ID)
	})

	t.Run("an enterprise's matches are new until it has seen them", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		runMatching(t, s)
		newCount := func(e *directory.Enterprise) int {
			n, err := s.NewMatches(ctx, e.ID, matchDay)
			mustNot(t, err, "new matches")
			return n
		}
		if a, b := newCount(f.fund), newCount(f.coop); a != 2 || b != 2 {
			t.Fatalf("new matches: fund %d, coop %d, want 2 and 2", a, b)
		}
		ms, total, err := s.EnterpriseMatches(ctx, f.fund.ID, matchDay, directory.Page{Page: 1, PerPage: 1})
		mustNot(t, err, "enterprise matches")
		if total != 2 || len(ms) != 1 || !ms[0].New || ms[0].Of(f.fund.ID).ID != f.need.ID {
			t.Fatalf("page 1: %d of %d: %s", len(ms), total, show(ms))
		}
		mustNot(t, s.MarkMatchesSeen(ctx, f.fund.ID), "mark seen")
		ms, total, err = s.EnterpriseMatches(ctx, f.fund.ID, matchDay, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "enterprise matches")
		if total != 2 || len(ms) != 2 || ms[0].New || ms[1].New {
			t.Errorf("after seen: %d of %d: %s", len(ms), total, show(ms))
		}
		if a, b := newCount(f.fund), newCount(f.coop); a != 0 || b != 2 {
			t.Errorf("new matches after the fund saw them: fund %d, coop %d, want 0 and 2", a, b)
		}
		ms, _, err = s.EnterpriseMatches(ctx, f.coop.ID, matchDay, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "coop matches")
		if len(ms) != 2 || !ms[0].New || ms[0].Of(f.coop.ID).EnterpriseID != f.coop.ID {
			t.Errorf("coop's matches: %s", show(ms))
		}
	})

	t.Run("a match is to notify once, and stays told when rescored", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		runMatching(t, s)
		toNotify := func() []int64 {
			ms, err := s.MatchesToNotify(ctx, matchDay, 10)
			mustNot(t, err, "matches to notify")
			ids := []int64{}
			for _, m := range ms {
				if m.Need == nil || m.Offer == nil {
					t.Fatalf("match %d without its listings", m.ID)
				}
				ids = append(ids, m.ID)
			}
			return ids
		}
		ids := toNotify()
		if len(ids) != 2 || ids[0] > ids[1] {
			t.Fatalf("to notify %v, want the 2 matches oldest first", ids)
		}
		if ms, err := s.MatchesToNotify(ctx, matchDay, 1); err != nil || len(ms) != 1 || ms[0].ID != ids[0] {
			t.Fatalf("limit 1: %v, %v", ms, err)
		}
		mustNot(t, s.MarkMatchesNotified(ctx, []int64{ids[0], 999999}, at(11)), "mark notified")
		if got := toNotify(); !reflect.DeepEqual(got, ids[1:]) {
			t.Fatalf("after one was told: %v, want %v", got, ids[1:])
		}
		f.need.Description += " (edited)"
		mustNot(t, s.UpdateListing(ctx, f.need, directory.Event{Type: directory.EventListingUpdated, ListingID: f.need.ID, At: at(12)}), "update")
		runMatching(t, s)
		if got := toNotify(); !reflect.DeepEqual(got, ids[1:]) {
			t.Fatalf("after a rescoring: %v, want %v", got, ids[1:])
		}
		mustNot(t, s.DismissMatch(ctx, ids[1], at(13)), "dismiss")
		if got := toNotify(); len(got) != 0 {
			t.Errorf("a dismissed match is to notify: %v", got)
		}
		mustNot(t, s.MarkMatchesNotified(ctx, nil, at(14)), "mark none")
	})

	t.Run("deleting a listing removes its matches", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		runMatching(t, s)
		ms, err := s.ListingMatches(ctx, f.van.ID, matchDay, 20)
		mustNot(t, err, "listing matches")
		mustNot(t, s.DeleteListing(ctx, f.van.ID, directory.Event{Type: directory.EventListingDeleted, At: at(12)}), "delete")
		_, err = s.FindMatch(ctx, ms[0].ID)
		wantCode(t, err, directory.ENOTFOUND)
		wantMatched(t, s, f.need.ID, f.near.ID)
	})

	t.Run("matches one listing at once and takes it off the queue", func(t *testing.T) {
		s := open(t)
		f := newMatchFixture(t, s)
		mustNot(t, s.MatchListing(ctx, f.need.ID, matchDay, at(10)), "match listing")
		wantMatched(t, s, f.need.ID, f.near.ID, f.van.ID)
		if n := runMatching(t, s); n != 2 {
			t.Errorf("the queue held %d listings, want the 2 offers", n)
		}
		wantCode(t, s.MatchListing(ctx, 12345, matchDay, at(10)), directory.ENOTFOUND)
	})

	t.Run("unknown matches are not found", func(t *testing.T) {
		s := open(t)
		_, err := s.FindMatch(ctx, 12345)
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.DismissMatch(ctx, 12345, at(1)), directory.ENOTFOUND)
		wantMatched(t, s, 12345)
	})
}
