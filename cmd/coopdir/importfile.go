package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// csvColumns are the columns of the CSV format, in the order export writes
// them. Lists (sectors, languages) are separated by ";".
var csvColumns = []string{
	"handle", "name", "kind", "sectors", "summary", "website", "email", "phone",
	"address", "lat", "lon", "radius_km", "founded", "governance", "membership",
	"languages", "logo", "demo",
}

// requiredColumns must be in the header of every CSV import.
var requiredColumns = []string{"handle", "name", "kind"}

// parsedRow is one enterprise read from a file, with the line it starts on
// and the fields that could not even be parsed (a latitude that is not a
// number): such a row is reported and never reaches the Service.
type parsedRow struct {
	line int
	e    *directory.Enterprise
	errs []directory.FieldError
}

// fileError is a problem with the whole file (malformed CSV or JSON, a bad
// header): nothing is imported.
func fileError(file string, line int, format string, args ...any) error {
	return inputErrorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...))
}

var utf8BOM = []byte("\xef\xbb\xbf")

// readCSV parses CSV with a header row into rows.
func readCSV(file string, data []byte) ([]parsedRow, error) {
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)))
	header, err := r.Read()
	if err == io.EOF {
		return nil, fileError(file, 1, "the file is empty: expected a header row with the columns %s", strings.Join(csvColumns, ","))
	}
	if err != nil {
		return nil, csvError(file, err)
	}
	cols, err := checkHeader(file, header)
	if err != nil {
		return nil, err
	}
	var rows []parsedRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			row := csvRow(cols, rec, pe.StartLine)
			row.errs = append(row.errs, directory.FieldError{Field: "row", Rule: "columns",
				Message: fmt.Sprintf("has %d fields, the header has %d", len(rec), len(cols))})
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
func checkHeader(file string, header []string) ([]string, error) {
	cols := make([]string, len(header))
	var unknown, missing []string
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case slices.Contains(cols[:i], h):
			return nil, fileError(file, 1, "column %q appears twice in the header", h)
		case !slices.Contains(csvColumns, h):
			unknown = append(unknown, strconv.Quote(h))
		}
		cols[i] = h
	}
	if len(unknown) > 0 {
		return nil, fileError(file, 1, "unknown column %s; the columns are %s", strings.Join(unknown, ", "), strings.Join(csvColumns, ","))
	}
	for _, c := range requiredColumns {
		if !slices.Contains(cols, c) {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fileError(file, 1, "missing required column %s", strings.Join(missing, ", "))
	}
	return cols, nil
}

// csvRow builds an enterprise from one record; values of the wrong type
// become field errors of the row.
func csvRow(cols, rec []string, line int) parsedRow {
	e := &directory.Enterprise{Sectors: []string{}, Languages: []string{}}
	row := parsedRow{line: line, e: e}
	bad := func(col, rule, format string, args ...any) {
		row.errs = append(row.errs, directory.FieldError{Field: col, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	number := func(col, v string) *float64 {
		if v = strings.TrimSpace(v); v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			bad(col, "number", "%q is not a number", clip(v))
			return nil
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

func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
}

// csvField names a domain field the way the CSV header does
// (location.lat -> lat).
func csvField(f string) string { return strings.TrimPrefix(f, "location.") }

// readJSON parses a JSON array of enterprises, as export writes it. Each
// element is read whole first (malformed JSON fails the file), then decoded
// on its own (a wrong type or unknown field fails only that row).
func readJSON(file string, data []byte) ([]parsedRow, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	lines := lineCounter{data: data, line: 1}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(file, &lines, dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fileError(file, lines.at(skipSeparators(data, 0)), "expected a JSON array of enterprises, as export writes")
	}
	var rows []parsedRow
	for dec.More() {
		line := lines.at(skipSeparators(data, int(dec.InputOffset())))
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, jsonError(file, &lines, dec, err)
		}
		rows = append(rows, jsonRow(raw, line))
	}
	if _, err := dec.Token(); err != nil { // the closing ]
		return nil, jsonError(file, &lines, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fileError(file, lines.at(int(dec.InputOffset())), "unexpected data after the array")
	}
	return rows, nil
}

func jsonError(file string, lines *lineCounter, dec *json.Decoder, err error) error {
	off := int(dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	if err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF) {
		return fileError(file, lines.at(len(lines.data)), "malformed JSON: unexpected end of file")
	}
	return fileError(file, lines.at(off), "malformed JSON: %s", strings.TrimPrefix(err.Error(), "json: "))
}

// jsonRow decodes one array element; every problem is a field error.
func jsonRow(raw json.RawMessage, line int) parsedRow {
	e := &directory.Enterprise{}
	row := parsedRow{line: line, e: e}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	err := dec.Decode(e)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.As(err, &te) && te.Field == "":
		row.errs = append(row.errs, directory.FieldError{Field: "element", Rule: "type",
			Message: fmt.Sprintf("must be an object, not %s", te.Value)})
	case errors.As(err, &te):
		row.errs = append(row.errs, directory.FieldError{Field: te.Field, Rule: "type",
			Message: fmt.Sprintf("must be %s, not %s", jsonTypeName(te.Type), te.Value)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		row.errs = append(row.errs, directory.FieldError{Field: name, Rule: "unknown", Message: "is not a field of an enterprise"})
	default:
		row.errs = append(row.errs, directory.FieldError{Field: "element", Rule: "type",
			Message: strings.TrimPrefix(err.Error(), "json: ")})
	}
	return row
}

func jsonTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Pointer:
		return jsonTypeName(t.Elem())
	case reflect.Struct:
		return "an object"
	}
	return t.String()
}

// skipSeparators returns the offset of the first byte at or after off that
// is neither white space nor a comma: the start of the next array element.
func skipSeparators(data []byte, off int) int {
	for off < len(data) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}

// lineCounter turns byte offsets into 1-based line numbers, counting
// newlines incrementally for offsets that only grow.
type lineCounter struct {
	data []byte
	off  int
	line int
}

func (c *lineCounter) at(off int) int {
	off = min(max(off, 0), len(c.data))
	if off < c.off {
		c.off, c.line = 0, 1
	}
	c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
	c.off = off
	return c.line
}
