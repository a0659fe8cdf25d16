package main

import (
	"context"
	"fmt"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

// defaultDatabase is the database of a fresh checkout: a SQLite file under
// data/, created on first use.
const defaultDatabase = "sqlite:data/coopdir.db"

// databaseFlag defines --database with its DATABASE_URL fallback.
func (f *flagSet) databaseFlag(p *string) {
	f.stringVar(p, "database", "DATABASE_URL", defaultDatabase,
		"database address `DSN`: postgres://… for PostgreSQL, sqlite:PATH for SQLite")
}

// checkDatabase validates a database address before anything is opened, so
// that a bad scheme is a usage error (exit 2).
func checkDatabase(dsn string) error {
	return usageError(instance.CheckDSN(dsn))
}

// openDB opens and migrates the database at dsn (see instance.OpenDatabase).
func openDB(ctx context.Context, dsn string) (instance.Database, error) {
	db, err := instance.OpenDatabase(ctx, dsn)
	return db, usageError(err)
}

// newService returns the directory's Service over db.
func newService(db directory.Store) *directory.Service { return instance.NewService(db) }

// withService opens the database, runs fn with a Service acting as the
// instance itself, and closes the database.
func withService(ctx context.Context, dsn string, fn func(ctx context.Context, svc *directory.Service) error) error {
	db, err := openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	return fn(directory.AsSystem(ctx), newService(db))
}

func (a *App) migrate(ctx context.Context, args []string) error {
	fs := a.newFlags("migrate", "coopdir migrate [--database DSN]",
		"Applies every pending database migration and prints the engine and schema version.")
	var dsn string
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := schemaVersion(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "%s database %s is at schema version %s\n", db.Engine(), instance.RedactDSN(dsn), v)
	return nil
}

// schemaVersion asks the engine for its schema version when it can tell.
func schemaVersion(ctx context.Context, db instance.Database) (string, error) {
	v, ok, err := db.Version(ctx)
	if err != nil {
		return "", fmt.Errorf("read schema version: %w", err)
	}
	if !ok {
		return "unknown", nil
	}
	return fmt.Sprint(v), nil
}
