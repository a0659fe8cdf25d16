package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
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
	if wantsMurmurations(args) {
		return a.importMurmurations(ctx, args)
	}
	fs := a.newFlags("import", "coopdir import [--format csv|json] [--skip-invalid] PATH",
		"Creates and updates local enterprises, their listings, announcements and logos from\n"+
			"a JSON export (either version), a CSV file of enterprises, or a folder of CSV tables\n"+
			"as export --format csv --out DIR writes them (- reads standard input). Every problem\n"+
			"of every bad row is reported as FILE:LINE: subject: field: message. Without\n"+
			"--skip-invalid one bad row means nothing is imported (exit 2); with it the good\n"+
			"rows are imported. Importing the same file again changes nothing.\n"+
			"With --from-murmurations INDEX it imports from a Murmurations index: see coopdir import\n"+
			"--from-murmurations x -h.")
	var flagFormat, dsn string
	var skip bool
	fs.StringVar(&flagFormat, "format", "", "`FORMAT`: csv, json or sea-csv (default: from the file's extension; a folder is csv)")
	fs.BoolVar(&skip, "skip-invalid", false, "import the valid rows even when some are invalid")
	fs.databaseFlag(&dsn)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	path := pos[0]
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		if flagFormat != "" && flagFormat != string(exchange.CSV) {
			return usageErrorf("--format: a folder holds CSV tables, not %q", flagFormat)
		}
		return a.importTables(ctx, dsn, path, skip)
	}
	format, err := importFormat(path, flagFormat)
	if err != nil {
		return err
	}
	name, data, err := a.readInput(path)
	if err != nil {
		return err
	}
	d, err := exchange.ReadDirectory(name, format, data)
	if err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		return a.runImport(ctx, svc, func(string) string { return name }, format, d, skip)
	})
}

// importTables imports the CSV tables of folder dir.
func (a *App) importTables(ctx context.Context, dsn, dir string, skip bool) error {
	files := map[string][]byte{}
	for _, t := range exchange.Tables {
		path := filepath.Join(dir, t)
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			continue
		}
		_, data, err := a.readInput(path)
		if err != nil {
			return err
		}
		files[t] = data
	}
	if len(files) == 0 {
		return inputErrorf("%s holds none of the tables %s", dir, strings.Join(exchange.Tables, ", "))
	}
	d, err := exchange.ReadCSVTables(dir, files)
	if err != nil {
		return err
	}
	name := func(kind string) string { return filepath.Join(dir, exchange.TableFile(kind)) }
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		return a.runImport(ctx, svc, name, exchange.CSV, d, skip)
	})
}

// importFormat returns the format --format names, else the one the file's
// extension says.
func importFormat(path, format string) (exchange.Format, error) {
	switch f := exchange.Format(format); {
	case f.Valid():
		return f, nil
	case format != "":
		return "", usageErrorf("--format: %q is not csv, json or sea-csv", format)
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
func (a *App) runImport(ctx context.Context, svc *directory.Service, file func(string) string, format exchange.Format, d *directory.DirectoryRows, skip bool) error {
	bar := a.progress()
	res, err := exchange.ImportDirectory(ctx, svc, d, directory.ImportOptions{SkipInvalid: skip, Progress: bar.update})
	bar.finish()
	if res == nil {
		return err
	}
	if err := exchange.ReportFiles(a.Stderr, file, format, res.Invalid); err != nil {
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "created %d, updated %d, unchanged %d, skipped %d\n", res.Created, res.Updated, res.Unchanged, len(res.Invalid))
	if len(d.Listings)+len(d.Announcements)+len(d.Logos) > 0 {
		for _, k := range []struct {
			what string
			n    directory.ImportCounts
		}{{"listings", res.Listings}, {"announcements", res.Announcements}, {"logos", res.Logos}} {
			fmt.Fprintf(a.Stdout, "%s: created %d, updated %d, unchanged %d\n", k.what, k.n.Created, k.n.Updated, k.n.Unchanged)
		}
	}
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
