package directory

import (
	"cmp"
	"context"
	"fmt"
	"reflect"
)

// Enterprise returns the local enterprise with this handle. ENOTFOUND.
func (s *Service) Enterprise(ctx context.Context, handle string) (*Enterprise, error) {
	return s.store.FindEnterprise(ctx, "", handle)
}

// CreateEnterprise validates and stores a new local enterprise (admins only).
// EINVALID, ECONFLICT, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) CreateEnterprise(ctx context.Context, e *Enterprise) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	now := s.now()
	e.Origin, e.RemoteID, e.RemoteURL = "", "", ""
	if err := e.Validate(now); err != nil {
		return err
	}
	if err := checkLogoChange("", e.Logo); err != nil {
		return err
	}
	// Topics (saved searches) share the namespace of handles.
	if taken, err := s.SavedSearchHandleTaken(ctx, e.Handle); err != nil || taken {
		return cmp.Or(err, handleTaken(e.Handle, nil))
	}
	e.SummaryHTML = s.render(e.Summary)
	s.renderTranslations(e.Translations)
	e.CreatedAt, e.UpdatedAt = now, now
	err := s.store.CreateEnterprise(ctx, e, Event{Type: EventEnterpriseCreated, EnterpriseHandle: e.Handle, At: now})
	if ErrorCode(err) == ECONFLICT {
		return &Error{Code: ECONFLICT, Message: "handle is taken",
			Fields: []FieldError{{Field: "handle", Rule: "unique", Message: fmt.Sprintf("%q is already taken", e.Handle)}}}
	}
	return err
}

// UpdateEnterprise changes the set fields of a local enterprise.
// ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) UpdateEnterprise(ctx context.Context, handle string, u EnterpriseUpdate) (*Enterprise, error) {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, err
	}
	if err := canEdit(ctx, e); err != nil {
		return nil, err
	}
	oldLogo := e.Logo
	u.Apply(e)
	now := s.now()
	if err := e.Validate(now); err != nil {
		return nil, err
	}
	if err := checkLogoChange(oldLogo, e.Logo); err != nil {
		return nil, err
	}
	e.SummaryHTML = s.render(e.Summary)
	s.renderTranslations(e.Translations)
	e.UpdatedAt = now
	if err := s.store.UpdateEnterprise(ctx, e, Event{Type: EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: now}); err != nil {
		return nil, err
	}
	return e, nil
}

// checkLogoChange refuses to point a logo at a stored image by hand: stored
// logos are set by SetEnterpriseLogo, which owns (and later deletes) them.
func checkLogoChange(old, logo string) error {
	if _, stored := StoredImageID(logo); stored && logo != old {
		return &Error{Code: EINVALID, Message: "invalid enterprise",
			Fields: []FieldError{{Field: "logo", Rule: "upload", Message: "upload a logo instead of naming a stored one"}}}
	}
	return nil
}

// DeleteEnterprise removes a local enterprise with its listings and
// announcements (admins only). ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) DeleteEnterprise(ctx context.Context, handle string) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return err
	}
	return s.store.DeleteEnterprise(ctx, e.ID, Event{Type: EventEnterpriseDeleted, EnterpriseHandle: e.Handle, At: s.now()})
}

// SearchEnterprises validates q and runs it. EINVALID.
func (s *Service) SearchEnterprises(ctx context.Context, q EnterpriseQuery) (*EnterprisePage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	page, err := s.store.SearchEnterprises(ctx, q)
	if err != nil || !q.Suggest {
		return page, err
	}
	page.Suggestion, err = s.suggest(ctx, q.Text, page.Total, func(ctx context.Context, text string) (int, error) {
		c := q
		c.Text, c.Suggest, c.CountCap, c.Page = text, false, suggestCountCap, Page{Page: 1, PerPage: 1}
		p, err := s.store.SearchEnterprises(ctx, c)
		if err != nil {
			return 0, err
		}
		return p.Total, nil
	})
	return page, err
}

// ImportRow is one enterprise read from an import file, with the line (or
// record number) it came from.
type ImportRow struct {
	Line       int
	Enterprise *Enterprise
}

// RowError says why one import row was refused.
type RowError struct {
	Line    int          `json:"line"`
	Kind    string       `json:"kind,omitempty"` // RowListing, RowAnnouncement, RowLogo; "" for an enterprise
	Key     string       `json:"key,omitempty"`  // of a listing or an announcement; a logo's id
	Handle  string       `json:"handle,omitempty"`
	Message string       `json:"message"`
	Fields  []FieldError `json:"fields,omitempty"`
}

// ImportOptions tune ImportEnterprises.
type ImportOptions struct {
	SkipInvalid bool                  // import the good rows even when some are bad
	Progress    func(done, total int) // called as rows are checked, if set
}

// ImportResult counts what an import did.
type ImportResult struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// The other kinds of a whole-directory import (ImportDirectory).
	Listings      ImportCounts `json:"listings"`
	Announcements ImportCounts `json:"announcements"`
	Logos         ImportCounts `json:"logos"`
	Invalid       []RowError   `json:"invalid,omitempty"`
}

// ImportEnterprises validates every row, then creates new handles and updates
// existing ones in one transaction; rows equal to what is stored are left
// alone, so importing the same file twice changes nothing. Unless
// SkipInvalid is set, one bad row means nothing is imported and the error is
// EINVALID with every bad row in the result. Admins only.
func (s *Service) ImportEnterprises(ctx context.Context, rows []ImportRow, opt ImportOptions) (*ImportResult, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	now := s.now()
	res := &ImportResult{}
	var creates, updates []*Enterprise
	seen := map[string]int{}
	for i, r := range rows {
		if opt.Progress != nil {
			opt.Progress(i+1, len(rows))
		}
		e := r.Enterprise
		if err := e.Validate(now); err != nil {
			res.Invalid = append(res.Invalid, RowError{Line: r.Line, Handle: e.Handle, Message: ErrorMessage(err), Fields: ErrorFields(err)})
			continue
		}
		if first, dup := seen[e.Handle]; dup {
			res.Invalid = append(res.Invalid, RowError{Line: r.Line, Handle: e.Handle,
				Message: fmt.Sprintf("handle %q is already used on line %d", e.Handle, first)})
			continue
		}
		seen[e.Handle] = r.Line
		e.Origin, e.RemoteID, e.RemoteURL = "", "", ""
		e.SummaryHTML = s.render(e.Summary)
		s.renderTranslations(e.Translations)
		old, err := s.store.FindEnterprise(ctx, "", e.Handle)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			e.CreatedAt, e.UpdatedAt = now, now
			creates = append(creates, e)
		case err != nil:
			return nil, err
		case sameContent(old, e):
			res.Unchanged++
		default:
			e.ID, e.CreatedAt, e.UpdatedAt = old.ID, old.CreatedAt, now
			updates = append(updates, e)
		}
	}
	if len(res.Invalid) > 0 && !opt.SkipInvalid {
		res.Unchanged = 0
		return res, &Error{Code: EINVALID, Message: fmt.Sprintf("%d of %d rows are invalid; nothing was imported", len(res.Invalid), len(rows))}
	}
	if err := s.store.ImportEnterprises(ctx, creates, updates, now); err != nil {
		return nil, err
	}
	res.Created, res.Updated = len(creates), len(updates)
	return res, nil
}

// sameContent compares what an import can set, ignoring ids and times.
func sameContent(a, b *Enterprise) bool {
	x, y := *a, *b
	x.ID, y.ID = 0, 0
	x.CreatedAt, x.UpdatedAt = y.CreatedAt, y.UpdatedAt
	return reflect.DeepEqual(x, y)
}
