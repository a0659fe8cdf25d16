package main

import (
	"context"
	"os"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/instance"
)

func (a *App) backup(ctx context.Context, args []string) error {
	fs := a.newFlags("backup", "coopdir backup [--database DSN] FILE",
		"Writes a consistent copy of a SQLite database to the new file FILE, also while\n"+
			"serve is running (VACUUM INTO reads one snapshot; writes go on meanwhile).\n"+
			"To restore, stop serve and put FILE in place of the database file (README).\n"+
			"A PostgreSQL database is backed up with pg_dump instead (docs/CLI.md).")
	var dsn string
	fs.databaseFlag(&dsn)
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	engine, path, err := instance.ParseDSN(dsn)
	if err != nil {
		return usageError(err)
	}
	if engine != instance.SQLite {
		return inputErrorf("coopdir backup copies SQLite databases only: back up PostgreSQL with pg_dump " +
			"(pg_dump --format=custom --file=coopdir.dump \"$DATABASE_URL\") and restore it with pg_restore; see docs/CLI.md")
	}
	dest := pos[0]
	if _, err := os.Stat(path); err != nil {
		return inputErrorf("database %s: %v", path, err)
	}
	if _, err := os.Lstat(dest); err == nil {
		return inputErrorf("%s exists: the backup goes into a new file", dest)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Backup(directory.AsSystem(ctx), dest); err != nil {
		return err
	}
	return nil
}
