package main

import (
	"strings"
	"testing"
)

const goodCSV = `handle,name,kind,sectors,summary,lat,lon,languages,demo
shakyhands,Shaky Hands,worker_coop,screen printing;union shop,"Worker-owned
screen printing.",43.0389,-87.9065,en;es,true
floracoop,Flora Cooperative,worker_coop,painting,,,,en,
mkemesh,MKE Mesh Cooperative,community_network,internet,Low-cost internet,43.05,-87.95,,
`

// exportHandles returns the handles in the JSON export of db.
func exportHandles(t *testing.T, r *runner, db string) []string {
	t.Helper()
	var handles []string
	for _, line := range strings.Split(r.ok("export", "--database", db).stdout, "\n") {
		if h, ok := strings.CutPrefix(strings.TrimSpace(line), `"handle": "`); ok {
			handles = append(handles, strings.TrimSuffix(h, `",`))
		}
	}
	return handles
}

func TestImportCSV(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	file := writeFile(t, "coops.csv", goodCSV)

	res := r.ok("import", file)
	if res.stdout != "created 3, updated 0, unchanged 0, skipped 0\n" || res.stderr != "" {
		t.Fatalf("stdout %q, stderr %q", res.stdout, res.stderr)
	}
	t.Run("a re-import changes nothing", func(t *testing.T) {
		r.t = t
		if res := r.ok("import", file); res.stdout != "created 0, updated 0, unchanged 3, skipped 0\n" {
			t.Errorf("stdout %q", res.stdout)
		}
	})
	t.Run("a changed row is updated", func(t *testing.T) {
		r.t = t
		changed := writeFile(t, "coops.csv", strings.Replace(goodCSV, "Flora Cooperative", "Flora Painting Cooperative", 1))
		if res := r.ok("import", changed); res.stdout != "created 0, updated 1, unchanged 2, skipped 0\n" {
			t.Errorf("stdout %q", res.stdout)
		}
	})
	t.Run("reads stdin with --format", func(t *testing.T) {
		r.t = t
		r.stdin = "handle,name,kind\nriverwest,Riverwest Co-op,consumer_coop\n"
		if res := r.ok("import", "--format", "csv", "-"); res.stdout != "created 1, updated 0, unchanged 0, skipped 0\n" {
			t.Errorf("stdout %q", res.stdout)
		}
	})
	t.Run("accepts flags after the file and a byte-order mark", func(t *testing.T) {
		r.t = t
		bom := writeFile(t, "bom.txt", "\xef\xbb\xbfHandle,Name,Kind\nriverwest,Riverwest Co-op,consumer_coop\n")
		if res := r.ok("import", bom, "--format", "csv"); res.stdout != "created 0, updated 0, unchanged 1, skipped 0\n" {
			t.Errorf("stdout %q", res.stdout)
		}
	})
}

// badCSV has four bad rows among two good ones: a kind outside the
// vocabulary, a latitude that is not a number (a parse error) with a missing
// name and a bad email (all three reported), a handle used twice, and a row
// with a missing field. The quoted summary spans two lines, so line numbers
// are not row numbers.
const badCSV = `handle,name,kind,summary,email,lat,lon
good1,Good One,worker_coop,"two
lines",,,
bad-kind,Bad Kind,corporation,,,,
badlat,,worker_coop,,not-an-email,north,-87.9
good1,Good Again,worker_coop,,,,
good2,Good Two,mutual_aid,,,,
short,Short Row,worker_coop
`

const badCSVReport = `%[1]s:4: bad-kind: kind: must be one of worker_coop, consumer_coop, producer_coop, housing_coop, multi_stakeholder_coop, credit_union, land_trust, mutual_aid, time_bank, tool_library, community_network, union, food_sovereignty, assembly, other
%[1]s:5: badlat: name: is required
%[1]s:5: badlat: email: must be an email address such as info@example.org
%[1]s:5: badlat: lat: "north" is not a number
%[1]s:6: good1: handle "good1" is already used on line 2
%[1]s:8: short: row: has 3 fields, the header has 7
`

func TestImportReportsEveryBadRow(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	file := writeFile(t, "bad.csv", badCSV)

	t.Run("imports nothing without --skip-invalid", func(t *testing.T) {
		r.t = t
		res := r.run("import", file)
		want := strings.ReplaceAll(badCSVReport, "%[1]s", file) + "coopdir import: 4 of 6 rows are invalid; nothing was imported\n"
		if res.code != ExitUsage || res.stderr != want || res.stdout != "" {
			t.Errorf("exit %d\nstdout %q\n got stderr:\n%s\nwant:\n%s", res.code, res.stdout, res.stderr, want)
		}
		if h := exportHandles(t, r, db); len(h) != 0 {
			t.Errorf("imported %v", h)
		}
	})
	t.Run("imports the good rows with --skip-invalid", func(t *testing.T) {
		r.t = t
		res := r.run("import", "--skip-invalid", file)
		want := strings.ReplaceAll(badCSVReport, "%[1]s", file)
		if res.code != ExitOK || res.stderr != want || res.stdout != "created 2, updated 0, unchanged 0, skipped 4\n" {
			t.Errorf("exit %d\nstdout %q\nstderr:\n%s", res.code, res.stdout, res.stderr)
		}
		if h := exportHandles(t, r, db); strings.Join(h, ",") != "good1,good2" {
			t.Errorf("imported %v", h)
		}
	})
	t.Run("fails when --skip-invalid leaves nothing", func(t *testing.T) {
		r.t = t
		only := writeFile(t, "only.csv", "handle,name,kind\nBAD,,\n")
		res := r.run("import", "--skip-invalid", only)
		want := only + ":2: BAD: handle: may contain only lowercase letters, digits and _, with . or - inside\n" +
			only + ":2: BAD: name: is required\n" +
			only + ":2: BAD: kind: must be one of " + strings.Split(strings.SplitN(badCSVReport, "must be one of ", 2)[1], "\n")[0] + "\n" +
			"coopdir import: all 1 rows are invalid; nothing was imported\n"
		if res.code != ExitUsage || res.stderr != want {
			t.Errorf("exit %d\n got stderr:\n%s\nwant:\n%s", res.code, res.stderr, want)
		}
	})
}

// TestImportRefusesMalformedFiles checks how the command reports a file it
// cannot read at all; directory/exchange tests every such message.
func TestImportRefusesMalformedFiles(t *testing.T) {
	r := newRunner(t)
	r.env["DATABASE_URL"] = tempDB(t)
	tests := []struct {
		name, file, content, stderr string
	}{
		{"a repeated column", "a.csv", "handle,name,kind,name\n", `%s:1: column "name" appears twice in the header`},
		{"a JSON syntax error", "a.json", "[\n  {\"handle\": \"x\",},\n]", "%s:2: malformed JSON: invalid character '}' looking for beginning of object key string"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			file := writeFile(t, tt.file, tt.content)
			r.fails(ExitUsage, "coopdir import: "+strings.ReplaceAll(tt.stderr, "%s", file), "import", file)
		})
	}
	t.Run("a missing file", func(t *testing.T) {
		r.t = t
		r.fails(ExitUsage, "coopdir import: open /nonexistent/x.csv: no such file or directory", "import", "/nonexistent/x.csv")
	})
}

const jsonFile = `[
  {"handle": "shakyhands", "name": "Shaky Hands", "kind": "worker_coop",
   "location": {"address": "Milwaukee, WI", "lat": 43.0389, "lon": -87.9065}},
  {
    "handle": "badlat", "name": "Bad Lat", "kind": "worker_coop",
    "location": {"lat": "north", "lon": -87.9}
  },
  {"handle": "extra", "name": "Extra", "kind": "other", "colour": "red"},
  42,
  {"handle": "shakyhands", "name": "Again", "kind": "worker_coop"},
  {"handle": "nokind", "name": "No Kind"}
]
`

func TestImportJSON(t *testing.T) {
	r := newRunner(t)
	r.env["DATABASE_URL"] = tempDB(t)
	file := writeFile(t, "coops.json", jsonFile)
	res := r.run("import", file)
	want := strings.ReplaceAll(`%s:4: badlat: location.lat: must be a number, not string
%s:8: extra: colour: is not a field of an enterprise
%s:9: (no handle): element: must be an object, not number
%s:10: shakyhands: handle "shakyhands" is already used on line 2
%s:11: nokind: kind: must be one of`, "%s", file)
	if res.code != ExitUsage || !strings.HasPrefix(res.stderr, want) ||
		!strings.HasSuffix(res.stderr, "\ncoopdir import: 5 of 6 rows are invalid; nothing was imported\n") {
		t.Errorf("exit %d\n got stderr:\n%s\nwant it to start:\n%s", res.code, res.stderr, want)
	}
}
