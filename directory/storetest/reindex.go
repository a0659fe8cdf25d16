package storetest

import (
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Reindex fixtures: an engine's test stores them, rewrites their index the
// way it was before stems (ReindexOldDocuments gives the documents), then
// checks that its start-up reindex makes CheckReindexed pass.

// ReindexOldDocuments are the old-form documents (folded words, no stems)
// of the fixtures SeedReindex stores: the enterprise's name, tags and body
// columns, then the listing's title and body.
var ReindexOldDocuments = struct{ Name, Tags, Body, Title, ListingBody string }{
	"seed share seed share", "worker co op", "a farm in the city",
	"city seeds", "other",
}

// SeedReindex stores the reindex fixtures and returns the ids of the
// enterprise and its listing.
func SeedReindex(t *testing.T, s directory.Store) (enterpriseID, listingID int64) {
	t.Helper()
	e := newEnterprise("seed-share", "Seed Share")
	e.Summary = "A farm in the city"
	mustCreateEnterprise(t, s, e)
	l := mustCreateListing(t, s, newListing(e, directory.Need, "City seeds"))
	return e.ID, l.ID
}

// CheckReindexed checks that the fixtures are found by a stem that the
// index holds ("cities" finds "city" through its English stem "citi")
// and that their words are in the vocabulary, or, with reindexed false,
// that neither is so yet.
func CheckReindexed(t *testing.T, s directory.Store, reindexed bool) {
	t.Helper()
	want := 0
	if reindexed {
		want = 1
	}
	if p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: "cities"}); p.Total != want {
		t.Errorf("cities finds %d enterprises, want %d", p.Total, want)
	}
	if p := searchListings(t, s, directory.ListingQuery{Text: "cities"}); p.Total != want {
		t.Errorf("cities finds %d listings, want %d", p.Total, want)
	}
	words, err := s.SearchWords(ctx, "c", 2, 6, 100)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(words, "city") != reindexed {
		t.Errorf("vocabulary %q (reindexed: %v)", words, reindexed)
	}
}
