// Package exchange reads and writes the files enterprises are imported from
// and exported to: CSV with a header row, a JSON array of enterprises, and
// the Solidarity Economy Association's standard CSV with ESSGlobal terms
// (sea.go, essglobal.go).
//
// Reading a file yields one directory.ParsedRow per row, with the line it
// starts on and every value that could not be parsed; Import hands the rows
// to the directory's Service, which validates them, and Report lists every
// problem of every bad row as FILE:LINE: handle: field: message. A problem
// with the whole file (malformed CSV or JSON, a bad header) is one EINVALID
// error saying FILE:LINE: what, and nothing is read. Export writes every
// local enterprise in the format Read reads back.
//
// The package goes through the Service only (the Importer and Exporter
// interfaces), never through a store.
package exchange

import (
	"bytes"
	"fmt"

	"github.com/coopdir/coopdir/directory"
)

// Format is a file format of the exchange.
type Format string

// The formats.
const (
	CSV  Format = "csv"
	JSON Format = "json"
	// SEACSV is the SEA standard CSV of enterprises (ReadSEA, WriteSEA).
	SEACSV Format = "sea-csv"
)

// Valid reports whether f is one of the formats.
func (f Format) Valid() bool { return f == CSV || f == JSON || f == SEACSV }

// formatsText lists the formats for a message.
const formatsText = "csv, json or sea-csv"

// Columns are the columns of the CSV format, in the order export writes
// them. Lists (sectors, languages) are separated by ";".
var Columns = []string{
	"handle", "name", "kind", "sectors", "summary", "website", "email", "phone",
	"address", "lat", "lon", "radius_km", "founded", "governance", "membership",
	"languages", "logo", "demo",
}

// requiredColumns must be in the header of every CSV import.
var requiredColumns = []string{"handle", "name", "kind"}

// Read parses data, the content of the file called name (for messages), in
// format f. EINVALID for a malformed file or an unknown format.
func Read(name string, f Format, data []byte) ([]directory.ParsedRow, error) {
	switch f {
	case CSV:
		return ReadCSV(name, data)
	case JSON:
		return ReadJSON(name, data)
	case SEACSV:
		return ReadSEA(name, data)
	}
	return nil, directory.Errorf(directory.EINVALID, "%q is not %s", string(f), formatsText)
}

// ReadDirectory parses data, the content of the file called name, in
// format f: JSON of either version (ReadDirectoryJSON), or one CSV file of
// enterprises (ReadCSV or ReadSEA; ReadCSVTables reads a folder of tables).
func ReadDirectory(name string, f Format, data []byte) (*directory.DirectoryRows, error) {
	if f == JSON {
		return ReadDirectoryJSON(name, data)
	}
	rows, err := Read(name, f, data)
	if err != nil {
		return nil, err
	}
	return &directory.DirectoryRows{Enterprises: rows}, nil
}

// fileError is a problem with the whole file: nothing is imported.
func fileError(file string, line int, format string, args ...any) error {
	return directory.Errorf(directory.EINVALID, "%s:%d: %s", file, line, fmt.Sprintf(format, args...))
}

var utf8BOM = []byte("\xef\xbb\xbf")

// problem is one value of a row that could not be parsed.
func problem(field, rule, format string, args ...any) directory.FieldError {
	return directory.FieldError{Field: field, Rule: rule, Message: fmt.Sprintf(format, args...)}
}

// clip shortens a value quoted in a message.
func clip(s string) string {
	if r := []rune(s); len(r) > 30 {
		return string(r[:30]) + "…"
	}
	return s
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

// checkUTF8 fails a file that is not valid UTF-8, naming the line and
// column (in bytes) of the first bad byte: decoding would turn it into
// U+FFFD and store that.
func checkUTF8(file string, data []byte) error {
	off := directory.FirstInvalidUTF8(data)
	if off < 0 {
		return nil
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return fileError(file, line, "invalid UTF-8 at column %d (byte 0x%02x): the file must be UTF-8", col, data[off])
}
