package exchange

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// Importer is what Import needs of the directory: *directory.Service.
type Importer interface {
	ImportParsed(ctx context.Context, rows []directory.ParsedRow, opt directory.ImportOptions) (*directory.ImportResult, error)
}

var _ Importer = (*directory.Service)(nil)

// Import hands rows to the directory, which checks every one and stores
// them in one transaction. The result lists every bad row, in line order,
// also when the error is EINVALID because nothing was imported: one bad row
// without SkipInvalid, or every row bad with it. Any other error comes
// without a result.
func Import(ctx context.Context, dir Importer, rows []directory.ParsedRow, opt directory.ImportOptions) (*directory.ImportResult, error) {
	res, err := dir.ImportParsed(ctx, rows, opt)
	if err != nil && (res == nil || directory.ErrorCode(err) != directory.EINVALID) {
		return nil, err
	}
	if err == nil && len(res.Invalid) > 0 && len(res.Invalid) == len(rows) {
		err = directory.Errorf(directory.EINVALID, "all %d rows are invalid; nothing was imported", len(rows))
	}
	return res, err
}

// Report writes every bad row, in line order, one line per problem:
// FILE:LINE: handle: field: message, the row's fields in the order of the
// format's columns and named as the format names them (lat in CSV,
// location.lat in JSON). A row without a handle shows "(no handle)"; a row
// refused as a whole (a handle used twice) is FILE:LINE: handle: message.
func Report(w io.Writer, file string, f Format, bad []directory.RowError) error {
	bad = slices.Clone(bad)
	slices.SortStableFunc(bad, func(x, y directory.RowError) int { return x.Line - y.Line })
	for _, r := range bad {
		handle := r.Handle
		if handle == "" {
			handle = "(no handle)"
		}
		if len(r.Fields) == 0 {
			if _, err := fmt.Fprintf(w, "%s:%d: %s: %s\n", file, r.Line, handle, oneLine(r.Message)); err != nil {
				return err
			}
			continue
		}
		fields := slices.Clone(r.Fields)
		slices.SortStableFunc(fields, func(x, y directory.FieldError) int { return fieldRank(x.Field) - fieldRank(y.Field) })
		for _, fe := range fields {
			name := fe.Field
			if f == CSV {
				name = csvField(name)
			}
			if _, err := fmt.Fprintf(w, "%s:%d: %s: %s: %s\n", file, r.Line, handle, name, oneLine(fe.Message)); err != nil {
				return err
			}
		}
	}
	return nil
}

// fieldRank orders the problems of a row: those of the whole row first,
// then the fields in column order, then any other field (an unknown one).
func fieldRank(field string) int {
	switch field {
	case "row", "element":
		return -1
	case "location": // the whole location, in JSON
		field = "address"
	}
	if i := slices.Index(Columns, csvField(field)); i >= 0 {
		return i
	}
	return len(Columns)
}

// oneLine folds a message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
