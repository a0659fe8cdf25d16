package directory

import (
	"context"
	"slices"
	"strings"
	"time"
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

// ImportParsed imports rows read from a file. Rows without problems go
// through ImportEnterprises. A row with problems is refused with them and
// with every validation error of its other fields, so that one run lists
// every problem of the row. Unless SkipInvalid is set, one bad row means
// nothing is imported: the other rows are still checked in full, every bad
// row is in the result (in line order) and the error is EINVALID. Admins
// only.
func (s *Service) ImportParsed(ctx context.Context, rows []ParsedRow, opt ImportOptions) (*ImportResult, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	var good []ImportRow
	var bad []RowError
	for _, r := range rows {
		if len(r.Problems) == 0 && r.Enterprise != nil {
			good = append(good, ImportRow{Line: r.Line, Enterprise: r.Enterprise})
			continue
		}
		bad = append(bad, s.parsedRowError(r))
	}
	target := s
	if len(bad) > 0 && !opt.SkipInvalid {
		target = s.checkOnly()
	}
	res, err := target.ImportEnterprises(ctx, good, opt)
	if err != nil && (res == nil || ErrorCode(err) != EINVALID) {
		return nil, err
	}
	res.Invalid = append(bad, res.Invalid...)
	slices.SortStableFunc(res.Invalid, func(x, y RowError) int { return x.Line - y.Line })
	if len(res.Invalid) > 0 && !opt.SkipInvalid {
		res.Created, res.Updated, res.Unchanged = 0, 0, 0
		return res, Errorf(EINVALID, "%d of %d rows are invalid; nothing was imported", len(res.Invalid), len(rows))
	}
	return res, nil
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
	for _, f := range ErrorFields(err) {
		if !covered(f.Field, r.Problems) {
			re.Fields = append(re.Fields, f)
		}
	}
	return re
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

// checkOnly returns a Service like s whose store skips the one write of an
// import, so that ImportEnterprises checks every row and stores nothing.
func (s *Service) checkOnly() *Service {
	return &Service{store: checkOnlyStore{s.store}, Now: s.Now, Markdown: s.Markdown,
		Passwords: s.Passwords, Random: s.Random, Defaults: s.Defaults}
}

// checkOnlyStore is a Store whose ImportEnterprises writes nothing.
type checkOnlyStore struct{ Store }

func (checkOnlyStore) ImportEnterprises(context.Context, []*Enterprise, []*Enterprise, time.Time) error {
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
