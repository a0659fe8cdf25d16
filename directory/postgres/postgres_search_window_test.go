package postgres

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/storetest"
)

// setWindowSpan makes the first window of every window read span ids
// (0: sized from the estimate) for the rest of the test.
func setWindowSpan(t *testing.T, span int64) {
	t.Helper()
	saved := windowSpan
	windowSpan = span
	t.Cleanup(func() { windowSpan = saved })
}

func TestWindowsReadNewestFirst(t *testing.T) {
	db := openDB(t)
	ctx := context.Background()
	// Every enterprise has "kiln"; every third "glaze", every tenth
	// "ember". Every other one is a tool library.
	var es []*directory.Enterprise
	for i := range 300 {
		e := newEnterprise(fmt.Sprintf("k%03d", i))
		e.Name = "Kiln"
		if i%3 == 0 {
			e.Name += " glaze"
		}
		if i%10 == 0 {
			e.Summary = "ember works"
		}
		if i%2 == 0 {
			e.Kind = directory.KindToolLibrary
		}
		es = append(es, e)
	}
	if err := db.ImportEnterprises(ctx, es, nil, t0); err != nil {
		t.Fatal(err)
	}
	searches := []struct {
		text  string
		kinds []string
	}{
		{"kiln", nil},
		{"glaze", nil},
		{"kiln glaze", nil},
		{"kil emb", nil}, // the rare term leads
		{"glaze ember kiln", []string{string(directory.KindToolLibrary)}},
		{"nothing", nil},
	}
	for _, c := range searches {
		w := &where{}
		w.text("e", c.text)
		if c.kinds != nil {
			w.add("e.kind = ANY(" + w.arg(c.kinds) + ")")
		}
		want := matchIDsNewestFirst(t, db, w)
		for _, span := range []int64{0, 1, 7, 64, 1000} {
			for _, stop := range []int{1, 10, len(want), len(want) + 1} {
				t.Run(fmt.Sprintf("%q %v, first window %d, stop after %d", c.text, c.kinds, span, stop), func(t *testing.T) {
					setWindowSpan(t, span)
					var got []int64
					readWindows(t, db, windowScan{table: "enterprises e", alias: "e", w: w}, stop, func(rows pgx.Rows) (bool, error) {
						var id int64
						err := rows.Scan(&id)
						got = append(got, id)
						return len(got) < stop, err
					})
					if exp := want[:min(stop, len(want))]; !slices.Equal(got, exp) {
						t.Errorf("read %v, want %v", got, exp)
					}
				})
			}
		}
	}
}

// matchIDsNewestFirst returns the ids of the enterprises that pass w,
// newest first, read plainly.
func matchIDsNewestFirst(t *testing.T, db *DB, w *where) []int64 {
	t.Helper()
	rows, err := db.pool.Query(context.Background(), `SELECT e.id FROM enterprises e`+w.String()+` ORDER BY e.id DESC`, w.args...)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

// readWindows reads the ids of s's matches through each in a read
// transaction, and checks that index scans are back on afterwards.
func readWindows(t *testing.T, db *DB, s windowScan, want int, each func(pgx.Rows) (bool, error)) {
	t.Helper()
	ctx := context.Background()
	err := db.read(ctx, "windows", func(tx pgx.Tx) error {
		if err := s.newestFirst(ctx, tx, columns("e.id"), want, each); err != nil {
			return err
		}
		var setting string
		if err := tx.QueryRow(ctx, `SHOW enable_indexscan`).Scan(&setting); err != nil {
			return err
		}
		if setting != "on" {
			t.Errorf("enable_indexscan is %s after the windows", setting)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestFacetsInSmallWindows runs the facet tests with windows of a few ids,
// so that capped counts read the suite's small tables in several windows.
func TestFacetsInSmallWindows(t *testing.T) {
	serverURL(t)
	setWindowSpan(t, 3)
	storetest.RunFacets(t, func(t *testing.T) directory.Store { return openDB(t) })
}
