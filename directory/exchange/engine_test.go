package exchange_test

import (
	"context"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

var (
	now = time.Date(2026, 11, 25, 15, 4, 5, 0, time.UTC)
	sys = directory.AsSystem(context.Background())
)

// onEachEngine runs test on a fresh SQLite file and on a fresh PostgreSQL
// database (see instancetest.DSN: without DATABASE_URL the PostgreSQL
// subtest is skipped, or fails under CI).
func onEachEngine(t *testing.T, test func(t *testing.T, svc *directory.Service)) {
	t.Helper()
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			test(t, openService(t, instancetest.DSN(t, engine)))
		})
	}
}

// openService returns a Service with a fixed clock over the migrated
// database at dsn, closed when t ends.
func openService(t *testing.T, dsn string) *directory.Service {
	t.Helper()
	db, err := instance.OpenDatabase(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	svc := instance.NewService(db)
	svc.Now = func() time.Time { return now }
	return svc
}
