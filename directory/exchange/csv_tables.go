package exchange

import (
	"bytes"
	"encoding/base64"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The tables of a CSV export, one file each in a folder.
const (
	EnterprisesFile   = "enterprises.csv"
	ListingsFile      = "listings.csv"
	AnnouncementsFile = "announcements.csv"
	LogosFile         = "logos.csv"
)

// Tables lists the files of a CSV export in the order they are written.
var Tables = []string{EnterprisesFile, ListingsFile, AnnouncementsFile, LogosFile}

// The columns of the other tables, in the order export writes them. A
// listing or an announcement names its enterprise by handle and itself by
// key; a logo's data is base64.
var (
	ListingColumns = []string{"key", "enterprise", "type", "title", "description", "category",
		"quantity", "unit", "address", "lat", "lon", "radius_km", "valid_until", "status", "demo", "created_at"}
	AnnouncementColumns = []string{"key", "enterprise", "content", "demo", "created_at"}
	LogoColumns         = []string{"id", "content_type", "width", "height", "data"}
)

var (
	requiredListingColumns      = []string{"key", "enterprise", "type", "title", "category"}
	requiredAnnouncementColumns = []string{"key", "enterprise", "content"}
)

// ReadCSVTables parses the tables of a CSV export: files maps a file name
// of Tables to its content (a missing table is empty), and dir names the
// folder in messages. Each table reads as ReadCSV reads enterprises.
func ReadCSVTables(dir string, files map[string][]byte) (*directory.DirectoryRows, error) {
	d := &directory.DirectoryRows{CarriesLogos: true}
	name := func(f string) string { return dir + "/" + f }
	if data, ok := files[EnterprisesFile]; ok {
		rows, err := ReadCSV(name(EnterprisesFile), data)
		if err != nil {
			return nil, err
		}
		d.Enterprises = rows
	}
	err := readTable(name(ListingsFile), files[ListingsFile], ListingColumns, requiredListingColumns, func(c *cells) {
		d.Listings = append(d.Listings, directory.ParsedListing{Line: c.line, Listing: c.listing(), Problems: c.problems})
	})
	if err != nil {
		return nil, err
	}
	err = readTable(name(AnnouncementsFile), files[AnnouncementsFile], AnnouncementColumns, requiredAnnouncementColumns, func(c *cells) {
		a := &directory.Announcement{Key: c.get("key"), EnterpriseHandle: c.get("enterprise"), Content: c.get("content"),
			Demo: c.bool("demo"), CreatedAt: c.time("created_at")}
		d.Announcements = append(d.Announcements, directory.ParsedAnnouncement{Line: c.line, Announcement: a, Problems: c.problems})
	})
	if err != nil {
		return nil, err
	}
	err = readTable(name(LogosFile), files[LogosFile], LogoColumns, LogoColumns, func(c *cells) {
		img := &directory.Image{ID: strings.TrimSpace(c.get("id")), ContentType: strings.TrimSpace(c.get("content_type")),
			Width: c.int("width"), Height: c.int("height"), Data: c.base64("data")}
		d.Logos = append(d.Logos, directory.ParsedLogo{Line: c.line, Image: img, Problems: c.problems})
	})
	return d, err
}

// readTable reads one table (nil data: none) and calls row for every
// record; a record with the wrong number of fields is a row with a
// problem.
func readTable(file string, data []byte, columns, required []string, row func(*cells)) error {
	if data == nil {
		return nil
	}
	header := func(h []string) ([]string, error) { return checkHeader(file, h, columns, required) }
	return readRecords(file, data, columns, header, row)
}

// readRecords reads a CSV file with a header row, which header checks and
// turns into the column names, and calls row for every record; columns
// are named when the file is empty.
func readRecords(file string, data []byte, columns []string, header func([]string) ([]string, error), row func(*cells)) error {
	data = bytes.TrimPrefix(data, utf8BOM)
	if err := checkUTF8(file, data); err != nil {
		return err
	}
	r := csv.NewReader(bytes.NewReader(data))
	names, err := r.Read()
	if err == io.EOF {
		return fileError(file, 1, "the file is empty: expected a header row with the columns %s", strings.Join(columns, ","))
	}
	if err != nil {
		return csvError(file, err)
	}
	cols, err := header(names)
	if err != nil {
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrFieldCount) {
			c := &cells{cols: cols, rec: rec, line: pe.StartLine}
			c.bad("row", "columns", "has %d fields, the header has %d", len(rec), len(cols))
			row(c)
			continue
		}
		if err != nil {
			return csvError(file, err)
		}
		line, _ := r.FieldPos(0)
		row(&cells{cols: cols, rec: rec, line: line})
	}
}

// cells reads the values of one record by column name, collecting a
// problem for every value that does not parse.
type cells struct {
	cols, rec []string
	line      int
	problems  []directory.FieldError
}

func (c *cells) get(col string) string {
	for i, name := range c.cols {
		if name == col && i < len(c.rec) {
			return c.rec[i]
		}
	}
	return ""
}

func (c *cells) bad(field, rule, format string, args ...any) {
	c.problems = append(c.problems, problem(field, rule, format, args...))
}

// float reads column col as an optional number, a problem of field.
func (c *cells) float(col, field string) *float64 {
	v := strings.TrimSpace(c.get(col))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		c.bad(field, "number", "%q is not a number", clip(v))
		return new(float64)
	}
	return &f
}

func (c *cells) int(col string) int {
	v := strings.TrimSpace(c.get(col))
	n, err := strconv.Atoi(v)
	if err != nil {
		c.bad(col, "number", "%q is not a whole number", clip(v))
	}
	return n
}

func (c *cells) bool(col string) bool {
	v := c.get(col)
	b, ok := parseBool(v)
	if !ok {
		c.bad(col, "bool", "%q is not true or false", clip(v))
	}
	return b
}

func (c *cells) time(col string) time.Time {
	v := strings.TrimSpace(c.get(col))
	if v == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		c.bad(col, "time", "%q is not a time such as 2026-12-31T12:00:00Z", clip(v))
	}
	return t.UTC()
}

func (c *cells) base64(col string) []byte {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(c.get(col)))
	if err != nil {
		c.bad(col, "base64", "is not base64: %v", err)
		return nil
	}
	return b
}

func (c *cells) listing() *directory.Listing {
	return &directory.Listing{Key: c.get("key"), EnterpriseHandle: c.get("enterprise"),
		Type: directory.ListingType(strings.TrimSpace(c.get("type"))), Title: c.get("title"),
		Description: c.get("description"), Category: directory.Category(strings.TrimSpace(c.get("category"))),
		Quantity: c.float("quantity", "quantity"), Unit: c.get("unit"),
		Location: directory.Location{Address: c.get("address"), Lat: c.float("lat", "location.lat"),
			Lon: c.float("lon", "location.lon"), RadiusKM: c.float("radius_km", "location.radius_km")},
		ValidUntil: strings.TrimSpace(c.get("valid_until")), Status: directory.Status(strings.TrimSpace(c.get("status"))),
		Demo: c.bool("demo"), CreatedAt: c.time("created_at")}
}

// CSVTablesWriter opens the file of a table for writing.
type CSVTablesWriter func(name string) (io.WriteCloser, error)

// WriteCSVTables writes the whole directory export reads as the four
// tables of Tables, each with its header, through open.
func WriteCSVTables(open CSVTablesWriter, export func(directory.ExportSink) error) error {
	tw := &tablesWriter{open: open}
	err := export(directory.ExportSink{
		Enterprise: func(e *directory.Enterprise) error { return tw.write(0, csvRecord(e)) },
		Listing:    func(l *directory.Listing) error { return tw.write(1, listingCSV(l)) },
		Announcement: func(a *directory.Announcement) error {
			return tw.write(2, []string{a.Key, a.EnterpriseHandle, a.Content, boolCell(a.Demo), timeCell(a.CreatedAt)})
		},
		Image: func(img *directory.Image) error {
			return tw.write(3, []string{img.ID, img.ContentType, strconv.Itoa(img.Width), strconv.Itoa(img.Height),
				base64.StdEncoding.EncodeToString(img.Data)})
		},
	})
	if err != nil {
		tw.abort()
		return err
	}
	if err := tw.advance(len(Tables)); err != nil {
		return err
	}
	return tw.close()
}

var tableColumns = [][]string{Columns, ListingColumns, AnnouncementColumns, LogoColumns}

// tablesWriter writes the tables in order, each file opened when its
// first record (or a later table's) comes.
type tablesWriter struct {
	open CSVTablesWriter
	next int
	f    io.WriteCloser
	cw   *csv.Writer
}

func (tw *tablesWriter) write(table int, rec []string) error {
	if err := tw.advance(table + 1); err != nil {
		return err
	}
	return tw.cw.Write(rec)
}

// advance closes the open table and opens every table before to, with
// its header, leaving the last one open.
func (tw *tablesWriter) advance(to int) error {
	for tw.next < to {
		if err := tw.close(); err != nil {
			return err
		}
		f, err := tw.open(Tables[tw.next])
		if err != nil {
			return err
		}
		tw.f, tw.cw = f, csv.NewWriter(f)
		if err := tw.cw.Write(tableColumns[tw.next]); err != nil {
			return err
		}
		tw.next++
	}
	return nil
}

func (tw *tablesWriter) close() error {
	if tw.f == nil {
		return nil
	}
	tw.cw.Flush()
	err := errors.Join(tw.cw.Error(), tw.f.Close())
	tw.f, tw.cw = nil, nil
	return err
}

func (tw *tablesWriter) abort() {
	if tw.f != nil {
		_ = tw.f.Close()
	}
}

func listingCSV(l *directory.Listing) []string {
	return []string{l.Key, l.EnterpriseHandle, string(l.Type), l.Title, l.Description, string(l.Category),
		formatFloat(l.Quantity), l.Unit, l.Location.Address, formatFloat(l.Location.Lat), formatFloat(l.Location.Lon),
		formatFloat(l.Location.RadiusKM), l.ValidUntil, string(l.Status), boolCell(l.Demo), timeCell(l.CreatedAt)}
}

func boolCell(b bool) string {
	if b {
		return "true"
	}
	return ""
}

func timeCell(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
