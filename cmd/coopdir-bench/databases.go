package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// The partner benchmarks use databases beside the main one: for SQLite,
// files in the cache folder; for PostgreSQL, databases on the server
// DATABASE_URL points at, named after its database.

// sideDSN is the database called name beside the main database mainDSN.
func sideDSN(c config, mainDSN, name string) (string, error) {
	if strings.HasPrefix(mainDSN, "sqlite:") {
		return "sqlite:" + filepath.Join(c.cacheDir, name+".db"), nil
	}
	u, err := url.Parse(mainDSN)
	if err != nil {
		return "", err
	}
	base := strings.TrimPrefix(u.Path, "/")
	if base == "" {
		return "", fmt.Errorf("DATABASE_URL names no database")
	}
	u.Path = "/" + base + "_" + name
	return u.String(), nil
}

// pgName is the database a PostgreSQL DSN names.
func pgName(dsn string) (string, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(u.Path, "/"), nil
}

// pgAdmin connects to the server of dsn through its "postgres" database,
// so that it holds no connection to the databases it creates or copies.
func pgAdmin(ctx context.Context, dsn string) (*pgx.Conn, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, err
	}
	u.Path = "/postgres"
	return pgx.Connect(ctx, u.String())
}

// sqlitePath is the file of a SQLite DSN; ok is false for PostgreSQL.
func sqlitePath(dsn string) (path string, ok bool) { return strings.CutPrefix(dsn, "sqlite:") }

// databaseExists reports whether the database of dsn is there.
func databaseExists(ctx context.Context, dsn string) (bool, error) {
	if path, ok := sqlitePath(dsn); ok {
		_, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return false, nil
		}
		return err == nil, err
	}
	name, err := pgName(dsn)
	if err != nil {
		return false, err
	}
	conn, err := pgAdmin(ctx, dsn)
	if err != nil {
		return false, err
	}
	defer conn.Close(ctx)
	var n int
	err = conn.QueryRow(ctx, "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n)
	return n > 0, err
}

// dropDatabase removes the database of dsn when it is there.
func dropDatabase(ctx context.Context, dsn string) error {
	if path, ok := sqlitePath(dsn); ok {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
		return nil
	}
	name, err := pgName(dsn)
	if err != nil {
		return err
	}
	conn, err := pgAdmin(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	return err
}

// createDatabase makes the database of dsn: empty, or a copy of the
// database of from when from is not "". The database must not exist, and
// from must be closed (PostgreSQL copies only a database nobody is
// connected to).
func createDatabase(ctx context.Context, dsn, from string) error {
	if path, ok := sqlitePath(dsn); ok {
		if from == "" {
			return nil // instance.OpenDatabase makes the file
		}
		src, _ := sqlitePath(from)
		if err := copyFile(path, src); err != nil {
			return err
		}
		// A WAL left by a process that did not close the database cleanly
		// holds the last writes: SQLite applies it on open.
		if err := copyFile(path+"-wal", src+"-wal"); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	name, err := pgName(dsn)
	if err != nil {
		return err
	}
	conn, err := pgAdmin(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if from != "" {
		template, err := pgName(from)
		if err != nil {
			return err
		}
		sql += " TEMPLATE " + pgx.Identifier{template}.Sanitize() + " STRATEGY FILE_COPY"
	}
	// The server may take a moment to see the main pool's connections go.
	for attempt := 0; ; attempt++ {
		_, err = conn.Exec(ctx, sql)
		if err == nil || from == "" || attempt == 20 || !strings.Contains(err.Error(), "being accessed by other users") {
			return err
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// copyFile copies the file src to dst (made or truncated).
func copyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// vacuumAnalyze refreshes PostgreSQL's statistics of the database of dsn
// after a load, as autovacuum would shortly after; SQLite needs nothing.
func vacuumAnalyze(ctx context.Context, dsn string) error {
	if _, ok := sqlitePath(dsn); ok {
		return nil
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "VACUUM ANALYZE")
	return err
}
