package instance_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, dsn, engine, target string
	}{
		{"accepts postgres URLs", "postgres://u@db:5432/coop?sslmode=disable", instance.Postgres, "postgres://u@db:5432/coop?sslmode=disable"},
		{"accepts postgresql URLs", "postgresql://u@db/coop", instance.Postgres, "postgresql://u@db/coop"},
		{"accepts an upper-case scheme, in lower case", "POSTGRES://u@db/coop", instance.Postgres, "postgres://u@db/coop"},
		{"accepts parameters pgx knows", "postgres://u:pw@db:5433/coop?sslmode=disable&pool_max_conns=4&connect_timeout=5", instance.Postgres,
			"postgres://u:pw@db:5433/coop?sslmode=disable&pool_max_conns=4&connect_timeout=5"},
		{"accepts an IPv6 host", "postgres://u@[::1]:5432/coop", instance.Postgres, "postgres://u@[::1]:5432/coop"},
		{"accepts a relative sqlite path", "sqlite:data/coopdir.db", instance.SQLite, "data/coopdir.db"},
		{"accepts an absolute sqlite path", "sqlite:/var/lib/coopdir/coopdir.db", instance.SQLite, "/var/lib/coopdir/coopdir.db"},
		{"trims surrounding space", "  sqlite:x.db\n", instance.SQLite, "x.db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			engine, target, err := instance.ParseDSN(tt.dsn)
			if err != nil || engine != tt.engine || target != tt.target {
				t.Fatalf("Parse(%q) = %q, %q, %v; want %q, %q", tt.dsn, engine, target, err, tt.engine, tt.target)
			}
		})
	}
}

func TestParseRefusesOtherForms(t *testing.T) {
	tests := []struct{ name, dsn, want string }{
		{"refuses an empty address", "", "database address is empty"},
		{"refuses mysql", "mysql://u@db/coop", `"mysql://u@db/coop" is not a database address`},
		{"refuses a bare path", "data/coopdir.db", `"data/coopdir.db" is not a database address`},
		{"refuses a file URL", "file:coopdir.db", `"file:coopdir.db" is not a database address`},
		{"refuses sqlite with slashes, with a hint", "sqlite://data/x.db", "write sqlite:PATH, without //"},
		{"refuses sqlite without a path", "sqlite:", "sqlite: needs a file path"},
		{"hides a password", "mysql://u:secret@db/coop", `"mysql://u:xxxxx@db/coop"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := instance.ParseDSN(tt.dsn)
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("Parse(%q) error = %v, want EINVALID", tt.dsn, err)
			}
			msg := directory.ErrorMessage(err)
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not contain %q", msg, tt.want)
			}
			if !strings.Contains(msg, "postgres://") || !strings.Contains(msg, "sqlite:PATH") {
				t.Errorf("message %q does not name the accepted forms", msg)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("message %q shows the password", msg)
			}
		})
	}
}

func TestParseRefusesWhatPgxCannotRead(t *testing.T) {
	// Every address holds the password hunter2 somewhere; none may show it.
	tests := []struct{ name, dsn, want string }{
		{"refuses a port that is not a number", "postgres://u:hunter2@host:notaport/db", "invalid port"},
		{"refuses an unclosed IPv6 host", "postgres://u:hunter2@[::1", `matching "]" in IPv6 host`},
		{"refuses a bad parameter, hiding a password parameter", "postgres://u@host/db?password=hunter2&connect_timeout=soon", "invalid connect_timeout"},
		{"refuses a bad sslmode, hiding an sslpassword", "postgresql://u@host/db?sslmode=bogus&sslpassword=hunter2", "sslmode is invalid"},
		{"refuses a bad pool setting", "postgres://u:hunter2@host/db?pool_max_conns=many", "cannot parse pool_max_conns"},
		{"refuses a bad escape in the password", "postgres://u:hunter2%zz@host/db", "password"},
		{"refuses a password with an unescaped slash", "postgres://u:hunter2/x@host/db", "invalid port"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := instance.ParseDSN(tt.dsn)
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("Parse(%q) error = %v, want EINVALID", tt.dsn, err)
			}
			msg := directory.ErrorMessage(err)
			if !strings.HasPrefix(msg, "bad PostgreSQL address: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("message %q does not give the reason %q", msg, tt.want)
			}
			if strings.Contains(msg, "hunter2") || strings.Contains(err.Error(), "hunter2") {
				t.Errorf("message %q shows the password", msg)
			}
			cerr := instance.CheckDSN(tt.dsn)
			var ce *instance.ConfigError
			if !errors.As(cerr, &ce) || ce.Setting != "database" || ce.Message != "--database: "+msg {
				t.Errorf("CheckDSN(%q) = %#v, want a ConfigError of the database setting with the same message", tt.dsn, cerr)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"postgres://u:pw@db/x":                            "postgres://u:xxxxx@db/x",
		"postgres://u@db/x":                               "postgres://u@db/x",
		"postgres://u:p@ss@db/x":                          "postgres://u:xxxxx@db/x",
		"sqlite:data/coopdir.db":                          "sqlite:data/coopdir.db",
		"postgres://db/x?user=a@b":                        "postgres://db/x?user=a@b",
		"postgres://u:pw@db/x?a=b@c":                      "postgres://u:xxxxx@db/x?a=b@c",
		"postgres://u:p?w@db/x":                           "postgres://u:xxxxx@db/x",
		"postgres://db/x?sslmode=disable&password=pw&x=1": "postgres://db/x?sslmode=disable&password=xxxxx&x=1",
		"postgres://u:pw@db/x?sslpassword=pw":             "postgres://u:xxxxx@db/x?sslpassword=xxxxx",
		"postgres://db/x?Pass%77ord=pw":                   "postgres://db/x?Pass%77ord=xxxxx",
		"postgres://db?password=pw":                       "postgres://db?password=xxxxx",
		"mysql://u:pw@db/x?password=pw":                   "mysql://u:xxxxx@db/x?password=xxxxx",
	}
	for in, want := range tests {
		if got := instance.RedactDSN(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOpenSQLite(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "coopdir.db")
	db, err := instance.OpenDatabase(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if db.Engine() != instance.SQLite {
		t.Errorf("engine = %q", db.Engine())
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := db.Ping(ctx); err != nil {
		t.Errorf("ping: %v", err)
	}
	if v, ok, err := db.Version(ctx); err != nil || !ok || v < 1 {
		t.Errorf("version = %d, %v, %v; want at least 1", v, ok, err)
	}
}

func TestOpenRefusesBadAddressBeforeConnecting(t *testing.T) {
	_, err := instance.OpenDatabase(context.Background(), "mongodb://localhost")
	var ce *instance.ConfigError
	if !errors.As(err, &ce) || ce.Setting != "database" || !strings.Contains(err.Error(), "is not a database address") {
		t.Fatalf("error = %v, want a ConfigError of the database setting", err)
	}
}
