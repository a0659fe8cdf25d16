package sqlite_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/directory/storetest"
)

var ctx = context.Background()

// mustOpen opens and migrates a new database file in a temporary folder.
func mustOpen(t *testing.T) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "coopdir.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		t.Fatal(err)
	}
	return db, path
}

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) directory.Store {
		db, _ := mustOpen(t)
		return db
	})
}

func TestMigrate(t *testing.T) {
	t.Run("does not migrate on open and reports pending migrations", func(t *testing.T) {
		db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "new.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if pending, err := db.Pending(ctx); err != nil || !pending {
			t.Errorf("Pending = %v, %v; want true", pending, err)
		}
		if v, err := db.Version(ctx); err != nil || v != 0 {
			t.Errorf("Version = %d, %v; want 0", v, err)
		}
	})

	t.Run("is idempotent", func(t *testing.T) {
		db, path := mustOpen(t)
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("second migrate: %v", err)
		}
		db.Close()
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if err := db.Migrate(ctx); err != nil {
			t.Fatalf("migrate after reopening: %v", err)
		}
		if pending, err := db.Pending(ctx); err != nil || pending {
			t.Errorf("Pending = %v, %v; want false", pending, err)
		}
		if v, err := db.Version(ctx); err != nil || v < 1 {
			t.Errorf("Version = %d, %v; want at least 1", v, err)
		}
	})
}

func TestConcurrentWrites(t *testing.T) {
	t.Run("writers in several goroutines never fail with busy", func(t *testing.T) {
		db, _ := mustOpen(t)
		defer db.Close()
		const workers, each = 8, 25
		var wg sync.WaitGroup
		errs := make(chan error, workers*each)
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					e := &directory.Enterprise{Handle: fmt.Sprintf("w%d-%d", w, i), Name: "Worker",
						Kind: directory.KindWorkerCoop, CreatedAt: time.Now(), UpdatedAt: time.Now()}
					ev := directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: e.Handle, At: e.CreatedAt}
					if err := db.CreateEnterprise(ctx, e, ev); err != nil {
						errs <- err
						continue
					}
					if _, err := db.SearchEnterprises(ctx, directory.EnterpriseQuery{Text: "worker",
						Sort: directory.SortRelevance, Origin: directory.OriginAll, Page: directory.Page{Page: 1, PerPage: 5}}); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent write: %v", err)
		}
		evs, err := db.EventsAfter(ctx, 0, 1000)
		if err != nil || len(evs) != workers*each {
			t.Errorf("%d events (%v), want %d", len(evs), err, workers*each)
		}
	})

	t.Run("two handles on one file share the writes", func(t *testing.T) {
		db, path := mustOpen(t)
		defer db.Close()
		other, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for w, h := range []*sqlite.DB{db, other} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 20 {
					u := &directory.User{Email: fmt.Sprintf("u%d-%d@coop.example", w, i), Name: "U",
						Role: directory.RoleAdmin, CreatedAt: time.Now()}
					if err := h.CreateUser(ctx, u); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("write from two handles: %v", err)
		}
	})
}

func TestTokenLastUsed(t *testing.T) {
	t.Run("marks the token used at the given time", func(t *testing.T) {
		db, path := mustOpen(t)
		defer db.Close()
		u := &directory.User{Email: "a@coop.example", Name: "A", Role: directory.RoleAdmin, CreatedAt: time.Now()}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		tok := &directory.Token{UserID: u.ID, Name: "cli", Hash: []byte("hash"), CreatedAt: time.Now()}
		if err := db.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		used := time.Date(2026, 5, 1, 10, 0, 0, 123456000, time.UTC)
		if _, err := db.UserByTokenHash(ctx, []byte("hash"), used); err != nil {
			t.Fatal(err)
		}
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		var us int64
		if err := raw.QueryRow(`SELECT last_used_at FROM api_tokens WHERE id = ?`, tok.ID).Scan(&us); err != nil {
			t.Fatal(err)
		}
		if got := time.UnixMicro(us).UTC(); !got.Equal(used) {
			t.Errorf("last used %v, want %v", got, used)
		}
	})
}
