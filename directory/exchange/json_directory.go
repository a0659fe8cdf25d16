package exchange

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"slices"

	"github.com/coopdir/coopdir/directory"
)

// The JSON format: FormatName in "format", Version in "version".
const (
	FormatName = "coopdir-directory"
	// Version is the version of the JSON format export writes. Version 1
	// is the bare array of enterprises that earlier exports wrote; Read
	// still reads it.
	Version = 2
)

// ReadDirectoryJSON parses a JSON export of either version: an object with
// format, version, enterprises, listings, announcements and logos (version
// 2), or a bare array of enterprises (version 1). Every element is read
// field by field (see ReadJSON), so each bad value is a problem of its row.
// A problem with the file itself (malformed JSON, invalid UTF-8, a wrong
// format or version, an unknown member) fails it: EINVALID.
func ReadDirectoryJSON(file string, data []byte) (*directory.DirectoryRows, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(file, data); err != nil {
		return nil, err
	}
	start := skipSeparators(data, 0)
	if start < len(data) && data[start] == '[' {
		rows, err := ReadJSON(file, data)
		if err != nil {
			return nil, err
		}
		return &directory.DirectoryRows{Enterprises: rows}, nil
	}
	r := jsonReader{file: file, data: data, lines: lineCounter{data: data, line: 1}}
	r.dec = json.NewDecoder(bytes.NewReader(data))
	return r.directory()
}

type jsonReader struct {
	file  string
	data  []byte
	lines lineCounter
	dec   *json.Decoder
}

func (r *jsonReader) fail(err error) error { return jsonError(r.file, &r.lines, r.dec, err) }

func (r *jsonReader) failAt(format string, args ...any) error {
	return fileError(r.file, r.lines.at(int(r.dec.InputOffset())), format, args...)
}

func (r *jsonReader) directory() (*directory.DirectoryRows, error) {
	tok, err := r.dec.Token()
	if err != nil {
		return nil, r.fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, fileError(r.file, r.lines.at(skipSeparators(r.data, 0)),
			"expected a JSON object with \"format\": %q and \"version\": %d, as export writes", FormatName, Version)
	}
	d := &directory.DirectoryRows{CarriesLogos: true}
	var format string
	var version json.Number
	for r.dec.More() {
		tok, err := r.dec.Token()
		if err != nil {
			return nil, r.fail(err)
		}
		key, _ := tok.(string)
		switch key {
		case "format":
			err = r.scalar(&format, key)
		case "version":
			err = r.scalar(&version, key)
			if err == nil && version.String() != fmt.Sprint(Version) {
				return nil, r.failAt("version %s is not supported: this coopdir reads version %d (and the bare array of version 1)", version, Version)
			}
		case "enterprises":
			err = r.array(key, func(raw json.RawMessage, line int) { d.Enterprises = append(d.Enterprises, jsonRow(raw, line)) })
		case "listings":
			err = r.array(key, func(raw json.RawMessage, line int) {
				l, problems := decodeRecord(raw, "a listing", (*listingRecord).listing)
				d.Listings = append(d.Listings, directory.ParsedListing{Line: line, Listing: l, Problems: problems})
			})
		case "announcements":
			err = r.array(key, func(raw json.RawMessage, line int) {
				a, problems := decodeRecord(raw, "an announcement", (*announcementRecord).announcement)
				d.Announcements = append(d.Announcements, directory.ParsedAnnouncement{Line: line, Announcement: a, Problems: problems})
			})
		case "logos":
			err = r.array(key, func(raw json.RawMessage, line int) {
				img, problems := decodeRecord(raw, "a logo", (*logoRecord).image)
				d.Logos = append(d.Logos, directory.ParsedLogo{Line: line, Image: img, Problems: problems})
			})
		default:
			return nil, r.failAt("unknown member %q: the members are format, version, enterprises, listings, announcements and logos", clip(key))
		}
		if err != nil {
			return nil, err
		}
	}
	if _, err := r.dec.Token(); err != nil { // the closing }
		return nil, r.fail(err)
	}
	if _, err := r.dec.Token(); err != io.EOF {
		return nil, r.failAt("unexpected data after the object")
	}
	switch {
	case format != FormatName:
		return nil, fileError(r.file, 1, "\"format\" must be %q, not %q", FormatName, clip(format))
	case version == "":
		return nil, fileError(r.file, 1, "\"version\" is missing: this coopdir reads version %d", Version)
	}
	return d, nil
}

// scalar decodes the next value into v; a value of the wrong type fails
// the file.
func (r *jsonReader) scalar(v any, key string) error {
	line := r.lines.at(skipSeparators(r.data, int(r.dec.InputOffset())+1))
	var raw json.RawMessage
	if err := r.dec.Decode(&raw); err != nil {
		return r.fail(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return fileError(r.file, line, "%q must be %s", key, jsonTypeName(reflect.TypeOf(v).Elem()))
	}
	return nil
}

// array reads the array of section key, calling fn for each element with
// the line it starts on.
func (r *jsonReader) array(key string, fn func(json.RawMessage, int)) error {
	tok, err := r.dec.Token()
	if err != nil {
		return r.fail(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return r.failAt("%q must be an array", key)
	}
	for r.dec.More() {
		line := r.lines.at(skipSeparators(r.data, int(r.dec.InputOffset())))
		var raw json.RawMessage
		if err := r.dec.Decode(&raw); err != nil {
			return r.fail(err)
		}
		fn(raw, line)
	}
	if _, err := r.dec.Token(); err != nil { // ]
		return r.fail(err)
	}
	return nil
}

// decodeRecord decodes one element into a record R field by field and
// turns it into the domain's V; V is nil when the element is not an
// object at all.
func decodeRecord[R, V any](raw json.RawMessage, what string, domain func(*R) *V) (*V, []directory.FieldError) {
	if !isObject(raw) {
		return nil, []directory.FieldError{problem("element", "type", "must be an object")}
	}
	rec := new(R)
	var problems []directory.FieldError
	decodeObject(raw, reflect.ValueOf(rec).Elem(), "", what, &problems)
	return domain(rec), problems
}

// WriteDirectoryJSON writes the whole directory dir exports as a version 2
// JSON object: format, version, then the arrays of enterprises, listings,
// announcements and logos, each element indented on lines of its own.
func WriteDirectoryJSON(w io.Writer, export func(directory.ExportSink) error) error {
	jw := &jsonWriter{w: w, cur: -1}
	enc := json.NewEncoder(&jw.buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	jw.enc = enc
	fmt.Fprintf(&jw.out, "{\n  \"format\": %q,\n  \"version\": %d", FormatName, Version)
	err := export(directory.ExportSink{
		Enterprise:   func(e *directory.Enterprise) error { return jw.element("enterprises", e) },
		Listing:      func(l *directory.Listing) error { return jw.element("listings", toListingRecord(l)) },
		Announcement: func(a *directory.Announcement) error { return jw.element("announcements", toAnnouncementRecord(a)) },
		Image:        func(img *directory.Image) error { return jw.element("logos", toLogoRecord(img)) },
	})
	if err != nil {
		return err
	}
	return jw.finish()
}

// jsonWriter writes the sections in order, each opened at its first
// element; a section without elements is written as [].
type jsonWriter struct {
	w    io.Writer
	out  bytes.Buffer // what to write before the next element
	buf  bytes.Buffer
	enc  *json.Encoder
	cur  int // index of the open section, -1 for none
	next int // index of the first section not yet written
	n    int // elements written in the open section
}

var sections = []string{"enterprises", "listings", "announcements", "logos"}

// advance closes the open section and writes every empty section before
// section to (len(sections): to the end).
func (jw *jsonWriter) advance(to int) {
	if jw.cur >= 0 {
		jw.out.WriteString("\n  ]")
		jw.cur = -1
	}
	for ; jw.next < to; jw.next++ {
		fmt.Fprintf(&jw.out, ",\n  %q: []", sections[jw.next])
	}
}

func (jw *jsonWriter) element(section string, v any) error {
	if idx := slices.Index(sections, section); idx != jw.cur {
		jw.advance(idx)
		fmt.Fprintf(&jw.out, ",\n  %q: [", section)
		jw.cur, jw.next, jw.n = idx, idx+1, 0
	}
	jw.buf.Reset()
	if err := jw.enc.Encode(v); err != nil {
		return directory.Internal(err, "encode "+section)
	}
	if jw.n > 0 {
		jw.out.WriteString(",")
	}
	jw.out.WriteString("\n    ")
	jw.out.Write(bytes.TrimRight(jw.buf.Bytes(), "\n"))
	jw.n++
	return jw.flush()
}

func (jw *jsonWriter) flush() error {
	_, err := jw.w.Write(jw.out.Bytes())
	jw.out.Reset()
	return err
}

func (jw *jsonWriter) finish() error {
	jw.advance(len(sections))
	jw.out.WriteString("\n}\n")
	return jw.flush()
}
