package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

func (a *App) export(ctx context.Context, args []string) error {
	fs := a.newFlags("export", "coopdir export [--format json|csv|sea-csv] [--out PATH]",
		"Writes the whole local directory: enterprises, listings, announcements and logos.\n"+
			"JSON (the default) is one versioned file, to standard output or --out FILE.\n"+
			"CSV with --out DIR writes one table per file into the new folder DIR\n"+
			"(enterprises.csv, listings.csv, announcements.csv, logos.csv); CSV without\n"+
			"--out writes the enterprises table only, to standard output. sea-csv writes the\n"+
			"enterprises as the Solidarity Economy Association's standard CSV with ESSGlobal\n"+
			"terms (docs/SEA.md). Import reads all of these back (docs/CLI.md describes them).")
	var format, dsn, out string
	fs.StringVar(&format, "format", "json", "`FORMAT`: json, csv or sea-csv")
	fs.StringVar(&out, "out", "", "write to `PATH` (a file for json and sea-csv, a new folder for csv) instead of standard output")
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	f := exchange.Format(format)
	if !f.Valid() {
		return usageErrorf("--format: %q is not json, csv or sea-csv", format)
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	if f == exchange.CSV && out != "" {
		if err := os.Mkdir(out, 0o750); err != nil {
			return inputErrorf("--out: %v (CSV tables go into a new folder)", err)
		}
		return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
			open := func(name string) (io.WriteCloser, error) {
				return os.OpenFile(filepath.Join(out, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
			}
			return exchange.ExportTables(ctx, open, svc)
		})
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		return a.exportTo(ctx, svc, f, out)
	})
}

// exportTo writes one file of format f to path, or to standard output
// when path is "".
func (a *App) exportTo(ctx context.Context, svc *directory.Service, f exchange.Format, path string) error {
	var dst io.Writer = a.Stdout
	var file *os.File
	if path != "" {
		var err error
		if file, err = os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640); err != nil {
			return inputErrorf("--out: %v", err)
		}
		dst = file
	}
	w := bufio.NewWriter(dst)
	err := exchange.Export(ctx, w, svc, f)
	if err == nil {
		err = w.Flush()
	}
	if file != nil {
		err = errors.Join(err, file.Close())
	}
	return err
}
