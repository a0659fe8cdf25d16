package directory

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// ParsedRow is one enterprise as read from an import file: the line it
// starts on, the enterprise (nil when the row held none at all, such as a
// number in a JSON array) and the problems found while reading it, such as
// a latitude that is not a number. A row with problems is never stored.
type ParsedRow struct {
	Line       int
	Enterprise *Enterprise
	Problems   []FieldError
}

// ImportParsed imports enterprises read from a file (a format without
// listings and announcements), as ImportDirectory does.
func (s *Service) ImportParsed(ctx context.Context, rows []ParsedRow, opt ImportOptions) (*ImportResult, error) {
	return s.ImportDirectory(ctx, &DirectoryRows{Enterprises: rows}, opt)
}

// ImportDirectory imports what was read from a file: enterprises (matched
// by handle), their logos (by image id), listings and announcements (by
// enterprise and key). Every row is checked in full: a row with problems
// from reading is refused with them and with every validation error of its
// other fields, so that one run lists every problem of every row. A
// listing or announcement must belong to an enterprise of the file or of
// the directory. Rows equal to what is stored are left alone, so importing
// the same file twice changes nothing. Unless SkipInvalid is set, one bad
// row means nothing is imported: every bad row is in the result (by kind,
// then line) and the error is EINVALID. Everything is written in one
// transaction. Admins only.
func (s *Service) ImportDirectory(ctx context.Context, d *DirectoryRows, opt ImportOptions) (*ImportResult, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	p := newImportPlan(s, d, opt)
	steps := []func(context.Context, *DirectoryRows) error{p.enterprises, p.logos, p.listings, p.announcements}
	for _, step := range steps {
		if err := step(ctx, d); err != nil {
			return nil, err
		}
	}
	res := p.res
	slices.SortStableFunc(res.Invalid, func(x, y RowError) int {
		if c := kindRank(x.Kind) - kindRank(y.Kind); c != 0 {
			return c
		}
		return x.Line - y.Line
	})
	if len(res.Invalid) > 0 && !opt.SkipInvalid {
		*res = ImportResult{Invalid: res.Invalid}
		return res, Errorf(EINVALID, "%d of %d rows are invalid; nothing was imported", len(res.Invalid), d.count())
	}
	b := p.batch
	if err := s.store.ImportDirectory(ctx, b); err != nil {
		return nil, err
	}
	res.Created, res.Updated = len(b.CreateEnterprises), len(b.UpdateEnterprises)
	res.Listings.Created, res.Listings.Updated = len(b.CreateListings), len(b.UpdateListings)
	res.Announcements.Created, res.Announcements.Updated = len(b.CreateAnnouncements), len(b.UpdateAnnouncements)
	res.Logos.Created = len(b.Images)
	return res, nil
}

func kindRank(kind string) int {
	return slices.Index([]string{"", RowListing, RowAnnouncement, RowLogo}, kind)
}

// parsedRowError reports a row with problems: the problems, then what
// validation finds in the fields the problems do not concern (a value that
// failed to parse was left at a placeholder, whose own complaints would only
// repeat the problem).
func (s *Service) parsedRowError(r ParsedRow) RowError {
	re := RowError{Line: r.Line, Message: "invalid enterprise", Fields: slices.Clone(r.Problems)}
	if r.Enterprise == nil {
		return re
	}
	err := r.Enterprise.Validate(s.now())
	re.Handle = r.Enterprise.Handle // trimmed by Validate
	re.Fields = addUncovered(re.Fields, ErrorFields(err))
	return re
}

// addUncovered appends to problems the validation errors of fields that
// no problem concerns.
func addUncovered(problems, invalid []FieldError) []FieldError {
	given := slices.Clone(problems)
	for _, f := range invalid {
		if !covered(f.Field, given) {
			problems = append(problems, f)
		}
	}
	return problems
}

// covered reports whether field, or a field it lies in, has a problem.
func covered(field string, problems []FieldError) bool {
	for _, p := range problems {
		if field == p.Field || strings.HasPrefix(field, p.Field+".") {
			return true
		}
	}
	return false
}

// checkKey checks the key of a listing or an announcement.
func checkKey(key string) *FieldError {
	switch {
	case key == "":
		return &FieldError{Field: "key", Rule: "required", Message: "is required"}
	case len(key) > MaxKeyLength:
		return &FieldError{Field: "key", Rule: "max_length", Message: fmt.Sprintf("must be at most %d bytes", MaxKeyLength)}
	case strings.ContainsFunc(key, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		return &FieldError{Field: "key", Rule: "format", Message: "must not contain spaces or control characters"}
	}
	return nil
}

// ExportEnterprises calls fn for every local enterprise (partners' copies
// excluded), ordered by handle, and stops at fn's first error, which it
// returns. Admins only: it is the whole directory, contacts included.
func (s *Service) ExportEnterprises(ctx context.Context, fn func(*Enterprise) error) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.AllEnterprises(ctx, fn)
}

// ExportDirectory reads the whole local directory from one snapshot:
// enterprises, their listings, announcements and stored logos, in the
// order of ExchangeStore.ExportDirectory. Admins only.
func (s *Service) ExportDirectory(ctx context.Context, sink ExportSink) error {
	if err := requireAdmin(ctx); err != nil {
		return err
	}
	return s.store.ExportDirectory(ctx, sink)
}
