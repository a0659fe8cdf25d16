package directory

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// canSaveSearches checks that the context may create, change and delete
// saved searches: an admin, or any signed-in user when the settings let
// editors save searches.
func (s *Service) canSaveSearches(ctx context.Context) error {
	err := requireAdmin(ctx)
	if ErrorCode(err) != EFORBIDDEN {
		return err
	}
	st, serr := s.Settings(ctx)
	if serr != nil {
		return serr
	}
	if !st.EditorsSaveSearches {
		return Errorf(EFORBIDDEN, "only an admin may save searches as topics")
	}
	return nil
}

// CanSaveSearches reports whether the context may save searches as topics.
func (s *Service) CanSaveSearches(ctx context.Context) bool { return s.canSaveSearches(ctx) == nil }

// SavedSearch returns the saved search with handle. ENOTFOUND, a deleted
// one too.
func (s *Service) SavedSearch(ctx context.Context, handle string) (*SavedSearch, error) {
	if ValidateHandle(handle) != nil {
		return nil, Errorf(ENOTFOUND, "no such topic")
	}
	ss, err := s.store.FindSavedSearch(ctx, handle)
	if err != nil {
		return nil, err
	}
	if ss.DeletedAt != nil {
		return nil, Errorf(ENOTFOUND, "no such topic")
	}
	return ss, nil
}

// SavedSearchHandleTaken reports whether a saved search, live or deleted,
// holds handle.
func (s *Service) SavedSearchHandleTaken(ctx context.Context, handle string) (bool, error) {
	_, err := s.store.FindSavedSearch(ctx, handle)
	switch ErrorCode(err) {
	case "":
		return true, nil
	case ENOTFOUND:
		return false, nil
	}
	return false, err
}

// SavedSearches returns every saved search that is not deleted, by handle.
func (s *Service) SavedSearches(ctx context.Context) ([]*SavedSearch, error) {
	return s.store.ListSavedSearches(ctx)
}

// CreateSavedSearch validates and stores a new saved search.
// EINVALID, ECONFLICT (the handle is taken), EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreateSavedSearch(ctx context.Context, ss *SavedSearch) error {
	if err := s.canSaveSearches(ctx); err != nil {
		return err
	}
	ss.ID, ss.DeletedAt = 0, nil
	if err := ss.Validate(); err != nil {
		return err
	}
	now := s.now()
	ss.CreatedAt, ss.UpdatedAt = now, now
	err := s.store.CreateSavedSearch(ctx, ss)
	if ErrorCode(err) == ECONFLICT {
		return handleTaken(ss.Handle, err)
	}
	return err
}

func handleTaken(handle string, err error) error {
	return &Error{Code: ECONFLICT, Message: "handle is taken", Err: err,
		Fields: []FieldError{{Field: "handle", Rule: "unique", Message: fmt.Sprintf("%q is already taken", handle)}}}
}

// UpdateSavedSearch replaces the search and words of the saved search
// handle with those of u; the handle stays. Its followers get the new
// profile. ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) UpdateSavedSearch(ctx context.Context, handle string, u *SavedSearch) (*SavedSearch, error) {
	if err := s.canSaveSearches(ctx); err != nil {
		return nil, err
	}
	old, err := s.SavedSearch(ctx, handle)
	if err != nil {
		return nil, err
	}
	next := *u
	next.ID, next.Handle, next.CreatedAt, next.DeletedAt = old.ID, old.Handle, old.CreatedAt, nil
	if err := next.Validate(); err != nil {
		return nil, err
	}
	next.UpdatedAt = s.now()
	ev := Event{Type: EventActorUpdated, Actor: SavedSearchActorKey(handle), At: next.UpdatedAt}
	if err := s.store.UpdateSavedSearch(ctx, &next, ev); err != nil {
		return nil, err
	}
	return &next, nil
}

// DeleteSavedSearch deletes the saved search handle: it stops announcing,
// its followers are sent a Delete of the actor, and its handle stays
// taken. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DeleteSavedSearch(ctx context.Context, handle string) error {
	if err := s.canSaveSearches(ctx); err != nil {
		return err
	}
	if _, err := s.SavedSearch(ctx, handle); err != nil {
		return err
	}
	return s.store.DeleteSavedSearch(ctx, handle,
		Event{Type: EventSavedSearchDeleted, Actor: SavedSearchActorKey(handle), At: s.now()})
}

// matchWindow is how many of an enterprise's newest open listings a
// saved search looks through for a new one: the listing is new, so it is
// among the first.
const matchWindow = 50

// SavedSearchesMatching returns the saved searches that find listing l:
// the directory's own search runs, narrowed to l's enterprise, so a topic
// matches exactly what its page shows. A listing created before a saved
// search was is not new to it (a partner's backfill brings old ones).
func (s *Service) SavedSearchesMatching(ctx context.Context, l *Listing) ([]*SavedSearch, error) {
	all, err := s.store.ListSavedSearches(ctx)
	if err != nil {
		return nil, err
	}
	var out []*SavedSearch
	for _, ss := range all {
		// Partners' documents give times to the second: a listing of the
		// topic's own second is new to it.
		if l.CreatedAt.Before(ss.CreatedAt.Truncate(time.Second)) || (ss.Type != "" && ss.Type != l.Type) ||
			(len(ss.Categories) > 0 && !slices.Contains(ss.Categories, l.Category)) {
			continue
		}
		ok, err := s.savedSearchFinds(ctx, ss, l)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, ss)
		}
	}
	return out, nil
}

func (s *Service) savedSearchFinds(ctx context.Context, ss *SavedSearch, l *Listing) (bool, error) {
	q := ss.Query(Page{Page: 1, PerPage: matchWindow})
	q.Enterprise = l.EnterpriseHandle
	res, err := s.SearchListings(ctx, q)
	if err != nil {
		return false, err
	}
	for _, it := range res.Items {
		if it.ID == l.ID {
			return true, nil
		}
	}
	return false, nil
}
