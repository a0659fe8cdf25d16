package exchange_test

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// fixture is a version 2 file with two enterprises, listings of every
// status (one with a quantity, a unit and a valid-until date) and
// announcements; fill adds a logo and rows made through the Service, whose
// keys the database gives.
const fixture = "testdata/directory_v2.json"

func readFixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(fixture)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// pngLogo is a real 3×2 PNG.
func pngLogo(t *testing.T) *directory.Image {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 3, 2))
	m.Set(1, 1, color.RGBA{200, 30, 30, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	return &directory.Image{ContentType: "image/png", Data: buf.Bytes(), Width: 3, Height: 2}
}

// fill gives svc the whole fixture directory.
func fill(t *testing.T, svc *directory.Service) {
	t.Helper()
	mustImport(t, svc, exchange.JSON, readFixture(t))
	if _, err := svc.SetEnterpriseLogo(sys, "riverwest", pngLogo(t)); err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{Type: directory.Offer, Title: "Bike repair", Category: "skills"}
	if err := svc.CreateListing(sys, "riverwest", l); err != nil {
		t.Fatal(err)
	}
	a := &directory.Announcement{Content: "New node on **Center St**"}
	if err := svc.CreateAnnouncement(sys, "mkemesh", a); err != nil {
		t.Fatal(err)
	}
	translate(t, svc, l.ID, a.ID)
}

// translate gives riverwest, its listing id and mkemesh's announcement
// aid Spanish translations.
func translate(t *testing.T, svc *directory.Service, id, aid int64) {
	t.Helper()
	if _, err := svc.SetEnterpriseTranslation(sys, "riverwest", "es", directory.Translation{
		Title: "Cocina Riverwest", Text: "Una cocina *compartida*."}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetListingTranslation(sys, id, "es", directory.Translation{Title: "Reparación de bicis"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.SetAnnouncementTranslation(sys, aid, "es", "Nuevo nodo en **Center St**"); err != nil {
		t.Fatal(err)
	}
}

func TestDirectoryRoundTrip(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			src := openService(t, instancetest.DSN(t, engine))
			fill(t, src)
			exported := export(t, src, exchange.JSON)
			t.Run("carries every kind", func(t *testing.T) {
				for _, want := range []string{`"title": "Bike repair"`, `"status": "fulfilled"`, `"valid_until": "2027-01-31"`,
					`"content": "New node on **Center St**"`, `"content_type": "image/png"`, `"logo": "/media/`,
					`"title": "Cocina Riverwest"`, `"title": "Reparación de bicis"`, `"text": "Nuevo nodo en **Center St**"`} {
					if !strings.Contains(exported, want) {
						t.Errorf("export lacks %s:\n%s", want, exported)
					}
				}
			})
			for _, to := range instancetest.Engines {
				t.Run("reads back into a fresh "+string(to)+" database byte for byte", func(t *testing.T) {
					dst := openService(t, instancetest.DSN(t, to))
					mustImport(t, dst, exchange.JSON, exported)
					if again := export(t, dst, exchange.JSON); again != exported {
						t.Errorf("round trip changed the export:\n%s\nbecame\n%s", exported, again)
					}
					t.Run("and back", func(t *testing.T) {
						back := openService(t, instancetest.DSN(t, engine))
						mustImport(t, back, exchange.JSON, export(t, dst, exchange.JSON))
						if again := export(t, back, exchange.JSON); again != exported {
							t.Errorf("second round trip changed the export:\n%s\nbecame\n%s", exported, again)
						}
					})
				})
			}
			t.Run("imports its own export as unchanged, twice", func(t *testing.T) {
				for range 2 {
					res, report, err := importFile(t, src, exchange.JSON, exported, false)
					if err != nil {
						t.Fatalf("%v\n%s", err, report)
					}
					want := directory.ImportResult{Unchanged: 2, Listings: directory.ImportCounts{Unchanged: 4},
						Announcements: directory.ImportCounts{Unchanged: 3}, Logos: directory.ImportCounts{Unchanged: 1}}
					if !reflect.DeepEqual(*res, want) {
						t.Errorf("result %+v, want %+v", *res, want)
					}
				}
				if again := export(t, src, exchange.JSON); again != exported {
					t.Errorf("re-import changed the export")
				}
			})
			t.Run("reads back its CSV tables into a fresh database, table for table", func(t *testing.T) {
				tables := exportTables(t, src)
				dst := openService(t, instancetest.DSN(t, engine))
				d, err := exchange.ReadCSVTables("dir", tables)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := exchange.ImportDirectory(sys, dst, d, directory.ImportOptions{}); err != nil {
					t.Fatal(err)
				}
				again := exportTables(t, dst)
				for _, name := range exchange.Tables {
					if !bytes.Equal(tables[name], again[name]) {
						t.Errorf("%s changed:\n%s\nbecame\n%s", name, tables[name], again[name])
					}
				}
				// The CSV tables carry no translations (docs/CLI.md).
				if json := export(t, dst, exchange.JSON); !sameWithoutTranslations(t, json, exported) {
					t.Errorf("the CSV tables lost something the JSON carries:\n%s\nbecame\n%s", exported, json)
				}
			})
		})
	}
}

// exportTables returns the CSV tables of svc by file name.
func exportTables(t *testing.T, svc *directory.Service) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	open := func(name string) (io.WriteCloser, error) { return os.Create(filepath.Join(dir, name)) }
	if err := exchange.ExportTables(sys, open, svc); err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, name := range exchange.Tables {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = data
	}
	return out
}

// sameWithoutTranslations reports whether two JSON exports say the same
// once the entries' translations (and the edit time of a translated
// announcement) are left out.
func sameWithoutTranslations(t *testing.T, a, b string) bool {
	t.Helper()
	strip := func(s string) map[string]any {
		var doc map[string]any
		if err := json.Unmarshal([]byte(s), &doc); err != nil {
			t.Fatal(err)
		}
		for _, section := range []string{"enterprises", "listings", "announcements"} {
			items, _ := doc[section].([]any)
			for _, it := range items {
				m := it.(map[string]any)
				if _, ok := m["translations"]; ok && section == "announcements" {
					delete(m, "updated_at") // translating edits it
				}
				delete(m, "translations")
			}
		}
		return doc
	}
	return reflect.DeepEqual(strip(a), strip(b))
}
