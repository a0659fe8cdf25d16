package federation

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// The directory collections: what a partner pages through to import this
// network's directory (the backfill). /actor/enterprises lists the local
// enterprises as entries (see EnterpriseEntry), /actor/listings the open
// local listings as Proposals, /actor/announcements the local
// announcements as Notes. Partners' entries are never listed, so no
// network re-imports another's partners. Pages are keyset pages,
// ?after=ID, by ID, so a reader that stops resumes where it was and entries
// added meanwhile come at the end. A page read by a partner (a fetch
// signed by its instance actor) holds only what the partner's export scope
// lets it read; a page may then hold fewer entries than its size, or none,
// and still link the next one.

// Paths of the directory collections, under the instance actor.
const (
	DirectoryEnterprisesPath = instancePath + "/enterprises"
	DirectoryListingsPath    = instancePath + "/listings"
	// DirectoryAnnouncementsPath is the collection of local announcements.
	DirectoryAnnouncementsPath = instancePath + "/announcements"
)

// Limits of a directory page: at most directoryPageItems entries, and
// fewer when they pass directoryPageBytes of JSON, so a page stays well
// inside what a client reads (1 MiB).
const (
	directoryPageItems = 200
	directoryPageBytes = 512 << 10
)

// directoryItems reads up to limit entries with an id above after and
// builds the documents of those scope lets through; ids are the built
// entries' ids, in the same order, last the id of the last entry read and
// full whether limit entries were read.
type directoryItems func(ctx context.Context, after int64, limit int, scope directory.Scope) (docs []map[string]any, ids []int64, last int64, full bool, err error)

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
		scope, err := s.readerScope(r)
		if err != nil {
			s.failFetch(w, r, err)
			return
		}
		docs, ids, read, full, err := items(r.Context(), after, directoryPageItems, scope)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		page := make([]any, 0, len(docs))
		size, last := 0, after
		cut := false
		for i, d := range docs {
			b, err := ap.Marshal(d)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			if size += len(b); size > directoryPageBytes && len(page) > 0 {
				cut = true
				break
			}
			page, last = append(page, d), ids[i]
		}
		if !cut {
			last = max(last, read)
		}
		next := ""
		if full || cut {
			next = id + "?after=" + strconv.FormatInt(last, 10)
		}
		doc, err := directoryPage(id, after, page, next)
		s.writeDocument(w, r, doc, err)
	}
}

// readerScope is what the reader of a directory page may read: the export
// scope of the partner whose instance actor signed the request, else
// everything (the directory is public; the export scope limits what a
// partnership shares). A signature that does not verify is refused.
func (s *Server) readerScope(r *http.Request) (directory.Scope, error) {
	if s.verifier == nil || (r.Header.Get("Signature") == "" && r.Header.Get("Signature-Input") == "") {
		return directory.Scope{}, nil
	}
	v, err := s.verifier.Verify(r, nil)
	if err != nil {
		return directory.Scope{}, err
	}
	host, err := Host(v.Owner)
	if err != nil {
		return directory.Scope{}, nil
	}
	p, err := s.store.FindPartnerByHost(r.Context(), host)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		return directory.Scope{}, nil
	case err != nil:
		return directory.Scope{}, err
	case !sameDocument(p.ActorID, v.Owner):
		return directory.Scope{}, nil
	}
	return p.ExportScope, nil
}

// failFetch answers a refused signature with its status, anything else
// as fail does.
func (s *Server) failFetch(w http.ResponseWriter, r *http.Request, err error) {
	var se *SignatureError
	if errors.As(err, &se) {
		w.Header().Add("Vary", "Accept")
		http.Error(w, se.Reason, se.Status)
		return
	}
	s.fail(w, r, err)
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
func (s *Server) directoryEnterprises(ctx context.Context, after int64, limit int, scope directory.Scope) ([]map[string]any, []int64, int64, bool, error) {
	es, err := s.store.LocalEnterprisesAfter(ctx, after, limit)
	if err != nil {
		return nil, nil, 0, false, err
	}
	docs, ids, err := buildAll(es, func(e *directory.Enterprise) (map[string]any, int64, error) {
		if !scope.AllowsEnterprise(e) {
			return nil, 0, nil
		}
		doc, err := EnterpriseEntry(s.urls, e)
		return doc, e.ID, err
	})
	return docs, ids, lastID(es, func(e *directory.Enterprise) int64 { return e.ID }), len(es) == limit, err
}

// directoryListings reads a page of open local listings as Proposals.
func (s *Server) directoryListings(ctx context.Context, after int64, limit int, scope directory.Scope) ([]map[string]any, []int64, int64, bool, error) {
	today := s.svc.Now().UTC().Format(directory.DateLayout)
	ls, err := s.store.OpenListingsAfter(ctx, after, today, limit)
	if err != nil {
		return nil, nil, 0, false, err
	}
	owner := s.owners(scope)
	docs, ids, err := buildAll(ls, func(l *directory.Listing) (map[string]any, int64, error) {
		if e, err := owner(ctx, l.EnterpriseHandle); err != nil || e != nil && !scope.AllowsListing(l, e) {
			return nil, 0, err
		}
		doc, err := ListingProposal(s.urls, l)
		return doc, l.ID, err
	})
	return docs, ids, lastID(ls, func(l *directory.Listing) int64 { return l.ID }), len(ls) == limit, err
}

// directoryAnnouncements reads a page of local announcements as Notes.
func (s *Server) directoryAnnouncements(ctx context.Context, after int64, limit int, scope directory.Scope) ([]map[string]any, []int64, int64, bool, error) {
	as, err := s.store.LocalAnnouncementsAfter(ctx, after, limit)
	if err != nil {
		return nil, nil, 0, false, err
	}
	owner := s.owners(scope)
	docs, ids, err := buildAll(as, func(a *directory.Announcement) (map[string]any, int64, error) {
		if e, err := owner(ctx, a.EnterpriseHandle); err != nil || e != nil && !scope.AllowsAnnouncement(e) {
			return nil, 0, err
		}
		doc, err := AnnouncementNote(s.urls, a)
		return doc, a.ID, err
	})
	return docs, ids, lastID(as, func(a *directory.Announcement) int64 { return a.ID }), len(as) == limit, err
}

// owners returns a lookup of local enterprises by handle, read once per
// handle; under an empty scope nothing is read and every lookup is nil.
func (s *Server) owners(scope directory.Scope) func(ctx context.Context, handle string) (*directory.Enterprise, error) {
	seen := map[string]*directory.Enterprise{}
	return func(ctx context.Context, handle string) (*directory.Enterprise, error) {
		if scope.IsEmpty() {
			return nil, nil
		}
		if e, ok := seen[handle]; ok {
			return e, nil
		}
		e, err := s.svc.Enterprise(ctx, handle)
		if err != nil {
			return nil, err
		}
		seen[handle] = e
		return e, nil
	}
}

// lastID is the id of the last of entries, 0 when there is none.
func lastID[T any](entries []T, id func(T) int64) int64 {
	if len(entries) == 0 {
		return 0
	}
	return id(entries[len(entries)-1])
}

// buildAll builds the document of each entry; an entry build leaves out
// (a nil document) is skipped.
func buildAll[T any](entries []T, build func(T) (map[string]any, int64, error)) ([]map[string]any, []int64, error) {
	docs := make([]map[string]any, 0, len(entries))
	ids := make([]int64, 0, len(entries))
	for _, e := range entries {
		doc, id, err := build(e)
		if err != nil {
			return nil, nil, err
		}
		if doc != nil {
			docs, ids = append(docs, doc), append(ids, id)
		}
	}
	return docs, ids, nil
}
