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
	"seed share seed share", "worker co op", "borrow from the libraries of the neighbourhood",
	"libraries of seeds", "other",
}

// SeedReindex stores the reindex fixtures and returns the ids of the
// enterprise and its listing.
func SeedReindex(t *testing.T, s directory.Store) (enterpriseID, listingID int64) {
	t.Helper()
	e := newEnterprise("seed-share", "Seed Share")
	e.Summary = "Borrow from the libraries of the neighbourhood"
	mustCreateEnterprise(t, s, e)
	l := mustCreateListing(t, s, newListing(e, directory.Need, "Libraries of seeds"))
	return e.ID, l.ID
}

// CheckReindexed checks that the fixtures are found by a stem ("library"
// finds "libraries") and that their words are in the vocabulary, or, with
// reindexed false, that neither is so yet.
func CheckReindexed(t *testing.T, s directory.Store, reindexed bool) {
	t.Helper()
	want := 0
	if reindexed {
		want = 1
	}
	if p := searchEnterprises(t, s, directory.EnterpriseQuery{Text: "library"}); p.Total != want {
		t.Errorf("library finds %d enterprises, want %d", p.Total, want)
	}
	if p := searchListings(t, s, directory.ListingQuery{Text: "library"}); p.Total != want {
		t.Errorf("library finds %d listings, want %d", p.Total, want)
	}
	words, err := s.SearchWords(ctx, "l", 5, 9, 100)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(words, "libraries") != reindexed {
		t.Errorf("vocabulary %q (reindexed: %v)", words, reindexed)
	}
}
