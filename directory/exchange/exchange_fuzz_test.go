package exchange

import (
	"bytes"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
)

// jsonSeeds are files of both versions, good and bad.
func jsonSeeds(f *testing.F) {
	if data, err := os.ReadFile("testdata/directory_v2.json"); err == nil {
		f.Add(data)
	}
	for _, s := range []string{
		`[]`, `[{"handle":"a","name":"A","kind":"other","location":{"lat":"x"}}, 3, null]`,
		`{"format":"coopdir-directory","version":2,"enterprises":[],"listings":[{"key":"k","enterprise":"a","quantity":"x"}],"announcements":[{}],"logos":[{"data":"@@"}]}`,
		`{"format":"coopdir-directory","version":1}`, `{"version":2,"format":"coopdir-directory","logos":{}}`,
		"{\"format\":\"coopdir-directory\",\"version\":2,\"enterprises\":[{\"name\":\"\xe9\"}]}", `{"format":`, `[{"a":1},`,
		"\xef\xbb\xbf[]", `{"format":"coopdir-directory","version":2e0}`, `{"format":"coopdir-directory","version":2,"listings":[{"location":{"lat":1e999}}]}`,
	} {
		f.Add([]byte(s))
	}
}

// checkRead holds for every reader: invalid UTF-8 fails the file; a file
// read has rows whose lines lie in it, and no text that was not in it
// (U+FFFD only if the file had one).
func checkRead(t *testing.T, data []byte, d *directory.DirectoryRows, err error) {
	t.Helper()
	if err != nil {
		if directory.ErrorCode(err) != directory.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
		return
	}
	if !utf8.Valid(data) {
		t.Fatalf("invalid UTF-8 was read: %q", data)
	}
	lines := bytes.Count(data, []byte{'\n'}) + 1
	var all []int
	for _, r := range d.Enterprises {
		all = append(all, r.Line)
	}
	for _, r := range d.Listings {
		all = append(all, r.Line)
	}
	for _, r := range d.Announcements {
		all = append(all, r.Line)
	}
	for _, r := range d.Logos {
		all = append(all, r.Line)
	}
	for _, l := range all {
		if l < 1 || l > lines {
			t.Fatalf("row on line %d of a file of %d lines", l, lines)
		}
	}
	if !bytes.Contains(data, []byte("\uFFFD")) && !bytes.Contains(data, []byte(`\ufffd`)) && !bytes.Contains(data, []byte(`\uFFFD`)) &&
		!bytes.Contains(data, []byte(`\ud`)) && !bytes.Contains(data, []byte(`\uD`)) && strings.ContainsRune(textOf(d), '\uFFFD') {
		t.Fatalf("U+FFFD appeared in what was read from %q", data)
	}
}

// textOf gathers the text fields read.
func textOf(d *directory.DirectoryRows) string {
	var b strings.Builder
	for _, r := range d.Enterprises {
		if e := r.Enterprise; e != nil {
			b.WriteString(e.Handle + e.Name + e.Summary + e.Location.Address)
		}
	}
	for _, r := range d.Listings {
		if l := r.Listing; l != nil {
			b.WriteString(l.Key + l.EnterpriseHandle + l.Title + l.Description)
		}
	}
	for _, r := range d.Announcements {
		if a := r.Announcement; a != nil {
			b.WriteString(a.Key + a.Content)
		}
	}
	return b.String()
}

// FuzzReadDirectoryJSON: reading never panics and keeps checkRead's
// promises; what was read without problems is written and read back the
// same.
func FuzzReadDirectoryJSON(f *testing.F) {
	jsonSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := ReadDirectoryJSON("f", data)
		checkRead(t, data, d, err)
		if err != nil {
			return
		}
		good := goodRows(d)
		var buf bytes.Buffer
		if err := WriteDirectoryJSON(&buf, func(sink directory.ExportSink) error { return replay(good, sink) }); err != nil {
			t.Fatal(err)
		}
		again, err := ReadDirectoryJSON("f", buf.Bytes())
		if err != nil {
			t.Fatalf("reading what was written: %v\n%s", err, buf.Bytes())
		}
		if a, b := goodRows(again), good; !sameRows(a, b) {
			t.Fatalf("written and read back:\n%s", buf.Bytes())
		}
	})
}

// goodRows keeps the rows read without problems.
func goodRows(d *directory.DirectoryRows) *directory.DirectoryRows {
	out := &directory.DirectoryRows{}
	for _, r := range d.Enterprises {
		if len(r.Problems) == 0 && r.Enterprise != nil {
			out.Enterprises = append(out.Enterprises, directory.ParsedRow{Enterprise: r.Enterprise})
		}
	}
	for _, r := range d.Listings {
		if len(r.Problems) == 0 && r.Listing != nil {
			out.Listings = append(out.Listings, directory.ParsedListing{Listing: r.Listing})
		}
	}
	for _, r := range d.Announcements {
		if len(r.Problems) == 0 && r.Announcement != nil {
			out.Announcements = append(out.Announcements, directory.ParsedAnnouncement{Announcement: r.Announcement})
		}
	}
	for _, r := range d.Logos {
		if len(r.Problems) == 0 && r.Image != nil {
			out.Logos = append(out.Logos, directory.ParsedLogo{Image: r.Image})
		}
	}
	return out
}

// replay hands rows to sink as an export would.
func replay(d *directory.DirectoryRows, sink directory.ExportSink) error {
	for _, r := range d.Enterprises {
		if err := sink.Enterprise(r.Enterprise); err != nil {
			return err
		}
	}
	for _, r := range d.Listings {
		if err := sink.Listing(r.Listing); err != nil {
			return err
		}
	}
	for _, r := range d.Announcements {
		if err := sink.Announcement(r.Announcement); err != nil {
			return err
		}
	}
	for _, r := range d.Logos {
		if err := sink.Image(r.Image); err != nil {
			return err
		}
	}
	return nil
}

// sameRows compares rows as the JSON format carries them.
func sameRows(a, b *directory.DirectoryRows) bool {
	enc := func(d *directory.DirectoryRows) string {
		var buf bytes.Buffer
		_ = WriteDirectoryJSON(&buf, func(sink directory.ExportSink) error { return replay(d, sink) })
		return buf.String()
	}
	return len(a.Enterprises) == len(b.Enterprises) && len(a.Listings) == len(b.Listings) &&
		len(a.Announcements) == len(b.Announcements) && len(a.Logos) == len(b.Logos) && enc(a) == enc(b)
}

// FuzzReadCSV: reading an enterprises CSV never panics and keeps
// checkRead's promises; what was read without problems is written and
// read back the same.
func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"handle,name,kind\na,A,other\n", "handle,name,kind,lat,founded,demo\nb,B,x,north,1999,maybe\n",
		"handle,name\n", "handle,name,kind\n\"a,b\n", "handle,name,kind,colour\n", "",
		"handle,name,kind,sectors,languages\nc,\"C \"\"q\"\"\",other,a;b; ;c,en;es\n", "handle,name,kind\nd,Caf\xe9,other\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rows, err := ReadCSV("f", data)
		checkRead(t, data, &directory.DirectoryRows{Enterprises: rows}, err)
		if err == nil {
			checkRewrite(t, rows, WriteCSV, ReadCSV)
		}
	})
}

// checkRewrite writes the rows read without problems with write, reads
// them back with read and fails unless every one comes back unchanged.
func checkRewrite(t *testing.T, rows []directory.ParsedRow, write func(io.Writer, func(func(*directory.Enterprise) error) error) error,
	read func(string, []byte) ([]directory.ParsedRow, error)) {
	t.Helper()
	var good []*directory.Enterprise
	for _, r := range rows {
		if len(r.Problems) == 0 && r.Enterprise != nil {
			good = append(good, r.Enterprise)
		}
	}
	all := func(fn func(*directory.Enterprise) error) error {
		for _, e := range good {
			if err := fn(e); err != nil {
				return err
			}
		}
		return nil
	}
	var buf bytes.Buffer
	if err := write(&buf, all); err != nil {
		t.Fatal(err)
	}
	again, err := read("f", buf.Bytes())
	if err != nil || len(again) != len(good) {
		t.Fatalf("reading what was written: %v\n%s", err, buf.Bytes())
	}
	for i, r := range again {
		if len(r.Problems) > 0 || !reflect.DeepEqual(csvRecord(r.Enterprise), csvRecord(good[i])) {
			t.Fatalf("row %d changed: %+v\nbecame %+v", i, good[i], r)
		}
	}
}

// FuzzReadCSVTables: reading the listings, announcements and logos tables
// never panics and keeps checkRead's promises.
func FuzzReadCSVTables(f *testing.F) {
	f.Add([]byte("key,enterprise,type,title,category,quantity,lat,valid_until,demo,created_at\nk,a,need,T,food,2,43.1,2027-01-01,true,2026-01-01T00:00:00Z\n"),
		[]byte("key,enterprise,content,created_at\nk,a,Hello,yesterday\n"), []byte("id,content_type,width,height,data\nx,image/png,1,1,AAAA\n"))
	f.Add([]byte("key,enterprise,type,title,category\nk,a,need\n"), []byte("key,content\n"), []byte("id,content_type,width,height,data\nx,image/png,w,h,@@\n"))
	f.Add([]byte("key,enterprise,type,title,category\n\"k\n"), []byte("key,enterprise,content\nk,a,caf\xc3\n"), []byte(""))
	f.Fuzz(func(t *testing.T, listings, announcements, logos []byte) {
		files := map[string][]byte{ListingsFile: listings, AnnouncementsFile: announcements, LogosFile: logos}
		d, err := ReadCSVTables("dir", files)
		if err == nil && (!utf8.Valid(listings) || !utf8.Valid(announcements) || !utf8.Valid(logos)) {
			t.Fatal("invalid UTF-8 was read")
		}
		if err != nil && directory.ErrorCode(err) != directory.EINVALID {
			t.Fatalf("error %v is not EINVALID", err)
		}
		if err == nil && strings.ContainsRune(textOf(d), '\uFFFD') && !bytes.Contains(bytes.Join([][]byte{listings, announcements, logos}, nil), []byte("\uFFFD")) {
			t.Fatal("U+FFFD appeared in what was read")
		}
	})
}
