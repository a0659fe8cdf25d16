package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

// maxImportSize bounds an import file.
const maxImportSize = 64 << 20

func (a *App) importCmd(ctx context.Context, args []string) error {
	fs := a.newFlags("import", "coopdir import [--format csv|json] [--skip-invalid] FILE",
		"Creates and updates local enterprises from a CSV or JSON file (- reads standard input).\n"+
			"Every bad row is reported as FILE:LINE: handle: field: message. Without --skip-invalid\n"+
			"one bad row means nothing is imported (exit 2); with it the good rows are imported.")
	var flagFormat, dsn string
	var skip bool
	fs.StringVar(&flagFormat, "format", "", "`FORMAT`: csv or json (default: from the file's extension)")
	fs.BoolVar(&skip, "skip-invalid", false, "import the valid rows even when some are invalid")
	fs.databaseFlag(&dsn)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	path := pos[0]
	format, err := importFormat(path, flagFormat)
	if err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	name, data, err := a.readInput(path)
	if err != nil {
		return err
	}
	rows, err := exchange.Read(name, format, data)
	if err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		return a.runImport(ctx, svc, name, format, rows, skip)
	})
}

// importFormat returns the format --format names, else the one the file's
// extension says.
func importFormat(path, format string) (exchange.Format, error) {
	switch f := exchange.Format(format); {
	case f.Valid():
		return f, nil
	case format != "":
		return "", usageErrorf("--format: %q is not csv or json", format)
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		return exchange.CSV, nil
	case ".json":
		return exchange.JSON, nil
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

// runImport hands the rows to the directory and reports the outcome: every
// bad row on stderr, then the counts or the reason nothing was imported.
func (a *App) runImport(ctx context.Context, svc *directory.Service, name string, format exchange.Format, rows []directory.ParsedRow, skip bool) error {
	bar := a.progress()
	res, err := exchange.Import(ctx, svc, rows, directory.ImportOptions{SkipInvalid: skip, Progress: bar.update})
	bar.finish()
	if res == nil {
		return err
	}
	if err := exchange.Report(a.Stderr, name, format, res.Invalid); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "created %d, updated %d, unchanged %d, skipped %d\n", res.Created, res.Updated, res.Unchanged, len(res.Invalid))
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
