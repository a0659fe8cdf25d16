package directory

import (
	"context"
)

// Listing returns one listing by id. ENOTFOUND.
func (s *Service) Listing(ctx context.Context, id int64) (*Listing, error) {
	return s.store.FindListing(ctx, id)
}

// CreateListing validates and stores a new need or offer of the local
// enterprise handle. A listing without a location of its own takes the
// enterprise's, so that it can be found by distance.
// ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreateListing(ctx context.Context, handle string, l *Listing) error {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return err
	}
	if err := canEdit(ctx, e); err != nil {
		return err
	}
	l.ID, l.EnterpriseID, l.EnterpriseHandle, l.EnterpriseName = 0, e.ID, e.Handle, e.Name
	l.Origin, l.RemoteID, l.RemoteURL = "", "", ""
	if l.Location.Address == "" && !l.Location.HasPoint() {
		l.Location = e.Location
	}
	now := s.now()
	if err := l.ValidateAt(now, ""); err != nil {
		return err
	}
	l.DescriptionHTML = s.render(l.Description)
	s.renderTranslations(l.Translations)
	l.CreatedAt, l.UpdatedAt = now, now
	return s.store.CreateListing(ctx, l, Event{Type: EventListingCreated, EnterpriseHandle: e.Handle, At: now})
}

// editableListing loads listing id and checks that the context may change it.
func (s *Service) editableListing(ctx context.Context, id int64) (*Listing, error) {
	l, err := s.store.FindListing(ctx, id)
	if err != nil {
		return nil, err
	}
	owner := &Enterprise{ID: l.EnterpriseID, Handle: l.EnterpriseHandle, Origin: l.Origin}
	if err := canEdit(ctx, owner); err != nil {
		return nil, err
	}
	return l, nil
}

// UpdateListing changes the set fields of a listing.
// ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) UpdateListing(ctx context.Context, id int64, u ListingUpdate) (*Listing, error) {
	l, err := s.editableListing(ctx, id)
	if err != nil {
		return nil, err
	}
	previous := l.ValidUntil
	u.Apply(l)
	if err := l.ValidateAt(s.now(), previous); err != nil {
		return nil, err
	}
	return l, s.saveListing(ctx, l)
}

// SetListingStatus marks a listing open, fulfilled or withdrawn. Reopening an
// expired listing needs a new valid-until date (UpdateListing) as well.
// ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) SetListingStatus(ctx context.Context, id int64, status Status) (*Listing, error) {
	if !status.Valid() {
		return nil, &Error{Code: EINVALID, Message: "invalid status",
			Fields: []FieldError{{Field: "status", Rule: "enum", Message: "must be open, fulfilled or withdrawn"}}}
	}
	l, err := s.editableListing(ctx, id)
	if err != nil {
		return nil, err
	}
	l.Status = status
	return l, s.saveListing(ctx, l)
}

func (s *Service) saveListing(ctx context.Context, l *Listing) error {
	now := s.now()
	l.DescriptionHTML = s.render(l.Description)
	s.renderTranslations(l.Translations)
	l.UpdatedAt = now
	return s.store.UpdateListing(ctx, l, Event{Type: EventListingUpdated, EnterpriseHandle: l.EnterpriseHandle, ListingID: l.ID, At: now})
}

// DeleteListing removes a listing. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DeleteListing(ctx context.Context, id int64) error {
	l, err := s.editableListing(ctx, id)
	if err != nil {
		return err
	}
	return s.store.DeleteListing(ctx, id, Event{Type: EventListingDeleted, EnterpriseHandle: l.EnterpriseHandle, ListingID: id, At: s.now()})
}

// SearchListings validates q and runs it, with today's date as the expiry
// cut-off. EINVALID.
func (s *Service) SearchListings(ctx context.Context, q ListingQuery) (*ListingPage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	q.Today = s.now().Format(DateLayout)
	page, err := s.store.SearchListings(ctx, q)
	if err != nil || !q.Suggest {
		return page, err
	}
	page.Suggestion, err = s.suggest(ctx, q.Text, page.Total, func(ctx context.Context, text string) (int, error) {
		c := q
		c.Text, c.Suggest, c.CountCap, c.Page = text, false, suggestCountCap, Page{Page: 1, PerPage: 1}
		p, err := s.store.SearchListings(ctx, c)
		if err != nil {
			return 0, err
		}
		return p.Total, nil
	})
	return page, err
}
