package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/directory/storetest"
)

// TestReindexesAnOldIndex stores entries, rewrites their index entries as
// they were before stems (and empties the vocabulary, as migration 00019
// leaves it), and opens the database again: the start-up reindex makes
// them findable by their stems.
func TestReindexesAnOldIndex(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	eid, lid := storetest.SeedReindex(t, db)
	db.Close()

	raw, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	old := storetest.ReindexOldDocuments
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{`DELETE FROM enterprises_fts WHERE rowid = ?`, []any{eid}},
		{`INSERT INTO enterprises_fts (rowid, name, tags, body) VALUES (?, ?, ?, ?)`, []any{eid, old.Name, old.Tags, old.Body}},
		{`DELETE FROM listings_fts WHERE rowid = ?`, []any{lid}},
		{`INSERT INTO listings_fts (rowid, title, body) VALUES (?, ?, ?)`, []any{lid, old.Title, old.ListingBody}},
		{`DELETE FROM search_vocabulary`, nil},
		{`UPDATE search_index SET version = 0`, nil},
	} {
		if _, err := raw.ExecContext(ctx, stmt.sql, stmt.args...); err != nil {
			t.Fatal(err)
		}
	}
	raw.Close()

	db, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.CheckReindexed(t, db, false)
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.CheckReindexed(t, db, true)
}
