package federation_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/directory/murmurations/murmurationstest"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// hostileProfiles serves profiles an import must refuse, each for its
// own reason, on loopback.
func hostileProfiles(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/big.json":
			_, _ = w.Write([]byte(`{"linked_schemas":["organizations_schema-v1.0.0"],"name":"Big","description":"` +
				strings.Repeat("x", 300<<10) + `"}`))
		case "/latin1.json":
			_, _ = w.Write([]byte("{\"linked_schemas\":[\"organizations_schema-v1.0.0\"],\"name\":\"Caf\xe9\"}"))
		case "/text.json":
			_, _ = w.Write([]byte("<html>not a profile</html>"))
		case "/noname.json":
			_, _ = w.Write([]byte(`{"linked_schemas":["organizations_schema-v1.0.0"],"primary_url":"https://x.example"}`))
		case "/otherschema.json":
			_, _ = w.Write([]byte(`{"linked_schemas":["people_schema-v0.1.0"],"name":"Someone"}`))
		case "/slow.json":
			<-r.Context().Done() // answers only when the importer gives up
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// orgView is what the index saw of a hostile profile when it was posted:
// a valid organisation, which the profile stopped being since.
var orgView = []byte(`{"linked_schemas":["organizations_schema-v1.0.0"],"name":"Once fine"}`)

// The index is murmurationstest.Index: the real Murmurations index needs
// Elasticsearch and MongoDB, so the test runs this small HTTP server that
// implements the documented index API (POST, DELETE and GET /v2/nodes
// with its query parameters) on loopback. One instance registers its
// profiles there; another imports them, with hostile profiles among them.
func TestMurmurationsImport(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			src, dst := instancetest.Start(t, engine), instancetest.Start(t, engine)
			ix := murmurationstest.NewIndex(t)
			var clock atomic.Int64
			clock.Store(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Unix())
			ix.SetClock(func() time.Time { return time.Unix(clock.Load(), 0) })
			sys := directory.AsSystem(context.Background())
			src.Enterprise("alpha", "Alpha Co-op")
			src.Enterprise("beta", "Beta Bakery")
			index := ix.URL
			if _, err := src.Service().UpdateSettings(sys, directory.SettingsUpdate{MurmurationsIndex: &index}); err != nil {
				t.Fatal(err)
			}
			alpha := src.URLOf(murmurations.EnterprisePathPrefix + "alpha.json")
			beta := src.URLOf(murmurations.EnterprisePathPrefix + "beta.json")
			posted := func(u string) int { n, _ := ix.Node(u); return n.Posts }
			instancetest.Eventually(t, "src's profiles are registered", func() bool { return posted(alpha) > 0 && posted(beta) > 0 })
			bad := hostileProfiles(t)
			for _, p := range []string{"/big.json", "/latin1.json", "/text.json", "/noname.json", "/otherschema.json", "/slow.json", "/gone.json"} {
				ix.Put(bad.URL+p, "posted", orgView)
			}
			ix.Put("file:///etc/passwd", "posted", orgView)
			origin := directory.MurmurationsOrigin(strings.TrimPrefix(ix.URL, "http://"))

			rep := runImport(t, dst, ix.URL, murmurations.Query{})
			if rep.Imported != 2 || rep.Updated != 0 || rep.Nodes != 10 {
				t.Fatalf("report %+v", rep)
			}
			wantRefused(t, rep, map[string]string{
				bad.URL + "/big.json": "larger than", bad.URL + "/latin1.json": "UTF-8", bad.URL + "/text.json": "not a JSON",
				bad.URL + "/noname.json": "name", bad.URL + "/otherschema.json": "does not link", bad.URL + "/slow.json": "timed out",
				bad.URL + "/gone.json": "404", "file:///etc/passwd": "not an http",
			})
			e, err := dst.Service().RemoteEnterprise(sys, origin, alpha)
			if err != nil || e.Name != "Alpha Co-op" || e.Kind != directory.KindWorkerCoop || e.Origin != origin {
				t.Fatalf("imported alpha: %+v, %v", e, err)
			}

			t.Run("kept apart from partner and local entries", func(t *testing.T) {
				for o, want := range map[string]int{directory.OriginMurmurations: 2, origin: 2, directory.OriginPartners: 0, directory.OriginLocal: 0, directory.OriginAll: 2} {
					res, err := dst.Service().SearchEnterprises(sys, directory.EnterpriseQuery{Origin: o})
					if err != nil || res.Total != want {
						t.Errorf("origin %s: %d entries (%v), want %d", o, res.Total, err, want)
					}
				}
			})
			t.Run("never published as ours", func(t *testing.T) {
				st, _, _ := instancetest.Fetch(t, dst.URLOf(murmurations.EnterprisePathPrefix+e.Handle+".json"), "application/json")
				if st != http.StatusNotFound {
					t.Errorf("dst serves a Murmurations profile of the imported entry: %d", st)
				}
				if st, _, _ := instancetest.Fetch(t, dst.URLOf("/enterprises/"+e.Handle), "application/activity+json"); st != http.StatusNotFound {
					t.Errorf("dst serves an actor of the imported entry: %d", st)
				}
				idle, err := dst.Node().Idle(context.Background())
				if err != nil || !idle {
					t.Errorf("dst has something to send: %v, %v", idle, err)
				}
			})
			ix.Put(bad.URL+"/slow.json", "validation_failed", orgView) // spares the next runs the wait
			t.Run("a second run changes nothing", func(t *testing.T) {
				rep := runImport(t, dst, ix.URL, murmurations.Query{})
				if rep.Imported != 0 || rep.Updated != 0 || rep.Unchanged != 2 {
					t.Fatalf("report %+v", rep)
				}
			})
			t.Run("a changed profile is updated", func(t *testing.T) {
				clock.Add(60)
				before := posted(alpha)
				if st := src.API("PATCH", "/api/v1/enterprises/alpha", map[string]any{"name": "Alpha Größe"}, nil); st != 200 {
					t.Fatalf("patch: %d", st)
				}
				instancetest.Eventually(t, "the change reaches the index", func() bool { return posted(alpha) > before })
				rep := runImport(t, dst, ix.URL, murmurations.Query{})
				if rep.Updated != 1 || rep.Unchanged != 1 {
					t.Fatalf("report %+v", rep)
				}
				if e, err := dst.Service().RemoteEnterprise(sys, origin, alpha); err != nil || e.Name != "Alpha Größe" {
					t.Fatalf("alpha: %+v, %v", e, err)
				}
			})
			t.Run("a deleted node removes its entry", func(t *testing.T) {
				clock.Add(60)
				if st := src.API("DELETE", "/api/v1/enterprises/beta", nil, nil); st != 204 {
					t.Fatalf("delete: %d", st)
				}
				instancetest.Eventually(t, "the index marks beta deleted", func() bool { n, _ := ix.Node(beta); return n.Status == "deleted" })
				rep := runImport(t, dst, ix.URL, murmurations.Query{})
				if rep.Removed != 1 {
					t.Fatalf("report %+v", rep)
				}
				if _, err := dst.Service().RemoteEnterprise(sys, origin, beta); directory.ErrorCode(err) != directory.ENOTFOUND {
					t.Fatalf("beta is still there: %v", err)
				}
			})
			t.Run("a query selects by tag", func(t *testing.T) {
				rep := runImport(t, dst, ix.URL, murmurations.Query{Tags: []string{"no such tag"}})
				if rep.Nodes != 1 || rep.Removed != 0 { // only beta's deleted node
					t.Fatalf("report %+v", rep)
				}
			})
			t.Run("a bad query or index starts nothing", func(t *testing.T) {
				if _, err := dst.Node().StartMurmurationsImport(sys, "ftp://index.example", murmurations.Query{}); directory.ErrorCode(err) != directory.EINVALID {
					t.Errorf("ftp index: %v", err)
				}
				lat := 91.0
				if _, err := dst.Node().StartMurmurationsImport(sys, ix.URL, murmurations.Query{Lat: &lat, Lon: &lat, Range: "1km"}); directory.ErrorCode(err) != directory.EINVALID {
					t.Errorf("lat 91: %v", err)
				}
				if _, err := dst.Node().StartMurmurationsImport(context.Background(), ix.URL, murmurations.Query{}); directory.ErrorCode(err) != directory.EUNAUTHORIZED {
					t.Errorf("anonymous: %v", err)
				}
			})
		})
	}
}

// runImport starts an import as the admin form does and waits for its
// report.
func runImport(t *testing.T, in *instancetest.Instance, index string, q murmurations.Query) murmurations.Report {
	t.Helper()
	ctx := directory.AsSystem(context.Background())
	id, err := in.Node().StartMurmurationsImport(ctx, index, q)
	if err != nil {
		t.Fatal(err)
	}
	var run murmurations.ImportRun
	instancetest.Eventually(t, "the import ends", func() bool {
		runs, err := in.Node().MurmurationsImports(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runs {
			if r.ID == id {
				run = r
			}
		}
		return run.State == murmurations.RunDone || run.State == murmurations.RunFailing
	})
	if run.State != murmurations.RunDone {
		t.Fatalf("import %s: %s", run.State, run.Error)
	}
	return run.Report
}

func wantRefused(t *testing.T, rep murmurations.Report, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, r := range rep.Refused {
		got[r.ProfileURL] = r.Reason
	}
	for u, reason := range want {
		if !strings.Contains(got[u], reason) {
			t.Errorf("%s: refused with %q, want one saying %q", u, got[u], reason)
		}
	}
	if len(got) != len(want) {
		t.Errorf("refused %d, want %d: %v", len(got), len(want), got)
	}
}
