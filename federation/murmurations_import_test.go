package federation

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/directory/murmurations/murmurationstest"
	"github.com/coopdir/coopdir/directory/sqlite"
)

// An import through the client of the instance (publicClient: the test's
// loopback servers count as public, every other address as it is) does
// not follow a profile's redirect to an internal address, and refuses the
// profiles of a blocked domain. The index is
// murmurationstest.Index, a small server of the documented index API: the
// real one needs Elasticsearch and MongoDB.
func TestMurmurationsImportRefusesInternalRedirects(t *testing.T) {
	profiles := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/metadata.json":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case "/private.json":
			http.Redirect(w, r, "http://10.0.0.1/p.json", http.StatusFound)
		case "/ok.json":
			fmt.Fprint(w, `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"Fine Co-op"}`)
		}
	}))
	t.Cleanup(profiles.Close)
	ix := murmurationstest.NewIndex(t)
	org := []byte(`{"linked_schemas":["organizations_schema-v1.0.0"]}`)
	for _, p := range []string{"/metadata.json", "/private.json", "/ok.json"} {
		ix.Put(profiles.URL+p, "posted", org)
	}
	// The same server by another name, which the admins blocked.
	blockedURL := strings.Replace(profiles.URL, "127.0.0.1", "localhost", 1) + "/ok.json"
	ix.Put(blockedURL, "posted", org)
	// The index and the profiles share the loopback address; only their
	// ports differ, and publicClient allows one of them: take the
	// profiles', and reach the index through the same client by
	// allowing its address as well.
	c := publicClient(t, profiles.URL, ClientOptions{})
	allowed := c.checkAddr
	indexAddr := strings.TrimPrefix(ix.URL, "http://")
	c.checkAddr = func(ap netip.AddrPort) error {
		if ap.String() == indexAddr {
			return nil
		}
		return allowed(ap)
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "coopdir.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	svc := directory.NewService(db, func(s string) string { return s }, nil)
	if _, err := svc.BlockDomain(directory.AsSystem(context.Background()), &directory.DomainBlock{Domain: "localhost"}); err != nil {
		t.Fatal(err)
	}
	im := murmurations.Importer{HTTP: c.MurmurationsHTTP()}
	rep, err := im.Import(directory.AsSystem(context.Background()), ix.URL, murmurations.Query{}, svc)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 1 || len(rep.Refused) != 3 {
		t.Fatalf("report %+v", rep)
	}
	for _, r := range rep.Refused {
		if r.ProfileURL == blockedURL {
			if !strings.Contains(r.Reason, "blocked") {
				t.Errorf("%s: %s", r.ProfileURL, r.Reason)
			}
		} else if !strings.Contains(r.Reason, "refused") {
			t.Errorf("%s: %s", r.ProfileURL, r.Reason)
		}
	}
}
