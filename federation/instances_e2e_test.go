package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// Federation tests run several real coopdir instances in this process, each
// with its own database, talking real HTTP on loopback addresses.

// coop is one running coopdir of a federation test (see instancetest),
// with the helpers these tests add.
type coop struct{ *instancetest.Instance }

// startInstance starts an instance listening on addr (host:port; port 0
// picks one) over the database dsn.
func startInstance(t testing.TB, addr, dsn string, tune ...func(*instance.Config)) *coop {
	t.Helper()
	return &coop{instancetest.StartAt(t, addr, dsn, tune...)}
}

// eventually polls cond for up to 20 seconds.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	instancetest.Eventually(t, what, cond)
}

// within polls cond until it holds, failing t after timeout.
func within(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	instancetest.Within(t, timeout, what, cond)
}

// tempDB is a fresh SQLite database.
func tempDB(t testing.TB) string { return instancetest.DSN(t, instancetest.SQLite) }

// postgresURL is DATABASE_URL (the test skips without it, fails under CI).
func postgresURL(t testing.TB) string { return instancetest.PostgresURL(t) }

// freshPostgres is a fresh PostgreSQL database.
func freshPostgres(t testing.TB, _ string) string { return instancetest.DSN(t, instancetest.Postgres) }

// deliveryFailed waits until from has failed to deliver to to's host since
// the last success, and clears nothing: from's retries go on.
func deliveryFailed(t testing.TB, from, to *coop) {
	t.Helper()
	eventually(t, "a delivery to "+to.Host()+" failed", func() bool {
		h, err := from.Database().FindDeliveryHost(context.Background(), to.Host())
		return err == nil && h.Failures > 0
	})
}

// published waits until in's publisher has turned every domain event into
// its deliveries.
func published(t testing.TB, in *coop) {
	t.Helper()
	eventually(t, "the publisher of "+in.Host()+" is done", func() bool {
		ctx := context.Background()
		after, err := in.Database().Cursor(ctx, "publish")
		if err != nil {
			return false
		}
		evs, err := in.Database().EventsAfter(ctx, after, 1)
		return err == nil && len(evs) == 0
	})
}

// settled waits until every instance given has sent everything written so
// far (see Node.Idle). Activities for one object can arrive out of order
// while deliveries run in parallel, so a test settles the senders before it
// changes what their receivers are to compare against.
func settled(t testing.TB, ins ...*coop) {
	t.Helper()
	for _, in := range ins {
		eventually(t, in.Host()+" has sent everything", func() bool {
			idle, err := in.Node().Idle(context.Background())
			if err != nil {
				t.Logf("idle: %v", err)
			}
			return idle
		})
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
	a.Enterprise("flora", "Flora Cooperative")
	b.Enterprise("shakyhands", "Shaky Hands")
	b.Enterprise("mkemesh", "MKE Mesh")
	shaky := b.URLOf("/enterprises/shakyhands")

	t.Run("follow by WebFinger address is accepted", func(t *testing.T) {
		f := a.Follow("flora", b.Account("shakyhands"), directory.FollowAccepted)
		if f.TargetID != shaky || f.Name != "Shaky Hands" {
			t.Errorf("follow target %q named %q", f.TargetID, f.Name)
		}
		if n := collectionTotal(t, shaky+"/followers"); n != 1 {
			t.Errorf("followers of shakyhands: %d, want 1", n)
		}
		if n := collectionTotal(t, a.URLOf("/enterprises/flora/following")); n != 1 {
			t.Errorf("following of flora: %d, want 1", n)
		}
	})

	t.Run("following an address that is not there is refused clearly", func(t *testing.T) {
		for _, c := range []struct {
			account string
			want    int
		}{
			{b.Account("nobody"), http.StatusNotFound},     // WebFinger finds no such account
			{"nobody@127.0.0.1:1", http.StatusNotFound},    // nothing answers there
			{a.Account("flora"), http.StatusBadRequest},    // an account of this server
			{"not an address", http.StatusBadRequest},      // no name@host
			{b.Account("shakyhands"), http.StatusConflict}, // already followed
		} {
			if st := a.API("POST", "/api/v1/enterprises/flora/following", map[string]string{"account": c.account}, nil); st != c.want {
				t.Errorf("follow %q: status %d, want %d", c.account, st, c.want)
			}
		}
		if n := len(a.Following("flora")); n != 1 {
			t.Errorf("flora has %d follows after the refused ones, want 1", n)
		}
	})

	var annID int64
	t.Run("an announcement arrives in the follower's feed", func(t *testing.T) {
		annID = b.Announce("shakyhands", "New **screen printing** workshop on Saturday")
		id := b.URLOf(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement is in flora's feed", func() bool {
			return hasPost(a.Feed("flora"), id, "<strong>screen printing</strong>")
		})
	})

	t.Run("an edit of the announcement propagates", func(t *testing.T) {
		if _, err := b.Service().UpdateAnnouncement(directory.AsSystem(context.Background()), annID, "Workshop moved to Sunday"); err != nil {
			t.Fatal(err)
		}
		id := b.URLOf(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the edit is in flora's feed", func() bool { return hasPost(a.Feed("flora"), id, "moved to Sunday") })
	})

	t.Run("a profile update propagates", func(t *testing.T) {
		name := "Shaky Hands Print Co-op"
		if _, err := b.Service().UpdateEnterprise(directory.AsSystem(context.Background()), "shakyhands", directory.EnterpriseUpdate{Name: &name}); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the new name is known at A", func() bool {
			ra, err := a.Database().FindRemoteActor(context.Background(), shaky)
			return err == nil && ra.Name == name
		})
	})

	t.Run("keys rotate sends the new key to followers", func(t *testing.T) {
		before, err := a.Database().FindRemoteActor(context.Background(), shaky)
		if err != nil {
			t.Fatal(err)
		}
		// What "coopdir keys rotate" does (tested in cmd/coopdir).
		sys, name := directory.AsSystem(context.Background()), directory.EnterpriseActorKey("shakyhands")
		if _, err := b.Keys().Rotate(sys, name); err != nil {
			t.Fatal(err)
		}
		if err := b.Service().ActorUpdated(sys, name); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A knows the new key", func() bool {
			ra, err := a.Database().FindRemoteActor(context.Background(), shaky)
			return err == nil && ra.PublicKeyPEM != before.PublicKeyPEM
		})
	})

	t.Run("a deleted announcement leaves the feed", func(t *testing.T) {
		if err := b.Service().DeleteAnnouncement(directory.AsSystem(context.Background()), annID); err != nil {
			t.Fatal(err)
		}
		id := b.URLOf(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement is gone from flora's feed", func() bool { return !hasPost(a.Feed("flora"), id, "") })
	})

	var needID int64
	t.Run("the network and needs actors announce a new need", func(t *testing.T) {
		a.Follow("flora", b.Account("network"), directory.FollowAccepted)
		a.Follow("flora", b.Account("needs"), directory.FollowAccepted)
		l := &directory.Listing{Type: directory.Need, Title: "Mesh antennas for the north side", Category: "tech"}
		if err := b.Service().CreateListing(directory.AsSystem(context.Background()), "mkemesh", l); err != nil {
			t.Fatal(err)
		}
		needID = l.ID
		id := b.URLOf(fmt.Sprintf("/listings/%d", l.ID))
		// flora follows the network and needs, not mkemesh: the listing
		// can only have come through their announces (the full form, since
		// flora's server is a coopdir peer: the Proposal itself).
		eventually(t, "the need is in flora's feed", func() bool {
			for _, p := range a.Feed("flora") {
				if p.ObjectID == id && p.Type == "Proposal" && p.Name == l.Title &&
					(p.Source == b.URLOf("/network") || p.Source == b.URLOf("/needs")) {
					return true
				}
			}
			return false
		})
	})

	t.Run("an edit reaches a peer that follows only the network", func(t *testing.T) {
		title := "Mesh antennas and cable for the north side"
		if _, err := b.Service().UpdateListing(directory.AsSystem(context.Background()), needID, directory.ListingUpdate{Title: &title}); err != nil {
			t.Fatal(err)
		}
		id := b.URLOf(fmt.Sprintf("/listings/%d", needID))
		eventually(t, "the edit is in flora's feed", func() bool {
			for _, p := range a.Feed("flora") {
				if p.ObjectID == id && p.Name == title {
					return true
				}
			}
			return false
		})
	})

	t.Run("a duplicate activity is applied once", func(t *testing.T) {
		ctx := context.Background()
		key, err := b.Keys().PrivateKey(ctx, directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		signer := &federation.Signer{KeyID: shaky + "#main-key", Key: key}
		note := b.URLOf("/announcements/9999")
		create := map[string]any{"@context": ap.ActivityStreamsContext, "id": note + "/create", "type": "Create",
			"actor": shaky, "to": []string{ap.Public},
			"object": map[string]any{"id": note, "type": "Note", "attributedTo": shaky, "content": "<p>once only</p>",
				"to": []string{ap.Public}, "published": "2026-11-20T10:00:00Z"}}
		del := map[string]any{"@context": ap.ActivityStreamsContext, "id": note + "/delete", "type": "Delete",
			"actor": shaky, "to": []string{ap.Public}, "object": note}
		if st := postSigned(t, a.URLOf("/inbox"), create, signer); st != http.StatusAccepted {
			t.Fatalf("create: %d", st)
		}
		if !hasPost(a.Feed("flora"), note, "once only") {
			t.Fatal("the post is not in the feed")
		}
		if st := postSigned(t, a.URLOf("/inbox"), del, signer); st != http.StatusAccepted {
			t.Fatalf("delete: %d", st)
		}
		if st := postSigned(t, a.URLOf("/inbox"), create, signer); st != http.StatusAccepted {
			t.Fatalf("second create: %d", st)
		}
		if hasPost(a.Feed("flora"), note, "") {
			t.Error("the repeated Create was applied again after the Delete")
		}
	})

	// A claim's lease is about a minute (see FEDERATION.md): the claims
	// below hold one that runs out long before, or long after, now.
	t.Run("an activity claimed by a process that died is applied when the sender retries", func(t *testing.T) {
		ctx := context.Background()
		note, create := shakyCreate(t, b, 9997, "claimed by a process that died")
		id := create["id"].(string)
		// The dead process claimed it two minutes ago; its lease is over.
		now := time.Now()
		if c, err := a.Database().ClaimActivity(ctx, id, now.Add(-2*time.Minute), now.Add(-time.Minute)); err != nil || c != directory.ClaimNew {
			t.Fatalf("claim: %v, %v", c, err)
		}
		if st, _ := postSignedHeader(t, a.URLOf("/inbox"), create, shakySigner(t, b)); st != http.StatusAccepted {
			t.Fatalf("the retry: %d", st)
		}
		if !hasPost(a.Feed("flora"), note, "claimed by a process that died") {
			t.Error("the retry was not applied")
		}
		if c, err := a.Database().ClaimActivity(ctx, id, time.Now(), time.Now().Add(time.Minute)); err != nil || c != directory.ClaimApplied {
			t.Errorf("after the retry the claim is %v, %v; want applied", c, err)
		}
	})

	t.Run("a retry while another request applies the activity is answered 503, and applied after a release", func(t *testing.T) {
		ctx := context.Background()
		note, create := shakyCreate(t, b, 9996, "claimed by a live request")
		id := create["id"].(string)
		now := time.Now()
		if _, err := a.Database().ClaimActivity(ctx, id, now, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		st, h := postSignedHeader(t, a.URLOf("/inbox"), create, shakySigner(t, b))
		if st != http.StatusServiceUnavailable || h.Get("Retry-After") != "60" {
			t.Errorf("a busy claim: %d, Retry-After %q; want 503, 60", st, h.Get("Retry-After"))
		}
		if hasPost(a.Feed("flora"), note, "") {
			t.Error("a busy claim was applied")
		}
		// The other request failed and released its claim.
		if err := a.Database().ReleaseActivity(ctx, id); err != nil {
			t.Fatal(err)
		}
		if st, _ := postSignedHeader(t, a.URLOf("/inbox"), create, shakySigner(t, b)); st != http.StatusAccepted {
			t.Fatalf("the retry after the release: %d", st)
		}
		if !hasPost(a.Feed("flora"), note, "claimed by a live request") {
			t.Error("the retry after the release was not applied")
		}
	})

	t.Run("direct messages and forged announces stay out of the feed", func(t *testing.T) {
		ctx := context.Background()
		key, err := b.Keys().PrivateKey(ctx, directory.EnterpriseActorKey("shakyhands"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		shakySigner := &federation.Signer{KeyID: shaky + "#main-key", Key: key}
		dm := b.URLOf("/announcements/7777")
		create := map[string]any{"@context": ap.ActivityStreamsContext, "id": dm + "/create", "type": "Create",
			"actor": shaky, "to": []string{b.URLOf("/enterprises/mkemesh")},
			"object": map[string]any{"id": dm, "type": "Note", "attributedTo": shaky, "content": "<p>just for mkemesh</p>",
				"to": []string{b.URLOf("/enterprises/mkemesh")}}}
		if st := postSigned(t, a.URLOf("/inbox"), create, shakySigner); st != http.StatusAccepted {
			t.Fatalf("create: %d", st)
		}
		if hasPost(a.Feed("flora"), dm, "") {
			t.Error("a direct message to another account reached flora's feed")
		}
		// The network (followed by flora) announces a real announcement of
		// shakyhands, embedding a forged copy: the real one is fetched.
		real := b.Announce("shakyhands", "The real words")
		netKey, err := b.Keys().PrivateKey(ctx, directory.ActorNetwork, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		id := b.URLOf(fmt.Sprintf("/announcements/%d", real))
		boost := map[string]any{"@context": ap.ActivityStreamsContext, "id": b.URLOf("/activities/forged-boost"),
			"type": "Announce", "actor": b.URLOf("/network"), "to": []string{ap.Public},
			"object": map[string]any{"id": id, "type": "Note", "attributedTo": shaky, "content": "<p>forged words</p>",
				"to": []string{ap.Public}}}
		if st := postSigned(t, a.URLOf("/inbox"), boost, &federation.Signer{KeyID: b.URLOf("/network#main-key"), Key: netKey}); st != http.StatusAccepted {
			t.Fatalf("announce: %d", st)
		}
		if posts := a.Feed("flora"); hasPost(posts, id, "forged") || !hasPost(posts, id, "The real words") {
			t.Errorf("the announce did not bring the real post: %+v", posts)
		}
	})

	t.Run("the inbox refuses forged and unsigned activities", func(t *testing.T) {
		ctx := context.Background()
		key, err := b.Keys().PrivateKey(ctx, directory.EnterpriseActorKey("mkemesh"), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		mesh := &federation.Signer{KeyID: b.URLOf("/enterprises/mkemesh#main-key"), Key: key}
		note := b.URLOf("/announcements/8888")
		forged := map[string]any{"@context": ap.ActivityStreamsContext, "id": note + "/create", "type": "Create",
			"actor": shaky, "object": map[string]any{"id": note, "type": "Note", "attributedTo": shaky, "content": "forged"}}
		// Signed by mkemesh, claiming to be shakyhands: the activity is
		// fetched from its id instead, and it is not there.
		if st := postSigned(t, a.URLOf("/inbox"), forged, mesh); st != http.StatusForbidden {
			t.Errorf("forged actor: status %d, want 403", st)
		}
		if st := postSigned(t, a.URLOf("/inbox"), forged, nil); st != http.StatusUnauthorized {
			t.Errorf("unsigned: status %d, want 401", st)
		}
		ours := map[string]any{"@context": ap.ActivityStreamsContext, "id": a.URLOf("/x"), "type": "Create",
			"actor": a.URLOf("/enterprises/flora"), "object": a.URLOf("/x/note")}
		if st := postSigned(t, a.URLOf("/inbox"), ours, mesh); st != http.StatusForbidden {
			t.Errorf("our own host claimed: status %d, want 403", st)
		}
		if hasPost(a.Feed("flora"), note, "") {
			t.Error("a forged post reached the feed")
		}
	})

	t.Run("a stopped receiver gets the delivery when it is back", func(t *testing.T) {
		a.Stop()
		annID := b.Announce("shakyhands", "Posted while the server of flora was down")
		deliveryFailed(t, b, a) // a first attempt fails
		// The delivery waits for its retry: b is not idle.
		if idle, err := b.Node().Idle(context.Background()); err != nil || idle {
			t.Errorf("b with a delivery to retry: idle %v, %v", idle, err)
		}
		a.Restart()
		id := b.URLOf(fmt.Sprintf("/announcements/%d", annID))
		settled(t, b)
		// Idle means sent: the announcement is there without more waiting.
		if !hasPost(a.Feed("flora"), id, "while the server of flora was down") {
			t.Error("b is idle, and the announcement is not at a")
		}
	})

	t.Run("a sender restarted in the middle of its retries loses nothing", func(t *testing.T) {
		a.Stop()
		annID := b.Announce("shakyhands", "Posted just before a restart")
		deliveryFailed(t, b, a) // a first attempt fails; the job waits for its retry
		b.Stop()
		a.Restart()
		b.Restart()
		id := b.URLOf(fmt.Sprintf("/announcements/%d", annID))
		eventually(t, "the announcement arrives after both restarts", func() bool {
			return hasPost(a.Feed("flora"), id, "just before a restart")
		})
	})

	t.Run("undo removes the follower", func(t *testing.T) {
		fs := a.Following("flora")
		for _, f := range fs {
			if f.TargetID == shaky {
				if st := a.API("DELETE", fmt.Sprintf("/api/v1/enterprises/flora/following/%d", f.ID), nil, nil); st != http.StatusNoContent {
					t.Fatalf("unfollow: %d", st)
				}
			}
		}
		eventually(t, "shakyhands has no followers", func() bool { return collectionTotal(t, shaky+"/followers") == 0 })
	})

	if loopbackAvailable("127.0.0.2") {
		t.Run("a follow from a blocked domain is rejected", func(t *testing.T) {
			c := startInstance(t, "127.0.0.2:0", newDB())
			c.Enterprise("tools", "Tool Library")
			if _, err := a.Service().BlockDomain(directory.AsSystem(context.Background()), &directory.DomainBlock{Domain: "127.0.0.2"}); err != nil {
				t.Fatal(err)
			}
			c.Follow("tools", a.Account("flora"), directory.FollowRejected)
			if n := collectionTotal(t, a.URLOf("/enterprises/flora/followers")); n != 0 {
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
	st, _ := postSignedRequest(t, inbox, activity, s, ctype)
	return st
}

// postSignedHeader is postSigned that also returns the response's header.
func postSignedHeader(t testing.TB, inbox string, activity map[string]any, s *federation.Signer) (int, http.Header) {
	t.Helper()
	return postSignedRequest(t, inbox, activity, s, "application/activity+json")
}

func postSignedRequest(t testing.TB, inbox string, activity map[string]any, s *federation.Signer, ctype string) (int, http.Header) {
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
	return resp.StatusCode, resp.Header
}

// shakySigner signs as b's enterprise shakyhands.
func shakySigner(t testing.TB, b *coop) *federation.Signer {
	t.Helper()
	key, err := b.Keys().PrivateKey(context.Background(), directory.EnterpriseActorKey("shakyhands"), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return &federation.Signer{KeyID: b.URLOf("/enterprises/shakyhands#main-key"), Key: key}
}

// shakyCreate is a public Create{Note} by b's shakyhands of a note that is
// not there (announcement n), and the note's id.
func shakyCreate(t testing.TB, b *coop, n int, text string) (string, map[string]any) {
	t.Helper()
	shaky, note := b.URLOf("/enterprises/shakyhands"), b.URLOf(fmt.Sprintf("/announcements/%d", n))
	return note, map[string]any{"@context": ap.ActivityStreamsContext, "id": note + "/create", "type": "Create",
		"actor": shaky, "to": []string{ap.Public},
		"object": map[string]any{"id": note, "type": "Note", "attributedTo": shaky, "content": "<p>" + text + "</p>",
			"to": []string{ap.Public}, "published": "2026-11-20T10:00:00Z"}}
}
