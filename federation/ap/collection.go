package ap

import (
	"strconv"
	"strings"

	"github.com/go-fed/activity/streams"

	"github.com/coopdir/coopdir/directory"
)

// Collections (outbox, followers, following, featured) are served as an
// OrderedCollection that says how many items there are and where the first
// and last pages are, and pages at {id}?page=N, newest first, each linking to
// the next and previous pages and back to the collection.

// PageCount is the number of pages of total items, perPage to a page; an
// empty collection still has one (empty) page.
func PageCount(total, perPage int) int {
	if perPage < 1 || total <= 0 {
		return 1
	}
	return (total + perPage - 1) / perPage
}

// PageID is the id of page n of the collection id.
func PageID(id string, n int) string {
	sep := "?"
	if strings.Contains(id, "?") {
		sep = "&"
	}
	return id + sep + "page=" + strconv.Itoa(n)
}

// OrderedCollection is the collection id of total items: totalItems and the
// first and last of its pages of perPage items.
func OrderedCollection(id string, total, perPage int) (map[string]any, error) {
	if total < 0 || perPage < 1 {
		return nil, directory.Errorf(directory.EINVALID, "a collection needs a total of 0 or more and pages of at least 1")
	}
	var p iriParser
	c := streams.NewActivityStreamsOrderedCollection()
	c.SetJSONLDId(idProperty(p.get(id)))
	n := streams.NewActivityStreamsTotalItemsProperty()
	n.Set(total)
	c.SetActivityStreamsTotalItems(n)
	first := streams.NewActivityStreamsFirstProperty()
	first.SetIRI(p.get(PageID(id, 1)))
	c.SetActivityStreamsFirst(first)
	last := streams.NewActivityStreamsLastProperty()
	last.SetIRI(p.get(PageID(id, PageCount(total, perPage))))
	c.SetActivityStreamsLast(last)
	if p.err != nil {
		return nil, p.err
	}
	return document(c, nil)
}

// OrderedCollectionPage is page number page (from 1) of the collection id of
// total items, perPage to a page, holding items: each an id (string) or a
// document (its @context is dropped). The items are
// placed as given, since some (Proposals) have no go-fed type. A page past
// the last is ENOTFOUND.
func OrderedCollectionPage(id string, total int, items []any, page, perPage int) (map[string]any, error) {
	if total < 0 || perPage < 1 || page < 1 {
		return nil, directory.Errorf(directory.EINVALID, "a page needs a number and a size of at least 1")
	}
	pages := PageCount(total, perPage)
	if page > pages {
		return nil, directory.Errorf(directory.ENOTFOUND, "the collection has %d pages", pages)
	}
	var p iriParser
	c := streams.NewActivityStreamsOrderedCollectionPage()
	c.SetJSONLDId(idProperty(p.get(PageID(id, page))))
	partOf := streams.NewActivityStreamsPartOfProperty()
	partOf.SetIRI(p.get(id))
	c.SetActivityStreamsPartOf(partOf)
	n := streams.NewActivityStreamsTotalItemsProperty()
	n.Set(total)
	c.SetActivityStreamsTotalItems(n)
	if page < pages {
		next := streams.NewActivityStreamsNextProperty()
		next.SetIRI(p.get(PageID(id, page+1)))
		c.SetActivityStreamsNext(next)
	}
	if page > 1 {
		prev := streams.NewActivityStreamsPrevProperty()
		prev.SetIRI(p.get(PageID(id, page-1)))
		c.SetActivityStreamsPrev(prev)
	}
	if p.err != nil {
		return nil, p.err
	}
	return document(c, map[string]any{"orderedItems": pageItems(items)})
}

// pageItems returns the items as JSON values, documents without @context.
func pageItems(items []any) []any {
	out := make([]any, len(items))
	for i, it := range items {
		if m, ok := it.(map[string]any); ok {
			it = embedded(m)
		}
		out[i] = it
	}
	return out
}

// UncountedCollection is an OrderedCollection that does not say how many
// items it holds, only where its first page is: the directory collections,
// paged by key.
func UncountedCollection(id, first string) (map[string]any, error) {
	var p iriParser
	c := streams.NewActivityStreamsOrderedCollection()
	c.SetJSONLDId(idProperty(p.get(id)))
	f := streams.NewActivityStreamsFirstProperty()
	f.SetIRI(p.get(first))
	c.SetActivityStreamsFirst(f)
	if p.err != nil {
		return nil, p.err
	}
	return document(c, nil)
}

// UncountedPage is the page id of the UncountedCollection partOf, holding
// items (as OrderedCollectionPage places them) and linking to the next page
// unless next is "".
func UncountedPage(id, partOf, next string, items []any) (map[string]any, error) {
	var p iriParser
	c := streams.NewActivityStreamsOrderedCollectionPage()
	c.SetJSONLDId(idProperty(p.get(id)))
	po := streams.NewActivityStreamsPartOfProperty()
	po.SetIRI(p.get(partOf))
	c.SetActivityStreamsPartOf(po)
	if next != "" {
		n := streams.NewActivityStreamsNextProperty()
		n.SetIRI(p.get(next))
		c.SetActivityStreamsNext(n)
	}
	if p.err != nil {
		return nil, p.err
	}
	return document(c, map[string]any{"orderedItems": pageItems(items)})
}
