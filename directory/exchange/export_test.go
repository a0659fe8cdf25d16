package exchange_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

// sampleJSON holds what the CSV cannot: a second enterprise beside the rich
// row, with a service area.
const sampleJSON = `[
  {"handle": "mkemesh", "name": "MKE Mesh", "kind": "community_network", "sectors": ["internet"],
   "location": {"address": "Milwaukee", "lat": 43.05, "lon": -87.95, "radius_km": 12}, "demo": true}
]`

const emptyExport = `{
  "format": "coopdir-directory",
  "version": 2,
  "enterprises": [],
  "listings": [],
  "announcements": [],
  "logos": []
}
`

// export returns what Export writes of svc in format f.
func export(t *testing.T, svc *directory.Service, f exchange.Format) string {
	t.Helper()
	var buf bytes.Buffer
	if err := exchange.Export(sys, &buf, svc, f); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// mustImport imports content in format f into svc, every row valid.
func mustImport(t *testing.T, svc *directory.Service, f exchange.Format, content string) {
	t.Helper()
	if _, report, err := importFile(t, svc, f, content, false); err != nil {
		t.Fatalf("%v\n%s", err, report)
	}
}

func TestExport(t *testing.T) {
	onEachEngine(t, func(t *testing.T, src *directory.Service) {
		t.Run("writes an empty directory as empty sections or a bare header", func(t *testing.T) {
			if got := export(t, src, exchange.JSON); got != emptyExport {
				t.Errorf("json: %q", got)
			}
			if got := export(t, src, exchange.CSV); got != strings.Join(exchange.Columns, ",")+"\n" {
				t.Errorf("csv: %q", got)
			}
		})
		mustImport(t, src, exchange.CSV, richCSV)
		mustImport(t, src, exchange.JSON, sampleJSON)
		for _, f := range []exchange.Format{exchange.JSON, exchange.CSV} {
			t.Run("reads back its own "+string(f)+" into another database unchanged", func(t *testing.T) {
				exported := export(t, src, f)
				dst := openService(t, "sqlite:"+t.TempDir()+"/copy.db")
				mustImport(t, dst, f, exported)
				if again := export(t, dst, f); again != exported {
					t.Errorf("round trip changed the export:\n%s\nbecame\n%s", exported, again)
				}
			})
		}
		t.Run("orders by handle", func(t *testing.T) {
			if got := handles(t, src); got != "mkemesh,riverwest" {
				t.Errorf("handles %q", got)
			}
		})
		t.Run("refuses a caller who is not an admin", func(t *testing.T) {
			err := exchange.Export(context.Background(), &bytes.Buffer{}, src, exchange.JSON)
			if directory.ErrorCode(err) != directory.EUNAUTHORIZED {
				t.Errorf("error %v", err)
			}
		})
		t.Run("refuses an unknown format", func(t *testing.T) {
			if err := exchange.Export(sys, &bytes.Buffer{}, src, "xml"); directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("error %v", err)
			}
		})
	})
}
