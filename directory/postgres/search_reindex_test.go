package postgres

import (
	"context"
	"testing"

	"github.com/coopdir/coopdir/directory/storetest"
)

// TestReindexesAnOldIndex stores entries, rewrites their search columns as
// they were before stems (and empties the vocabulary, as migration 00019
// leaves it): the start-up reindex (Migrate) makes them findable by their
// stems.
func TestReindexesAnOldIndex(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	eid, lid := storetest.SeedReindex(t, db)
	old := storetest.ReindexOldDocuments
	for _, stmt := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE enterprises SET search_name = $2, search_tags = $3, search_body = $4 WHERE id = $1`, []any{eid, old.Name, old.Tags, old.Body}},
		{`UPDATE listings SET search_name = $2, search_body = $3 WHERE id = $1`, []any{lid, old.Title, old.ListingBody}},
		{`DELETE FROM search_vocabulary`, nil},
		{`UPDATE search_index SET version = 0`, nil},
	} {
		if _, err := db.pool.Exec(ctx, stmt.sql, stmt.args...); err != nil {
			t.Fatal(err)
		}
	}
	storetest.CheckReindexed(t, db, false)
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	storetest.CheckReindexed(t, db, true)
}
