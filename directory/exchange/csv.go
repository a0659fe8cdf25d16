package exchange

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// ReadCSV parses CSV with a header row (names from Columns, in any order and
// case; handle, name and kind required) into rows. A row with the wrong
// number of fields, or with a value of the wrong type, is a row with
// problems; malformed CSV or a bad header fails the file (EINVALID).
func ReadCSV(file string, data []byte) ([]directory.ParsedRow, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(file, data); err != nil {
		return nil, err
	}
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err == io.EOF {
		return nil, fileError(file, 1, "the file is empty: expected a header row with the columns %s", strings.Join(Columns, ","))
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	cols, err := checkHeader(file, header, Columns, requiredColumns)
	if err != nil {
		return nil, err
	}
	var rows []directory.ParsedRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			row := csvRow(cols, rec, pe.StartLine)
			row.Problems = append(row.Problems, problem("row", "columns",
				"has %d fields, the header has %d", len(rec), len(cols)))
			rows = append(rows, row)
			continue
		}
		if err != nil {
			return nil, csvError(file, err)
		}
		line, _ := r.FieldPos(0)
		rows = append(rows, csvRow(cols, rec, line))
	}
}

func csvError(file string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fileError(file, pe.Line, "malformed CSV: %v (column %d)", pe.Err, pe.Column)
	}
	return fileError(file, 0, "read CSV: %v", err)
}

// checkHeader returns the column names of the header, lowercased, after
// checking that every one is known, none repeats and the required ones are
// there.
func checkHeader(file string, header, columns, required []string) ([]string, error) {
	cols := make([]string, len(header))
	var unknown, missing []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case slices.Contains(cols[:i], h):
			return nil, fileError(file, 1, "column %q appears twice in the header", h)
		case !slices.Contains(columns, h):
			unknown = append(unknown, strconv.Quote(h))
		}
		cols[i] = h
	}
	if len(unknown) > 0 {
		hint := ""
		if slices.Contains(cols, "identifier") && !slices.Contains(cols, "handle") {
			hint = " (is it a SEA standard CSV? Its format is sea-csv)"
		}
		return nil, fileError(file, 1, "unknown column %s; the columns are %s%s", strings.Join(unknown, ", "), strings.Join(columns, ","), hint)
	}
	for _, c := range required {
		if !slices.Contains(cols, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fileError(file, 1, "missing required column %s", strings.Join(missing, ", "))
	}
	return cols, nil
}

// csvRow builds an enterprise from one record. A value of the wrong type is
// a problem of the row, named as the domain names the field
// (location.lat), and leaves a placeholder that passes validation (a
// coordinate of 0), so that validation reports only the row's other
// problems.
func csvRow(cols, rec []string, line int) directory.ParsedRow {
	e := &directory.Enterprise{Sectors: []string{}, Languages: []string{}}
	row := directory.ParsedRow{Line: line, Enterprise: e}
	bad := func(field, rule, format string, args ...any) {
		row.Problems = append(row.Problems, problem(field, rule, format, args...))
	}
	number := func(col, v string) *float64 {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad("location."+col, "number", "%q is not a number", clip(v))
			return new(float64)
		}
		return &f
	}
	for i, v := range rec {
		if i >= len(cols) {
			break
		}
		switch c := cols[i]; c {
		case "handle":
			e.Handle = v
		case "name":
			e.Name = v
		case "kind":
			e.Kind = directory.Kind(strings.TrimSpace(v))
		case "sectors":
			e.Sectors = splitList(v)
		case "summary":
			e.Summary = v
		case "website":
			e.Website = v
		case "email":
			e.Email = v
		case "phone":
			e.Phone = v
		case "address":
			e.Location.Address = v
		case "lat":
			e.Location.Lat = number(c, v)
		case "lon":
			e.Location.Lon = number(c, v)
		case "radius_km":
			e.Location.RadiusKM = number(c, v)
		case "founded":
			if v = strings.TrimSpace(v); v != "" {
				n, err := strconv.Atoi(v)
				if err != nil {
					bad(c, "number", "%q is not a year", clip(v))
				}
				e.Founded = n
			}
		case "governance":
			e.Governance = v
		case "membership":
			e.Membership = directory.Membership(strings.TrimSpace(v))
		case "languages":
			e.Languages = splitList(v)
		case "logo":
			e.Logo = v
		case "demo":
			b, ok := parseBool(v)
			if !ok {
				bad(c, "bool", "%q is not true or false", clip(v))
			}
			e.Demo = b
		}
	}
	return row
}

func splitList(v string) []string {
	out := []string{}
	for _, s := range strings.Split(v, ";") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func parseBool(v string) (b, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "false", "f", "no", "n", "0":
		return false, true
	case "true", "t", "yes", "y", "1":
		return true, true
	}
	return false, false
}

// csvField names a domain field the way the CSV header does
// (location.lat -> lat).
func csvField(f string) string { return strings.TrimPrefix(f, "location.") }

// WriteCSV writes the header (Columns) and one record per enterprise that
// all yields, in its order.
func WriteCSV(w io.Writer, all func(func(*directory.Enterprise) error) error) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	err := all(func(e *directory.Enterprise) error { return cw.Write(csvRecord(e)) })
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvRecord(e *directory.Enterprise) []string {
	rec := make([]string, 0, len(Columns))
	for _, c := range Columns {
		rec = append(rec, csvValue(e, c))
	}
	return rec
}

func csvValue(e *directory.Enterprise, col string) string {
	switch col {
	case "handle":
		return e.Handle
	case "name":
		return e.Name
	case "kind":
		return string(e.Kind)
	case "sectors":
		return strings.Join(e.Sectors, ";")
	case "summary":
		return e.Summary
	case "website":
		return e.Website
	case "email":
		return e.Email
	case "phone":
		return e.Phone
	case "address":
		return e.Location.Address
	case "lat":
		return formatFloat(e.Location.Lat)
	case "lon":
		return formatFloat(e.Location.Lon)
	case "radius_km":
		return formatFloat(e.Location.RadiusKM)
	case "founded":
		if e.Founded == 0 {
			return ""
		}
		return strconv.Itoa(e.Founded)
	case "governance":
		return e.Governance
	case "membership":
		return string(e.Membership)
	case "languages":
		return strings.Join(e.Languages, ";")
	case "logo":
		return e.Logo
	case "demo":
		if e.Demo {
			return "true"
		}
		return ""
	}
	return ""
}

// formatFloat writes the shortest form that parses back to the same value.
func formatFloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'g', -1, 64)
}
