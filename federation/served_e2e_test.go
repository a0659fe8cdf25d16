package federation_test

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// fetchedKeys resolves key ids over HTTP with the federation client, as a
// remote server does.
type fetchedKeys struct{ c *federation.Client }

func (k fetchedKeys) PublicKey(ctx context.Context, keyID string, _ bool) (string, *rsa.PublicKey, error) {
	raw, _, err := k.c.FetchDocument(ctx, keyID)
	if err != nil {
		return "", nil, err
	}
	var actor struct {
		PublicKey struct{ Owner, PublicKeyPem string }
	}
	if err := json.Unmarshal(raw, &actor); err != nil {
		return "", nil, err
	}
	pub, err := federation.ParsePublicKeyPEM(actor.PublicKey.PublicKeyPem)
	return actor.PublicKey.Owner, pub, err
}

// testServedDemo runs an instance with the demo directory and reads it as a
// fediverse server would.
func testServedDemo(t *testing.T, engine instancetest.Engine) {
	ctx := context.Background()
	srv := instancetest.Start(t, engine, func(c *instance.Config) { c.Demo = true })
	base := srv.URL()
	host := strings.TrimPrefix(base, "http://")
	actorID := base + "/enterprises/shakyhands"

	code, _, body := instancetest.Fetch(t, base+"/.well-known/webfinger?resource=acct:shakyhands@"+host, "application/jrd+json")
	var jrd federation.JRD
	if err := json.Unmarshal(body, &jrd); code != http.StatusOK || err != nil || jrd.Links[0].Href != actorID {
		t.Fatalf("webfinger: %d %v %s", code, err, body)
	}
	client := federation.NewClient(federation.ClientOptions{AllowPrivate: true})
	raw, _, err := client.FetchDocument(ctx, actorID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ap.ParseDocument(ctx, raw); err != nil {
		t.Errorf("the actor does not parse: %v", err)
	}
	if _, err := federation.ParsePublicKeyPEM(instancetest.PublicKeyPEM(t, actorID)); err != nil {
		t.Errorf("publicKeyPem: %v", err)
	}
	t.Run("a request signed with the stored key verifies against the served one", func(t *testing.T) {
		priv, err := srv.Keys().PrivateKey(ctx, directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		body := []byte(`{"type":"Note"}`)
		req, _ := http.NewRequest(http.MethodPost, "https://partner.example/inbox", strings.NewReader(string(body)))
		if err := (&federation.Signer{KeyID: actorID + "#main-key", Key: priv}).SignRequest(req, body); err != nil {
			t.Fatal(err)
		}
		if _, err := (&federation.Verifier{Keys: fetchedKeys{client}}).Verify(req, body); err != nil {
			t.Errorf("verify: %v", err)
		}
	})
	t.Run("browsers get the page at the same address", func(t *testing.T) {
		code, ctype, _ := instancetest.Fetch(t, actorID, "text/html,application/xhtml+xml,*/*;q=0.8")
		if code != http.StatusOK || !strings.HasPrefix(ctype, "text/html") {
			t.Errorf("%d %s", code, ctype)
		}
	})
	t.Run("unknown handles are 404 for both", func(t *testing.T) {
		for _, accept := range []string{instancetest.ActivityJSON, "text/html"} {
			if code, _, _ := instancetest.Fetch(t, base+"/enterprises/nobody", accept); code != http.StatusNotFound {
				t.Errorf("Accept %s: %d", accept, code)
			}
		}
		if code, _, _ := instancetest.Fetch(t, base+"/.well-known/webfinger?resource=acct:nobody@"+host, "*/*"); code != http.StatusNotFound {
			t.Errorf("webfinger: %d", code)
		}
	})
	t.Run("a partner's entry is 404", func(t *testing.T) {
		storePartner(t, srv.Database())
		for _, u := range []string{base + "/enterprises/farfield", base + "/.well-known/webfinger?resource=acct:farfield@" + host} {
			if code, _, _ := instancetest.Fetch(t, u, instancetest.ActivityJSON); code != http.StatusNotFound {
				t.Errorf("%s: %d", u, code)
			}
		}
	})
	t.Run("NodeInfo counts the demo directory", func(t *testing.T) {
		enterprises, posts := 0, 0
		for _, e := range demo.Entries() {
			enterprises++
			posts += len(e.Listings) + len(e.Announcements)
		}
		var ni struct {
			Usage    struct{ LocalPosts int }
			Metadata struct{ Enterprises int }
		}
		_, _, body := instancetest.Fetch(t, base+"/nodeinfo/2.1", "application/json")
		if err := json.Unmarshal(body, &ni); err != nil || ni.Metadata.Enterprises != enterprises || ni.Usage.LocalPosts != posts {
			t.Errorf("nodeinfo %s; want %d enterprises and %d posts", body, enterprises, posts)
		}
	})
	t.Run("the outbox holds every post of the enterprise, page by page", func(t *testing.T) {
		want := 0
		for _, e := range demo.Entries() {
			if e.Handle == "shakyhands" {
				want = len(e.Listings) + len(e.Announcements)
			}
		}
		var outbox struct{ TotalItems int }
		_, _, body := instancetest.Fetch(t, actorID+"/outbox", instancetest.ActivityJSON)
		if err := json.Unmarshal(body, &outbox); err != nil || outbox.TotalItems != want || want == 0 {
			t.Fatalf("outbox %s; want %d items", body, want)
		}
		got := 0
		for page := 1; ; page++ {
			var p struct {
				OrderedItems []any
				Next         string
			}
			_, _, body := instancetest.Fetch(t, actorID+"/outbox?page="+strconv.Itoa(page), instancetest.ActivityJSON)
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			got += len(p.OrderedItems)
			if p.Next == "" {
				break
			}
		}
		if got != want {
			t.Errorf("%d items over the pages, want %d", got, want)
		}
	})
}

// storePartner stores a partner's enterprise as partner sync will.
func storePartner(t *testing.T, store directory.Store) {
	t.Helper()
	now := time.Now().UTC()
	e := &directory.Enterprise{Handle: "farfield", Name: "Far Field", Kind: directory.KindProducerCoop,
		Origin: "partner.example", CreatedAt: now, UpdatedAt: now}
	ev := directory.Event{Type: directory.EventEnterpriseCreated, EnterpriseHandle: e.Handle, Origin: e.Origin, At: now}
	if err := store.CreateEnterprise(context.Background(), e, ev); err != nil {
		t.Fatal(err)
	}
}

func TestServedDemoSQLite(t *testing.T) { testServedDemo(t, instancetest.SQLite) }

func TestServedDemoPostgres(t *testing.T) { testServedDemo(t, instancetest.Postgres) }
