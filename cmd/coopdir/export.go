package main

import (
	"bufio"
	"context"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

func (a *App) export(ctx context.Context, args []string) error {
	fs := a.newFlags("export", "coopdir export [--format json|csv]",
		"Writes every local enterprise, ordered by handle, to standard output in the format\n"+
			"import reads: JSON (an indented array) or CSV (the import columns).")
	var format, dsn string
	fs.StringVar(&format, "format", "json", "`FORMAT`: json or csv")
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if !exchange.Format(format).Valid() {
		return usageErrorf("--format: %q is not json or csv", format)
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		w := bufio.NewWriter(a.Stdout)
		if err := exchange.Export(ctx, w, svc, exchange.Format(format)); err != nil {
			return err
		}
		return w.Flush()
	})
}
