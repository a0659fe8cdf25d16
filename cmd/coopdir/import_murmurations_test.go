package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coopdir/coopdir/directory/murmurations/murmurationstest"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// The index is murmurationstest.Index: the real Murmurations index needs
// Elasticsearch and MongoDB, so the test runs this small HTTP server that
// implements the documented index API on loopback.
func TestImportFromMurmurations(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			var aGone atomic.Bool
			profiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch {
				case r.URL.Path == "/a.json" && aGone.Load():
					http.Error(w, "gone", http.StatusGone)
				case r.URL.Path == "/a.json", r.URL.Path == "/b.json":
					fmt.Fprintf(w, `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"Co-op %s","primary_url":"%s.example",
						"tags":["Worker co-op","bread"],"geolocation":{"lat":52.5,"lon":13.4}}`, r.URL.Path[1:2], r.URL.Path[1:2])
				case r.URL.Path == "/bad.json":
					fmt.Fprint(w, `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"`+strings.Repeat("n", 200)+`"}`)
				default:
					http.NotFound(w, r)
				}
			}))
			t.Cleanup(profiles.Close)
			ix := murmurationstest.NewIndex(t)
			org := []byte(`{"linked_schemas":["organizations_schema-v1.0.0"],"tags":["bread"],"geolocation":{"lat":52.5,"lon":13.4}}`)
			for _, p := range []string{"/a.json", "/b.json", "/bad.json"} {
				ix.Put(profiles.URL+p, "posted", org)
			}
			r := newRunner(t)
			r.env["DATABASE_URL"] = instancetest.DSN(t, engine)

			res := r.ok("import", "--from-murmurations", ix.URL, "--allow-private-addresses", "--tags", "bread", "--near", "52.5,13.4", "--range", "10km")
			want := "imported 2, updated 0, unchanged 0, removed 0, refused 1\nrefused " + profiles.URL + "/bad.json: "
			if !strings.HasPrefix(res.stdout, want) || !strings.Contains(res.stdout, "name") {
				t.Fatalf("stdout %q", res.stdout)
			}
			t.Run("a second run changes nothing", func(t *testing.T) {
				r.t = t
				if res := r.ok("import", "--from-murmurations="+ix.URL, "--allow-private-addresses"); !strings.HasPrefix(res.stdout, "imported 0, updated 0, unchanged 2, removed 0, refused 1\n") {
					t.Errorf("stdout %q", res.stdout)
				}
			})
			t.Run("a deleted node is removed", func(t *testing.T) {
				r.t = t
				ix.Put(profiles.URL+"/b.json", "deleted", nil)
				if res := r.ok("import", "--from-murmurations", ix.URL, "--allow-private-addresses"); !strings.HasPrefix(res.stdout, "imported 0, updated 0, unchanged 1, removed 1,") {
					t.Errorf("stdout %q", res.stdout)
				}
			})
			t.Run("a profile that is gone is removed", func(t *testing.T) {
				r.t = t
				aGone.Store(true)
				if res := r.ok("import", "--from-murmurations", ix.URL, "--allow-private-addresses"); !strings.HasPrefix(res.stdout, "imported 0, updated 0, unchanged 0, removed 1, refused 1\n") {
					t.Errorf("stdout %q", res.stdout)
				}
			})
			t.Run("without the switch a loopback index is refused", func(t *testing.T) {
				r.t = t
				if res := r.run("import", "--from-murmurations", ix.URL); res.code != 1 || !strings.Contains(res.stderr, "refused") {
					t.Errorf("exit %d, stderr %q", res.code, res.stderr)
				}
			})
			t.Run("bad flags are usage errors", func(t *testing.T) {
				r.t = t
				wantUsage(t, r, "not an http or https address", "import", "--from-murmurations", "ftp://x.example")
				wantUsage(t, r, "--near", "import", "--from-murmurations", ix.URL, "--near", "north", "--range", "1km")
				wantUsage(t, r, "lat, lon and range go together", "import", "--from-murmurations", ix.URL, "--near", "1,2")
				wantUsage(t, r, "range", "import", "--from-murmurations", ix.URL, "--near", "1,2", "--range", "far")
				wantUsage(t, r, "--since", "import", "--from-murmurations", ix.URL, "--since", "yesterday")
			})
		})
	}
}

// wantUsage runs args and wants exit 2 with a message containing msg.
func wantUsage(t *testing.T, r *runner, msg string, args ...string) {
	t.Helper()
	if res := r.run(args...); res.code != 2 || !strings.Contains(res.stderr, msg) {
		t.Errorf("%v: exit %d, stderr %q", args, res.code, res.stderr)
	}
}
