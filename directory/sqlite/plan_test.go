package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/storetest"
)

// TestStoreDensePlans runs the conformance suite with every text search
// and sector filter taking the plans meant for words and sectors found in
// many rows, which the suite's small data would otherwise never reach.
func TestStoreDensePlans(t *testing.T) {
	saved, savedWalk := denseMatches, sectorWalk
	denseMatches, sectorWalk = 0, 1<<30
	t.Cleanup(func() { denseMatches, sectorWalk = saved, savedWalk })
	storetest.Run(t, func(t *testing.T) directory.Store {
		ctx := context.Background()
		db, err := Open(ctx, filepath.Join(t.TempDir(), "coopdir.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Migrate(ctx); err != nil {
			db.Close()
			t.Fatal(err)
		}
		return db
	})
}
