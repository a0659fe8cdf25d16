package federation

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

type dirPage struct {
	Type  string            `json:"type"`
	ID    string            `json:"id"`
	First string            `json:"first"`
	Next  string            `json:"next"`
	Items []json.RawMessage `json:"orderedItems"`
}

func (f *serverFixture) dirPage(t *testing.T, path string) dirPage {
	t.Helper()
	var p dirPage
	raw, _ := json.Marshal(f.doc(t, path))
	if err := json.Unmarshal(raw, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDirectoryCollections(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	for i := range 250 {
		f.mustEnterprise(t, "coop"+strconv.Itoa(i), "Co-op "+strconv.Itoa(i))
	}
	open := f.mustListing(t, "shakyhands", directory.Need, "Flour")
	done := f.mustListing(t, "shakyhands", directory.Offer, "Bread")
	if _, err := f.svc.SetListingStatus(f.sys(), done.ID, directory.StatusFulfilled); err != nil {
		t.Fatal(err)
	}

	idx := f.dirPage(t, DirectoryEnterprisesPath)
	if idx.Type != "OrderedCollection" || idx.First != "https://coop.example/actor/enterprises?after=0" {
		t.Fatalf("index: %+v", idx)
	}
	// Every local enterprise once, in pages, and no partner's.
	seen := map[string]bool{}
	next, pages := idx.First, 0
	for next != "" {
		p := f.dirPage(t, next[len("https://coop.example"):])
		if p.Type != "OrderedCollectionPage" || len(p.Items) > directoryPageItems {
			t.Fatalf("page %s: %s with %d items", next, p.Type, len(p.Items))
		}
		for _, it := range p.Items {
			d, err := DecodeEnterprise(it)
			if err != nil {
				t.Fatal(err)
			}
			if seen[d.ID] {
				t.Errorf("%s listed twice", d.ID)
			}
			seen[d.ID] = true
		}
		next, pages = p.Next, pages+1
	}
	if len(seen) != 251 || pages != 2 || seen["https://coop.example/enterprises/farfield"] {
		t.Errorf("%d enterprises in %d pages (farfield: %v)", len(seen), pages, seen["https://coop.example/enterprises/farfield"])
	}

	// Only open local listings.
	p := f.dirPage(t, DirectoryListingsPath+"?after=0")
	if len(p.Items) != 1 || p.Next != "" {
		t.Fatalf("listings page: %+v", p)
	}
	d, err := DecodeProposal(p.Items[0])
	if err != nil || d.ID != "https://coop.example/listings/"+strconv.FormatInt(open.ID, 10) {
		t.Errorf("listing item: %+v %v", d, err)
	}

	for _, bad := range []string{"?after=-1", "?after=x", "?after=99999999999999999999"} {
		f.wantStatus(t, DirectoryEnterprisesPath+bad, http.StatusBadRequest)
	}
}
