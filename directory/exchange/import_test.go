package exchange_test

import (
	"context"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

// importFile reads content in format f, imports it into svc and returns the
// result, the report and the error.
func importFile(t *testing.T, svc *directory.Service, f exchange.Format, content string, skip bool) (*directory.ImportResult, string, error) {
	t.Helper()
	d, err := exchange.ReadDirectory("f", f, []byte(content))
	if err != nil {
		t.Fatal(err)
	}
	res, err := exchange.ImportDirectory(sys, svc, d, directory.ImportOptions{SkipInvalid: skip})
	var report strings.Builder
	if res != nil {
		if err := exchange.Report(&report, "f", f, res.Invalid); err != nil {
			t.Fatal(err)
		}
	}
	return res, report.String(), err
}

// handles returns the handles of svc's local enterprises.
func handles(t *testing.T, svc *directory.Service) string {
	t.Helper()
	var hs []string
	err := svc.ExportEnterprises(sys, func(e *directory.Enterprise) error {
		hs = append(hs, e.Handle)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(hs, ",")
}

// severalBadCSV has, on line 3, a row with a latitude and a year that do not
// parse beside a missing name, a bad email and a kind outside the
// vocabulary; line 2 is good.
const severalBadCSV = `handle,kind,email,name,lat,lon,founded
good,other,,Good,,,
several,coop,nobody,,north,-87.9,last year
`

const severalBadReport = `f:3: several: name: is required
f:3: several: kind: must be one of worker_coop, consumer_coop, producer_coop, housing_coop, multi_stakeholder_coop, credit_union, land_trust, mutual_aid, time_bank, tool_library, community_network, union, food_sovereignty, assembly, other
f:3: several: email: must be an email address such as info@example.org
f:3: several: lat: "north" is not a number
f:3: several: founded: "last year" is not a year
`

func TestImport(t *testing.T) {
	onEachEngine(t, func(t *testing.T, svc *directory.Service) {
		t.Run("reports every problem of a row with values that fail to parse", func(t *testing.T) {
			res, report, err := importFile(t, svc, exchange.CSV, severalBadCSV, false)
			if report != severalBadReport || err == nil || err.Error() != "1 of 2 rows are invalid; nothing was imported" {
				t.Errorf("error %v, report\n%s\nwant\n%s", err, report, severalBadReport)
			}
			if res.Created != 0 || handles(t, svc) != "" {
				t.Errorf("imported %+v: %q", res, handles(t, svc))
			}
		})
		t.Run("reports every problem of a JSON element with fields of the wrong type", func(t *testing.T) {
			_, report, err := importFile(t, svc, exchange.JSON, `[
  {"handle": "Bad Handle", "kind": "other", "location": {"lat": "north", "lon": 200}, "languages": "en"}
]`, false)
			want := "f:2: Bad Handle: handle: may contain only lowercase letters, digits and _, with . or - inside\n" +
				"f:2: Bad Handle: name: is required\n" +
				"f:2: Bad Handle: location.lat: must be a number, not string\n" +
				"f:2: Bad Handle: location.lon: must be between -180 and 180\n" +
				"f:2: Bad Handle: languages: must be an array, not string\n"
			if report != want || directory.ErrorCode(err) != directory.EINVALID {
				t.Errorf("error %v, report\n%s\nwant\n%s", err, report, want)
			}
		})
		t.Run("imports the good rows with SkipInvalid", func(t *testing.T) {
			res, report, err := importFile(t, svc, exchange.CSV, severalBadCSV, true)
			if err != nil || report != severalBadReport || res.Created != 1 || len(res.Invalid) != 1 {
				t.Fatalf("result %+v, error %v, report\n%s", res, err, report)
			}
			if got := handles(t, svc); got != "good" {
				t.Errorf("imported %q", got)
			}
		})
		t.Run("a re-import changes nothing", func(t *testing.T) {
			res, _, err := importFile(t, svc, exchange.CSV, severalBadCSV, true)
			if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != 1 {
				t.Errorf("result %+v, error %v", res, err)
			}
		})
		t.Run("fails when SkipInvalid leaves nothing", func(t *testing.T) {
			res, report, err := importFile(t, svc, exchange.CSV, "handle,name,kind\nBAD,Bad,other\n", true)
			if err == nil || err.Error() != "all 1 rows are invalid; nothing was imported" || !strings.HasPrefix(report, "f:2: BAD: handle: ") || res.Created != 0 {
				t.Errorf("result %+v, error %v, report\n%s", res, err, report)
			}
		})
		t.Run("refuses a caller who is not an admin", func(t *testing.T) {
			rows, _ := exchange.Read("f", exchange.CSV, []byte(severalBadCSV))
			res, err := exchange.Import(context.Background(), svc, rows, directory.ImportOptions{})
			if res != nil || directory.ErrorCode(err) != directory.EUNAUTHORIZED {
				t.Errorf("result %+v, error %v", res, err)
			}
		})
	})
}

func TestReport(t *testing.T) {
	bad := []directory.RowError{
		{Line: 9, Handle: "b", Message: `handle "b" is already used on line 2`},
		{Line: 4, Message: "invalid enterprise", Fields: []directory.FieldError{
			{Field: "location.lat", Message: "must be\na number"},
			{Field: "colour", Message: "is not a field of an enterprise"},
			{Field: "name", Message: "is required"},
			{Field: "element", Message: "whole"},
		}},
	}
	t.Run("lists rows by line and fields by column, named as the format names them", func(t *testing.T) {
		var buf strings.Builder
		if err := exchange.Report(&buf, "x.csv", exchange.CSV, bad); err != nil {
			t.Fatal(err)
		}
		want := `x.csv:4: (no handle): element: whole
x.csv:4: (no handle): name: is required
x.csv:4: (no handle): lat: must be a number
x.csv:4: (no handle): colour: is not a field of an enterprise
x.csv:9: b: handle "b" is already used on line 2
`
		if buf.String() != want {
			t.Errorf("report\n%s\nwant\n%s", buf.String(), want)
		}
	})
	t.Run("keeps JSON's field names", func(t *testing.T) {
		var buf strings.Builder
		if err := exchange.Report(&buf, "x.json", exchange.JSON, bad[1:]); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), "x.json:4: (no handle): location.lat: must be a number\n") {
			t.Errorf("report\n%s", buf.String())
		}
	})
}
