package exchange_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/storage"
)

var (
	now = time.Date(2026, 11, 25, 15, 4, 5, 0, time.UTC)
	sys = directory.AsSystem(context.Background())
)

// onEachEngine runs test on a fresh SQLite file and, when DATABASE_URL
// points at a PostgreSQL server (scripts/pgtest.sh run -- go test
// ./directory/exchange/), on a fresh database of that server; without it
// the PostgreSQL subtest is skipped, or fails under CI.
func onEachEngine(t *testing.T, test func(t *testing.T, svc *directory.Service)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		test(t, openService(t, "sqlite:"+t.TempDir()+"/coopdir.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		u := os.Getenv("DATABASE_URL")
		if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
			const how = "run: scripts/pgtest.sh run -- go test ./directory/exchange/"
			if os.Getenv("CI") != "" {
				t.Fatal("DATABASE_URL is not a PostgreSQL URL, and CI must run the PostgreSQL tests; " + how)
			}
			t.Skip("DATABASE_URL is not a PostgreSQL URL; " + how)
		}
		test(t, openService(t, freshPostgres(t, u)))
	})
}

// openService returns a Service with a fixed clock over the migrated
// database at dsn, closed when t ends.
func openService(t *testing.T, dsn string) *directory.Service {
	t.Helper()
	ctx := context.Background()
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{})
	svc.Now = func() time.Time { return now }
	return svc
}

var databases atomic.Int64

// freshPostgres creates an empty database on the server admin points at and
// drops it when t ends.
func freshPostgres(t *testing.T, admin string) string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("coopdir_exchange_%d_%d", os.Getpid(), databases.Add(1))
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close(ctx)
		t.Fatalf("create a throwaway database: %v", err)
	}
	t.Cleanup(func() {
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop %s: %v", name, err)
		}
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}
