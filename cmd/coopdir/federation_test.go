package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
)

// Federation tests run several real coopdir instances in this process, each
// with its own database, talking real HTTP on loopback addresses.

// instance is one running coopdir server of a federation test.
type instance struct {
	t      testing.TB
	cfg    ServeConfig
	srv    *Server
	token  string // an admin's API token
	cancel context.CancelFunc
	done   chan error
}

// fastFederation makes the publisher poll often and retries come soon.
var fastFederation = federation.Options{
	PollInterval: 50 * time.Millisecond,
	RetryBase:    300 * time.Millisecond,
	RescueAfter:  3 * time.Second,
}

// startInstance starts a server listening on addr (host:port; port 0 picks
// one) over the database dsn.
func startInstance(t testing.TB, addr, dsn string, tune ...func(*ServeConfig)) *instance {
	t.Helper()
	dir := t.TempDir()
	cfg := ServeConfig{Listen: addr, Database: dsn, NetworkName: "Net " + addr,
		NetworkDescription: "A test network.", SecretFile: filepath.Join(dir, "secret"),
		AllowPrivateAddresses: true, Federation: fastFederation}
	for _, f := range tune {
		f(&cfg)
	}
	if err := cfg.check(); err != nil {
		t.Fatal(err)
	}
	in := &instance{t: t, cfg: cfg}
	in.start()
	t.Cleanup(in.stop)
	ctx := directory.AsSystem(context.Background())
	svc := in.srv.svc
	email := "admin@" + strings.ReplaceAll(in.srv.Addr().String(), ":", "-") + ".example"
	if err := svc.AddUser(ctx, &directory.User{Email: email, Name: "Admin", Role: directory.RoleAdmin}, "", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	tok, err := svc.CreateToken(ctx, email, "test")
	if err != nil {
		t.Fatal(err)
	}
	in.token = tok
	return in
}

func (in *instance) start() {
	t := in.t
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	srv, err := OpenServer(context.Background(), in.cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	// A restart keeps the port (the base URL, and so every id, has it).
	in.cfg.Listen = srv.Addr().String()
	ctx, cancel := context.WithCancel(context.Background())
	in.srv, in.cancel, in.done = srv, cancel, make(chan error, 1)
	go func() { in.done <- srv.Serve(ctx) }()
}

// stop shuts the server down gracefully; a stopped instance may start again.
func (in *instance) stop() {
	if in.cancel == nil {
		return
	}
	in.cancel()
	if err := <-in.done; err != nil {
		in.t.Errorf("serve %s: %v", in.cfg.Listen, err)
	}
	in.srv.Close()
	in.cancel = nil
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (in *instance) url(path string) string { return in.srv.URL() + path }

func (in *instance) host() string {
	_, host, _ := strings.Cut(in.srv.URL(), "://")
	return host
}

func (in *instance) account(handle string) string { return handle + "@" + in.host() }

// api sends an API request with the admin token and decodes a JSON answer
// into out (when not nil); it returns the status.
func (in *instance) api(method, path string, body any, out any) int {
	t := in.t
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, in.url(path), rd)
	req.Header.Set("Authorization", "Bearer "+in.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, raw)
		}
	}
	if resp.StatusCode >= 300 && testing.Verbose() {
		t.Logf("%s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	return resp.StatusCode
}

func (in *instance) enterprise(handle, name string) {
	in.t.Helper()
	e := &directory.Enterprise{Handle: handle, Name: name, Kind: directory.KindWorkerCoop, Summary: "We make things together."}
	if err := in.srv.svc.CreateEnterprise(directory.AsSystem(context.Background()), e); err != nil {
		in.t.Fatal(err)
	}
}

func (in *instance) announce(handle, text string) int64 {
	in.t.Helper()
	a := &directory.Announcement{Content: text}
	if err := in.srv.svc.CreateAnnouncement(directory.AsSystem(context.Background()), handle, a); err != nil {
		in.t.Fatal(err)
	}
	return a.ID
}

type followingList struct {
	Items []directory.Following `json:"items"`
}

type feedList struct {
	Items []directory.FeedPost `json:"items"`
	Total int                  `json:"total"`
}

func (in *instance) following(handle string) []directory.Following {
	var l followingList
	if st := in.api("GET", "/api/v1/enterprises/"+handle+"/following", nil, &l); st != 200 {
		in.t.Fatalf("GET following: %d", st)
	}
	return l.Items
}

func (in *instance) feed(handle string) []directory.FeedPost {
	var l feedList
	if st := in.api("GET", "/api/v1/enterprises/"+handle+"/feed?per_page=100", nil, &l); st != 200 {
		in.t.Fatalf("GET feed: %d", st)
	}
	return l.Items
}

// follow makes handle on in follow account and waits for the answer.
func (in *instance) follow(handle, account string, want directory.FollowState) directory.Following {
	t := in.t
	t.Helper()
	var f directory.Following
	if st := in.api("POST", "/api/v1/enterprises/"+handle+"/following", map[string]string{"account": account}, &f); st != http.StatusCreated {
		t.Fatalf("follow %s: status %d", account, st)
	}
	if f.State != directory.FollowPending {
		t.Fatalf("a new follow is %q, want pending", f.State)
	}
	eventually(t, "follow of "+account+" is "+string(want), func() bool {
		for _, g := range in.following(handle) {
			if g.ID == f.ID && g.State == want {
				f = g
				return true
			}
		}
		return false
	})
	return f
}

// eventually polls cond for up to 20 seconds.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	within(t, 20*time.Second, what, cond)
}

// within polls cond until it holds, failing t after timeout.
func within(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func hasPost(posts []directory.FeedPost, objectID, contains string) bool {
	for _, p := range posts {
		if p.ObjectID == objectID && strings.Contains(p.Content+p.Name, contains) {
			return true
		}
	}
	return false
}

func collectionTotal(t testing.TB, u string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var c struct {
		TotalItems int `json:"totalItems"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		t.Fatalf("GET %s: %d %v", u, resp.StatusCode, err)
	}
	return c.TotalItems
}

// loopbackAvailable reports whether this machine can listen on addr (a
// second loopback address such as 127.0.0.2 is not there everywhere).
func loopbackAvailable(addr string) bool {
	ln, err := net.Listen("tcp", addr+":0")
	if err != nil {
		return false
	}
	ln.Close()
	return true
}

func TestFederationSQLite(t *testing.T) {
	testFederation(t, func() string { return tempDB(t) })
}

func TestFederationPostgres(t *testing.T) {
	u := postgresURL(t)
	testFederation(t, func() string { return freshPostgres(t, u) })
}

func testFederation(t *testing.T, newDB func() string) {
	a := startInstance(t, "127.0.0.1:0", newDB())
	b := startInstance(t, "127.0.0.1:0", newDB())
	a.enterprise("flora", "Flora Cooperative")
	b.enterprise("shakyhands", "Shaky Hands")
	b.enterprise("mkemesh", "MKE Mesh")
	shaky := b.url("/enterprises/shakyhands")

	t.Run("follow by WebFinger address is accepted", func(t *testing.T) {
		f := a.follow("flora", b.account("shakyhands"), directory.FollowAccepted)
		if f.TargetID != shaky || f.Name != "Shaky Hands" {
			t.Errorf("follow target %q named %q", f.TargetID, f.Name)
		}
		if n := collectionTotal(t, shaky+"/followers"); n != 1 {
			t.Errorf("followers of shakyhands: %d, want 1", n)
		}
		if n := collectionTotal(t, a.url("/enterprises/flora/following")); n != 1 {
			t.Errorf("following of flora: %d, want 1", n)
		}
	})

	t.Run("following an address that is not there is refused clearly", func(t *testing.T) {
		for _, c := range []struct {
			account string
			want    int
		}{
			{b.account("nobody"), http.StatusNotFound},     // WebFinger finds no such account
			{"nobody@127.0.0.1:1", http.StatusNotFound},    // nothing answers there
			{a.account("flora"), http.StatusBadRequest},    // an account of this server
			{"not an address", http.StatusBadRequest},      // no name@host
			{b.account("shakyhands"), http.StatusConflict}, // already followed
		} {
			if st := a.api("POST", "/api/v1/enterprises/flora/following", map[string]string{"account": c.account}, nil); st != c.want {
				t.Errorf("follow %q: status %d, want %d", c.account, st, c.want)
			}
		}
		if n := len(a.following("flora")); n != 1 {
			t.Errorf("flora has %d follows after the refused ones, want 1", n)
		}
	})

	var annID int64
	t.Run("an announcement arrives in the follower's feed", func(t *testing.T) {
		annID = b.announce("shakyhands", "New **screen printing** workshop on Saturday")
		id := b.url(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement is in flora's feed", func() bool {
			return hasPost(a.feed("flora"), id, "<strong>screen printing</strong>")
		})
	})

	t.Run("an edit of the announcement propagates", func(t *testing.T) {
		if _, err := b.srv.svc.UpdateAnnouncement(directory.AsSystem(context.Background()), annID, "Workshop moved to Sunday"); err != nil {
			t.Fatal(err)
		}
		id := b.url(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the edit is in flora's feed", func() bool { return hasPost(a.feed("flora"), id, "moved to Sunday") })
	})

	t.Run("a profile update propagates", func(t *testing.T) {
		name := "Shaky Hands Print Co-op"
		if _, err := b.srv.svc.UpdateEnterprise(directory.AsSystem(context.Background()), "shakyhands", directory.EnterpriseUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the new name is known at A", func() bool {
			ra, err := a.srv.svc.Store.FindRemoteActor(context.Background(), shaky)
			return err == nil && ra.Name == name
		})
	})

	t.Run("keys rotate sends the new key to followers", func(t *testing.T) {
		before, err := a.srv.svc.Store.FindRemoteActor(context.Background(), shaky)
		if err != nil {
			t.Fatal(err)
		}
		var out, errs bytes.Buffer
		code := Run(context.Background(), []string{"keys", "rotate", "--database", b.cfg.Database,
			"--secret-file", b.cfg.SecretFile, "--base-url", b.srv.URL(), "shakyhands"},
			strings.NewReader(""), &out, &errs, func(string) string { return "" })
		if code != 0 {
			t.Fatalf("keys rotate: exit %d: %s", code, errs.String())
		}
		eventually(t, "A knows the new key", func() bool {
			ra, err := a.srv.svc.Store.FindRemoteActor(context.Background(), shaky)
			return err == nil && ra.PublicKeyPEM != before.PublicKeyPEM
		})
	})

	t.Run("a deleted announcement leaves the feed", func(t *testing.T) {
		if err := b.srv.svc.DeleteAnnouncement(directory.AsSystem(context.Background()), annID); err != nil {
			t.Fatal(err)
		}
		id := b.url(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement is gone from flora's feed", func() bool { return !hasPost(a.feed("flora"), id, "") })
	})

	var needID int64
	t.Run("the network and needs actors announce a new need", func(t *testing.T) {
		a.follow("flora", b.account("network"), directory.FollowAccepted)
		a.follow("flora", b.account("needs"), directory.FollowAccepted)
		l := &directory.Listing{Type: directory.Need, Title: "Mesh antennas for the north side", Category: "tech"}
		if err := b.srv.svc.CreateListing(directory.AsSystem(context.Background()), "mkemesh", l); err != nil {
			t.Fatal(err)
		}
		needID = l.ID
		id := b.url(fmt.Sprintf("/listings/%d", l.ID))
		// flora follows the network and needs, not mkemesh: the listing
		// can only have come through their announces (the full form, since
		// flora's server is a coopdir peer: the Proposal itself).
		eventually(t, "the need is in flora's feed", func() bool {
			for _, p := range a.feed("flora") {
				if p.ObjectID == id && p.Type == "Proposal" && p.Name == l.Title &&
					(p.Source == b.url("/network") || p.Source == b.url("/needs")) {
					return true
				}
			}
			return false
		})
	})

	t.Run("an edit reaches a peer that follows only the network", func(t *testing.T) {
		title := "Mesh antennas and cable for the north side"
		if _, err := b.srv.svc.UpdateListing(directory.AsSystem(context.Background()), needID, directory.ListingUpdate{Title: &title}); err != nil {
			t.Fatal(err)
		}
		id := b.url(fmt.Sprintf("/listings/%d", needID))
		eventually(t, "the edit is in flora's feed", func() bool {
			for _, p := range a.feed("flora") {
				if p.ObjectID == id && p.Name == title {
					return true
				}
			}
			return false
		})
	})

	t.Run("a duplicate activity is applied once", func(t *testing.T) {
		ctx := context.Background()
		key, err := b.srv.keys.PrivateKey(ctx, directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		signer := &federation.Signer{KeyID: shaky + "#main-key", Key: key}
		note := b.url("/announcements/9999")
		create := map[string]any{"@context": federation.ActivityStreamsContext, "id": note + "/create", "type": "Create",
			"actor": shaky, "to": []string{federation.Public},
			"object": map[string]any{"id": note, "type": "Note", "attributedTo": shaky, "content": "<p>once only</p>",
				"to": []string{federation.Public}, "published": "2026-11-20T10:00:00Z"}}
		del := map[string]any{"@context": federation.ActivityStreamsContext, "id": note + "/delete", "type": "Delete",
			"actor": shaky, "to": []string{federation.Public}, "object": note}
		if st := postSigned(t, a.url("/inbox"), create, signer); st != http.StatusAccepted {
			t.Fatalf("create: %d", st)
		}
		if !hasPost(a.feed("flora"), note, "once only") {
			t.Fatal("the post is not in the feed")
		}
		if st := postSigned(t, a.url("/inbox"), del, signer); st != http.StatusAccepted {
			t.Fatalf("delete: %d", st)
		}
		if st := postSigned(t, a.url("/inbox"), create, signer); st != http.StatusAccepted {
			t.Fatalf("second create: %d", st)
		}
		if hasPost(a.feed("flora"), note, "") {
			t.Error("the repeated Create was applied again after the Delete")
		}
	})

	t.Run("direct messages and forged announces stay out of the feed", func(t *testing.T) {
		ctx := context.Background()
		key, err := b.srv.keys.PrivateKey(ctx, directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		shakySigner := &federation.Signer{KeyID: shaky + "#main-key", Key: key}
		dm := b.url("/announcements/7777")
		create := map[string]any{"@context": federation.ActivityStreamsContext, "id": dm + "/create", "type": "Create",
			"actor": shaky, "to": []string{b.url("/enterprises/mkemesh")},
			"object": map[string]any{"id": dm, "type": "Note", "attributedTo": shaky, "content": "<p>just for mkemesh</p>",
				"to": []string{b.url("/enterprises/mkemesh")}}}
		if st := postSigned(t, a.url("/inbox"), create, shakySigner); st != http.StatusAccepted {
			t.Fatalf("create: %d", st)
		}
		if hasPost(a.feed("flora"), dm, "") {
			t.Error("a direct message to another account reached flora's feed")
		}
		// The network (followed by flora) announces a real announcement of
		// shakyhands, embedding a forged copy: the real one is fetched.
		real := b.announce("shakyhands", "The real words")
		netKey, err := b.srv.keys.PrivateKey(ctx, directory.ActorNetwork, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		id := b.url(fmt.Sprintf("/announcements/%d", real))
		boost := map[string]any{"@context": federation.ActivityStreamsContext, "id": b.url("/activities/forged-boost"),
			"type": "Announce", "actor": b.url("/network"), "to": []string{federation.Public},
			"object": map[string]any{"id": id, "type": "Note", "attributedTo": shaky, "content": "<p>forged words</p>",
				"to": []string{federation.Public}}}
		if st := postSigned(t, a.url("/inbox"), boost, &federation.Signer{KeyID: b.url("/network#main-key"), Key: netKey}); st != http.StatusAccepted {
			t.Fatalf("announce: %d", st)
		}
		if posts := a.feed("flora"); hasPost(posts, id, "forged") || !hasPost(posts, id, "The real words") {
			t.Errorf("the announce did not bring the real post: %+v", posts)
		}
	})

	t.Run("the inbox refuses forged and unsigned activities", func(t *testing.T) {
		ctx := context.Background()
		key, err := b.srv.keys.PrivateKey(ctx, directory.EnterpriseActorKey("mkemesh"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		mesh := &federation.Signer{KeyID: b.url("/enterprises/mkemesh#main-key"), Key: key}
		note := b.url("/announcements/8888")
		forged := map[string]any{"@context": federation.ActivityStreamsContext, "id": note + "/create", "type": "Create",
			"actor": shaky, "object": map[string]any{"id": note, "type": "Note", "attributedTo": shaky, "content": "forged"}}
		// Signed by mkemesh, claiming to be shakyhands: the activity is
		// fetched from its id instead, and it is not there.
		if st := postSigned(t, a.url("/inbox"), forged, mesh); st != http.StatusForbidden {
			t.Errorf("forged actor: status %d, want 403", st)
		}
		if st := postSigned(t, a.url("/inbox"), forged, nil); st != http.StatusUnauthorized {
			t.Errorf("unsigned: status %d, want 401", st)
		}
		ours := map[string]any{"@context": federation.ActivityStreamsContext, "id": a.url("/x"), "type": "Create",
			"actor": a.url("/enterprises/flora"), "object": a.url("/x/note")}
		if st := postSigned(t, a.url("/inbox"), ours, mesh); st != http.StatusForbidden {
			t.Errorf("our own host claimed: status %d, want 403", st)
		}
		if hasPost(a.feed("flora"), note, "") {
			t.Error("a forged post reached the feed")
		}
	})

	t.Run("a stopped receiver gets the delivery when it is back", func(t *testing.T) {
		a.stop()
		annID := b.announce("shakyhands", "Posted while the server of flora was down")
		time.Sleep(700 * time.Millisecond) // a first attempt fails
		a.start()
		id := b.url(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement arrives after the restart", func() bool {
			return hasPost(a.feed("flora"), id, "while the server of flora was down")
		})
	})

	t.Run("a sender restarted in the middle of its retries loses nothing", func(t *testing.T) {
		a.stop()
		annID := b.announce("shakyhands", "Posted just before a restart")
		time.Sleep(700 * time.Millisecond) // a first attempt fails; the job waits for its retry
		b.stop()
		a.start()
		b.start()
		id := b.url(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement arrives after both restarts", func() bool {
			return hasPost(a.feed("flora"), id, "just before a restart")
		})
	})

	t.Run("undo removes the follower", func(t *testing.T) {
		fs := a.following("flora")
		for _, f := range fs {
			if f.TargetID == shaky {
				if st := a.api("DELETE", fmt.Sprintf("/api/v1/enterprises/flora/following/%d", f.ID), nil, nil); st != http.StatusNoContent {
					t.Fatalf("unfollow: %d", st)
				}
			}
		}
		eventually(t, "shakyhands has no followers", func() bool { return collectionTotal(t, shaky+"/followers") == 0 })
	})

	if loopbackAvailable("127.0.0.2") {
		t.Run("a follow from a blocked domain is rejected", func(t *testing.T) {
			c := startInstance(t, "127.0.0.2:0", newDB())
			c.enterprise("tools", "Tool Library")
			if _, err := a.srv.svc.BlockDomain(directory.AsSystem(context.Background()), &directory.DomainBlock{Domain: "127.0.0.2"}); err != nil {
				t.Fatal(err)
			}
			c.follow("tools", a.account("flora"), directory.FollowRejected)
			if n := collectionTotal(t, a.url("/enterprises/flora/followers")); n != 0 {
				t.Errorf("flora has %d followers after rejecting", n)
			}
		})
	}
}

// postSigned POSTs an activity to an inbox, signed by s (unsigned when s is
// nil), and returns the status.
func postSigned(t testing.TB, inbox string, activity map[string]any, s *federation.Signer) int {
	t.Helper()
	return postSignedAs(t, inbox, activity, s, "application/activity+json")
}

// postSignedAs is postSigned with the given Content-Type ("" sends none).
func postSignedAs(t testing.TB, inbox string, activity map[string]any, s *federation.Signer, ctype string) int {
	t.Helper()
	body, _ := json.Marshal(activity)
	req, _ := http.NewRequest("POST", inbox, bytes.NewReader(body))
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if s != nil {
		if err := s.SignRequest(req, body); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusAccepted && testing.Verbose() {
		t.Logf("POST %s: %d %s", inbox, resp.StatusCode, msg)
	}
	return resp.StatusCode
}
