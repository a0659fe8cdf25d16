package main

import (
	"context"
	"fmt"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/storage"
	"github.com/coopdir/coopdir/federation"
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
	if _, _, err := storage.Parse(dsn); err != nil {
		return usageErrorf("--database: %s", directory.ErrorMessage(err))
	}
	return nil
}

// openDB opens the database at dsn and applies pending migrations: every
// command works on an up-to-date schema, so that a fresh SQLite file needs no
// separate "migrate" step.
func openDB(ctx context.Context, dsn string) (storage.DB, error) {
	if err := checkDatabase(dsn); err != nil {
		return nil, err
	}
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s database: %w", db.Engine(), err)
	}
	// The delivery queue's tables (River's own migrations).
	if err := federation.MigrateQueue(ctx, db.QueueHandle()); err != nil {
		db.Close()
		return nil, fmt.Errorf("migrate %s database: %w", db.Engine(), err)
	}
	return db, nil
}

// newService returns the directory's Service over db with the production
// Markdown renderer and password hasher.
func newService(db directory.Store) *directory.Service {
	return directory.NewService(db, markdown.New().Render, password.Hasher{})
}

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
	fmt.Fprintf(a.Stdout, "%s database %s is at schema version %s\n", db.Engine(), storage.Redact(dsn), v)
	return nil
}

// schemaVersion asks the engine for its schema version when it can tell.
func schemaVersion(ctx context.Context, db storage.DB) (string, error) {
	v, ok, err := db.Version(ctx)
	if err != nil {
		return "", fmt.Errorf("read schema version: %w", err)
	}
	if !ok {
		return "unknown", nil
	}
	return fmt.Sprint(v), nil
}
