package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
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

// timeLine matches the times of an export, which are those of the
// importing database (enterprises) or of the moment a row was made.
var timeLine = regexp.MustCompile(`(?m)^\s*"(created|updated)_at": "[^"]*",?\n`)

// withoutTimes is a JSON export without its times.
func withoutTimes(export string) string { return timeLine.ReplaceAllString(export, "") }

// sampleCounts is what importing the sample into an empty database says.
const sampleCounts = `created 6, updated 0, unchanged 0, skipped 0
listings: created 8, updated 0, unchanged 0
announcements: created 5, updated 0, unchanged 0
logos: created 0, updated 0, unchanged 0
`

func TestExportJSONRoundTrip(t *testing.T) {
	r := newRunner(t)
	src, dst := tempDB(t), tempDB(t)
	loadSample(t, r, src)
	exported := r.ok("export", "--database", src).stdout
	if !strings.HasPrefix(exported, "{\n  \"format\": \"coopdir-directory\",\n  \"version\": 2,\n  \"enterprises\": [\n    {\n      \"handle\": ") ||
		!strings.Contains(exported, "<b>& more</b>") || !strings.Contains(exported, `"listings": [`) {
		t.Errorf("export is not an indented version 2 object with unescaped text:\n%s", exported)
	}
	file := writeFile(t, "export.json", exported)
	if res := r.ok("import", "--database", dst, file); res.stdout != sampleCounts {
		t.Fatalf("import: %q", res.stdout)
	}
	again := r.ok("export", "--database", dst).stdout
	if a, b := withoutTimes(exported), withoutTimes(again); a != b {
		t.Errorf("round trip changed the export:\n%s\nbecame\n%s", a, b)
	}
	unchanged := "created 0, updated 0, unchanged 6, skipped 0\nlistings: created 0, updated 0, unchanged 8\n" +
		"announcements: created 0, updated 0, unchanged 5\nlogos: created 0, updated 0, unchanged 0\n"
	if res := r.ok("import", "--database", dst, file); res.stdout != unchanged {
		t.Errorf("re-import: %q", res.stdout)
	}
	t.Run("writes to --out, and not over a file", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "dir.json")
		r.ok("export", "--database", src, "--out", out)
		if data, err := os.ReadFile(out); err != nil || string(data) != exported {
			t.Errorf("--out wrote %q, %v", data, err)
		}
		r.fails(2, "coopdir export: --out: open "+out+": file exists", "export", "--database", src, "--out", out)
	})
}

func TestExportCSVTablesRoundTrip(t *testing.T) {
	r := newRunner(t)
	src, dst := tempDB(t), tempDB(t)
	loadSample(t, r, src)
	dir := filepath.Join(t.TempDir(), "tables")
	r.ok("export", "--format", "csv", "--out", dir, "--database", src)
	if res := r.ok("import", "--database", dst, dir); res.stdout != sampleCounts {
		t.Fatalf("import: %q", res.stdout)
	}
	a, b := r.ok("export", "--database", src).stdout, r.ok("export", "--database", dst).stdout
	// The tables carry no translations (docs/CLI.md).
	if a, b = withoutTranslations(t, a), withoutTranslations(t, b); withoutTimes(a) != withoutTimes(b) {
		t.Errorf("the tables did not carry the directory:\n%s\nbecame\n%s", a, b)
	}
}

// withoutTranslations is a JSON export without the entries' translations,
// encoded again.
func withoutTranslations(t *testing.T, export string) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal([]byte(export), &doc); err != nil {
		t.Fatal(err)
	}
	for _, section := range []string{"enterprises", "listings", "announcements"} {
		items, _ := doc[section].([]any)
		for _, it := range items {
			delete(it.(map[string]any), "translations")
		}
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
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
	if got := r.ok("export", "--database", db).stdout; !strings.Contains(got, `"enterprises": [],`) {
		t.Errorf("json: %q", got)
	}
	if got := r.ok("export", "--format", "csv", "--database", db).stdout; got != strings.Join(exchange.Columns, ",")+"\n" {
		t.Errorf("csv: %q", got)
	}
}
