package directory

import "context"

// ListingMatchesShown is how many matches a listing's page shows.
const ListingMatchesShown = 5

// ListingMatches returns the best matches of listing id (at most limit),
// for anyone to see. ENOTFOUND.
func (s *Service) ListingMatches(ctx context.Context, id int64, limit int) ([]*Match, error) {
	return s.store.ListingMatches(ctx, id, s.today(), limit)
}

// EnterpriseMatches returns a page of the matches of the local enterprise
// handle's listings, for its editors and the admins, with New set on those
// they had not seen, and marks them all seen. ENOTFOUND, EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) EnterpriseMatches(ctx context.Context, handle string, p Page) ([]*Match, int, error) {
	e, err := s.editableEnterprise(ctx, handle)
	if err != nil {
		return nil, 0, err
	}
	ms, total, err := s.store.EnterpriseMatches(ctx, e.ID, s.today(), p)
	if err != nil {
		return nil, 0, err
	}
	return ms, total, s.store.MarkMatchesSeen(ctx, e.ID)
}

// NewMatches counts the matches of the local enterprise handle's listings
// that its editors have not seen. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) NewMatches(ctx context.Context, handle string) (int, error) {
	e, err := s.editableEnterprise(ctx, handle)
	if err != nil {
		return 0, err
	}
	return s.store.NewMatches(ctx, e.ID, s.today())
}

// DismissMatch dismisses match id of a listing of the local enterprise
// handle for good: it is not shown again and a later matching does not
// bring it back. The enterprise's editors and the admins may. A match of
// none of handle's listings is ENOTFOUND. ENOTFOUND, EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) DismissMatch(ctx context.Context, handle string, id int64) error {
	e, err := s.editableEnterprise(ctx, handle)
	if err != nil {
		return err
	}
	m, err := s.store.FindMatch(ctx, id)
	if err != nil {
		return err
	}
	if m.Need.EnterpriseID != e.ID && m.Offer.EnterpriseID != e.ID {
		return Errorf(ENOTFOUND, "match not found")
	}
	return s.store.DismissMatch(ctx, id, s.now())
}

// MatchPending matches up to limit listings waiting for it (written or
// imported since they were last matched) and returns how many it matched.
// The instance runs it in the background.
func (s *Service) MatchPending(ctx context.Context, limit int) (int, error) {
	return s.store.MatchPending(ctx, limit, s.today(), s.now())
}

// today is the current day, the expiry cut-off of queries.
func (s *Service) today() string { return s.now().Format(DateLayout) }
