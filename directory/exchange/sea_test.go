package exchange_test

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/exchange"
	"github.com/coopdir/coopdir/instance/instancetest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// seaFile is a SEA standard CSV as SEA's pipelines write it (a UTF-8 BOM,
// CRLF, dataset columns of its own, terms as URIs of several hosts, codes
// and labels), with rows that lack coordinates, a multi-line address, and
// on line 9 a row with a bad email and latitude.
const seaFile = "testdata/sea_realistic.csv"

func readSEAFile(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(seaFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestReadSEA(t *testing.T) {
	rows, err := exchange.ReadSEA("f", []byte(readSEAFile(t)))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		e := r.Enterprise
		coords := "no point"
		if e.Location.HasPoint() {
			coords = fmt.Sprint(*e.Location.Lat, ",", *e.Location.Lon)
		}
		got[e.Handle] = fmt.Sprintf("%d|%s|%s|%s|%s", r.Line, e.Kind, strings.Join(e.Sectors, ";"), e.Location.Address, coords)
	}
	for handle, want := range map[string]string{
		// A Community Benefit Society (no kind of ours) of ICA "other
		// services" for consumers: all three become sectors; the
		// postcode's coordinates stand in for the missing ones.
		"r006884": "2|other|community benefit society;other services;consumer members|11 Temple Street, Maesteg, Bridgend, CF34 9YY, GB|51.608344,-3.654703",
		"r007634": "3|other|company;construction;producer members|2 Arinabea Cottage, Tyndrum, Crianlarich, Argyll and Bute, FK20 8SB, GB|56.437628,-4.810429",
		// A label that is no term's is kept as a sector; a numeric
		// Identifier gets the name before it.
		"agricultores-federados-argen-0": "5|other|agriculture;co-operative|Mitre 1132, Rosario, AR|-32.9442426,-60.6505388",
		// A plain Cooperative of producers is a producer co-op.
		"coop-casmul-12":        "6|producer_coop|agriculture;retail|San Manuel, Cortes, HN|15.3327467,-87.9187711",
		"bristol-bike-project":  "7|worker_coop|repair and reuse;transport;self-management;bicycle repair|Bristol, GB|no point",
		"leeds-community-homes": "8|housing_coop||Unit 5, 44 Burley Road, Leeds, LS3 1JA, GB|53.8022,-1.5704",
		"green-fuel":            "10|consumer_coop|energy;environment|GB|no point",
		"oxford-mutual-aid":     "11|other|community group;health and care;food|Oxford, GB|51.752,-1.2577",
		// "admin" is reserved: the name comes first.
		"radical-routes-admin": "12|other|co-op of co-ops;finance|Leeds, GB|no point",
		"coop-11-a":            "13|worker_coop|food|Montevideo, UY|-34.9011,-56.1645",
		// An unknown qualifier keeps its code.
		"unicorn-grocery":   "14|multi_stakeholder_coop|food;gender equity;organic;q90|89 Albany Road, Manchester, M21 0BN, GB|53.4402,-2.2772",
		"nameless-id-co-op": "15|other|co-op|Glasgow, GB|no point",
	} {
		if got[handle] != want {
			t.Errorf("%s: %q\nwant %q", handle, got[handle], want)
		}
	}
	if len(rows) != 13 {
		t.Fatalf("%d rows", len(rows))
	}
	// Description is HTML: the summary is its text.
	if got, want := rows[7].Enterprise.Summary, "Heating oil, bought together.\n\nMembers & friends\nsave 20%"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

func TestReadSEARefusesBadFiles(t *testing.T) {
	header := strings.Join(exchange.SEAColumns, ",") + "\r\n"
	for _, tc := range []struct{ name, data, want string }{
		{"invalid UTF-8, with its line", header + "a,A\r\nb,B\r\nc,Caf\xe9\r\n", "f:4: invalid UTF-8 at column 6 (byte 0xe9): the file must be UTF-8"},
		{"no Identifier column", "Name,Website\r\nA,\r\n", `f:1: missing required column "identifier"`},
		{"a column twice", "Identifier,Name,name\r\n", `f:1: column "name" appears twice in the header`},
		{"an empty file", "", "f:1: the file is empty"},
		{"malformed CSV", header + "a,\"A\r\n", "f:2: malformed CSV"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := exchange.ReadSEA("f", []byte(tc.data))
			if directory.ErrorCode(err) != directory.EINVALID || !strings.HasPrefix(directory.ErrorMessage(err), tc.want) {
				t.Errorf("error %v, want %s", err, tc.want)
			}
		})
	}
}

func TestReadCSVPointsToSEA(t *testing.T) {
	_, err := exchange.ReadCSV("f", []byte(readSEAFile(t)))
	if directory.ErrorCode(err) != directory.EINVALID || !strings.HasSuffix(err.Error(), "(is it a SEA standard CSV? Its format is sea-csv)") {
		t.Errorf("error %v", err)
	}
}

// seaBadReport is what import says of the realistic file.
const seaBadReport = `f:9: bad-data-coop: Email: must be an email address such as info@example.org
f:9: bad-data-coop: Latitude: "fifty-one" is not a number
`

func TestImportSEA(t *testing.T) {
	onEachEngine(t, func(t *testing.T, svc *directory.Service) {
		t.Run("reports every bad row by line and SEA column and imports nothing", func(t *testing.T) {
			_, report, err := importFile(t, svc, exchange.SEACSV, readSEAFile(t), false)
			if report != seaBadReport || directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("error %v, report\n%s\nwant\n%s", err, report, seaBadReport)
			}
			if got := handles(t, svc); got != "" {
				t.Errorf("imported %q", got)
			}
		})
		t.Run("imports the good rows with --skip-invalid", func(t *testing.T) {
			res, report, err := importFile(t, svc, exchange.SEACSV, readSEAFile(t), true)
			if err != nil || report != seaBadReport || res.Created != 12 || len(res.Invalid) != 1 {
				t.Fatalf("error %v, result %+v, report\n%s", err, res, report)
			}
			e, err := svc.Enterprise(sys, "unicorn-grocery")
			if err != nil || e.Email != "office@unicorn-grocery.coop" || e.Summary != "A worker-owned wholefood grocery." {
				t.Errorf("stored %+v, %v", e, err)
			}
		})
		t.Run("changes nothing when the same file comes again", func(t *testing.T) {
			res, _, err := importFile(t, svc, exchange.SEACSV, readSEAFile(t), true)
			if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != 12 {
				t.Errorf("error %v, result %+v", err, res)
			}
		})
	})
}

// TestExportSEAGolden compares the SEA export of the demo directory with
// testdata/sea_demo.csv (go test -run TestExportSEAGolden -update
// rewrites it).
func TestExportSEAGolden(t *testing.T) {
	onEachEngine(t, func(t *testing.T, svc *directory.Service) {
		if err := demo.Load(sys, svc); err != nil {
			t.Fatal(err)
		}
		got := export(t, svc, exchange.SEACSV)
		const golden = "testdata/sea_demo.csv"
		if *update {
			if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("export differs from %s:\n%s", golden, got)
		}
	})
}

// TestSEARoundTrip: what a directory exports as SEA CSV imports into a
// fresh database of either engine as the same enterprises, every field
// of ours included.
func TestSEARoundTrip(t *testing.T) {
	for _, pair := range [][2]instancetest.Engine{
		{instancetest.SQLite, instancetest.SQLite}, {instancetest.Postgres, instancetest.Postgres},
		{instancetest.SQLite, instancetest.Postgres}, {instancetest.Postgres, instancetest.SQLite},
	} {
		from, to := pair[0], pair[1]
		t.Run(string(from)+" to "+string(to), func(t *testing.T) {
			src := openService(t, instancetest.DSN(t, from))
			if err := demo.Load(sys, src); err != nil {
				t.Fatal(err)
			}
			mustImport(t, src, exchange.CSV, richCSV)
			mustImport(t, src, exchange.JSON, sampleJSON)
			if _, report, err := importFile(t, src, exchange.SEACSV, readSEAFile(t), true); err != nil {
				t.Fatalf("%v\n%s", err, report)
			}
			exported := export(t, src, exchange.SEACSV)
			dst := openService(t, instancetest.DSN(t, to))
			mustImport(t, dst, exchange.SEACSV, exported)
			if a, b := export(t, src, exchange.CSV), export(t, dst, exchange.CSV); a != b {
				t.Errorf("the enterprises changed:\n%s\nbecame\n%s", a, b)
			}
			if again := export(t, dst, exchange.SEACSV); again != exported {
				t.Errorf("the SEA export changed:\n%s\nbecame\n%s", exported, again)
			}
			res, _, err := importFile(t, dst, exchange.SEACSV, exported, false)
			if err != nil || res.Unchanged != 18 {
				t.Errorf("importing again: %v, %+v", err, res)
			}
		})
	}
}

// BenchmarkReadSEA reads a SEA file of about 10,000 rows: the realistic
// file's rows again and again (reading does not mind that the
// identifiers repeat; importing would).
func BenchmarkReadSEA(b *testing.B) {
	data, err := os.ReadFile(seaFile)
	if err != nil {
		b.Fatal(err)
	}
	header, body, _ := strings.Cut(string(data), "\r\n")
	in := []byte(header + "\r\n" + strings.Repeat(body, 10000/13))
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		if _, err := exchange.ReadSEA("f", in); err != nil {
			b.Fatal(err)
		}
	}
}
