package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// seaFile is a SEA standard CSV with a bad row on line 3 (an email and a
// latitude), whose terms are an ESSGlobal URI, a code and a label.
const seaFile = "\xef\xbb\xbfIdentifier,Name,Organisational Structure,Primary Activity,Email,Latitude,Longitude,Locality\r\n" +
	"R1,\"Unicorn Grocery, Ltd\",https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60,AM60,office@unicorn.example,53.44,-2.27,Manchester\r\n" +
	"R2,Bad Data,OS60,,nobody,north,-1,\r\n" +
	"3,Oxford Mutual Aid,Community group (formal or informal),Food,,,,Oxford\r\n"

func TestImportAndExportSEA(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.env["DATABASE_URL"] = db
	file := writeFile(t, "sea.csv", seaFile)
	report := file + ":3: r2: Email: must be an email address such as info@example.org\n" +
		file + ":3: r2: Latitude: \"north\" is not a number\n"

	t.Run("imports nothing while a row is bad", func(t *testing.T) {
		r.t = t
		res := r.run("import", "--format", "sea-csv", file)
		want := report + "coopdir import: 1 of 3 rows are invalid; nothing was imported\n"
		if res.code != ExitUsage || res.stderr != want {
			t.Errorf("exit %d, stderr:\n%s\nwant:\n%s", res.code, res.stderr, want)
		}
	})
	t.Run("imports the good rows with --skip-invalid, then changes nothing", func(t *testing.T) {
		r.t = t
		res := r.run("import", "--format", "sea-csv", "--skip-invalid", file)
		if res.code != ExitOK || res.stderr != report || res.stdout != "created 2, updated 0, unchanged 0, skipped 1\n" {
			t.Errorf("exit %d, stdout %q, stderr:\n%s", res.code, res.stdout, res.stderr)
		}
		if got := strings.Join(exportHandles(t, r, db), ","); got != "oxford-mutual-aid-3,r1" {
			t.Errorf("handles %s", got)
		}
		if res := r.run("import", "--skip-invalid", file, "--format", "sea-csv"); res.stdout != "created 0, updated 0, unchanged 2, skipped 1\n" {
			t.Errorf("again: stdout %q", res.stdout)
		}
	})
	t.Run("exports SEA CSV that a fresh database reads back", func(t *testing.T) {
		r.t = t
		out := filepath.Join(t.TempDir(), "out.csv")
		r.ok("export", "--format", "sea-csv", "--out", out)
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(data), "\n")
		if !strings.HasPrefix(lines[0], "Identifier,Name,Description,Organisational Structure,Primary Activity,") ||
			!strings.HasPrefix(lines[2], "r1,\"Unicorn Grocery, Ltd\",,https://lod.coop/essglobal/2.1/standard/organisational-structure/OS60,https://lod.coop/essglobal/2.1/standard/activities-modified/AM60,") {
			t.Errorf("export:\n%s", data)
		}
		r.env["DATABASE_URL"] = tempDB(t)
		if res := r.ok("import", "--format", "sea-csv", out); res.stdout != "created 2, updated 0, unchanged 0, skipped 0\n" {
			t.Errorf("stdout %q", res.stdout)
		}
		if again := r.ok("export", "--format", "sea-csv").stdout; again != string(data) {
			t.Errorf("the export changed:\n%s\nbecame\n%s", data, again)
		}
	})
}
