package main

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/exchange"
	"github.com/coopdir/coopdir/instance"
)

// quotedCSV has text that needs quoting and escaping in both formats (every
// column is checked in directory/exchange).
const quotedCSV = `handle,name,kind,summary,radius_km,lat,lon
riverwest,"Riverwest ""People's"" Co-op",consumer_coop,"Line one, with a comma
line two <b>& more</b>",2.5,43.0712,-87.8968
`

// loadSample fills the database at dsn with the demo directory and the quoted row.
func loadSample(t *testing.T, r *runner, dsn string) {
	t.Helper()
	ctx := context.Background()
	db, err := instance.OpenDatabase(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := demo.Load(ctx, newService(db)); err != nil {
		t.Fatal(err)
	}
	r.ok("import", "--database", dsn, writeFile(t, "quoted.csv", quotedCSV))
}

// withoutTimes decodes a JSON export and drops the timestamps, which are
// those of the importing database.
func withoutTimes(t *testing.T, export string) []map[string]any {
	t.Helper()
	var items []map[string]any
	if err := json.Unmarshal([]byte(export), &items); err != nil {
		t.Fatalf("export is not a JSON array: %v\n%s", err, export)
	}
	for _, it := range items {
		delete(it, "created_at")
		delete(it, "updated_at")
	}
	return items
}

func TestExportJSONRoundTrip(t *testing.T) {
	r := newRunner(t)
	src, dst := tempDB(t), tempDB(t)
	loadSample(t, r, src)
	exported := r.ok("export", "--database", src).stdout
	if !strings.HasPrefix(exported, "[\n  {\n    \"handle\": ") || !strings.Contains(exported, "<b>& more</b>") {
		t.Errorf("export is not an indented array with unescaped text:\n%s", exported)
	}
	file := writeFile(t, "export.json", exported)
	if res := r.ok("import", "--database", dst, file); res.stdout != "created 6, updated 0, unchanged 0, skipped 0\n" {
		t.Fatalf("import: %q", res.stdout)
	}
	again := r.ok("export", "--database", dst).stdout
	if a, b := withoutTimes(t, exported), withoutTimes(t, again); !reflect.DeepEqual(a, b) {
		t.Errorf("round trip changed the export:\n%s\nbecame\n%s", exported, again)
	}
	if res := r.ok("import", "--database", dst, file); res.stdout != "created 0, updated 0, unchanged 6, skipped 0\n" {
		t.Errorf("re-import: %q", res.stdout)
	}
}

func TestExportCSVRoundTrip(t *testing.T) {
	r := newRunner(t)
	src, dst := tempDB(t), tempDB(t)
	loadSample(t, r, src)
	exported := r.ok("export", "--format", "csv", "--database", src).stdout
	if !strings.HasPrefix(exported, strings.Join(exchange.Columns, ",")+"\n") {
		t.Errorf("no header row:\n%s", exported)
	}
	r.ok("import", "--database", dst, writeFile(t, "export.csv", exported))
	if again := r.ok("export", "--format", "csv", "--database", dst).stdout; again != exported {
		t.Errorf("round trip changed the export:\n%s\nbecame\n%s", exported, again)
	}
}

func TestExportOfAnEmptyDirectory(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	if got := r.ok("export", "--database", db).stdout; got != "[]\n" {
		t.Errorf("json: %q", got)
	}
	if got := r.ok("export", "--format", "csv", "--database", db).stdout; got != strings.Join(exchange.Columns, ",")+"\n" {
		t.Errorf("csv: %q", got)
	}
}
