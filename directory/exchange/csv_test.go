package exchange_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

// richCSV sets every column, with text that needs quoting and escaping.
const richCSV = `handle,name,kind,sectors,summary,website,email,phone,address,lat,lon,radius_km,founded,governance,membership,languages,logo,demo
riverwest,"Riverwest ""People's"" Co-op",consumer_coop,grocery;café,"Line one, with a comma
line two <b>& more</b>",https://riverwest.example,info@riverwest.example,+1 (414) 555-0100,"Riverwest, Milwaukee",43.0712,-87.8968,2.5,1992,One member one vote,open,en;es;hmn,/static/logo.png,
`

// problems lists a row's problems as field:rule.
func problems(r directory.ParsedRow) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Field+":"+p.Rule)
	}
	return out
}

func TestReadCSV(t *testing.T) {
	t.Run("reads every column", func(t *testing.T) {
		rows, err := exchange.ReadCSV("x.csv", []byte(richCSV))
		if err != nil || len(rows) != 1 || len(rows[0].Problems) != 0 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		e := rows[0].Enterprise
		got := fmt.Sprint(e.Name, "|", e.Sectors, "|", *e.Location.Lat, "|", *e.Location.RadiusKM, "|", e.Founded, "|", e.Languages, "|", e.Membership)
		if want := `Riverwest "People's" Co-op|[grocery café]|43.0712|2.5|1992|[en es hmn]|open`; got != want {
			t.Errorf("parsed %s, want %s", got, want)
		}
	})
	t.Run("takes columns in any order and case, after a byte-order mark", func(t *testing.T) {
		rows, err := exchange.ReadCSV("x.csv", []byte("\xef\xbb\xbfKind, Handle ,NAME,demo\nother,x,X,yes\n"))
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		if e := rows[0].Enterprise; e.Handle != "x" || e.Name != "X" || e.Kind != directory.KindOther || !e.Demo {
			t.Errorf("parsed %+v", e)
		}
	})
	t.Run("numbers rows by the line they start on", func(t *testing.T) {
		rows, err := exchange.ReadCSV("x.csv", []byte("handle,name,kind,summary\na,A,other,\"one\ntwo\nthree\"\nb,B,other,\n"))
		if err != nil || len(rows) != 2 || rows[0].Line != 2 || rows[1].Line != 5 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
	})
	t.Run("reports every value that fails to parse", func(t *testing.T) {
		rows, err := exchange.ReadCSV("x.csv", []byte("handle,name,kind,lat,lon,radius_km,founded,demo\nx,X,other,north,west,far,old,maybe\n"))
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		want := []string{"location.lat:number", "location.lon:number", "location.radius_km:number", "founded:number", "demo:bool"}
		if got := problems(rows[0]); !slices.Equal(got, want) {
			t.Errorf("problems %v, want %v", got, want)
		}
	})
	t.Run("reads a row with too few fields and says so", func(t *testing.T) {
		rows, err := exchange.ReadCSV("x.csv", []byte("handle,name,kind,lat\nx,X,other,north\ny,Y\n"))
		if err != nil || len(rows) != 2 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		if got := problems(rows[1]); !slices.Equal(got, []string{"row:columns"}) || rows[1].Enterprise.Name != "Y" {
			t.Errorf("problems %v, enterprise %+v", got, rows[1].Enterprise)
		}
	})
}

// TestReadRefusesMalformedFiles checks the one error of a file that cannot
// be read at all.
func TestReadRefusesMalformedFiles(t *testing.T) {
	columns := strings.Join(exchange.Columns, ",")
	tests := []struct {
		name    string
		format  exchange.Format
		content string
		want    string
	}{
		{"an unknown column", exchange.CSV, "handle,name,kind,colour\n", `f:1: unknown column "colour"; the columns are ` + columns},
		{"missing required columns", exchange.CSV, "handle,summary\n", "f:1: missing required column name, kind"},
		{"a repeated column", exchange.CSV, "handle,name,kind,name\n", `f:1: column "name" appears twice in the header`},
		{"an empty CSV file", exchange.CSV, "", "f:1: the file is empty: expected a header row with the columns " + columns},
		{"a bare quote in CSV", exchange.CSV, "handle,name,kind\nok,Fine,other\nx,Bad \"quote,other\n",
			`f:3: malformed CSV: bare " in non-quoted-field (column 7)`},
		{"an unterminated JSON array", exchange.JSON, "[\n  {\"handle\": \"x\"},\n", "f:3: malformed JSON: unexpected end of file"},
		{"a JSON syntax error", exchange.JSON, "[\n  {\"handle\": \"x\",},\n]", "f:2: malformed JSON: invalid character '}' looking for beginning of object key string"},
		{"a JSON object instead of an array", exchange.JSON, "\n{\"handle\": \"x\"}", "f:2: expected a JSON array of enterprises, as export writes"},
		{"data after the JSON array", exchange.JSON, "[]\n[]", "f:2: unexpected data after the array"},
		{"an unknown format", exchange.Format("xml"), "<x/>", `"xml" is not csv, json or sea-csv`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := exchange.Read("f", tt.format, []byte(tt.content))
			if directory.ErrorCode(err) != directory.EINVALID || err.Error() != tt.want || rows != nil {
				t.Errorf("rows %v, error %v (%s), want %q", rows, err, directory.ErrorCode(err), tt.want)
			}
		})
	}
}

func TestWriteCSV(t *testing.T) {
	t.Run("writes back what it read", func(t *testing.T) {
		rows, err := exchange.ReadCSV("x.csv", []byte(richCSV))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := exchange.WriteCSV(&buf, yield(rows[0].Enterprise)); err != nil {
			t.Fatal(err)
		}
		if buf.String() != richCSV {
			t.Errorf("wrote\n%s\nwant\n%s", buf.String(), richCSV)
		}
	})
	t.Run("writes only the header for no enterprises", func(t *testing.T) {
		var buf bytes.Buffer
		if err := exchange.WriteCSV(&buf, yield()); err != nil || buf.String() != strings.Join(exchange.Columns, ",")+"\n" {
			t.Errorf("wrote %q, %v", buf.String(), err)
		}
	})
}

// yield returns an iterator over es in the shape WriteCSV and WriteJSON take.
func yield(es ...*directory.Enterprise) func(func(*directory.Enterprise) error) error {
	return func(fn func(*directory.Enterprise) error) error {
		for _, e := range es {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
}
