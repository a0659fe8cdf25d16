package federation_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// fedifyPeer is a running Fedify server (scripts/interop/fedify/peer.mjs)
// with one account, alice, driven through its control API.
type fedifyPeer struct {
	t    testing.TB
	base string // https://localhost:PORT
}

// startFedify starts the Fedify peer over HTTPS with a certificate of the
// test CA and waits for its ready line; it is killed when t ends, and its
// stderr is logged when t failed.
func startFedify(t testing.TB) *fedifyPeer {
	t.Helper()
	dir := interopPeer(t, "FEDIFY_PEER", "the directory of the Fedify peer (peer.mjs and node_modules)")
	ca := interopCA(t)
	cert, key := ca.Leaf(t)
	cmd := exec.Command("node", filepath.Join(dir, "peer.mjs"), cert, key)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "NODE_EXTRA_CA_CERTS="+ca.CertFile, "PORT=0")
	stderr := &instancetest.SyncBuffer{}
	cmd.Stderr = stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("fedify peer stderr:\n%s", stderr.String())
		}
	})
	port := fedifyReady(t, out, stderr)
	return &fedifyPeer{t: t, base: fmt.Sprintf("https://localhost:%d", port)}
}

// fedifyReady reads the peer's ready line, within a deadline, and returns
// its port; the rest of stdout is drained.
func fedifyReady(t testing.TB, out io.Reader, stderr *instancetest.SyncBuffer) int {
	t.Helper()
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default:
			}
		}
		close(lines)
	}()
	select {
	case line, ok := <-lines:
		var r struct {
			Ready bool `json:"ready"`
			Port  int  `json:"port"`
		}
		if !ok || json.Unmarshal([]byte(line), &r) != nil || !r.Ready {
			t.Fatalf("fedify peer did not start: %q\n%s", line, stderr.String())
		}
		return r.Port
	case <-time.After(30 * time.Second):
		t.Fatalf("fedify peer not ready after 30s\n%s", stderr.String())
	}
	return 0
}

// call sends a control request (a JSON body when body is not nil) and
// decodes the answer into out; a failing call fails the test.
func (p *fedifyPeer) call(method, path string, body, out any) {
	p.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			p.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, p.base+"/_control/"+path, rd)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		p.t.Fatalf("fedify %s %s: %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			p.t.Fatalf("fedify %s %s: %v in %s", method, path, err, raw)
		}
	}
}

// actor is alice's id; account her WebFinger address.
func (p *fedifyPeer) actor() string   { return p.base + "/users/alice" }
func (p *fedifyPeer) account() string { return "alice@" + strings.TrimPrefix(p.base, "https://") }

// fedifyEntry is an activity alice's inbox received, as Fedify parsed it.
type fedifyEntry struct {
	Type        string         `json:"type"`
	ID          string         `json:"id"`
	Actor       string         `json:"actor"`
	ObjectID    string         `json:"objectId"`
	ObjectType  string         `json:"objectType"`
	ObjectError string         `json:"objectError"`
	Content     string         `json:"content"`
	Name        string         `json:"name"`
	JSON        map[string]any `json:"json"`
}

// waitFor waits until alice's inbox has received an activity of type typ
// about objectID (any object when it is empty) for which match (when not
// nil) holds, and returns it.
func (p *fedifyPeer) waitFor(t testing.TB, typ, objectID string, match func(fedifyEntry) bool) fedifyEntry {
	t.Helper()
	var got fedifyEntry
	eventually(t, "alice receives "+typ+" of "+objectID, func() bool {
		var l struct{ Items []fedifyEntry }
		p.call("GET", "log", nil, &l)
		for _, e := range l.Items {
			if e.Type == typ && (objectID == "" || e.ObjectID == objectID) && (match == nil || match(e)) {
				got = e
				return true
			}
		}
		return false
	})
	return got
}

// fedifyFollow is a follow alice sent.
type fedifyFollow struct {
	ID    string `json:"id"`
	Actor string `json:"actor"`
	Type  string `json:"type"`
	State string `json:"state"`
}

// follow makes alice look account up (WebFinger, both ways) and follow it,
// and waits until the answer is accepted.
func (p *fedifyPeer) follow(t testing.TB, account string) fedifyFollow {
	t.Helper()
	var f fedifyFollow
	p.call("POST", "follow", map[string]string{"account": account}, &f)
	eventually(t, "alice's follow of "+account+" is accepted", func() bool {
		var l struct{ Items []fedifyFollow }
		p.call("GET", "following", nil, &l)
		for _, g := range l.Items {
			if g.ID == f.ID && g.State == "accepted" {
				return true
			}
		}
		return false
	})
	return f
}

// fedifyParsed is Fedify's reading of a document: its class or an error.
type fedifyParsed struct {
	Type  string         `json:"type"`
	ID    string         `json:"id"`
	JSON  map[string]any `json:"json"`
	Error string         `json:"error"`
}

// fedifyCollection is Fedify's reading of a collection and its pages.
type fedifyCollection struct {
	Type       string `json:"type"`
	TotalItems int    `json:"totalItems"`
	Error      string `json:"error"`
	Pages      []struct {
		Type  string
		ID    string
		Items []struct{ Type, ID, ObjectID string }
	}
}

func (p *fedifyPeer) lookup(u string) (r fedifyParsed) {
	p.call("POST", "lookup", map[string]string{"url": u}, &r)
	return r
}

func (p *fedifyPeer) collection(u string) (c fedifyCollection) {
	p.call("POST", "collection", map[string]string{"url": u}, &c)
	return c
}

func (p *fedifyPeer) parse(doc json.RawMessage) (r fedifyParsed) {
	p.call("POST", "parse", doc, &r)
	return r
}

// noteID answers the control calls that make alice post.
type noteID struct {
	ID string `json:"id"`
}

func (p *fedifyPeer) post(content string) string {
	var n noteID
	p.call("POST", "post", map[string]string{"content": content}, &n)
	return n.ID
}

func (p *fedifyPeer) reply(inReplyTo, content string) string {
	var n noteID
	p.call("POST", "reply", map[string]string{"inReplyTo": inReplyTo, "content": content}, &n)
	return n.ID
}

// hasFollowRequest reports whether follower's follow waits for alice.
func (p *fedifyPeer) hasFollowRequest(follower string) bool {
	var l struct{ Items []string }
	p.call("GET", "requests", nil, &l)
	for _, f := range l.Items {
		if f == follower {
			return true
		}
	}
	return false
}

// responses lists the replies an enterprise received.
func (in *coop) responses(handle string) []directory.Response {
	var l struct{ Items []directory.Response }
	if st := in.API("GET", "/api/v1/enterprises/"+handle+"/responses", nil, &l); st != 200 {
		in.T.Fatalf("GET responses: %d", st)
	}
	return l.Items
}

func (in *coop) listing(handle string, typ directory.ListingType, title string) string {
	in.T.Helper()
	l := &directory.Listing{Type: typ, Title: title, Description: "Ask at the *front desk*.", Category: "tools"}
	if err := in.Service().CreateListing(directory.AsSystem(context.Background()), handle, l); err != nil {
		in.T.Fatal(err)
	}
	return in.URLOf(fmt.Sprintf("/listings/%d", l.ID))
}

// TestInteropFedify runs coopdir and a real Fedify server against each
// other, in both directions, from cold caches.
func TestInteropFedify(t *testing.T) {
	p := startFedify(t)
	in := startTLSInstance(t)
	in.Enterprise("bakery", "Rye Bakery")
	bakery := in.URLOf("/enterprises/bakery")
	ctx := directory.AsSystem(context.Background())

	t.Run("alice finds an enterprise by WebFinger, follows it and is accepted", func(t *testing.T) {
		f := p.follow(t, in.Account("bakery"))
		if f.Actor != bakery || f.Type != "Organization" {
			t.Errorf("Fedify found %s %q, want Organization %q", f.Type, f.Actor, bakery)
		}
		p.waitFor(t, "Accept", "", func(e fedifyEntry) bool { return e.Actor == bakery && e.ObjectType == "Follow" })
		if n := collectionTotal(t, bakery+"/followers"); n != 1 {
			t.Errorf("followers of bakery: %d, want 1", n)
		}
	})
	t.Run("alice follows the network", func(t *testing.T) { p.follow(t, in.Account("network")) })

	var annID string
	t.Run("an announcement reaches alice as Create{Note}, and the network's boost", func(t *testing.T) {
		annID = in.URLOf(fmt.Sprintf("/announcements/%d", in.Announce("bakery", "Fresh **rye** today")))
		e := p.waitFor(t, "Create", annID, nil)
		if e.ObjectType != "Note" || !strings.Contains(e.Content, "<strong>rye</strong>") {
			t.Errorf("Fedify read %s %q (%s)", e.ObjectType, e.Content, e.ObjectError)
		}
		b := p.waitFor(t, "Announce", annID, nil)
		if b.Actor != in.URLOf("/network") || b.ObjectType != "Note" {
			t.Errorf("boost by %s of a %q (%s)", b.Actor, b.ObjectType, b.ObjectError)
		}
	})

	var need, offer string
	t.Run("a need and an offer reach alice as Create{Note}", func(t *testing.T) {
		need, offer = in.listing("bakery", directory.Need, "Flour sacks"), in.listing("bakery", directory.Offer, "Sourdough starter")
		for id, title := range map[string]string{need: "Flour sacks", offer: "Sourdough starter"} {
			e := p.waitFor(t, "Create", id+"/note", nil)
			if e.ObjectType != "Note" || !strings.Contains(e.Content, title) {
				t.Errorf("%s: Fedify read %s %q (%s)", id, e.ObjectType, e.Content, e.ObjectError)
			}
		}
	})

	t.Run("edits arrive as Update", func(t *testing.T) {
		if _, err := in.Service().UpdateAnnouncement(ctx, idOf(t, annID), "Fresh rye and *spelt* today"); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, "Update", annID, func(e fedifyEntry) bool { return strings.Contains(e.Content, "spelt") })
		title := "Flour sacks, clean"
		if _, err := in.Service().UpdateListing(ctx, idOf(t, need), directory.ListingUpdate{Title: &title}); err != nil {
			t.Fatal(err)
		}
		p.waitFor(t, "Update", need+"/note", func(e fedifyEntry) bool { return strings.Contains(e.Content, "clean") })
	})

	t.Run("a delete arrives as Delete", func(t *testing.T) {
		if err := in.Service().DeleteListing(ctx, idOf(t, offer)); err != nil {
			t.Fatal(err)
		}
		e := p.waitFor(t, "Delete", offer+"/note", nil)
		if e.ObjectType != "Tombstone" {
			t.Errorf("Delete of a %q (%s)", e.ObjectType, e.ObjectError)
		}
	})

	t.Run("Fedify reads the enterprise actor and its collections", func(t *testing.T) {
		fedifyReadsActorAndCollections(t, p, bakery)
	})

	t.Run("alice's Undo{Follow} drops the follower", func(t *testing.T) {
		p.call("POST", "unfollow", map[string]string{"actor": bakery}, nil)
		eventually(t, "bakery has no followers", func() bool { return collectionTotal(t, bakery+"/followers") == 0 })
	})

	t.Run("a follow of locked alice waits for her Accept", func(t *testing.T) {
		p.call("POST", "lock", map[string]bool{"locked": true}, nil)
		f := in.Follow("bakery", p.account(), directory.FollowPending)
		eventually(t, "alice has bakery's follow request", func() bool { return p.hasFollowRequest(bakery) })
		for _, g := range in.Following("bakery") {
			if g.ID == f.ID && g.State != directory.FollowPending {
				t.Fatalf("the follow is %q before alice answered", g.State)
			}
		}
		p.call("POST", "accept", map[string]string{"follower": bakery}, nil)
		eventually(t, "the follow is accepted", func() bool {
			for _, g := range in.Following("bakery") {
				if g.ID == f.ID && g.TargetID == p.actor() {
					return g.State == directory.FollowAccepted
				}
			}
			return false
		})
	})

	t.Run("a Note alice posts reaches the enterprise's feed", func(t *testing.T) {
		id := p.post("<p>Hello from <em>Fedify</em></p>")
		eventually(t, "alice's note is in bakery's feed", func() bool { return hasPost(in.Feed("bakery"), id, "Hello from") })
	})

	t.Run("alice's reply reaches the enterprise's responses", func(t *testing.T) {
		id := p.reply(annID, "<p>Save me a loaf!</p>")
		eventually(t, "the reply is in bakery's responses", func() bool {
			for _, r := range in.responses("bakery") {
				if r.ObjectID == id && r.Author == p.actor() && strings.Contains(r.Content, "Save me a loaf") {
					return true
				}
			}
			return false
		})
	})
}

// idOf is the number at the end of an object's URL.
func idOf(t testing.TB, u string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscanf(u[strings.LastIndex(u, "/")+1:], "%d", &id); err != nil {
		t.Fatalf("no id in %s", u)
	}
	return id
}

// fedifyReadsActorAndCollections checks that Fedify parses the actor and
// every page of its outbox, followers and featured collections.
func fedifyReadsActorAndCollections(t *testing.T, p *fedifyPeer, actor string) {
	if a := p.lookup(actor); a.Error != "" || a.Type != "Organization" || a.ID != actor {
		t.Errorf("actor: Fedify read %s %s: %s", a.Type, a.ID, a.Error)
	}
	// The outbox holds the announcement and the need (the offer was
	// deleted); alice follows; the open need is featured.
	for name, min := range map[string]int{"outbox": 2, "followers": 1, "featured": 1} {
		c := p.collection(actor + "/" + name)
		if c.Error != "" || c.Type != "OrderedCollection" {
			t.Errorf("%s: Fedify read %q: %s", name, c.Type, c.Error)
			continue
		}
		n := 0
		for _, pg := range c.Pages {
			n += len(pg.Items)
		}
		if n != c.TotalItems || n < min {
			t.Errorf("%s: %d items on %d pages, totalItems %d, want at least %d", name, n, len(c.Pages), c.TotalItems, min)
		}
	}
}

// fedifyUnknownGolden are the golden documents of coopdir's own vocabulary
// (FEP-0837 Proposals), which only coopdir peers are sent.
var fedifyUnknownGolden = map[string]bool{
	"proposal-need.json": true, "proposal-offer.json": true, "proposal-need-bilingual.json": true,
	"create-proposal.json": true, "update-proposal.json": true,
	"offer-agreement.json": true, "accept-agreement.json": true,
}

// TestInteropFedifyParsesGolden has Fedify's vocabulary parse every
// ActivityStreams document of the golden files, with only its preloaded
// contexts.
func TestInteropFedifyParsesGolden(t *testing.T) {
	p := startFedify(t)
	files, err := filepath.Glob("ap/testdata/golden/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden files: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Context json.RawMessage `json:"@context"`
				Type    string          `json:"type"`
				ID      string          `json:"id"`
			}
			if err := json.Unmarshal(raw, &doc); err != nil || doc.Context == nil || doc.Type == "" || doc.ID == "" {
				t.Fatalf("not a JSON-LD object with @context, type and id: %v", err)
			}
			r := p.parse(raw)
			if fedifyUnknownGolden[name] {
				t.Logf("coopdir-only %s: Fedify read %q %s", doc.Type, r.Type, r.Error)
				return
			}
			if r.Error != "" || r.ID != doc.ID || r.Type != doc.Type {
				t.Errorf("Fedify refuses %s: %s (read %s %q)", name, r.Error, r.Type, r.ID)
			}
		})
	}
}
