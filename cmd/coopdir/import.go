package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

// maxImportSize bounds an import file.
const maxImportSize = 64 << 20

func (a *App) importCmd(ctx context.Context, args []string) error {
	fs := a.newFlags("import", "coopdir import [--format csv|json] [--skip-invalid] FILE",
		"Creates and updates local enterprises from a CSV or JSON file (- reads standard input).\n"+
			"Every bad row is reported as FILE:LINE: handle: field: message. Without --skip-invalid\n"+
			"one bad row means nothing is imported (exit 2); with it the good rows are imported.")
	var format, dsn string
	var skip bool
	fs.StringVar(&format, "format", "", "`FORMAT`: csv or json (default: from the file's extension)")
	fs.BoolVar(&skip, "skip-invalid", false, "import the valid rows even when some are invalid")
	fs.databaseFlag(&dsn)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	path := pos[0]
	if format, err = importFormat(path, format); err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	name, data, err := a.readInput(path)
	if err != nil {
		return err
	}
	rows, err := parseImport(name, format, data)
	if err != nil {
		return err
	}
	return withDatabase(ctx, dsn, func(ctx context.Context, db instance.Database, svc *directory.Service) error {
		return a.runImport(ctx, db, svc, name, format, rows, skip)
	})
}

func importFormat(path, format string) (string, error) {
	switch format {
	case "csv", "json":
		return format, nil
	case "":
	default:
		return "", usageErrorf("--format: %q is not csv or json", format)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return "csv", nil
	case ".json":
		return "json", nil
	}
	if path == "-" {
		return "", usageErrorf("--format csv or --format json is needed to read standard input")
	}
	return "", usageErrorf("cannot tell the format of %q from its extension: pass --format csv or --format json", path)
}

// readInput reads the file at path ("-": standard input) and returns the
// name to use in messages.
func (a *App) readInput(path string) (string, []byte, error) {
	name, r := path, a.Stdin
	if path == "-" {
		name = "<stdin>"
	} else {
		f, err := os.Open(path)
		if err != nil {
			return "", nil, inputErrorf("%v", err)
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxImportSize+1))
	if err != nil {
		return "", nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > maxImportSize {
		return "", nil, inputErrorf("%s is larger than %d MiB", name, maxImportSize>>20)
	}
	return name, data, nil
}

func parseImport(name, format string, data []byte) ([]parsedRow, error) {
	if format == "csv" {
		return readCSV(name, data)
	}
	return readJSON(name, data)
}

// runImport hands the parsed rows to the Service and reports the outcome.
// Rows that failed to parse are never imported; when there are some and
// --skip-invalid is off, the rest is still checked (a dry run) so that every
// bad row of the file is reported at once.
func (a *App) runImport(ctx context.Context, db directory.Store, svc *directory.Service, name, format string, rows []parsedRow, skip bool) error {
	var good []directory.ImportRow
	var bad []directory.RowError
	for _, r := range rows {
		if len(r.errs) > 0 {
			bad = append(bad, directory.RowError{Line: r.line, Handle: strings.TrimSpace(r.e.Handle),
				Message: "invalid enterprise", Fields: r.errs})
			continue
		}
		good = append(good, directory.ImportRow{Line: r.line, Enterprise: r.e})
	}
	bar := a.progress()
	opt := directory.ImportOptions{SkipInvalid: skip, Progress: bar.update}
	target := svc
	if len(bad) > 0 && !skip {
		target = newService(dryRunStore{db})
		target.Now, target.Defaults = svc.Now, svc.Defaults
	}
	res, err := target.ImportEnterprises(ctx, good, opt)
	bar.finish()
	if err != nil && (res == nil || directory.ErrorCode(err) != directory.EINVALID) {
		return err
	}
	bad = append(bad, res.Invalid...)
	a.reportRows(name, format, bad)
	switch {
	case len(bad) > 0 && !skip:
		return inputErrorf("%d of %d rows are invalid; nothing was imported", len(bad), len(rows))
	case len(bad) > 0 && len(bad) == len(rows):
		return inputErrorf("all %d rows are invalid; nothing was imported", len(rows))
	}
	fmt.Fprintf(a.Stdout, "created %d, updated %d, unchanged %d, skipped %d\n", res.Created, res.Updated, res.Unchanged, len(bad))
	return nil
}

// reportRows prints every bad row, in file order, one line per broken field:
// FILE:LINE: handle: field: message.
func (a *App) reportRows(name, format string, bad []directory.RowError) {
	slices.SortStableFunc(bad, func(x, y directory.RowError) int { return x.Line - y.Line })
	for _, r := range bad {
		handle := r.Handle
		if handle == "" {
			handle = "(no handle)"
		}
		if len(r.Fields) == 0 {
			fmt.Fprintf(a.Stderr, "%s:%d: %s: %s\n", name, r.Line, handle, oneLine(r.Message))
			continue
		}
		for _, f := range r.Fields {
			field := f.Field
			if format == "csv" {
				field = csvField(field)
			}
			fmt.Fprintf(a.Stderr, "%s:%d: %s: %s: %s\n", name, r.Line, handle, field, oneLine(f.Message))
		}
	}
}

// dryRunStore lets the Service check an import in full without writing it.
type dryRunStore struct{ directory.Store }

func (dryRunStore) ImportEnterprises(context.Context, []*directory.Enterprise, []*directory.Enterprise, time.Time) error {
	return nil
}

// progressBar shows the checking of a long import when stderr is a terminal;
// its zero value (no terminal) does nothing.
type progressBar struct {
	w   io.Writer
	bar *progressbar.ProgressBar
}

func (a *App) progress() *progressBar {
	if _, ok := terminalFD(a.Stderr); !ok {
		return &progressBar{}
	}
	return &progressBar{w: a.Stderr}
}

func (p *progressBar) update(done, total int) {
	if p.w == nil {
		return
	}
	if p.bar == nil {
		p.bar = progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w),
			progressbar.OptionSetDescription("checking rows"), progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100*time.Millisecond))
	}
	_ = p.bar.Set(done)
}

func (p *progressBar) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
	}
}
