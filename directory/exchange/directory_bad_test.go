package exchange_test

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/exchange"
)

// v2 wraps sections (JSON members, each an array) in a version 2 file.
func v2(sections string) string {
	return "{\n  \"format\": \"coopdir-directory\",\n  \"version\": 2,\n" + sections + "\n}\n"
}

func TestReadDirectoryRefusesBadFiles(t *testing.T) {
	for _, tc := range []struct{ name, content, want string }{
		{"truncated", v2(`"enterprises": [{"handle": "a"`)[:60], "f:4: malformed JSON: unexpected end of file"},
		{"wrong version", `{"format": "coopdir-directory", "version": 3}`, "f:1: version 3 is not supported"},
		{"no version", `{"format": "coopdir-directory"}`, `f:1: "version" is missing`},
		{"wrong format", `{"format": "murmurations", "version": 2}`, `f:1: "format" must be "coopdir-directory", not "murmurations"`},
		{"unknown member", v2(`"partners": []`), `f:4: unknown member "partners"`},
		{"a section that is not an array", v2(`"listings": {}`), `f:4: "listings" must be an array`},
		{"invalid UTF-8 in a value", v2("\"enterprises\": [{\"handle\": \"a\", \"name\": \"Caf\xe9\"}]"), "f:4: invalid UTF-8 at column 45 (byte 0xe9)"},
		{"invalid UTF-8 in a version 1 array", "[\n{\"name\": \"\xff\"}]", "f:2: invalid UTF-8 at column 11 (byte 0xff)"},
	} {
		t.Run("refuses a file that is "+tc.name, func(t *testing.T) {
			_, err := exchange.ReadDirectory("f", exchange.JSON, []byte(tc.content))
			if directory.ErrorCode(err) != directory.EINVALID || !strings.HasPrefix(directory.ErrorMessage(err), tc.want) {
				t.Errorf("error %v, want one starting %q", err, tc.want)
			}
		})
	}
	t.Run("refuses invalid UTF-8 in a CSV table, with its line", func(t *testing.T) {
		_, err := exchange.ReadCSVTables("dir", map[string][]byte{
			exchange.AnnouncementsFile: []byte("key,enterprise,content\nk,a,ok\nk2,a,caf\xc3\n")})
		if want := "dir/announcements.csv:3: invalid UTF-8 at column 9"; !strings.HasPrefix(directory.ErrorMessage(err), want) {
			t.Errorf("error %v, want %q", err, want)
		}
	})
}

func TestImportDirectoryReportsEveryProblem(t *testing.T) {
	png := base64.StdEncoding.EncodeToString(pngLogo(t).Data)
	file := v2(`"enterprises": [
    {"handle": "coop", "name": "Co-op", "kind": "other", "logo": "/media/logo1"},
    {"handle": "Bad Handle", "name": "", "kind": "other"}
  ],
  "listings": [
    {"key": "a", "enterprise": "coop", "type": "need", "title": "Seeds", "category": "food", "status": "open"},
    {"key": "a", "enterprise": "coop", "type": "offer", "title": "Again", "category": "food"},
    {"key": "b", "enterprise": "ghost", "type": "need", "title": "x", "category": "food"},
    {"key": "c", "enterprise": "coop", "type": "swap", "title": "", "category": "toys", "quantity": "lots", "valid_until": "soon"},
    {"key": "d e", "enterprise": "Bad Handle", "type": "need", "title": "y", "category": "food", "colour": "red"},
    7
  ],
  "announcements": [
    {"key": "", "enterprise": "coop", "content": ""},
    {"key": "n", "enterprise": "coop", "content": "fine", "created_at": "yesterday"}
  ],
  "logos": [
    {"id": "logo1", "content_type": "image/png", "width": 3, "height": 2, "data": "` + png + `"},
    {"id": "logo2", "content_type": "image/gif", "width": 3, "height": 2, "data": "not base64!"},
    {"id": "logo3", "content_type": "image/jpeg", "width": 9, "height": 9, "data": "` + png + `"}
  ]`)
	want := `f:6: Bad Handle: handle: may contain only lowercase letters, digits and _, with . or - inside
f:6: Bad Handle: name: is required
f:10: listing coop/a: key: is already used for this enterprise on line 9
f:11: listing ghost/b: enterprise: no enterprise "ghost" in the file or in the directory
f:12: listing coop/c: type: must be need or offer
f:12: listing coop/c: title: is required
f:12: listing coop/c: category: must be one of food, housing, goods, tools, skills, labor, space, transport, money, care, health, legal, tech, other
f:12: listing coop/c: quantity: must be a number, not string
f:12: listing coop/c: valid_until: must be a date such as 2026-12-31
f:13: listing Bad Handle/d e: key: must not contain spaces or control characters
f:13: listing Bad Handle/d e: enterprise: "Bad Handle" is invalid in this file
f:13: listing Bad Handle/d e: colour: is not a field of a listing
f:14: listing (no enterprise)/(no key): element: must be an object
f:17: announcement coop/(no key): key: is required
f:17: announcement coop/(no key): content: is required
f:18: announcement coop/n: created_at: must be a time such as 2026-12-31T12:00:00Z
f:22: logo logo2: id: is the logo of no enterprise in the file
f:22: logo logo2: content_type: must be image/png or image/jpeg
f:22: logo logo2: data: illegal base64 data at input byte 3
f:23: logo logo3: id: is the logo of no enterprise in the file
f:23: logo logo3: data: is a png image, not image/jpeg
`
	onEachEngine(t, func(t *testing.T, svc *directory.Service) {
		_, report, err := importFile(t, svc, exchange.JSON, file, false)
		t.Run("lists every problem of every row, and imports nothing", func(t *testing.T) {
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("error %v", err)
			}
			if report != want {
				t.Errorf("report\n%s\nwant\n%s", report, want)
			}
			if got := export(t, svc, exchange.JSON); got != emptyExport {
				t.Errorf("something was imported:\n%s", got)
			}
		})
		t.Run("imports the good rows with --skip-invalid", func(t *testing.T) {
			res, _, err := importFile(t, svc, exchange.JSON, file, true)
			if err != nil {
				t.Fatal(err)
			}
			got := fmt.Sprintf("%d %d %d %d", res.Created, res.Listings.Created, res.Announcements.Created, res.Logos.Created)
			if got != "1 1 0 1" {
				t.Errorf("created %s (enterprises, listings, announcements, logos), want 1 1 0 1", got)
			}
			if out := export(t, svc, exchange.JSON); !strings.Contains(out, `"title": "Seeds"`) || !strings.Contains(out, `"id": "logo1"`) {
				t.Errorf("export:\n%s", out)
			}
		})
	})
}

func TestImportDirectoryRefusesAMissingLogo(t *testing.T) {
	onEachEngine(t, func(t *testing.T, svc *directory.Service) {
		_, report, err := importFile(t, svc, exchange.JSON, v2(`"enterprises": [{"handle": "coop", "name": "Co-op", "kind": "other", "logo": "/media/nowhere"}]`), false)
		want := `f:4: coop: logo: names the stored image "nowhere", which is neither in the file's logos nor stored here` + "\n"
		if directory.ErrorCode(err) != directory.EINVALID || report != want {
			t.Errorf("error %v, report\n%s\nwant\n%s", err, report, want)
		}
	})
}
