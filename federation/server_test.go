package federation

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/sqlite"
	"github.com/coopdir/coopdir/federation/ap"
)

// serverFixture is a Server over a real SQLite directory at
// https://coop.example, with one local enterprise (shakyhands) and one
// partner's (farfield@partner.example).
type serverFixture struct {
	db        *sqlite.DB
	svc       *directory.Service
	keys      *Keys
	srv       *Server
	generated atomic.Int32 // keys generated
}

var serverFixtureSecret = []byte("0123456789abcdef0123456789abcdef")

func newServerFixture(t *testing.T, opt ServerOptions) *serverFixture {
	t.Helper()
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "coopdir.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f := &serverFixture{db: db}
	f.svc = directory.NewService(db, markdown.New().Render, password.Hasher{P: password.Params{Memory: 1024, Time: 1, Threads: 1}})
	clock := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	tick := func() time.Time { // a second per reading keeps orders strict
		mu.Lock()
		defer mu.Unlock()
		clock = clock.Add(time.Second)
		return clock
	}
	f.svc.Now = tick
	f.keys, err = NewKeys(db, serverFixtureSecret)
	if err != nil {
		t.Fatal(err)
	}
	f.keys.Now = tick
	pool := []*rsa.PrivateKey{testKey(t, "a"), testKey(t, "b")}
	f.keys.Generate = func() (*rsa.PrivateKey, error) {
		n := f.generated.Add(1)
		return pool[(n-1)%2], nil
	}
	if opt.Network.Name == "" {
		opt.Network = NetworkInfo{Name: "Cooperation Springfield", Description: "Co-ops of Springfield."}
	}
	f.srv = NewServer(f.svc, db, f.keys, fixtureURLs(t), opt)
	f.seed(t)
	return f
}

func (f *serverFixture) sys() context.Context { return directory.AsSystem(context.Background()) }

func (f *serverFixture) seed(t *testing.T) {
	t.Helper()
	f.mustEnterprise(t, "shakyhands", "Shaky Hands Bakery")
	partner := &directory.Enterprise{Handle: "farfield", Name: "Far Field Farm", Kind: directory.KindProducerCoop,
		Origin: "partner.example", CreatedAt: time.Now().UTC(), UpdatedAt: time.Now().UTC()}
	ev := directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: "farfield", Origin: "partner.example", At: partner.CreatedAt}
	if err := f.db.CreateEnterprise(context.Background(), partner, ev); err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{EnterpriseID: partner.ID, Type: directory.Offer, Title: "Squash", Category: "food",
		Status: directory.StatusOpen, Origin: "partner.example", CreatedAt: partner.CreatedAt, UpdatedAt: partner.CreatedAt}
	if err := f.db.CreateListing(context.Background(), l, directory.Event{Type: directory.EventListingCreated, Origin: l.Origin, At: l.CreatedAt}); err != nil {
		t.Fatal(err)
	}
}

func (f *serverFixture) mustEnterprise(t *testing.T, handle, name string) *directory.Enterprise {
	t.Helper()
	e := &directory.Enterprise{Handle: handle, Name: name, Kind: directory.KindWorkerCoop, Sectors: []string{"bakery"}}
	if err := f.svc.CreateEnterprise(f.sys(), e); err != nil {
		t.Fatal(err)
	}
	return e
}

func (f *serverFixture) mustListing(t *testing.T, handle string, typ directory.ListingType, title string) *directory.Listing {
	t.Helper()
	l := &directory.Listing{Type: typ, Title: title, Category: "tools"}
	if err := f.svc.CreateListing(f.sys(), handle, l); err != nil {
		t.Fatal(err)
	}
	return l
}

func (f *serverFixture) mustAnnouncement(t *testing.T, handle, text string) *directory.Announcement {
	t.Helper()
	a := &directory.Announcement{Content: text}
	if err := f.svc.CreateAnnouncement(f.sys(), handle, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// get asks the server for path as an ActivityPub client does.
func (f *serverFixture) get(t *testing.T, path string) *httptest.ResponseRecorder {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "https://coop.example"+path, nil)
	req.Header.Set("Accept", "application/activity+json")
	f.srv.ServeHTTP(rec, req)
	return rec
}

// doc fetches path, checks the headers of a served document and returns it.
func (f *serverFixture) doc(t *testing.T, path string) map[string]any {
	t.Helper()
	rec := f.get(t, path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: status %d: %s", path, rec.Code, rec.Body)
	}
	h := rec.Header()
	if h.Get("Content-Type") != "application/activity+json; charset=utf-8" || h.Get("Vary") != "Accept" ||
		h.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("GET %s: headers %v", path, h)
	}
	if _, err := ap.ParseDocument(context.Background(), rec.Body.Bytes()); err != nil && !strings.Contains(rec.Body.String(), `"Proposal"`) {
		t.Errorf("GET %s: go-fed does not read it: %v", path, err)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func (f *serverFixture) wantStatus(t *testing.T, path string, status int) {
	t.Helper()
	if rec := f.get(t, path); rec.Code != status {
		t.Errorf("GET %s: status %d, want %d: %s", path, rec.Code, status, rec.Body)
	}
}

// keyOf returns the publicKeyPem of an actor document, parsed.
func keyOf(t *testing.T, actor map[string]any) (string, *rsa.PublicKey) {
	t.Helper()
	pk, _ := actor["publicKey"].(map[string]any)
	pemText, _ := pk["publicKeyPem"].(string)
	pub, err := ParsePublicKeyPEM(pemText)
	if err != nil {
		t.Fatalf("publicKeyPem of %v: %v", actor["id"], err)
	}
	return pemText, pub
}

// servedKeys resolves key ids by fetching the actor from the fixture's
// server, as a remote instance would.
type servedKeys struct {
	t *testing.T
	f *serverFixture
}

func (k servedKeys) PublicKey(_ context.Context, keyID string, _ bool) (string, *rsa.PublicKey, error) {
	actorID, _, _ := strings.Cut(keyID, "#")
	doc := k.f.doc(k.t, strings.TrimPrefix(actorID, "https://coop.example"))
	_, pub := keyOf(k.t, doc)
	owner, _ := doc["publicKey"].(map[string]any)["owner"].(string)
	return owner, pub, nil
}

func TestServerEnterpriseActor(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	doc := f.doc(t, "/enterprises/shakyhands")
	if doc["id"] != "https://coop.example/enterprises/shakyhands" || doc["type"] != "Organization" || doc["preferredUsername"] != "shakyhands" {
		t.Fatalf("actor: %v %v %v", doc["id"], doc["type"], doc["preferredUsername"])
	}
	pemText, _ := keyOf(t, doc)

	t.Run("a request signed with the stored private key verifies against the served key", func(t *testing.T) {
		priv, err := f.keys.PrivateKey(context.Background(), directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(`{"type":"Follow"}`)
		req := httptest.NewRequest(http.MethodPost, "https://partner.example/inbox", strings.NewReader(string(body)))
		signer := &Signer{KeyID: "https://coop.example/enterprises/shakyhands#main-key", Key: priv}
		if err := signer.SignRequest(req, body); err != nil {
			t.Fatal(err)
		}
		v, err := (&Verifier{Keys: servedKeys{t, f}}).Verify(req, body)
		if err != nil {
			t.Fatalf("verify: %v", err)
		}
		if err := (&Verifier{}).CheckActor(v, "https://coop.example/enterprises/shakyhands"); err != nil {
			t.Error(err)
		}
	})
	t.Run("the key is made once and served again", func(t *testing.T) {
		again, _ := keyOf(t, f.doc(t, "/enterprises/shakyhands"))
		if again != pemText || f.generated.Load() != 1 {
			t.Errorf("second fetch changed the key or made another (%d generated)", f.generated.Load())
		}
	})
	t.Run("unknown, malformed and partner handles are 404", func(t *testing.T) {
		for _, p := range []string{"/enterprises/nobody", "/enterprises/Not%20A%20Handle", "/enterprises/farfield",
			"/enterprises/farfield/outbox", "/enterprises/nobody/featured", "/enterprises/nobody/followers"} {
			f.wantStatus(t, p, http.StatusNotFound)
		}
		if n := f.generated.Load(); n != 1 {
			t.Errorf("%d keys generated; a missing actor must not get one", n)
		}
	})
}

func TestServerInstanceActors(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	for _, c := range []struct{ path, typ, username string }{
		{"/network", "Group", "network"}, {"/actor", "Application", "instance"},
		{"/needs", "Service", "needs"}, {"/offers", "Service", "offers"},
	} {
		doc := f.doc(t, c.path)
		if doc["id"] != "https://coop.example"+c.path || doc["type"] != c.typ || doc["preferredUsername"] != c.username {
			t.Errorf("%s: %v %v %v", c.path, doc["id"], doc["type"], doc["preferredUsername"])
		}
		keyOf(t, doc)
		if doc["published"] == "" || strings.HasPrefix(doc["published"].(string), "0001") {
			t.Errorf("%s: published %v", c.path, doc["published"])
		}
	}
	t.Run("the network is named by the options until an admin saves the settings", func(t *testing.T) {
		if doc := f.doc(t, "/network"); doc["name"] != "Cooperation Springfield" || !strings.Contains(doc["summary"].(string), "Co-ops of Springfield.") {
			t.Errorf("name %v, summary %v", doc["name"], doc["summary"])
		}
		name, desc := "Cooperation Shelbyville", "The other town, its co-ops."
		if _, err := f.svc.UpdateSettings(f.sys(), directory.SettingsUpdate{NetworkName: &name, NetworkDescription: &desc}); err != nil {
			t.Fatal(err)
		}
		if doc := f.doc(t, "/network"); doc["name"] != name || !strings.Contains(doc["summary"].(string), desc) {
			t.Errorf("name %v, summary %v", doc["name"], doc["summary"])
		}
	})
}

func TestServerObjects(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	a := f.mustAnnouncement(t, "shakyhands", "We open a **second oven**.")
	l := f.mustListing(t, "shakyhands", directory.Need, "Drills")
	partner, err := f.svc.SearchListings(context.Background(), directory.ListingQuery{Origin: "partner.example"})
	if err != nil || len(partner.Items) != 1 {
		t.Fatalf("partner listing: %v", err)
	}
	ann := "/announcements/" + itoa(a.ID)
	lst := "/listings/" + itoa(l.ID)
	for _, c := range []struct{ path, typ, id string }{
		{ann, "Note", ann}, {ann + "/create", "Create", ann + "/create"},
		{lst, "Proposal", lst}, {lst + "/create", "Create", lst + "/create"},
		{lst + "/note", "Note", lst + "/note"}, {lst + "/note/create", "Create", lst + "/note/create"},
	} {
		doc := f.doc(t, c.path)
		if doc["type"] != c.typ || doc["id"] != "https://coop.example"+c.id {
			t.Errorf("%s: type %v id %v", c.path, doc["type"], doc["id"])
		}
	}
	if p, err := DecodeProposal(f.get(t, lst).Body.Bytes()); err != nil || p.Name != "Drills" {
		t.Errorf("the Proposal does not decode: %v", err)
	}
	for _, p := range []string{"/announcements/999", "/announcements/x", "/listings/0", "/listings/-1/note",
		"/listings/" + itoa(partner.Items[0].ID), "/listings/" + itoa(partner.Items[0].ID) + "/note/create"} {
		f.wantStatus(t, p, http.StatusNotFound)
	}
	f.wantStatus(t, "/inbox", http.StatusMethodNotAllowed) // an inbox takes POST only
}

func TestServerDiscovery(t *testing.T) {
	f := newServerFixture(t, ServerOptions{Software: "coopdir", Version: "1.0.0"})
	f.mustListing(t, "shakyhands", directory.Offer, "Bread")
	f.mustAnnouncement(t, "shakyhands", "Hello")
	rec := f.get(t, "/.well-known/webfinger?resource=acct:shakyhands@coop.example")
	var jrd JRD
	if err := json.Unmarshal(rec.Body.Bytes(), &jrd); rec.Code != http.StatusOK || err != nil {
		t.Fatalf("webfinger: %d %v", rec.Code, err)
	}
	if jrd.Links[0].Href != "https://coop.example/enterprises/shakyhands" {
		t.Errorf("self link %v", jrd.Links)
	}
	for _, res := range []string{"acct:nobody@coop.example", "acct:farfield@coop.example"} {
		f.wantStatus(t, "/.well-known/webfinger?resource="+res, http.StatusNotFound)
	}
	for _, p := range []string{"/.well-known/host-meta", "/.well-known/host-meta.json", "/.well-known/nodeinfo"} {
		f.wantStatus(t, p, http.StatusOK)
	}
	var ni struct {
		Usage struct {
			Users      struct{ Total int }
			LocalPosts int
		}
		Metadata struct {
			NodeName    string
			Enterprises int
			Listings    *int
		}
	}
	rec = f.get(t, "/nodeinfo/2.1")
	if err := json.Unmarshal(rec.Body.Bytes(), &ni); err != nil {
		t.Fatal(err)
	}
	// One local enterprise (the partner's is not ours), one listing and
	// one announcement; no accounts.
	if ni.Metadata.Enterprises != 1 || ni.Usage.LocalPosts != 2 || ni.Usage.Users.Total != 0 ||
		ni.Metadata.Listings == nil || *ni.Metadata.Listings != 1 ||
		ni.Metadata.NodeName != "Cooperation Springfield" {
		t.Errorf("nodeinfo: %s", rec.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
