package federation

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/federation/ap/aptest"
)

// TestGoldenDiscovery compares what discovery serves with the golden files
// under testdata/golden (the ActivityStreams documents have theirs under
// ap/testdata/golden); -update rewrites them.
func TestGoldenDiscovery(t *testing.T) {
	d := fixtureDiscovery(t)
	for _, c := range []struct{ name, path string }{
		{"webfinger.json", "/.well-known/webfinger?resource=acct:shakyhands@coop.example"},
		{"host-meta.xml", "/.well-known/host-meta"},
		{"host-meta.json", "/.well-known/host-meta.json"},
		{"nodeinfo-index.json", "/.well-known/nodeinfo"},
		{"nodeinfo.json", "/nodeinfo/2.1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			d.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, c.path, nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			aptest.Golden(t, filepath.Join("testdata", "golden", c.name), rec.Body.Bytes())
		})
	}
}
