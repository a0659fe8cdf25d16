package federation

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-fed/activity/streams"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// goldenDoc is one published document: how to build it, and whether go-fed
// must read it back (everything of the ActivityStreams vocabulary; a bare
// Proposal is not).
type goldenDoc struct {
	name  string
	build func(t *testing.T, u URLs) (map[string]any, error)
	asAS  bool
}

func goldenDocs() []goldenDoc {
	e, a, need, offer, f := fixtureEnterprise(), fixtureAnnouncement(), fixtureNeed(), fixtureOffer(), fixtureFollow()
	actor := "https://coop.example/enterprises/shakyhands"
	return []goldenDoc{
		{"actor-enterprise", func(_ *testing.T, u URLs) (map[string]any, error) {
			return EnterpriseActor(u, e, fixturePublicKeyPEM)
		}, true},
		{"actor-network", func(_ *testing.T, u URLs) (map[string]any, error) {
			return NetworkActor(u, fixtureNetwork(), fixturePublicKeyPEM)
		}, true},
		{"actor-instance", func(_ *testing.T, u URLs) (map[string]any, error) {
			return InstanceActor(u, fixtureNetwork(), fixturePublicKeyPEM)
		}, true},
		{"actor-needs", func(_ *testing.T, u URLs) (map[string]any, error) {
			return ListingsActor(u, directory.Need, fixtureNetwork(), fixturePublicKeyPEM)
		}, true},
		{"actor-offers", func(_ *testing.T, u URLs) (map[string]any, error) {
			return ListingsActor(u, directory.Offer, fixtureNetwork(), fixturePublicKeyPEM)
		}, true},
		{"update-actor", func(t *testing.T, u URLs) (map[string]any, error) {
			return Update(actor, mustDoc(t)(EnterpriseActor(u, e, fixturePublicKeyPEM)), fixtureLater)
		}, true},
		{"note-announcement", func(_ *testing.T, u URLs) (map[string]any, error) { return AnnouncementNote(u, a) }, true},
		{"create-announcement", func(_ *testing.T, u URLs) (map[string]any, error) { return CreateAnnouncement(u, a) }, true},
		{"proposal-need", func(_ *testing.T, u URLs) (map[string]any, error) { return ListingProposal(u, need) }, false},
		{"proposal-offer", func(_ *testing.T, u URLs) (map[string]any, error) { return ListingProposal(u, offer) }, false},
		{"note-listing", func(_ *testing.T, u URLs) (map[string]any, error) { return ListingNote(u, need) }, true},
		{"create-proposal", func(t *testing.T, u URLs) (map[string]any, error) {
			return Create(actor, mustDoc(t)(ListingProposal(u, need)))
		}, true},
		{"create-listing-note", func(t *testing.T, u URLs) (map[string]any, error) {
			return Create(actor, mustDoc(t)(ListingNote(u, need)))
		}, true},
		{"update-proposal", func(t *testing.T, u URLs) (map[string]any, error) {
			return Update(actor, mustDoc(t)(ListingProposal(u, need)), fixtureLater)
		}, true},
		{"delete-proposal", func(_ *testing.T, u URLs) (map[string]any, error) {
			return Delete(actor, u.Listing(3), "Proposal", fixtureLater)
		}, true},
		{"announce-create", func(t *testing.T, u URLs) (map[string]any, error) {
			return AnnounceActivity(u, u.Network().ID, mustDoc(t)(CreateAnnouncement(u, a)), fixtureEdited)
		}, true},
		{"announce-object", func(_ *testing.T, u URLs) (map[string]any, error) {
			return AnnounceObject(u, u.Network().ID, u.Announcement(7), fixtureEdited)
		}, true},
		{"follow", func(_ *testing.T, u URLs) (map[string]any, error) {
			return Follow(FollowRef{ID: u.Activity("follow-8d5e5f8a"), Actor: u.Instance().ID, Object: "https://partner.example/actor"})
		}, true},
		{"accept", func(_ *testing.T, u URLs) (map[string]any, error) { return Accept(u, f) }, true},
		{"reject", func(_ *testing.T, u URLs) (map[string]any, error) { return Reject(u, f) }, true},
		{"undo-follow", func(_ *testing.T, u URLs) (map[string]any, error) {
			return Undo(FollowRef{ID: u.Activity("follow-8d5e5f8a"), Actor: u.Instance().ID, Object: "https://partner.example/actor"})
		}, true},
		{"collection", func(_ *testing.T, u URLs) (map[string]any, error) {
			return OrderedCollection(u.Enterprise("shakyhands").Outbox, 45, 20)
		}, true},
		{"collection-page", func(t *testing.T, u URLs) (map[string]any, error) {
			items := []any{mustDoc(t)(CreateAnnouncement(u, a)), mustDoc(t)(Create(actor, mustDoc(t)(ListingNote(u, need))))}
			return OrderedCollectionPage(u.Enterprise("shakyhands").Outbox, 45, items, 2, 20)
		}, true},
	}
}

// mustDoc returns a helper that fails the test on error.
func mustDoc(t *testing.T) func(map[string]any, error) map[string]any {
	return func(m map[string]any, err error) map[string]any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}

func TestGoldenDocuments(t *testing.T) {
	u := fixtureURLs(t)
	for _, g := range goldenDocs() {
		t.Run(g.name, func(t *testing.T) {
			doc, err := g.build(t, u)
			if err != nil {
				t.Fatal(err)
			}
			body := indented(t, doc)
			compareGolden(t, g.name+".json", body)
			if g.asAS {
				assertReadsBack(t, body, doc)
			}
		})
	}
}

// indented is doc as the golden files hold it: indented, HTML unescaped.
func indented(t *testing.T, doc map[string]any) []byte {
	t.Helper()
	compact, err := MarshalDocument(doc)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := json.Indent(&b, compact, "", "  "); err != nil {
		t.Fatal(err)
	}
	return append(b.Bytes(), '\n')
}

// assertReadsBack parses a golden document with go-fed and checks that its
// type and id survive serialising it again.
func assertReadsBack(t *testing.T, raw []byte, doc map[string]any) {
	t.Helper()
	typ, err := ParseDocument(context.Background(), raw)
	if err != nil {
		t.Fatalf("go-fed cannot read it back: %v", err)
	}
	again, err := streams.Serialize(typ)
	if err != nil {
		t.Fatal(err)
	}
	if again["type"] != doc["type"] || again["id"] != doc["id"] {
		t.Errorf("read back as %v %v, want %v %v", again["type"], again["id"], doc["type"], doc["id"])
	}
}

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
			compareGolden(t, c.name, rec.Body.Bytes())
		})
	}
}

// compareGolden compares got with testdata/golden/name, or rewrites the file
// under -update.
func compareGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *updateGolden {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./federation -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is meant):\n%s", name, got)
	}
}
