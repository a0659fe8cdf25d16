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
	ImportDirectory(ctx context.Context, d *directory.DirectoryRows, opt directory.ImportOptions) (*directory.ImportResult, error)
}

var _ Importer = (*directory.Service)(nil)

// Import hands enterprise rows to the directory (see ImportDirectory).
func Import(ctx context.Context, dir Importer, rows []directory.ParsedRow, opt directory.ImportOptions) (*directory.ImportResult, error) {
	return ImportDirectory(ctx, dir, &directory.DirectoryRows{Enterprises: rows}, opt)
}

// ImportDirectory hands what was read to the directory, which checks every
// row and stores them in one transaction. The result lists every bad row,
// also when the error is EINVALID because nothing was imported: one bad
// row without SkipInvalid, or every row bad with it. Any other error comes
// without a result.
func ImportDirectory(ctx context.Context, dir Importer, d *directory.DirectoryRows, opt directory.ImportOptions) (*directory.ImportResult, error) {
	res, err := dir.ImportDirectory(ctx, d, opt)
	if err != nil && (res == nil || directory.ErrorCode(err) != directory.EINVALID) {
		return nil, err
	}
	n := len(d.Enterprises) + len(d.Listings) + len(d.Announcements) + len(d.Logos)
	if err == nil && len(res.Invalid) > 0 && len(res.Invalid) == n {
		err = directory.Errorf(directory.EINVALID, "all %d rows are invalid; nothing was imported", n)
	}
	return res, err
}

// Report writes every bad row of a file, as ReportFiles does.
func Report(w io.Writer, file string, f Format, bad []directory.RowError) error {
	return ReportFiles(w, func(string) string { return file }, f, bad)
}

// ReportFiles writes every bad row, by kind and line, one line per
// problem: FILE:LINE: subject: field: message, where FILE is file(kind)
// and the subject is the enterprise's handle, "listing HANDLE/KEY",
// "announcement HANDLE/KEY" or "logo ID". The row's fields come in the
// order of the format's columns, named as the format names them (lat in
// CSV, location.lat in JSON, Latitude in SEA CSV). A row refused as a whole (a handle used
// twice) is FILE:LINE: subject: message.
func ReportFiles(w io.Writer, file func(kind string) string, f Format, bad []directory.RowError) error {
	bad = slices.Clone(bad)
	slices.SortStableFunc(bad, func(x, y directory.RowError) int {
		if c := kindRank(x.Kind) - kindRank(y.Kind); c != 0 {
			return c
		}
		return x.Line - y.Line
	})
	for _, r := range bad {
		subject := rowSubject(r)
		if len(r.Fields) == 0 {
			if _, err := fmt.Fprintf(w, "%s:%d: %s: %s\n", file(r.Kind), r.Line, subject, oneLine(r.Message)); err != nil {
				return err
			}
			continue
		}
		cols := kindColumns(r.Kind)
		rank := func(field string) int { return fieldRank(cols, field) }
		if f == SEACSV {
			rank = seaFieldRank
		}
		fields := slices.Clone(r.Fields)
		slices.SortStableFunc(fields, func(x, y directory.FieldError) int { return rank(x.Field) - rank(y.Field) })
		for _, fe := range fields {
			name := fe.Field
			switch f {
			case CSV:
				name = csvField(name)
			case SEACSV:
				name = seaField(name)
			}
			if _, err := fmt.Fprintf(w, "%s:%d: %s: %s: %s\n", file(r.Kind), r.Line, subject, name, oneLine(fe.Message)); err != nil {
				return err
			}
		}
	}
	return nil
}

func rowSubject(r directory.RowError) string {
	or := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	switch r.Kind {
	case directory.RowListing, directory.RowAnnouncement:
		return r.Kind + " " + or(r.Handle, "(no enterprise)") + "/" + or(r.Key, "(no key)")
	case directory.RowLogo:
		return "logo " + or(r.Key, "(no id)")
	}
	return or(r.Handle, "(no handle)")
}

// TableFile is the CSV table the rows of kind come from.
func TableFile(kind string) string {
	return Tables[kindRank(kind)]
}

// kindRank orders the kinds as the tables are.
func kindRank(kind string) int {
	switch kind {
	case directory.RowListing:
		return 1
	case directory.RowAnnouncement:
		return 2
	case directory.RowLogo:
		return 3
	}
	return 0
}

func kindColumns(kind string) []string {
	switch kind {
	case directory.RowListing:
		return ListingColumns
	case directory.RowAnnouncement:
		return AnnouncementColumns
	case directory.RowLogo:
		return LogoColumns
	}
	return Columns
}

// fieldRank orders the problems of a row: those of the whole row first,
// then the fields in column order, then any other field (an unknown one).
func fieldRank(cols []string, field string) int {
	switch field {
	case "row", "element":
		return -1
	case "location": // the whole location, in JSON
		field = "address"
	}
	if i := slices.Index(cols, csvField(field)); i >= 0 {
		return i
	}
	return len(cols)
}

// oneLine folds a message onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
