package exchange_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

func TestReadJSON(t *testing.T) {
	t.Run("numbers elements by the line they start on", func(t *testing.T) {
		rows, err := exchange.ReadJSON("x.json", []byte("[\n  {\"handle\": \"a\"},\n\n  {\n    \"handle\": \"b\"\n  }, {\"handle\": \"c\"}\n]\n"))
		if err != nil || len(rows) != 3 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		if got := []int{rows[0].Line, rows[1].Line, rows[2].Line}; !slices.Equal(got, []int{2, 4, 6}) {
			t.Errorf("lines %v", got)
		}
	})
	t.Run("matches keys as encoding/json does", func(t *testing.T) {
		rows, err := exchange.ReadJSON("x.json", []byte(`[{"Handle": "x", "NAME": "X", "kind": "other", "handle": "y",
			"Location": {"LAT": 1.5, "lon": 2}, "created_at": "2026-01-02T03:04:05Z"}]`))
		if err != nil || len(rows) != 1 || len(rows[0].Problems) != 0 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		e := rows[0].Enterprise
		if e.Handle != "y" || e.Name != "X" || *e.Location.Lat != 1.5 || *e.Location.Lon != 2 || e.CreatedAt.Year() != 2026 {
			t.Errorf("parsed %+v", e)
		}
	})
	t.Run("reports every field of the wrong type and every unknown field", func(t *testing.T) {
		rows, err := exchange.ReadJSON("x.json", []byte(`[{"handle": "x", "name": 7, "sectors": ["a", 3],
			"location": {"lat": "north", "lon": true, "altitude": 3}, "founded": "1990", "colour": "red", "demo": "yes"}]`))
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		var got []string
		for _, p := range rows[0].Problems {
			got = append(got, p.Field+": "+p.Message)
		}
		want := []string{
			"name: must be a string, not number",
			"sectors: must be a string, not number",
			"location.lat: must be a number, not string",
			"location.lon: must be a number, not bool",
			"location.altitude: is not a field of a location",
			"founded: must be a number, not string",
			"colour: is not a field of an enterprise",
			"demo: must be true or false, not string",
		}
		if !slices.Equal(got, want) {
			t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if l := rows[0].Enterprise.Location; l.Lat == nil || l.Lon == nil {
			t.Errorf("a coordinate of the wrong type is not left given: %+v", l)
		}
	})
	t.Run("reads a non-object as a row without an enterprise", func(t *testing.T) {
		rows, err := exchange.ReadJSON("x.json", []byte(`[42, "x", [], null]`))
		if err != nil || len(rows) != 4 {
			t.Fatalf("rows %+v, err %v", rows, err)
		}
		for i, value := range []string{"number", "string", "array"} {
			want := []directory.FieldError{{Field: "element", Rule: "type", Message: "must be an object, not " + value}}
			if rows[i].Enterprise != nil || !slices.Equal(rows[i].Problems, want) {
				t.Errorf("element %d: %+v", i, rows[i])
			}
		}
		if rows[3].Enterprise == nil || len(rows[3].Problems) != 0 {
			t.Errorf("null: %+v, want an empty enterprise", rows[3])
		}
	})
}

func TestWriteJSON(t *testing.T) {
	t.Run("writes an indented array without HTML escapes that reads back", func(t *testing.T) {
		e := &directory.Enterprise{Handle: "x", Name: "X & <Y>", Kind: directory.KindOther, Sectors: []string{}, Languages: []string{"en"}}
		var buf bytes.Buffer
		if err := exchange.WriteJSON(&buf, yield(e, e)); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		if !strings.HasPrefix(out, "[\n  {\n    \"handle\": \"x\",\n    \"name\": \"X & <Y>\",") || !strings.HasSuffix(out, "\n  }\n]\n") {
			t.Errorf("wrote\n%s", out)
		}
		rows, err := exchange.ReadJSON("x.json", buf.Bytes())
		if err != nil || len(rows) != 2 || len(rows[1].Problems) != 0 || rows[1].Enterprise.Name != e.Name {
			t.Errorf("read back %+v, %v", rows, err)
		}
	})
	t.Run("writes an empty array for no enterprises", func(t *testing.T) {
		var buf bytes.Buffer
		if err := exchange.WriteJSON(&buf, yield()); err != nil || buf.String() != "[]\n" {
			t.Errorf("wrote %q, %v", buf.String(), err)
		}
	})
}
