package federation

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// FeaturedMax is the most listings an enterprise's featured collection
// (Mastodon's pinned posts) holds: its newest open needs and offers.
const FeaturedMax = 10

// actorCollection picks one collection of an actor.
type actorCollection func(ActorURLs) string

func outboxOfActor(a ActorURLs) string { return a.Outbox }

func featuredOfActor(a ActorURLs) string { return a.Featured }

// itemsFunc returns limit items of a collection from offset on.
type itemsFunc func(ctx context.Context, offset, limit int) ([]any, error)

// serveCollection answers a collection request: without ?page the
// OrderedCollection (total, first and last page), with ?page=N that page.
func (s *Server) serveCollection(w http.ResponseWriter, r *http.Request, id string, total, perPage int, items itemsFunc) {
	page, err := pageParam(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if page == 0 {
		doc, err := ap.OrderedCollection(id, total, perPage)
		s.writeDocument(w, r, doc, err)
		return
	}
	if page > ap.PageCount(total, perPage) {
		s.fail(w, r, directory.Errorf(directory.ENOTFOUND, "no such page"))
		return
	}
	list, err := items(r.Context(), (page-1)*perPage, perPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	doc, err := ap.OrderedCollectionPage(id, total, list, page, perPage)
	s.writeDocument(w, r, doc, err)
}

// pageParam returns the N of ?page=N, or 0 when there is none.
func pageParam(r *http.Request) (int, error) {
	v, ok := r.URL.Query()["page"]
	if !ok {
		return 0, nil
	}
	n, err := strconv.Atoi(v[0])
	if err != nil || n < 1 || n > directory.MaxPage {
		return 0, directory.Errorf(directory.EINVALID, "page must be a number from 1 to %d", directory.MaxPage)
	}
	return n, nil
}

func noItems(context.Context, int, int) ([]any, error) { return []any{}, nil }

// emptyCollection answers a collection of one of the instance's own actors
// that holds nothing: their announces are delivered, not kept.
func (s *Server) emptyCollection(ref ActorRef, pick actorCollection) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := pick(actorURLs(s.urls.ActorIDOf(ref)))
		s.serveCollection(w, r, id, 0, s.opt.PerPage, noItems)
	}
}

// featured answers GET /enterprises/{handle}/featured: the companion Notes
// of the enterprise's newest open listings, which Mastodon shows as pinned
// posts (its only way to show older posts of an account it just met).
func (s *Server) featured(w http.ResponseWriter, r *http.Request) {
	e, err := s.localEnterprise(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := s.svc.SearchListings(r.Context(), directory.ListingQuery{
		Enterprise: e.Handle, Origin: directory.OriginLocal, Status: directory.StatusOpen,
		Sort: directory.SortNewest, Page: directory.Page{Page: 1, PerPage: FeaturedMax}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	notes := func(context.Context, int, int) ([]any, error) {
		items := make([]any, 0, len(page.Items))
		for _, l := range page.Items {
			note, err := ListingNote(s.urls, l.Listing)
			if err != nil {
				return nil, err
			}
			items = append(items, note)
		}
		return items, nil
	}
	s.serveCollection(w, r, s.urls.Enterprise(e.Handle).Featured, len(page.Items), FeaturedMax, notes)
}

// outbox answers GET /enterprises/{handle}/outbox: the Create activities
// of the enterprise's announcements and listings, newest first. Anyone may
// read it, so it holds standard types only: a listing is its companion Note.
// Fedify-based servers refuse a whole page for one item of a type they do
// not know; partners read the Proposals from the directory collections.
func (s *Server) outbox(w http.ResponseWriter, r *http.Request) {
	e, err := s.localEnterprise(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ctx := r.Context()
	_, announcements, err := s.svc.Announcements(ctx, e.Handle, directory.Page{Page: 1, PerPage: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	listings, err := s.listingsOf(ctx, e.Handle, directory.Page{Page: 1, PerPage: 1})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	total := announcements + listings.Total
	s.serveCollection(w, r, s.urls.Enterprise(e.Handle).Outbox, total, s.opt.PerPage, s.outboxItems(e))
}

// listingsOf returns a page of the local enterprise's listings of every
// status, newest first.
func (s *Server) listingsOf(ctx context.Context, handle string, p directory.Page) (*directory.ListingPage, error) {
	return s.svc.SearchListings(ctx, directory.ListingQuery{
		Enterprise: handle, Origin: directory.OriginLocal, Sort: directory.SortNewest, Page: p})
}

// outboxEntry is an announcement or a listing of an outbox, in time order.
type outboxEntry struct {
	at           time.Time
	announcement *directory.Announcement
	listing      *directory.Listing
}

// outboxItems builds the items of an outbox page: it reads as many of the
// newest announcements and listings as the page could need, merges them by
// time, and builds the activities of the page's items only.
func (s *Server) outboxItems(e *directory.Enterprise) itemsFunc {
	return func(ctx context.Context, offset, limit int) ([]any, error) {
		entries, err := s.newestEntries(ctx, e.Handle, offset+limit)
		if err != nil {
			return nil, err
		}
		items := []any{}
		for i := offset; i < len(entries) && i < offset+limit; i++ {
			doc, err := s.outboxActivity(entries[i])
			if err != nil {
				return nil, err
			}
			items = append(items, doc)
		}
		return items, nil
	}
}

// outboxActivity builds one item of the outbox: the Create of an
// announcement, or of a listing's companion Note.
func (s *Server) outboxActivity(en outboxEntry) (map[string]any, error) {
	if en.announcement != nil {
		return CreateAnnouncement(s.urls, en.announcement)
	}
	doc, err := ListingNote(s.urls, en.listing)
	if err != nil {
		return nil, err
	}
	return Create(s.urls.Enterprise(en.listing.EnterpriseHandle).ID, doc)
}

// newestEntries returns the enterprise's newest announcements and listings,
// newest first, enough to fill the first n outbox items.
func (s *Server) newestEntries(ctx context.Context, handle string, n int) ([]outboxEntry, error) {
	var anns []outboxEntry
	err := readFirst(n, func(p directory.Page) (int, error) {
		page, _, err := s.svc.Announcements(ctx, handle, p)
		for _, a := range page {
			anns = append(anns, outboxEntry{at: a.CreatedAt, announcement: a})
		}
		return len(page), err
	})
	if err != nil {
		return nil, err
	}
	var lists []outboxEntry
	err = readFirst(n, func(p directory.Page) (int, error) {
		page, err := s.listingsOf(ctx, handle, p)
		if err != nil {
			return 0, err
		}
		for _, l := range page.Items {
			lists = append(lists, outboxEntry{at: l.CreatedAt, listing: l.Listing})
		}
		return len(page.Items), nil
	})
	if err != nil {
		return nil, err
	}
	return mergeNewest(anns, lists), nil
}

// readFirst reads pages of the largest size through read until it has n
// items or the results end; read returns how many items its page held.
func readFirst(n int, read func(directory.Page) (int, error)) error {
	for page, got := 1, 0; got < n && page <= directory.MaxPage; page++ {
		k, err := read(directory.Page{Page: page, PerPage: directory.MaxPerPage})
		if err != nil {
			return err
		}
		got += k
		if k < directory.MaxPerPage {
			return nil
		}
	}
	return nil
}

// mergeNewest merges two lists that are each newest first into one; at the
// same time, a comes first.
func mergeNewest(a, b []outboxEntry) []outboxEntry {
	out := make([]outboxEntry, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if b[0].at.After(a[0].at) {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	return append(append(out, a...), b...)
}
