// This file chooses a storage engine from a database address (DSN), so
// that serve, the admin commands and tests open either engine the same way:
//
//	postgres://user@host:5432/db?sslmode=disable   PostgreSQL (also postgresql://)
//	sqlite:data/coopdir.db                         SQLite file, relative path
//	sqlite:/var/lib/coopdir/coopdir.db             SQLite file, absolute path
//
// The SQLite form is "sqlite:" followed by a file path, as written on the
// command line. "sqlite://…" is refused with a hint rather than guessed at,
// because "sqlite://data/x.db" reads as host "data" to anyone who knows URLs.

package instance

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/postgres"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/directory/totp"
	"github.com/coopdir/coopdir/federation"
)

// Engine names, as returned by ParseDSN and Database.Engine.
const (
	Postgres = "postgres"
	SQLite   = "sqlite"
)

// Database is an open database of either engine: the directory's Store plus
// the operations an instance needs around it.
type Database interface {
	directory.Store
	// Migrate applies every pending migration of the engine.
	Migrate(ctx context.Context) error
	// Ping checks that the database answers; serve uses it for /healthz.
	Ping(ctx context.Context) error
	// Engine is Postgres or SQLite.
	Engine() string
	// Version returns the schema version (the number of the last migration
	// applied); ok is false when the engine cannot tell.
	Version(ctx context.Context) (version int64, ok bool, err error)
	// QueueHandle is the engine's database handle for the job queue: a
	// *sql.DB for SQLite, a *pgxpool.Pool for PostgreSQL.
	QueueHandle() any
}

// engineDB is what both engine packages' *DB provide.
type engineDB interface {
	directory.Store
	Migrate(ctx context.Context) error
	QueueHandle() any
}

// ParseDSN splits a DSN into its engine and the engine's own address: the whole
// URL for PostgreSQL, the file path for SQLite. An address of any other form
// is EINVALID, with a message naming the accepted forms.
func ParseDSN(dsn string) (engine, target string, err error) {
	dsn = strings.TrimSpace(dsn)
	lower := strings.ToLower(dsn)
	switch {
	case dsn == "":
		return "", "", invalid("database address is empty")
	case strings.HasPrefix(lower, "postgres://"), strings.HasPrefix(lower, "postgresql://"):
		return parsePostgres(dsn)
	case strings.HasPrefix(lower, "sqlite://"):
		return "", "", invalid("%q: write sqlite:PATH, without //, e.g. sqlite:data/coopdir.db or sqlite:/var/lib/coopdir/coopdir.db", RedactDSN(dsn))
	case strings.HasPrefix(lower, "sqlite:"):
		path := dsn[len("sqlite:"):]
		if path == "" {
			return "", "", invalid("sqlite: needs a file path, e.g. sqlite:data/coopdir.db")
		}
		return SQLite, path, nil
	}
	return "", "", invalid("%q is not a database address", RedactDSN(dsn))
}

// parsePostgres checks a postgres:// or postgresql:// URL with pgx, so that a
// bad port or parameter is refused as a setting, and returns it with its
// scheme in lower case (pgx recognizes a URL only so).
func parsePostgres(dsn string) (engine, target string, err error) {
	scheme, rest, _ := strings.Cut(dsn, "://")
	target = strings.ToLower(scheme) + "://" + rest
	if err := postgres.CheckURL(target); err != nil {
		return "", "", &directory.Error{Code: directory.EINVALID,
			Message: "bad PostgreSQL address: " + directory.ErrorMessage(err) +
				"; write postgres://USER:PASSWORD@HOST:PORT/DATABASE?PARAMETER=VALUE"}
	}
	return Postgres, target, nil
}

func invalid(format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &directory.Error{Code: directory.EINVALID,
		Message: "bad database address: " + msg + "; use postgres://… (or postgresql://…) for PostgreSQL or sqlite:PATH for SQLite"}
}

// RedactDSN returns dsn with the passwords of a URL-like address replaced
// (the one after the user name and the password and sslpassword
// parameters), so that error messages and logs never show one.
func RedactDSN(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	// As in pgx, only a '/' ends the user information; the last '@' before
	// it also masks a password with an unescaped '@' in it.
	userinfo := ""
	end := len(rest)
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		end = i
	}
	if at := strings.LastIndex(rest[:end], "@"); at >= 0 {
		userinfo, rest = rest[:at+1], rest[at+1:]
		if user, _, hasPass := strings.Cut(userinfo, ":"); hasPass {
			userinfo = user + ":xxxxx@"
		}
	}
	if hostPath, query, hasQuery := strings.Cut(rest, "?"); hasQuery {
		rest = hostPath + "?" + redactQuery(query)
	}
	return scheme + "://" + userinfo + rest
}

// redactQuery replaces the values of the password parameters of a URL's
// query (as pgx reads them: the key percent-decoded, any case).
func redactQuery(query string) string {
	params := strings.Split(query, "&")
	for i, p := range params {
		key, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(key)
		if err != nil {
			name = key
		}
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "password", "sslpassword":
			params[i] = key + "=xxxxx"
		}
	}
	return strings.Join(params, "&")
}

// openEngine parses dsn and opens the database it names, without migrating. For SQLite the file and its folder are created when missing. A bad
// address is EINVALID; a database that cannot be opened is the engine's
// error (EINTERNAL for anything unexpected).
func openEngine(ctx context.Context, dsn string) (Database, error) {
	engine, target, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	var db engineDB
	switch engine {
	case Postgres:
		pg, err := postgres.Open(ctx, target)
		if err != nil {
			return nil, fmt.Errorf("open postgres database %s: %w", RedactDSN(target), err)
		}
		db = pg
	case SQLite:
		lite, err := sqlite.Open(ctx, target)
		if err != nil {
			return nil, fmt.Errorf("open sqlite database %s: %w", target, err)
		}
		db = lite
	}
	return &opened{engineDB: db, engine: engine}, nil
}

// opened adds Engine and Ping to an engine's DB.
type opened struct {
	engineDB
	engine string
}

func (o *opened) Engine() string { return o.engine }

// Ping uses the engine's own Ping when it has one; otherwise it runs the
// cheapest read the Store contract offers.
func (o *opened) Ping(ctx context.Context) error {
	if p, ok := o.engineDB.(interface{ Ping(context.Context) error }); ok {
		return p.Ping(ctx)
	}
	_, err := o.EventsAfter(ctx, 1<<62, 1)
	return err
}

// Version asks the engine for its schema version, under either of the names
// an engine may give the method.
func (o *opened) Version(ctx context.Context) (int64, bool, error) {
	switch v := o.engineDB.(type) {
	case interface {
		Version(context.Context) (int64, error)
	}:
		n, err := v.Version(ctx)
		return n, err == nil, err
	case interface {
		SchemaVersion(context.Context) (int64, error)
	}:
		n, err := v.SchemaVersion(ctx)
		return n, err == nil, err
	}
	return 0, false, nil
}

// OpenDatabase opens the database at dsn and applies its pending migrations,
// the directory's and the job queue's: every command works on an up-to-date
// schema, so a fresh SQLite file needs no separate "migrate" step. A bad
// address is a *ConfigError naming the database setting.
func OpenDatabase(ctx context.Context, dsn string) (Database, error) {
	if err := CheckDSN(dsn); err != nil {
		return nil, err
	}
	db, err := openEngine(ctx, dsn)
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

// CheckDSN validates a database address before anything is opened: a bad one
// is a *ConfigError of the database setting.
func CheckDSN(dsn string) error {
	if _, _, err := ParseDSN(dsn); err != nil {
		return &ConfigError{Setting: "database", Message: "--database: " + directory.ErrorMessage(err)}
	}
	return nil
}

// NewService returns the directory's Service over db with the production
// Markdown renderer and password hasher.
func NewService(db directory.Store) *directory.Service {
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{})
	svc.Codes = totp.Codes{}
	return svc
}
