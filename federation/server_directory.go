package federation

import (
	"context"
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// The directory collections: what a partner pages through to import this
// network's directory (the backfill). /actor/enterprises lists the local
// enterprises as entries (see EnterpriseEntry), /actor/listings the open
// local listings as Proposals. Partners' entries are never listed, so no
// network re-imports another's partners. Pages are keyset pages,
// ?after=ID, by ID, so a reader that stops resumes where it was and entries
// added meanwhile come at the end.

// Paths of the directory collections, under the instance actor.
const (
	DirectoryEnterprisesPath = instancePath + "/enterprises"
	DirectoryListingsPath    = instancePath + "/listings"
)

// Limits of a directory page: at most directoryPageItems entries, and
// fewer when they pass directoryPageBytes of JSON, so a page stays well
// inside what a client reads (1 MiB).
const (
	directoryPageItems = 200
	directoryPageBytes = 512 << 10
)

// directoryItems reads up to limit entries with an id above after and
// builds their documents; ids are the entries' ids, in the same order.
type directoryItems func(ctx context.Context, after int64, limit int) (docs []map[string]any, ids []int64, err error)

func (s *Server) directoryCollection(path string, items directoryItems) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := s.urls.abs(path)
		raw, paged := r.URL.Query()["after"]
		if !paged {
			doc, err := directoryIndex(id)
			s.writeDocument(w, r, doc, err)
			return
		}
		after, err := strconv.ParseInt(raw[0], 10, 64)
		if err != nil || after < 0 {
			s.fail(w, r, directory.Errorf(directory.EINVALID, "after must be an entry number of 0 or more"))
			return
		}
		docs, ids, err := items(r.Context(), after, directoryPageItems)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page := make([]any, 0, len(docs))
		size, last := 0, after
		for i, d := range docs {
			b, err := ap.Marshal(d)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if size += len(b); size > directoryPageBytes && len(page) > 0 {
				break
			}
			page, last = append(page, d), ids[i]
		}
		next := ""
		if len(docs) == directoryPageItems || len(page) < len(docs) {
			next = id + "?after=" + strconv.FormatInt(last, 10)
		}
		doc, err := directoryPage(id, after, page, next)
		s.writeDocument(w, r, doc, err)
	}
}

// directoryIndex is a directory collection without items: where its first
// page is.
func directoryIndex(id string) (map[string]any, error) {
	return ap.UncountedCollection(id, id+"?after=0")
}

// directoryPage is one keyset page of a directory collection.
func directoryPage(id string, after int64, items []any, next string) (map[string]any, error) {
	return ap.UncountedPage(id+"?after="+strconv.FormatInt(after, 10), id, next, items)
}

// directoryEnterprises reads a page of local enterprises as entries.
func (s *Server) directoryEnterprises(ctx context.Context, after int64, limit int) ([]map[string]any, []int64, error) {
	es, err := s.store.LocalEnterprisesAfter(ctx, after, limit)
	if err != nil {
		return nil, nil, err
	}
	return buildAll(es, func(e *directory.Enterprise) (map[string]any, int64, error) {
		doc, err := EnterpriseEntry(s.urls, e)
		return doc, e.ID, err
	})
}

// directoryListings reads a page of open local listings as Proposals.
func (s *Server) directoryListings(ctx context.Context, after int64, limit int) ([]map[string]any, []int64, error) {
	today := s.svc.Now().UTC().Format(directory.DateLayout)
	ls, err := s.store.OpenListingsAfter(ctx, after, today, limit)
	if err != nil {
		return nil, nil, err
	}
	return buildAll(ls, func(l *directory.Listing) (map[string]any, int64, error) {
		doc, err := ListingProposal(s.urls, l)
		return doc, l.ID, err
	})
}

// buildAll builds the document of each entry.
func buildAll[T any](entries []T, build func(T) (map[string]any, int64, error)) ([]map[string]any, []int64, error) {
	docs := make([]map[string]any, len(entries))
	ids := make([]int64, len(entries))
	for i, e := range entries {
		var err error
		if docs[i], ids[i], err = build(e); err != nil {
			return nil, nil, err
		}
	}
	return docs, ids, nil
}
