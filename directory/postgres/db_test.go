package postgres

import (
	"context"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/storetest"
	"github.com/coopdir/coopdir/migrations"
)

// The tests need a PostgreSQL server that lets them create databases:
//
//	scripts/pgtest.sh run -- go test ./directory/postgres/
//
// Each store a test opens gets a database of its own, copied from a template
// migrated once per test binary, and dropped when the test ends.

var (
	dbCounter    atomic.Int64
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// serverURL returns DATABASE_URL, or skips the test without it (fails it
// under CI, where the PostgreSQL tests must run).
func serverURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DATABASE_URL")
	if u == "" {
		const how = "run: scripts/pgtest.sh run -- go test ./directory/postgres/"
		if os.Getenv("CI") == "true" {
			t.Fatal("DATABASE_URL is not set, and CI must run the PostgreSQL tests; " + how)
		}
		t.Skip("DATABASE_URL is not set; " + how)
	}
	return u
}

// withDatabase returns the connection string u pointed at database name.
func withDatabase(u, name string) string {
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		p, err := url.Parse(u)
		if err == nil {
			p.Path = "/" + name
			return p.String()
		}
	}
	return u + " dbname=" + name
}

// withParam returns the connection string u with one more setting.
func withParam(u, name, value string) string {
	if strings.HasPrefix(u, "postgres://") || strings.HasPrefix(u, "postgresql://") {
		if strings.Contains(u, "?") {
			return u + "&" + name + "=" + value
		}
		return u + "?" + name + "=" + value
	}
	return u + " " + name + "=" + value
}

// serverExec runs one statement on the database of DATABASE_URL.
func serverExec(sql string) error {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql)
	return err
}

// admin runs a statement on the server (creating or dropping databases).
func admin(t testing.TB, sql string) {
	t.Helper()
	serverURL(t)
	if err := serverExec(sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// newDatabase creates an empty database, dropped when t ends, and returns
// its connection string.
func newDatabase(t testing.TB, template string) string {
	t.Helper()
	name := fmt.Sprintf("coopdir_test_%d_%d", os.Getpid(), dbCounter.Add(1))
	create := "CREATE DATABASE " + name
	if template != "" {
		create += " TEMPLATE " + template
	}
	admin(t, create)
	t.Cleanup(func() { admin(t, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)") })
	return withDatabase(serverURL(t), name)
}

// migratedTemplate returns a database migrated once per test binary, to be
// copied by openDB.
func migratedTemplate(t testing.TB) string {
	t.Helper()
	serverURL(t)
	templateOnce.Do(func() {
		templateName = fmt.Sprintf("coopdir_test_%d_template", os.Getpid())
		templateErr = migrateTemplate(templateName)
	})
	if templateErr != nil {
		t.Fatalf("migrate template database: %v", templateErr)
	}
	return templateName
}

func migrateTemplate(name string) error {
	ctx := context.Background()
	if err := serverExec("CREATE DATABASE " + name); err != nil {
		return err
	}
	db, err := Open(ctx, withDatabase(os.Getenv("DATABASE_URL"), name))
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Migrate(ctx)
}

// openDB returns a store over a fresh, migrated database of its own.
func openDB(t testing.TB) *DB {
	t.Helper()
	ctx := context.Background()
	db, err := Open(ctx, newDatabase(t, migratedTemplate(t)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	// Already migrated: this checks that Migrate finds nothing to do.
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	return db
}

func TestMain(m *testing.M) {
	code := m.Run()
	if templateName != "" {
		_ = serverExec("DROP DATABASE IF EXISTS " + templateName + " WITH (FORCE)")
	}
	os.Exit(code)
}

func TestStore(t *testing.T) {
	serverURL(t) // skip (or fail under CI) once, not in every subtest
	storetest.Run(t, func(t *testing.T) directory.Store { return openDB(t) })
}

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func newEnterprise(handle string) *directory.Enterprise {
	return &directory.Enterprise{Handle: handle, Name: "Co-op " + handle, Kind: directory.KindWorkerCoop,
		CreatedAt: t0, UpdatedAt: t0}
}

func created(e *directory.Enterprise) directory.Event {
	return directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: e.Handle, At: e.CreatedAt}
}

func TestMigrate(t *testing.T) {
	ctx := context.Background()
	url := newDatabase(t, "")
	open := func() *DB {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}

	t.Run("reports a new database as version 0 with migrations pending", func(t *testing.T) {
		db := open()
		v, err := db.Version(ctx)
		if err != nil || v != 0 {
			t.Errorf("Version = %d, %v; want 0", v, err)
		}
		if pending, err := db.Pending(ctx); err != nil || !pending {
			t.Errorf("Pending = %v, %v; want true", pending, err)
		}
	})

	t.Run("migrates an empty database from several processes at once", func(t *testing.T) {
		dbs := []*DB{open(), open(), open()}
		errs := make(chan error, len(dbs))
		for _, db := range dbs {
			go func() { errs <- db.Migrate(ctx) }()
		}
		for range dbs {
			if err := <-errs; err != nil {
				t.Fatalf("Migrate: %v", err)
			}
		}
	})

	t.Run("is idempotent", func(t *testing.T) {
		db := open()
		for i := 0; i < 2; i++ {
			if err := db.Migrate(ctx); err != nil {
				t.Fatalf("Migrate #%d: %v", i+1, err)
			}
		}
		var applied int
		if err := db.pool.QueryRow(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&applied); err != nil {
			t.Fatal(err)
		}
		files, err := fs.Glob(migrations.Postgres, "postgres/*.sql")
		if err != nil || len(files) == 0 {
			t.Fatalf("migration files: %v, %v", files, err)
		}
		if applied != len(files) {
			t.Errorf("goose recorded %d applied migrations, want %d", applied, len(files))
		}
		// The version is the number of the last file (numbers may skip).
		last, err := strconv.ParseInt(strings.SplitN(path.Base(files[len(files)-1]), "_", 2)[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		if v, err := db.Version(ctx); err != nil || v != last {
			t.Errorf("Version = %d, %v; want %d", v, err, last)
		}
		if pending, err := db.Pending(ctx); err != nil || pending {
			t.Errorf("Pending = %v, %v; want false", pending, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Errorf("Ping: %v", err)
		}
		mustCreateEnterprise(t, db, newEnterprise("after_migrate"))
	})
}

func mustCreateEnterprise(t *testing.T, db *DB, e *directory.Enterprise) {
	t.Helper()
	if err := db.CreateEnterprise(context.Background(), e, created(e)); err != nil {
		t.Fatalf("CreateEnterprise(%s): %v", e.Handle, err)
	}
}

func TestOpen(t *testing.T) {
	ctx := context.Background()

	t.Run("refuses a malformed URL without connecting", func(t *testing.T) {
		if _, err := Open(ctx, "postgres://%zz"); directory.ErrorCode(err) != directory.EINTERNAL {
			t.Errorf("Open = %v, want an internal error", err)
		}
	})

	t.Run("plans every search for its own words unless the URL says otherwise", func(t *testing.T) {
		url := serverURL(t)
		for _, tc := range []struct{ url, want string }{
			{url, "force_custom_plan"},
			{withParam(url, "plan_cache_mode", "auto"), "auto"},
		} {
			db, err := Open(ctx, tc.url)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			err = db.pool.QueryRow(ctx, `SHOW plan_cache_mode`).Scan(&got)
			db.Close()
			if err != nil || got != tc.want {
				t.Errorf("plan_cache_mode = %q, %v; want %q", got, err, tc.want)
			}
		}
	})
}

func TestConcurrentWrites(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	const writers, each = 8, 15
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				e := newEnterprise(fmt.Sprintf("w%d_%d", w, i))
				if err := db.CreateEnterprise(ctx, e, created(e)); err != nil {
					errs <- err
					return
				}
				l := &directory.Listing{EnterpriseID: e.ID, Type: directory.Offer, Title: "Offer " + e.Handle,
					Category: "tools", Status: directory.StatusOpen, CreatedAt: t0, UpdatedAt: t0}
				ev := directory.Event{Type: directory.EventListingCreated, EnterpriseHandle: e.Handle, At: t0}
				if err := db.CreateListing(ctx, l, ev); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent write: %v", err)
	}

	t.Run("stores every row", func(t *testing.T) {
		page, err := db.SearchListings(ctx, directory.ListingQuery{Page: directory.Page{Page: 1, PerPage: 1}})
		if err != nil || page.Total != writers*each {
			t.Errorf("listings: total %v, %v; want %d", page, err, writers*each)
		}
	})

	t.Run("records one event per change with increasing ids", func(t *testing.T) {
		evs, err := db.EventsAfter(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 2*writers*each {
			t.Fatalf("%d events, want %d", len(evs), 2*writers*each)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i].ID <= evs[i-1].ID {
				t.Fatalf("event ids out of order: %d after %d", evs[i].ID, evs[i-1].ID)
			}
		}
	})
}

func TestEventOrder(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()

	t.Run("a writer waits for the transaction holding the event lock", func(t *testing.T) {
		// A transaction that has written an event but not committed holds
		// the lock: a later writer must not commit a higher event id first,
		// or a reader of EventsAfter could skip the earlier event for good.
		tx, err := db.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if err := recordEvents(ctx, tx, directory.Event{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "early", At: t0}); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			e := newEnterprise("late")
			done <- db.CreateEnterprise(ctx, e, created(e))
		}()
		select {
		case err := <-done:
			t.Fatalf("CreateEnterprise committed while an earlier event was pending (err %v)", err)
		case <-time.After(200 * time.Millisecond):
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("CreateEnterprise still blocked after the lock was released")
		}
		evs, err := db.EventsAfter(ctx, 0, 10)
		if err != nil || len(evs) != 2 || evs[0].EnterpriseHandle != "early" || evs[1].EnterpriseHandle != "late" {
			t.Errorf("events = %+v, %v; want early then late", evs, err)
		}
	})
}

func TestListingCounts(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	// agree checks that listing_counts holds the count of every group of
	// listings, and nothing else.
	agree := func(t *testing.T) {
		t.Helper()
		var diff int
		err := db.pool.QueryRow(ctx, `
			WITH real AS (
				SELECT status, category, type, origin, COALESCE(valid_until, 'infinity') AS valid_until, count(*) AS n
				FROM listings GROUP BY 1, 2, 3, 4, 5
			), kept AS (
				SELECT status, category, type, origin, valid_until, n FROM listing_counts WHERE n <> 0
			)
			SELECT count(*) FROM ((TABLE real EXCEPT TABLE kept) UNION ALL (TABLE kept EXCEPT TABLE real)) d`).Scan(&diff)
		if err != nil || diff != 0 {
			t.Fatalf("listing_counts differs from the listings in %d groups (%v)", diff, err)
		}
	}
	var ids []int64
	var owners []*directory.Enterprise
	for i := 0; i < 3; i++ {
		e := newEnterprise(fmt.Sprintf("owner%d", i))
		e.Origin = []string{"", "", "partner.example"}[i]
		mustCreateEnterprise(t, db, e)
		owners = append(owners, e)
		for j := 0; j < 4; j++ {
			l := &directory.Listing{EnterpriseID: e.ID, Origin: e.Origin, Type: []directory.ListingType{directory.Need, directory.Offer}[j%2],
				Title: "Listing", Category: directory.Categories[j], Status: directory.StatusOpen,
				ValidUntil: []string{"", "2026-03-01"}[j/2], CreatedAt: t0, UpdatedAt: t0}
			if err := db.CreateListing(ctx, l, directory.Event{Type: directory.EventListingCreated, At: t0}); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, l.ID)
		}
	}

	t.Run("counts created listings", agree)

	t.Run("moves a listing between groups when it changes", func(t *testing.T) {
		l, err := db.FindListing(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		l.Status, l.Category, l.ValidUntil = directory.StatusFulfilled, "food", "2027-01-01"
		if err := db.UpdateListing(ctx, l, directory.Event{Type: directory.EventListingUpdated, At: t0}); err != nil {
			t.Fatal(err)
		}
		l.Title = "Renamed" // no counted column changes
		if err := db.UpdateListing(ctx, l, directory.Event{Type: directory.EventListingUpdated, At: t0}); err != nil {
			t.Fatal(err)
		}
		agree(t)
	})

	t.Run("forgets deleted listings", func(t *testing.T) {
		if err := db.DeleteListing(ctx, ids[1], directory.Event{Type: directory.EventListingDeleted, At: t0}); err != nil {
			t.Fatal(err)
		}
		agree(t)
	})

	t.Run("forgets the listings of a deleted enterprise", func(t *testing.T) {
		if err := db.DeleteEnterprise(ctx, owners[2].ID, directory.Event{Type: directory.EventEnterpriseDeleted, At: t0}); err != nil {
			t.Fatal(err)
		}
		agree(t)
	})

	t.Run("gives the totals of searches", func(t *testing.T) {
		for _, tc := range []struct {
			q    directory.ListingQuery
			want int
		}{
			{directory.ListingQuery{}, 7},
			{directory.ListingQuery{Status: directory.StatusOpen, Today: "2026-02-01"}, 6},
			{directory.ListingQuery{Status: directory.StatusOpen, Today: "2026-06-01"}, 2},
			{directory.ListingQuery{Status: directory.StatusExpired, Today: "2026-06-01"}, 4},
			{directory.ListingQuery{Type: directory.Need, Categories: []directory.Category{"food", "housing"}}, 2},
			{directory.ListingQuery{Origin: directory.OriginPartners}, 0},
		} {
			tc.q.Page = directory.Page{Page: 1, PerPage: 1}
			page, err := db.SearchListings(ctx, tc.q)
			if err != nil || page.Total != tc.want {
				t.Errorf("%+v: total %v, %v; want %d", tc.q, page, err, tc.want)
			}
		}
	})
}
