package federation

import (
	"net/http"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// itemIDs returns the ids of a page's orderedItems.
func itemIDs(t *testing.T, page map[string]any) []string {
	t.Helper()
	items, ok := page["orderedItems"].([]any)
	if !ok {
		t.Fatalf("page %v has no orderedItems", page["id"])
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i], _ = it.(map[string]any)["id"].(string)
	}
	return ids
}

func wantCollection(t *testing.T, c map[string]any, id string, total int, last string) {
	t.Helper()
	if c["type"] != "OrderedCollection" || c["id"] != id || c["totalItems"] != float64(total) ||
		c["first"] != id+"?page=1" || c["last"] != last {
		t.Errorf("collection %v: type %v total %v first %v last %v; want %s, %d, last %s",
			c["id"], c["type"], c["totalItems"], c["first"], c["last"], id, total, last)
	}
}

func TestServerOutbox(t *testing.T) {
	f := newServerFixture(t, ServerOptions{PerPage: 3})
	const base = "https://coop.example"
	// Oldest first: a1, L1, a2, L2; the outbox shows them newest first, a
	// listing as the Create of its companion Note (standard types only).
	a1 := f.mustAnnouncement(t, "shakyhands", "First")
	l1 := f.mustListing(t, "shakyhands", directory.Need, "Drills")
	a2 := f.mustAnnouncement(t, "shakyhands", "Second")
	l2 := f.mustListing(t, "shakyhands", directory.Offer, "Bread")
	if _, err := f.svc.SetListingStatus(f.sys(), l1.ID, directory.StatusWithdrawn); err != nil {
		t.Fatal(err)
	}
	other := f.mustEnterprise(t, "riverside", "Riverside")
	f.mustAnnouncement(t, other.Handle, "Not theirs")
	want := []string{
		base + "/listings/" + itoa(l2.ID) + "/note/create",
		base + "/announcements/" + itoa(a2.ID) + "/create",
		base + "/listings/" + itoa(l1.ID) + "/note/create",
		base + "/announcements/" + itoa(a1.ID) + "/create",
	}
	id := base + "/enterprises/shakyhands/outbox"
	wantCollection(t, f.doc(t, "/enterprises/shakyhands/outbox"), id, 4, id+"?page=2")

	t.Run("pages hold every activity once, newest first", func(t *testing.T) {
		p1 := f.doc(t, "/enterprises/shakyhands/outbox?page=1")
		p2 := f.doc(t, "/enterprises/shakyhands/outbox?page=2")
		got := append(itemIDs(t, p1), itemIDs(t, p2)...)
		if len(got) != len(want) {
			t.Fatalf("items %v, want %v", got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("item %d = %s, want %s", i, got[i], want[i])
			}
		}
		if p1["type"] != "OrderedCollectionPage" || p1["partOf"] != id || p1["next"] != id+"?page=2" || p1["prev"] != nil {
			t.Errorf("page 1: %v", p1)
		}
		if p2["prev"] != id+"?page=1" || p2["next"] != nil || p2["totalItems"] != float64(4) {
			t.Errorf("page 2: prev %v next %v total %v", p2["prev"], p2["next"], p2["totalItems"])
		}
		for _, it := range append(p1["orderedItems"].([]any), p2["orderedItems"].([]any)...) {
			if obj := it.(map[string]any)["object"].(map[string]any); obj["type"] != "Note" {
				t.Errorf("%v creates a %v, want a Note: strangers read the outbox", it.(map[string]any)["id"], obj["type"])
			}
		}
	})
	t.Run("a page past the last is 404, a malformed one 400", func(t *testing.T) {
		f.wantStatus(t, "/enterprises/shakyhands/outbox?page=3", http.StatusNotFound)
		for _, p := range []string{"0", "-1", "x", "100000"} {
			f.wantStatus(t, "/enterprises/shakyhands/outbox?page="+p, http.StatusBadRequest)
		}
	})
}

func TestServerOutboxDeepPages(t *testing.T) {
	f := newServerFixture(t, ServerOptions{PerPage: 7})
	for i := range 12 {
		f.mustAnnouncement(t, "shakyhands", "Post "+itoa(int64(i)))
		if i%3 == 0 {
			f.mustListing(t, "shakyhands", directory.Offer, "Offer "+itoa(int64(i)))
		}
	}
	total := 12 + 4
	seen := map[string]bool{}
	for page := 1; page <= ap.PageCount(total, 7); page++ {
		for _, id := range itemIDs(t, f.doc(t, "/enterprises/shakyhands/outbox?page="+itoa(int64(page)))) {
			if seen[id] {
				t.Errorf("%s on two pages", id)
			}
			seen[id] = true
		}
	}
	if len(seen) != total {
		t.Errorf("%d activities over the pages, want %d", len(seen), total)
	}
}

func TestServerFeatured(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	var newest *directory.Listing
	for i := range FeaturedMax + 2 {
		newest = f.mustListing(t, "shakyhands", directory.Offer, "Offer "+itoa(int64(i)))
	}
	if _, err := f.svc.SetListingStatus(f.sys(), newest.ID, directory.StatusFulfilled); err != nil {
		t.Fatal(err)
	}
	id := "https://coop.example/enterprises/shakyhands/featured"
	wantCollection(t, f.doc(t, "/enterprises/shakyhands/featured"), id, FeaturedMax, id+"?page=1")
	page := f.doc(t, "/enterprises/shakyhands/featured?page=1")
	ids := itemIDs(t, page)
	if len(ids) != FeaturedMax {
		t.Fatalf("%d featured, want %d", len(ids), FeaturedMax)
	}
	for _, got := range ids {
		if got == "https://coop.example/listings/"+itoa(newest.ID)+"/note" {
			t.Errorf("a fulfilled listing is featured")
		}
	}
	if n := page["orderedItems"].([]any)[0].(map[string]any); n["type"] != "Note" {
		t.Errorf("featured item of type %v, want the listing's Note", n["type"])
	}
}

func TestServerEmptyCollections(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	for _, path := range []string{
		"/enterprises/shakyhands/followers", "/enterprises/shakyhands/following",
		"/network/outbox", "/network/followers", "/actor/following", "/needs/outbox", "/offers/followers",
		"/network/featured", "/actor/featured", "/needs/featured", "/offers/featured",
	} {
		id := "https://coop.example" + path
		wantCollection(t, f.doc(t, path), id, 0, id+"?page=1")
		page := f.doc(t, path+"?page=1")
		if ids := itemIDs(t, page); len(ids) != 0 || page["type"] != "OrderedCollectionPage" || page["totalItems"] != float64(0) {
			t.Errorf("%s?page=1: %v", path, page)
		}
		f.wantStatus(t, path+"?page=2", http.StatusNotFound)
	}
}
