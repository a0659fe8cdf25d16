package ap

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestOrderedCollectionPages(t *testing.T) {
	id := "https://coop.example/enterprises/shakyhands/followers"
	for _, c := range []struct {
		name             string
		total, page, per int
		last             string
		next, prev       string
	}{
		{"an empty collection has one empty page", 0, 1, 20, id + "?page=1", "", ""},
		{"the first page links only forward", 45, 1, 20, id + "?page=3", id + "?page=2", ""},
		{"a middle page links both ways", 45, 2, 20, id + "?page=3", id + "?page=3", id + "?page=1"},
		{"the last page links only back", 45, 3, 20, id + "?page=3", "", id + "?page=2"},
		{"an exact fit has no extra page", 40, 2, 20, id + "?page=2", "", id + "?page=1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			coll := aptest.Must(t)(OrderedCollection(id, c.total, c.per))
			if coll["totalItems"] != float64(c.total) && coll["totalItems"] != c.total {
				t.Errorf("totalItems %v", coll["totalItems"])
			}
			if coll["first"] != id+"?page=1" || coll["last"] != c.last {
				t.Errorf("first %v last %v", coll["first"], coll["last"])
			}
			page := aptest.Must(t)(OrderedCollectionPage(id, c.total, []any{"https://m.example/users/a"}, c.page, c.per))
			if page["partOf"] != id || str(page["next"]) != c.next || str(page["prev"]) != c.prev {
				t.Errorf("partOf %v next %v prev %v", page["partOf"], page["next"], page["prev"])
			}
			if items := page["orderedItems"].([]any); len(items) != 1 || items[0] != "https://m.example/users/a" {
				t.Errorf("orderedItems %v", items)
			}
		})
	}
}

func TestOrderedCollectionPageRefuses(t *testing.T) {
	id := "https://coop.example/outbox"
	if _, err := OrderedCollectionPage(id, 45, nil, 4, 20); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Errorf("a page past the last: %v, want ENOTFOUND", err)
	}
	for _, args := range [][3]int{{45, 0, 20}, {45, 1, 0}, {-1, 1, 20}} {
		if _, err := OrderedCollectionPage(id, args[0], nil, args[1], args[2]); directory.ErrorCode(err) != directory.EINVALID {
			t.Errorf("total %d page %d per page %d: %v, want EINVALID", args[0], args[1], args[2], err)
		}
	}
	if _, err := OrderedCollection(id, 3, 0); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("pages of 0: %v, want EINVALID", err)
	}
}
