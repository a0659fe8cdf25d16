package sqlite_test

import (
	"database/sql"
	"io/fs"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/pressly/goose/v3"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/migrations"
)

// TestMigrationCountsExistingRows applies the first migration alone, stores
// rows as its schema has them, then migrates the rest: the counts that
// later migrations add must include the rows already there.
func TestMigrationCountsExistingRows(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	first, err := fs.ReadFile(migrations.SQLite, "sqlite/00001_init.sql")
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, raw, fstest.MapFS{"00001_init.sql": {Data: first}},
		goose.WithDisableGlobalRegistry(true), goose.WithLogger(goose.NopLogger()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`INSERT INTO enterprises (id, origin, handle, name, name_key, kind, created_at, updated_at) VALUES
			(1, '', 'a', 'A', 'a', 'worker_coop', 0, 0), (2, '', 'b', 'B', 'b', 'worker_coop', 0, 0),
			(3, 'p.example', 'c', 'C', 'c', 'union', 0, 0)`,
		`INSERT INTO enterprise_sectors (enterprise_id, position, sector) VALUES
			(1, 0, 'food'), (1, 1, 'bakery'), (2, 0, 'food'), (3, 0, 'food')`,
		`INSERT INTO announcements (enterprise_id, content, created_at) VALUES (1, 'x', 0), (3, 'y', 0)`,
	} {
		if _, err := raw.ExecContext(ctx, stmt); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := db.Counts(ctx, "2026-01-01")
	if err != nil {
		t.Fatal(err)
	}
	if c.Enterprises != 3 || c.Announcements != 2 {
		t.Errorf("counts = %+v", *c)
	}
	q := directory.EnterpriseQuery{Origin: directory.OriginLocal}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	f, err := db.EnterpriseFacets(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	wantSectors := []directory.FacetCount{{Value: "food", Count: 2}, {Value: "bakery", Count: 1}}
	if !slices.Equal(f.Sectors, wantSectors) || !slices.Equal(f.Kinds, []directory.FacetCount{{Value: "worker_coop", Count: 2}}) {
		t.Errorf("facets = %+v", f)
	}
	// The sectors' copy of kind and origin was filled in: changing the kind
	// moves their counts.
	e, err := db.FindEnterprise(ctx, "", "b")
	if err != nil {
		t.Fatal(err)
	}
	e.Kind = directory.KindUnion
	if err := db.UpdateEnterprise(ctx, e, directory.Event{Type: directory.EventEnterpriseUpdated}); err != nil {
		t.Fatal(err)
	}
	q.Kinds = []directory.Kind{directory.KindUnion}
	if f, err = db.EnterpriseFacets(ctx, q); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(f.Sectors, []directory.FacetCount{{Value: "food", Count: 1}}) {
		t.Errorf("sectors of local unions = %+v", f.Sectors)
	}
}
