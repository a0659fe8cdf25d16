// Package sqlite is the embedded storage engine of coopdir: one SQLite file,
// opened with the pure-Go driver modernc.org/sqlite. It implements
// directory.Store; full-text search uses FTS5.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/pressly/goose/v3"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/migrations"
)

var _ directory.Store = (*DB)(nil)

// DB is a coopdir database in one SQLite file. Writes go through a pool of a
// single connection that begins its transactions IMMEDIATE, so writers queue
// in Go instead of failing with SQLITE_BUSY; reads use a pool of read-only
// connections, which WAL mode lets run beside the writer.
type DB struct {
	write *sql.DB
	read  *sql.DB
}

// readConns is the size of the read pool: enough for concurrent requests,
// each connection having its own page cache.
const readConns = 8

// busyTimeout is how long a connection waits for a lock held by another
// process (a CLI command beside the server, for instance).
const busyTimeout = 10 * time.Second

// Open opens (creating it and its folder if needed) the database file at
// path; a file, since the two pools must share it (":memory:" would give
// each connection a database of its own). It does not migrate: call
// Migrate, or check Pending first.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, directory.Internal(err, "create database folder")
		}
	}
	db := &DB{}
	var err error
	if db.write, err = openPool(ctx, path, true); err != nil {
		return nil, err
	}
	if db.read, err = openPool(ctx, path, false); err != nil {
		db.write.Close()
		return nil, err
	}
	return db, nil
}

// openPool opens one pool. Every connection of it gets the pragmas, since
// the driver runs the DSN's _pragma list on each new connection.
func openPool(ctx context.Context, path string, write bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", "cache_size(-32000)") // 32 MB of page cache per connection
	// No memory map: in WAL mode a connection drops its whole map (munmap,
	// then page faults to map it again) at the start of every read
	// transaction after another connection wrote, which is every read while
	// federation writes. With a 1 GiB map that cost the inbox half its CPU
	// (BenchmarkInbox: 1,700 cpu-µs per accepted activity with the map,
	// 830–900 without, at the same load); see docs/BENCHMARKS.md.
	q.Add("_pragma", "mmap_size(0)")
	if write {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	connector, err := newCachingConnector(dsn)
	if err != nil {
		return nil, directory.Internal(err, "open sqlite database "+path)
	}
	pool := sql.OpenDB(connector)
	conns := readConns
	if write {
		conns = 1
	}
	pool.SetMaxOpenConns(conns)
	pool.SetMaxIdleConns(conns)
	// The write pool is pinged first: it creates the file and turns on WAL
	// before any read-only connection looks at it.
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, directory.Internal(err, "open sqlite database "+path)
	}
	return pool, nil
}

// Close releases both pools.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

func (db *DB) provider() (*goose.Provider, error) {
	fsys, err := fs.Sub(migrations.SQLite, "sqlite")
	if err != nil {
		return nil, err
	}
	return goose.NewProvider(goose.DialectSQLite3, db.write, fsys,
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
}

// Migrate applies every pending migration, then rebuilds the text indexes
// if they were built another way (see reindexSearch). It is safe to call
// on an up-to-date database.
func (db *DB) Migrate(ctx context.Context) error {
	p, err := db.provider()
	if err != nil {
		return directory.Internal(err, "migrations")
	}
	if _, err := p.Up(ctx); err != nil {
		return directory.Internal(err, "migrate")
	}
	return db.reindexSearch(ctx)
}

// Version returns the schema version of the database: the number of the
// last migration applied, 0 for a new file.
func (db *DB) Version(ctx context.Context) (int64, error) {
	p, err := db.provider()
	if err != nil {
		return 0, directory.Internal(err, "migrations")
	}
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, directory.Internal(err, "schema version")
	}
	return v, nil
}

// Pending reports whether migrations remain to be applied, for a start-up
// check of a database that is not migrated implicitly.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	p, err := db.provider()
	if err != nil {
		return false, directory.Internal(err, "migrations")
	}
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, directory.Internal(err, "schema version")
	}
	return pending, nil
}

// Ping checks that the database file answers, for health checks.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.read.PingContext(ctx); err != nil {
		return directory.Internal(err, "ping")
	}
	return nil
}

// inWrite runs fn in one write transaction and commits when fn succeeds.
// Errors fn returns are passed on as they are (fn translates them); failures
// of the transaction itself become EINTERNAL.
func (db *DB) inWrite(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	return inTx(ctx, db.write, nil, what, fn)
}

// inRead runs fn in one read-only transaction: every query of fn sees the
// same snapshot.
func (db *DB) inRead(ctx context.Context, what string, fn func(tx *sql.Tx) error) error {
	return inTx(ctx, db.read, &sql.TxOptions{ReadOnly: true}, what, fn)
}

func inTx(ctx context.Context, pool *sql.DB, opts *sql.TxOptions, what string, fn func(tx *sql.Tx) error) error {
	tx, err := pool.BeginTx(ctx, opts)
	if err != nil {
		return directory.Internal(err, what+": begin")
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return directory.Internal(err, what+": commit")
	}
	return nil
}

// sqliteCode returns the extended result code of a driver error, or 0.
func sqliteCode(err error) int {
	var e *sqlite.Error
	if errors.As(err, &e) {
		return e.Code()
	}
	return 0
}

func isUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func isForeignKey(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// notFound translates sql.ErrNoRows into ENOTFOUND with msg, and anything
// else into EINTERNAL.
func notFound(err error, msg, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return directory.Errorf(directory.ENOTFOUND, "%s", msg)
	}
	return directory.Internal(err, what)
}

// micros is how times are stored: unix microseconds, UTC.
func micros(t time.Time) int64 { return t.UnixMicro() }

func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

func nullMicros(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: micros(*t), Valid: true}
}

func nullFloat(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

func fromNullFloat(n sql.NullFloat64) *float64 {
	if !n.Valid {
		return nil
	}
	f := n.Float64
	return &f
}

// nullID stores 0 as NULL: ids start at 1.
func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

func nullText(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Backup writes a consistent copy of the database to the new file dest
// with VACUUM INTO, which reads one snapshot: writers (a running serve)
// go on meanwhile, and the copy is compacted and has no WAL of its own. It
// runs on a read connection, lifting its query_only for the statement
// (VACUUM INTO counts as a write) and discarding the connection if that
// cannot be undone.
func (db *DB) Backup(ctx context.Context, dest string) error {
	conn, err := db.read.Conn(ctx)
	if err != nil {
		return directory.Internal(err, "back up: connect")
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `PRAGMA query_only = 0`); err != nil {
		return directory.Internal(err, "back up: lift query_only")
	}
	_, err = conn.ExecContext(ctx, `VACUUM INTO ?`, dest)
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA query_only = 1`); rerr != nil {
		_ = conn.Raw(func(any) error { return driver.ErrBadConn }) // never back in the pool writable
	}
	if err != nil {
		return directory.Internal(err, "back up to "+dest)
	}
	return nil
}
