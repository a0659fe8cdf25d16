package federation_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// remoteServer is a small fediverse server of another kind (shaped like
// Mastodon: a Person with a shared inbox, no coopdir terms), over real HTTP:
// it follows our actors and records what we deliver to it.
type remoteServer struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	mu     sync.Mutex
	got    []map[string]any
	status int // the inbox's answer
}

func newRemoteServer(t *testing.T) *remoteServer {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	m := &remoteServer{t: t, key: key, status: http.StatusAccepted}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *remoteServer) actor() string { return m.srv.URL + "/users/alice" }

func (m *remoteServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == "GET" && r.URL.Path == "/users/alice":
		pem, err := federation.PublicKeyPEM(&m.key.PublicKey)
		if err != nil {
			m.t.Error(err)
		}
		doc := map[string]any{
			"@context": []any{ap.ActivityStreamsContext, ap.SecurityContext},
			"id":       m.actor(), "type": "Person", "preferredUsername": "alice", "name": "Alice",
			"inbox": m.actor() + "/inbox", "outbox": m.actor() + "/outbox", "url": m.srv.URL + "/@alice",
			"endpoints": map[string]any{"sharedInbox": m.srv.URL + "/inbox"},
			"publicKey": map[string]any{"id": m.actor() + "#main-key", "owner": m.actor(), "publicKeyPem": pem},
		}
		w.Header().Set("Content-Type", "application/activity+json")
		_ = json.NewEncoder(w).Encode(doc)
	case r.Method == "GET" && (r.URL.Path == "/users/bob" || strings.HasSuffix(r.URL.Path, "/main-key")):
		m.serveStub(w, r)
	case r.Method == "POST" && (r.URL.Path == "/inbox" || r.URL.Path == "/users/alice/inbox"):
		var a map[string]any
		body, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(body, &a); err != nil || r.Header.Get("Signature") == "" {
			m.t.Errorf("unsigned or bad delivery: %s", body)
		}
		m.mu.Lock()
		m.got = append(m.got, a)
		status := m.status
		m.mu.Unlock()
		w.WriteHeader(status)
	default:
		http.NotFound(w, r)
	}
}

// serveStub answers as GoToSocial does for bob: his actor publishes the key
// id /users/bob/main-key (no fragment), whose URL answers with a stub
// {id: actor, type, publicKey}. The stubs of /users/eve/main-key and
// /users/mallory/main-key claim the same key for bob and for another host.
func (m *remoteServer) serveStub(w http.ResponseWriter, r *http.Request) {
	pem, err := federation.PublicKeyPEM(&m.key.PublicKey)
	if err != nil {
		m.t.Error(err)
	}
	bob := m.srv.URL + "/users/bob"
	key := func(id, owner string) map[string]any {
		return map[string]any{"id": id, "owner": owner, "publicKeyPem": pem}
	}
	var doc map[string]any
	switch r.URL.Path {
	case "/users/bob":
		doc = map[string]any{"id": bob, "type": "Person", "preferredUsername": "bob", "inbox": bob + "/inbox",
			"outbox": bob + "/outbox", "publicKey": key(bob+"/main-key", bob)}
	case "/users/bob/main-key":
		doc = map[string]any{"id": bob, "type": "Person", "publicKey": key(bob+"/main-key", bob)}
	case "/users/eve/main-key": // names bob, who does not publish this key
		doc = map[string]any{"id": bob, "type": "Person", "publicKey": key(m.srv.URL+"/users/eve/main-key", bob)}
	case "/users/mallory/main-key": // names an owner on another host
		doc = map[string]any{"id": "https://elsewhere.example/users/mallory", "type": "Person",
			"publicKey": key(m.srv.URL+"/users/mallory/main-key", "https://elsewhere.example/users/mallory")}
	default:
		http.NotFound(w, r)
		return
	}
	doc["@context"] = []any{ap.ActivityStreamsContext, ap.SecurityContext}
	w.Header().Set("Content-Type", "application/activity+json")
	_ = json.NewEncoder(w).Encode(doc)
}

func (m *remoteServer) setStatus(s int) {
	m.mu.Lock()
	m.status = s
	m.mu.Unlock()
}

// received returns the deliveries of type typ recorded so far.
func (m *remoteServer) received(typ string) []map[string]any {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []map[string]any
	for _, a := range m.got {
		if a["type"] == typ {
			out = append(out, a)
		}
	}
	return out
}

// send POSTs a signed activity by alice to an inbox.
func (m *remoteServer) send(inbox string, activity map[string]any) int {
	activity["@context"] = ap.ActivityStreamsContext
	return postSigned(m.t, inbox, activity, &federation.Signer{KeyID: m.actor() + "#main-key", Key: m.key})
}

func (m *remoteServer) follow(in *coop, actorPath string, n int) string {
	id := fmt.Sprintf("%s/follows/%d", m.srv.URL, n)
	if st := m.send(in.URLOf(actorPath+"/inbox"), map[string]any{"id": id, "type": "Follow", "actor": m.actor(), "object": in.URLOf(actorPath)}); st != http.StatusAccepted {
		m.t.Fatalf("follow %s: %d", actorPath, st)
	}
	return id
}

func TestFederationWithOtherServers(t *testing.T) {
	m := newRemoteServer(t)
	var clock atomic.Int64 // days B's federation clock is ahead
	b := startInstance(t, "127.0.0.1:0", tempDB(t), func(c *instance.Config) {
		c.Federation.UnavailableAfter = 2
		c.Federation.UnavailableSpan = time.Millisecond
		c.Federation.Now = func() time.Time { return time.Now().AddDate(0, 0, int(clock.Load())) }
	})
	b.Enterprise("shakyhands", "Shaky Hands")
	ctx := directory.AsSystem(context.Background())

	t.Run("a follow is accepted with the Follow embedded", func(t *testing.T) {
		follow := m.follow(b, "/enterprises/shakyhands", 1)
		m.follow(b, "/network", 2)
		eventually(t, "two Accepts arrive", func() bool { return len(m.received("Accept")) == 2 })
		found := false
		for _, acc := range m.received("Accept") {
			obj, _ := acc["object"].(map[string]any)
			if obj["id"] == follow {
				found = true
				if obj["type"] != "Follow" || obj["actor"] != m.actor() || acc["actor"] != b.URLOf("/enterprises/shakyhands") {
					t.Errorf("Accept: %v", acc)
				}
			}
		}
		if !found {
			t.Errorf("no Accept embeds the Follow %s", follow)
		}
	})

	t.Run("servers of other kinds get the readable Note and a boost", func(t *testing.T) {
		l := &directory.Listing{Type: directory.Offer, Title: "Screen printing for union locals", Category: "skills"}
		if err := b.Service().CreateListing(ctx, "shakyhands", l); err != nil {
			t.Fatal(err)
		}
		note := b.URLOf(fmt.Sprintf("/listings/%d/note", l.ID))
		eventually(t, "the Create and the Announce arrive", func() bool {
			return len(m.received("Create")) == 1 && len(m.received("Announce")) == 1
		})
		c := m.received("Create")[0]
		if obj, _ := c["object"].(map[string]any); obj["type"] != "Note" || obj["id"] != note {
			t.Errorf("Create: object %v, want the companion Note", c["object"])
		}
		if a := m.received("Announce")[0]; a["object"] != note || a["actor"] != b.URLOf("/network") {
			t.Errorf("Announce: %v, want a boost of %s by the network", a, note)
		}
	})

	t.Run("410 Gone removes the followers behind the inbox", func(t *testing.T) {
		m.setStatus(http.StatusGone)
		b.Announce("shakyhands", "Open studio night")
		eventually(t, "the followers are gone", func() bool {
			return collectionTotal(t, b.URLOf("/enterprises/shakyhands/followers")) == 0 &&
				collectionTotal(t, b.URLOf("/network/followers")) == 0
		})
	})

	host := strings.TrimPrefix(m.srv.URL, "http://")
	t.Run("a host that keeps failing becomes unavailable", func(t *testing.T) {
		m.setStatus(http.StatusAccepted)
		m.follow(b, "/enterprises/shakyhands", 3)
		eventually(t, "the new follower is in", func() bool {
			return collectionTotal(t, b.URLOf("/enterprises/shakyhands/followers")) == 1
		})
		m.setStatus(http.StatusInternalServerError)
		b.Announce("shakyhands", "Closed for the holiday")
		eventually(t, "the host is unavailable", func() bool {
			h, err := b.Database().FindDeliveryHost(context.Background(), host)
			return err == nil && h.Unavailable
		})
	})

	t.Run("a host that writes to us is available again", func(t *testing.T) {
		st := m.send(b.URLOf("/inbox"), map[string]any{"id": m.srv.URL + "/likes/1", "type": "Like",
			"actor": m.actor(), "object": b.URLOf("/enterprises/shakyhands")})
		if st != http.StatusAccepted {
			t.Fatalf("unknown activity type: status %d, want 202", st)
		}
		h, err := b.Database().FindDeliveryHost(context.Background(), host)
		if err != nil || h.Unavailable {
			t.Errorf("host still unavailable: %+v %v", h, err)
		}
	})

	t.Run("a Flag lands in the reports", func(t *testing.T) {
		st := m.send(b.URLOf("/inbox"), map[string]any{"id": m.srv.URL + "/flags/1", "type": "Flag", "actor": m.actor(),
			"object": []any{b.URLOf("/enterprises/shakyhands"), "https://elsewhere.example/x"}, "content": "Spam"})
		if st != http.StatusAccepted {
			t.Fatalf("flag: %d", st)
		}
		rs, err := b.Service().Reports(ctx, false)
		if err != nil || len(rs) != 1 || rs[0].Content != "Spam" || len(rs[0].Objects) != 1 {
			t.Fatalf("reports: %+v %v", rs, err)
		}
	})

	t.Run("a reply to a listing is a response for its editors", func(t *testing.T) {
		l := &directory.Listing{Type: directory.Need, Title: "Drying racks", Category: "tools"}
		if err := b.Service().CreateListing(ctx, "shakyhands", l); err != nil {
			t.Fatal(err)
		}
		reply := m.srv.URL + "/statuses/1"
		st := m.send(b.URLOf("/inbox"), map[string]any{"id": reply + "/activity", "type": "Create", "actor": m.actor(),
			"object": map[string]any{"id": reply, "type": "Note", "attributedTo": m.actor(),
				"inReplyTo": b.URLOf(fmt.Sprintf("/listings/%d/note", l.ID)),
				"content":   `<p>We have two racks <script>alert(1)</script><a href="javascript:x()">here</a></p>`}})
		if st != http.StatusAccepted {
			t.Fatalf("reply: %d", st)
		}
		rs, _, err := b.Service().Responses(ctx, "shakyhands", directory.Page{})
		if err != nil || len(rs) != 1 || rs[0].ListingID != l.ID {
			t.Fatalf("responses: %+v %v", rs, err)
		}
		if c := rs[0].Content; strings.Contains(c, "script") || strings.Contains(c, "javascript") || !strings.Contains(c, "two racks") {
			t.Errorf("response content not sanitized: %q", c)
		}
		if rs[0].AuthorName != "Alice (alice@"+host+")" {
			t.Errorf("author name %q", rs[0].AuthorName)
		}
	})

	t.Run("an expired listing is deleted at its followers", func(t *testing.T) {
		m.setStatus(http.StatusAccepted)
		today := time.Now().Format("2006-01-02")
		l := &directory.Listing{Type: directory.Offer, Title: "Ink for one day", Category: "goods", ValidUntil: today}
		if err := b.Service().CreateListing(ctx, "shakyhands", l); err != nil {
			t.Fatal(err)
		}
		if err := b.Node().Sweep(ctx); err != nil { // records the day
			t.Fatal(err)
		}
		clock.Store(2)
		defer clock.Store(0)
		if err := b.Node().Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		note := b.URLOf(fmt.Sprintf("/listings/%d/note", l.ID))
		eventually(t, "the Delete of the Note arrives", func() bool {
			for _, d := range m.received("Delete") {
				if obj, _ := d["object"].(map[string]any); obj["id"] == note && obj["type"] == "Tombstone" {
					return true
				}
			}
			return false
		})
	})

	t.Run("a deleted enterprise is deleted at its followers and forgets them", func(t *testing.T) {
		if err := b.Service().DeleteEnterprise(ctx, "shakyhands"); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Delete of the actor arrives", func() bool {
			for _, d := range m.received("Delete") {
				if obj, _ := d["object"].(map[string]any); obj["id"] == b.URLOf("/enterprises/shakyhands") {
					return true
				}
			}
			return false
		})
		eventually(t, "the followers are forgotten", func() bool {
			_, n, err := b.Database().ListFollowers(ctx, directory.EnterpriseActorKey("shakyhands"), directory.Page{Page: 1, PerPage: 10})
			return err == nil && n == 0
		})
	})

	t.Run("hostile documents are refused", func(t *testing.T) {
		for _, c := range []struct {
			name     string
			activity map[string]any
			want     int
		}{
			{"an id on another host", map[string]any{"id": "https://elsewhere.example/a", "type": "Follow", "actor": m.actor(), "object": b.URLOf("/network")}, 400},
			{"no actor", map[string]any{"id": m.srv.URL + "/a", "type": "Follow", "object": b.URLOf("/network")}, 400},
			{"an actor of ours", map[string]any{"id": b.URLOf("/a"), "type": "Follow", "actor": b.URLOf("/network"), "object": b.URLOf("/network")}, 403},
		} {
			if st := m.send(b.URLOf("/inbox"), c.activity); st != c.want {
				t.Errorf("%s: status %d, want %d", c.name, st, c.want)
			}
		}
		// A signature made for another server is not replayed here.
		replay, _ := json.Marshal(map[string]any{"@context": ap.ActivityStreamsContext, "id": m.srv.URL + "/replayed",
			"type": "Follow", "actor": m.actor(), "object": b.URLOf("/network")})
		req, _ := http.NewRequest("POST", b.URLOf("/inbox"), bytes.NewReader(replay))
		req.Host = "elsewhere.example"
		req.Header.Set("Content-Type", "application/activity+json")
		if err := (&federation.Signer{KeyID: m.actor() + "#main-key", Key: m.key}).SignRequest(req, replay); err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a request signed for another host: status %d, want 401", resp.StatusCode)
		}
		// Only the ActivityPub media types reach the checks behind; a signed
		// text/plain (or plain JSON) POST is refused as GoToSocial does.
		follow := func(n int) map[string]any {
			return map[string]any{"@context": ap.ActivityStreamsContext, "id": fmt.Sprintf("%s/typed/%d", m.srv.URL, n),
				"type": "Follow", "actor": m.actor(), "object": b.URLOf("/network")}
		}
		signer := &federation.Signer{KeyID: m.actor() + "#main-key", Key: m.key}
		for i, ctype := range []string{"text/plain", "application/json", "", "application/activity+json;;", "text/html; charset=utf-8"} {
			if st := postSignedAs(t, b.URLOf("/inbox"), follow(i), signer, ctype); st != http.StatusUnsupportedMediaType {
				t.Errorf("Content-Type %q: status %d, want 415", ctype, st)
			}
		}
		for i, ctype := range []string{`application/ld+json; profile="https://www.w3.org/ns/activitystreams"`, "application/ld+json",
			"Application/Activity+JSON; charset=utf-8"} {
			if st := postSignedAs(t, b.URLOf("/inbox"), follow(10+i), signer, ctype); st != http.StatusAccepted {
				t.Errorf("Content-Type %q: status %d, want 202", ctype, st)
			}
		}
		big := map[string]any{"id": m.srv.URL + "/big", "type": "Create", "actor": m.actor(), "content": strings.Repeat("x", ap.MaxDocumentSize)}
		if st := m.send(b.URLOf("/inbox"), big); st != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized: status %d, want 413", st)
		}
	})
}

// TestKeyStubs: a key id without a fragment whose URL answers with a stub
// (GoToSocial's shape) is trusted once the owner it names, fetched at its
// own id, publishes that key id; a stub naming an owner that does not, or
// one on another host, is refused.
func TestKeyStubs(t *testing.T) {
	m := newRemoteServer(t)
	b := startInstance(t, "127.0.0.1:0", tempDB(t))
	b.Enterprise("shakyhands", "Shaky Hands")
	follow := func(actor, keyID string, n int) int {
		return postSigned(t, b.URLOf("/enterprises/shakyhands/inbox"), map[string]any{
			"@context": ap.ActivityStreamsContext, "id": fmt.Sprintf("%s/follows/%d", actor, n),
			"type": "Follow", "actor": actor, "object": b.URLOf("/enterprises/shakyhands"),
		}, &federation.Signer{KeyID: keyID, Key: m.key})
	}
	bob := m.srv.URL + "/users/bob"
	t.Run("a stub's owner that publishes the key is trusted, from cold caches", func(t *testing.T) {
		if st := follow(bob, bob+"/main-key", 1); st != http.StatusAccepted {
			t.Fatalf("follow signed with GoToSocial's key id: status %d, want 202", st)
		}
		eventually(t, "bob follows", func() bool {
			return collectionTotal(t, b.URLOf("/enterprises/shakyhands/followers")) == 1
		})
	})
	t.Run("a stub naming an owner who does not publish the key is refused", func(t *testing.T) {
		if st := follow(bob, m.srv.URL+"/users/eve/main-key", 2); st != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", st)
		}
	})
	t.Run("a stub naming an owner on another host is refused", func(t *testing.T) {
		mallory := m.srv.URL + "/users/mallory"
		if st := follow(mallory, mallory+"/main-key", 3); st != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", st)
		}
	})
}

func TestAuthorizedFetch(t *testing.T) {
	a := startInstance(t, "127.0.0.1:0", tempDB(t))
	b := startInstance(t, "127.0.0.1:0", tempDB(t), func(c *instance.Config) { c.AuthorizedFetch = true })
	a.Enterprise("flora", "Flora Cooperative")
	b.Enterprise("shakyhands", "Shaky Hands")

	get := func(path string) int {
		req, _ := http.NewRequest("GET", b.URLOf(path), nil)
		req.Header.Set("Accept", "application/activity+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if st := get("/enterprises/shakyhands"); st != http.StatusUnauthorized {
		t.Errorf("unsigned GET of an actor: %d, want 401", st)
	}
	if st := get("/enterprises/shakyhands/outbox"); st != http.StatusUnauthorized {
		t.Errorf("unsigned GET of an outbox: %d, want 401", st)
	}
	if st := get("/actor"); st != http.StatusOK {
		t.Errorf("unsigned GET of the instance actor: %d, want 200", st)
	}
	if st := get("/.well-known/webfinger?resource=acct:shakyhands@" + b.Host()); st != http.StatusOK {
		t.Errorf("unsigned WebFinger: %d, want 200", st)
	}
	// A's fetches are signed by its instance actor, so following works.
	a.Follow("flora", b.Account("shakyhands"), directory.FollowAccepted)
}

// TestQuoteRequests: FEP-044f. A QuoteRequest for an announcement or a
// listing's Note is accepted by its enterprise with a stamp that anyone can
// fetch; one whose quote post is on another host is rejected; the stamp of
// a deleted Note is gone.
func TestQuoteRequests(t *testing.T) {
	m := newRemoteServer(t)
	b := startInstance(t, "127.0.0.1:0", tempDB(t))
	b.Enterprise("shakyhands", "Shaky Hands")
	note := b.URLOf("/announcements/" + strconv.FormatInt(b.Announce("shakyhands", "Screens for sale."), 10))
	request := func(n int, object, quote string) string {
		id := fmt.Sprintf("%s/users/alice/statuses/%d/quote", m.srv.URL, n)
		if st := m.send(b.URLOf("/enterprises/shakyhands/inbox"), map[string]any{"id": id, "type": "QuoteRequest",
			"actor": m.actor(), "object": object, "instrument": map[string]any{"id": quote, "type": "Note",
				"attributedTo": m.actor(), "content": "Look at this", "quote": object}}); st != http.StatusAccepted {
			t.Fatalf("QuoteRequest: status %d", st)
		}
		return id
	}
	answer := func(typ, requestID string) map[string]any {
		var got map[string]any
		eventually(t, typ+" of "+requestID, func() bool {
			for _, a := range m.received(typ) {
				if obj, _ := a["object"].(map[string]any); obj != nil && obj["id"] == requestID {
					got = a
					return true
				}
			}
			return false
		})
		return got
	}
	quote := m.srv.URL + "/users/alice/statuses/1"
	var stamp string
	t.Run("a quote of an announcement is accepted with a stamp", func(t *testing.T) {
		acc := answer("Accept", request(1, note, quote))
		stamp, _ = acc["result"].(string)
		if acc["actor"] != b.URLOf("/enterprises/shakyhands") || !strings.HasPrefix(stamp, note+"/quotes/") {
			t.Fatalf("Accept %v", acc)
		}
		var doc map[string]any
		_, _, body := instancetest.Fetch(t, stamp, instancetest.ActivityJSON)
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		if doc["type"] != "QuoteAuthorization" || doc["id"] != stamp || doc["interactingObject"] != quote ||
			doc["interactionTarget"] != note || doc["attributedTo"] != b.URLOf("/enterprises/shakyhands") {
			t.Errorf("stamp %s", body)
		}
	})
	t.Run("a quote of a listing's Note is accepted", func(t *testing.T) {
		l := &directory.Listing{Type: directory.Need, Title: "Squeegees", Category: "tools"}
		if err := b.Service().CreateListing(directory.AsSystem(context.Background()), "shakyhands", l); err != nil {
			t.Fatal(err)
		}
		listingNote := b.URLOf("/listings/" + strconv.FormatInt(l.ID, 10) + "/note")
		acc := answer("Accept", request(2, listingNote, m.srv.URL+"/users/alice/statuses/2"))
		if r, _ := acc["result"].(string); !strings.HasPrefix(r, listingNote+"/quotes/") {
			t.Errorf("Accept %v", acc)
		}
	})
	t.Run("a quote post on another host is rejected", func(t *testing.T) {
		rej := answer("Reject", request(3, note, "https://elsewhere.example/statuses/3"))
		if rej["result"] != nil {
			t.Errorf("Reject %v carries a result", rej)
		}
	})
	t.Run("a stamp of a deleted announcement, or a forged one, is gone", func(t *testing.T) {
		if st, _, _ := instancetest.Fetch(t, note+"/quotes/not!base64", instancetest.ActivityJSON); st != http.StatusNotFound {
			t.Errorf("a garbled stamp: %d, want 404", st)
		}
		id, _ := strconv.ParseInt(strings.TrimPrefix(note, b.URLOf("/announcements/")), 10, 64)
		if err := b.Service().DeleteAnnouncement(directory.AsSystem(context.Background()), id); err != nil {
			t.Fatal(err)
		}
		if st, _, _ := instancetest.Fetch(t, stamp, instancetest.ActivityJSON); st != http.StatusNotFound && st != http.StatusGone {
			t.Errorf("the stamp of a deleted announcement: %d, want 404 or 410", st)
		}
	})
}
