package exchange

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// ReadJSON parses a JSON array of enterprises, as WriteJSON writes it. Each
// element is read whole first (malformed JSON fails the file, EINVALID),
// then field by field, so that every field of the wrong type and every
// unknown field is a problem of its row.
func ReadJSON(file string, data []byte) ([]directory.ParsedRow, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(file, data); err != nil {
		return nil, err
	}
	lines := lineCounter{data: data, line: 1}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, jsonError(file, &lines, dec, err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, fileError(file, lines.at(skipSeparators(data, 0)), "expected a JSON array of enterprises, as export writes")
	}
	var rows []directory.ParsedRow
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

// jsonRow decodes one array element, which is syntactically valid JSON.
// An element that is not an object is a row without an enterprise.
func jsonRow(raw json.RawMessage, line int) directory.ParsedRow {
	e := &directory.Enterprise{}
	row := directory.ParsedRow{Line: line, Enterprise: e}
	if !isObject(raw) {
		if err := json.Unmarshal(raw, e); err != nil { // null is an empty enterprise
			row.Enterprise = nil
			row.Problems = append(row.Problems, typeProblem("element", err, "must be an object"))
		}
		return row
	}
	decodeObject(raw, reflect.ValueOf(e).Elem(), "", "an enterprise", &row.Problems)
	return row
}

func isObject(raw json.RawMessage) bool {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	return len(raw) > 0 && raw[0] == '{'
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// decodeObject decodes the object raw into the struct v one member at a
// time, as encoding/json would (keys match field names exactly, else
// case-insensitively; a later key wins), but appending a problem for every
// member that fails instead of stopping at the first. A field that fails is
// left at a placeholder (zero, or a pointer to zero) that stands for "given"
// in validation. Nested structs (location) are decoded the same way, their
// fields named prefix.field.
func decodeObject(raw json.RawMessage, v reflect.Value, prefix, what string, problems *[]directory.FieldError) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	_, _ = dec.Token() // {
	for dec.More() {
		tok, _ := dec.Token()
		key, _ := tok.(string)
		var val json.RawMessage
		_ = dec.Decode(&val) // raw was read whole before: no syntax errors left
		i, name, ok := findField(v.Type(), key)
		if !ok {
			*problems = append(*problems, problem(prefix+key, "unknown", "is not a field of %s", what))
			continue
		}
		f := v.Field(i)
		if f.Kind() == reflect.Struct && !reflect.PointerTo(f.Type()).Implements(unmarshalerType) && isObject(val) {
			decodeObject(val, f, prefix+name+".", "a "+strings.ToLower(f.Type().Name()), problems)
			continue
		}
		if err := json.Unmarshal(val, f.Addr().Interface()); err != nil {
			*problems = append(*problems, typeProblem(prefix+name, err, ""))
			f.SetZero()
			if f.Kind() == reflect.Pointer {
				f.Set(reflect.New(f.Type().Elem()))
			}
		}
	}
}

// findField returns the index and JSON name of the field of struct type t
// that key names.
func findField(t reflect.Type, key string) (int, string, bool) {
	folded := -1
	var foldedName string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		switch {
		case name == "-" || !t.Field(i).IsExported():
			continue
		case name == "":
			name = t.Field(i).Name
		}
		if name == key {
			return i, name, true
		}
		if folded < 0 && strings.EqualFold(name, key) {
			folded, foldedName = i, name
		}
	}
	return folded, foldedName, folded >= 0
}

// typeProblem turns a decoding error of field into a problem; want, when
// set, says what the value must be.
func typeProblem(field string, err error, want string) directory.FieldError {
	var te *json.UnmarshalTypeError
	var pe *time.ParseError
	if errors.As(err, &pe) {
		return problem(field, "time", "must be a time such as 2026-12-31T12:00:00Z")
	}
	if !errors.As(err, &te) {
		return problem(field, "type", "%s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if want == "" {
		want = "must be " + jsonTypeName(te.Type)
	}
	return problem(field, "type", "%s, not %s", want, te.Value)
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

// WriteJSON writes the enterprises all yields as an indented JSON array,
// one element at a time, without escaping <, > and & (the file is data, not
// HTML).
func WriteJSON(w io.Writer, all func(func(*directory.Enterprise) error) error) error {
	n := 0
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("  ", "  ")
	err := all(func(e *directory.Enterprise) error {
		buf.Reset()
		if err := enc.Encode(e); err != nil {
			return directory.Internal(err, "encode enterprise")
		}
		sep := ",\n  "
		if n == 0 {
			sep = "[\n  "
		}
		n++
		_, err := fmt.Fprintf(w, "%s%s", sep, bytes.TrimRight(buf.Bytes(), "\n"))
		return err
	})
	if err != nil {
		return err
	}
	if n == 0 {
		_, err = io.WriteString(w, "[]\n")
	} else {
		_, err = io.WriteString(w, "\n]\n")
	}
	return err
}
