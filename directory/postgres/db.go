// Package postgres stores the directory in PostgreSQL, through pgx. It
// implements directory.Store; its schema lives in migrations/postgres and is
// applied by Migrate.
package postgres

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/migrations"
)

var _ directory.Store = (*DB)(nil)

// DB is the PostgreSQL store. It is safe for concurrent use.
type DB struct {
	pool *pgxpool.Pool
}

// Open connects to the database at url (a postgres:// URL or a key=value
// connection string, as libpq takes) and checks that it answers. It does not
// migrate: call Migrate.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, directory.Internal(err, "parse database URL")
	}
	// SET after connecting rather than startup parameters, which a pooler
	// such as PgBouncer refuses unless told to ignore them.
	var set []string
	for _, name := range slices.Sorted(maps.Keys(sessionSettings)) {
		if _, given := cfg.ConnConfig.RuntimeParams[name]; !given {
			set = append(set, "SET "+name+" = "+sessionSettings[name])
		}
	}
	cfg.AfterConnect = func(ctx context.Context, conn *pgx.Conn) error {
		for _, stmt := range set {
			if _, err := conn.Exec(ctx, stmt); err != nil {
				return err
			}
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, directory.Internal(err, "open postgres")
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, directory.Internal(err, "connect to postgres")
	}
	return &DB{pool: pool}, nil
}

// CheckURL reports whether pgx can read url as a connection string: the
// syntax, the port numbers and the parameters it knows, without connecting.
// A bad one is EINVALID, with pgx's reason but never the string itself, so
// that no password it holds is repeated.
func CheckURL(url string) error {
	_, err := pgxpool.ParseConfig(url)
	if err == nil {
		return nil
	}
	return &directory.Error{Code: directory.EINVALID, Message: parseReason(err)}
}

// parseReason returns why pgx refused a connection string. pgx's message is
// "cannot parse `STRING`: REASON (CAUSE)", with the string redacted on a
// best-effort basis only: keep the reason and the cause, which pgx builds
// without the password.
func parseReason(err error) string {
	var pe *pgconn.ParseConfigError
	if !errors.As(err, &pe) {
		return "pgx cannot read it"
	}
	cause := ""
	if inner := errors.Unwrap(pe); inner != nil {
		cause = " (" + inner.Error() + ")"
	}
	head := strings.TrimSuffix(pe.Error(), cause)
	i := strings.LastIndex(head, "`: ")
	if i < 0 {
		return "pgx cannot read it" + cause
	}
	return head[i+len("`: "):] + cause
}

// sessionSettings are set on every connection unless the URL sets them
// (values are SQL literals, ours).
// Searches are prepared statements whose best plan depends on the words
// searched (a rare word wants its GIN index, a word in most rows the primary
// key): a generic plan would be wrong for one or the other, so plan each
// execution. JIT compilation costs more than it saves on these short
// queries. The directory's working set is small enough to stay in memory,
// where a random read costs about what a sequential one does (the default
// of 4 assumes spinning disks and steers text searches away from their GIN
// index).
var sessionSettings = map[string]string{
	"plan_cache_mode":  "force_custom_plan",
	"jit":              "off",
	"random_page_cost": "1.1",
}

// Close releases every connection.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// provider returns goose over the pool's connections. Several processes
// may migrate at once: a session advisory lock lets one work at a time.
// done returns the lent connections.
func (db *DB) provider() (p *goose.Provider, done func() error, err error) {
	fsys, err := fs.Sub(migrations.Postgres, "postgres")
	if err != nil {
		return nil, nil, err
	}
	locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
	if err != nil {
		return nil, nil, err
	}
	// goose speaks database/sql: lend it connections of the pool.
	sqlDB := stdlib.OpenDBFromPool(db.pool)
	p, err = goose.NewProvider(goose.DialectPostgres, sqlDB, fsys,
		goose.WithSessionLocker(locker),
		goose.WithDisableGlobalRegistry(true),
		goose.WithLogger(goose.NopLogger()))
	if err != nil {
		sqlDB.Close()
		return nil, nil, err
	}
	return p, sqlDB.Close, nil
}

// Migrate applies every pending migration of migrations/postgres, then
// rebuilds the search columns if they were built another way (see
// reindexSearch). It is safe to call on an up-to-date database, and from
// several processes at once.
func (db *DB) Migrate(ctx context.Context) error {
	p, done, err := db.provider()
	if err != nil {
		return directory.Internal(err, "migrations")
	}
	defer done()
	if _, err := p.Up(ctx); err != nil {
		return directory.Internal(err, "migrate")
	}
	return db.reindexSearch(ctx)
}

// Version returns the schema version of the database: the number of the
// last migration applied, 0 for a new database.
func (db *DB) Version(ctx context.Context) (int64, error) {
	p, done, err := db.provider()
	if err != nil {
		return 0, directory.Internal(err, "migrations")
	}
	defer done()
	v, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, directory.Internal(err, "schema version")
	}
	return v, nil
}

// Pending reports whether migrations remain to be applied, for a start-up
// check of a database that is not migrated implicitly.
func (db *DB) Pending(ctx context.Context) (bool, error) {
	p, done, err := db.provider()
	if err != nil {
		return false, directory.Internal(err, "migrations")
	}
	defer done()
	pending, err := p.HasPending(ctx)
	if err != nil {
		return false, directory.Internal(err, "schema version")
	}
	return pending, nil
}

// Ping checks that the database answers, for health checks.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.pool.Ping(ctx); err != nil {
		return directory.Internal(err, "ping")
	}
	return nil
}

// write runs fn in a read-write transaction and translates its error.
func (db *DB) write(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	return translate(pgx.BeginFunc(ctx, db.pool, fn), what)
}

// read runs fn in a read-only transaction that sees one snapshot, so that a
// page and its total agree.
func (db *DB) read(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	opts := pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}
	return translate(pgx.BeginTxFunc(ctx, db.pool, opts, fn), what)
}

// querier is the pool or a transaction: what a read needs.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// readOne runs a read of one statement straight on the pool. A statement
// sees one snapshot by itself; a transaction around it would add two round
// trips (its BEGIN and COMMIT) to each of the inbox's and the deliveries'
// many small reads.
func (db *DB) readOne(ctx context.Context, what string, fn func(querier) error) error {
	return translate(fn(db.pool), what)
}

// translate turns a driver error into a *directory.Error: no rows means
// what is not found, a unique violation is a conflict, a foreign key
// violation names the missing row; anything else is internal.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	var de *directory.Error
	if errors.As(err, &de) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return &directory.Error{Code: directory.ENOTFOUND, Message: what + " not found", Err: err}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return &directory.Error{Code: directory.ECONFLICT, Message: conflictMessage(pe.ConstraintName), Err: err}
		case "23503": // foreign_key_violation
			return &directory.Error{Code: directory.ENOTFOUND, Message: missingMessage(pe.ConstraintName), Err: err}
		}
	}
	return directory.Internal(err, what)
}

func conflictMessage(constraint string) string {
	switch constraint {
	case "enterprises_origin_handle_key":
		return "handle is taken"
	case "users_email_key":
		return "email is taken"
	case "api_tokens_hash_key":
		return "token exists"
	case "sessions_hash_key":
		return "session exists"
	case "invitations_email_key", "invitations_hash_key":
		return "invitation exists"
	case "images_pkey":
		return "image exists"
	}
	return "already exists"
}

func missingMessage(constraint string) string {
	switch constraint {
	case "listings_enterprise_id_fkey", "announcements_enterprise_id_fkey",
		"users_enterprise_id_fkey", "enterprise_sectors_enterprise_id_fkey",
		"invitations_enterprise_id_fkey", "images_enterprise_id_fkey":
		return "enterprise not found"
	case "api_tokens_user_id_fkey", "sessions_user_id_fkey", "invitations_invited_by_fkey":
		return "user not found"
	}
	return "a referenced entry was not found"
}

// ts prepares a time for storage: UTC at microsecond precision, which is
// what PostgreSQL keeps (it would round; we truncate, as SQLite's engine does).
func ts(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

// strs returns s, or an empty slice for nil: array columns are NOT NULL.
func strs(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// nullID stores 0 as NULL: ids start at 1.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// Backup is refused: a PostgreSQL database is copied with pg_dump and
// restored with pg_restore (docs/CLI.md). EINVALID.
func (db *DB) Backup(ctx context.Context, dest string) error {
	return directory.Errorf(directory.EINVALID, "coopdir backup copies SQLite databases only: back up PostgreSQL with pg_dump (pg_dump --format=custom --file=%s \"$DATABASE_URL\") and restore with pg_restore; see docs/CLI.md", dest)
}
