package federation_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
)

// Partners' announcements, end to end: B's announcements reach A, which
// imports B's directory unlimited, by the backfill and live (posts, edits,
// deletes), marked with B's origin; C, whose reading B limits to worker
// co-ops (B's export scope), is never served nor sent the posts of B's
// tool library; a partner's Note attributed to another host's enterprise
// is refused.

func TestPartnerAnnouncementsSQLite(t *testing.T) {
	testPartnerAnnouncements(t, func() string { return tempDB(t) })
}

func TestPartnerAnnouncementsPostgres(t *testing.T) {
	u := postgresURL(t)
	testPartnerAnnouncements(t, func() string { return freshPostgres(t, u) })
}

// partnerPosts returns the contents of in's announcements from origin.
func (in *coop) partnerPosts(origin string) []string {
	in.T.Helper()
	as, total, err := in.Service().PartnerAnnouncements(sys, origin, directory.Page{Page: 1, PerPage: 100})
	if err != nil {
		in.T.Fatal(err)
	}
	if total != len(as) {
		in.T.Errorf("%d announcements from %s listed, total %d", len(as), origin, total)
	}
	var out []string
	for _, a := range as {
		if a.Origin != origin {
			in.T.Errorf("announcement %d from %s has origin %q", a.ID, origin, a.Origin)
		}
		out = append(out, a.Content)
	}
	slices.Sort(out)
	return out
}

// sentTo returns the activities in's single deliveries to inbox carried,
// as JSON.
func sentTo(t *testing.T, in *coop, inbox string) []string {
	t.Helper()
	const query = `SELECT %s FROM river_job WHERE kind = 'coopdir_deliver'`
	var raws [][]byte
	queueRows(t, in, fmt.Sprintf(query, "json(args)"), fmt.Sprintf(query, "args::text"), func(scan func(...any) error) {
		var b []byte
		if err := scan(&b); err != nil {
			t.Fatal(err)
		}
		raws = append(raws, b)
	})
	var out []string
	for _, raw := range raws {
		var args federation.DeliverArgs
		if err := json.Unmarshal(raw, &args); err != nil {
			t.Fatal(err)
		}
		if args.Inbox == inbox {
			out = append(out, string(args.Activity))
		}
	}
	return out
}

// fetchSigned GETs u signed by signer (nil: unsigned) and decodes the
// page's items.
func fetchSigned(t *testing.T, u string, signer *federation.Signer) []map[string]any {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Accept", "application/activity+json")
	if signer != nil {
		if err := signer.SignRequest(req, nil); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, body)
	}
	var page struct {
		Items []map[string]any `json:"orderedItems"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatal(err)
	}
	return page.Items
}

// instanceSigner signs as in's instance actor.
func instanceSigner(t *testing.T, in *coop) *federation.Signer {
	t.Helper()
	key, err := in.Keys().PrivateKey(sys, directory.ActorInstance, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return &federation.Signer{KeyID: in.URLOf("/actor#main-key"), Key: key}
}

func testPartnerAnnouncements(t *testing.T, newDB func() string) {
	a := startInstance(t, "127.0.0.1:0", newDB())
	b := startInstance(t, "127.0.0.1:0", newDB())
	c := startInstance(t, "127.0.0.1:0", newDB())
	b.addEnterprise("shakyhands", "Shaky Hands", directory.KindWorkerCoop, milwaukee)
	b.addEnterprise("chitools", "Chicago Tool Library", directory.KindToolLibrary, chicago)
	b.Announce("shakyhands", "Open house on **Friday**. <script>alert(1)</script>")
	b.Announce("chitools", "Drill clinic in Chicago")
	b.addListing("chitools", directory.Offer, "Drills to lend", "tools")
	b.addListing("shakyhands", directory.Need, "Screen frames", "goods")
	bHost := b.Host()

	t.Run("the backfill brings B's announcements to A with their origin, sanitized", func(t *testing.T) {
		p := partnerWith(t, a, b, directory.Scope{})
		if got := a.partnerPosts(bHost); !slices.Equal(got, []string{"Drill clinic in Chicago",
			"Open house on **Friday**. <script>alert(1)</script>"}) {
			t.Fatalf("B's announcements at A: %q", got)
		}
		if p.Backfill.Imported != 6 {
			t.Errorf("backfill imported %d entries, want 6 (2 enterprises, 2 listings, 2 announcements)", p.Backfill.Imported)
		}
		as, _, err := a.Service().RecentAnnouncements(sys, directory.AnnouncementQuery{Page: directory.Page{Page: 1, PerPage: 10}})
		if err != nil {
			t.Fatal(err)
		}
		for _, an := range as {
			if an.Origin != bHost || !strings.HasPrefix(an.RemoteID, b.URL()+"/announcements/") {
				t.Errorf("recent announcement at A: %+v", an)
			}
			if strings.Contains(an.ContentHTML, "<script") {
				t.Errorf("unsanitized copy: %q", an.ContentHTML)
			}
			if an.EnterpriseHandle == "shakyhands" && !strings.Contains(an.ContentHTML, "<strong>Friday</strong>") {
				t.Errorf("copy's HTML: %q", an.ContentHTML)
			}
		}
		if len(as) != 2 {
			t.Errorf("A's recent announcements: %d, want B's 2", len(as))
		}
	})

	t.Run("a live post, its edit and its delete reach A", func(t *testing.T) {
		id := b.Announce("shakyhands", "Screen printing workshop")
		eventually(t, "A has the new post", func() bool {
			return slices.Contains(a.partnerPosts(bHost), "Screen printing workshop")
		})
		if _, err := b.Service().UpdateAnnouncement(sys, id, "Screen printing workshop, moved to Saturday"); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A has the edit", func() bool {
			got := a.partnerPosts(bHost)
			return slices.Contains(got, "Screen printing workshop, moved to Saturday") && len(got) == 3
		})
		if err := b.Service().DeleteAnnouncement(sys, id); err != nil {
			t.Fatal(err)
		}
		eventually(t, "A dropped the deleted post", func() bool { return len(a.partnerPosts(bHost)) == 2 })
	})

	t.Run("C, limited by B to worker co-ops, is served and sent only those", func(t *testing.T) {
		if _, err := c.Node().Partners().RequestPartnership(sys, bHost, directory.Scope{}); err != nil {
			t.Fatal(err)
		}
		var theirs *directory.Partner
		eventually(t, "B sees C's request", func() bool {
			theirs = b.partner(c)
			return theirs != nil && theirs.Incoming == directory.PartnerPending
		})
		limit := directory.Scope{Kinds: []directory.Kind{directory.KindWorkerCoop}}
		if _, err := b.Service().SetPartnerExportScope(sys, theirs.ID, limit); err != nil {
			t.Fatal(err)
		}
		if _, err := b.Node().Partners().ApprovePartner(sys, theirs.ID); err != nil {
			t.Fatal(err)
		}
		eventually(t, "C imported B's directory", func() bool {
			p := c.partner(b)
			return p.Outgoing == directory.PartnerActive && p.Backfill.Done
		})
		if got := c.copies(bHost); !slices.Equal(got, []string{"shakyhands"}) {
			t.Errorf("B's enterprises at C: %v", got)
		}
		if got := c.openListings(bHost); !slices.Equal(got, []string{"Screen frames"}) {
			t.Errorf("B's listings at C: %v", got)
		}
		if got := c.partnerPosts(bHost); !slices.Equal(got, []string{"Open house on **Friday**. <script>alert(1)</script>"}) {
			t.Errorf("B's announcements at C: %q", got)
		}
		// What B serves C, and what it serves a reader who does not sign.
		page := b.URLOf(federation.DirectoryAnnouncementsPath) + "?after=0"
		if got := fetchSigned(t, page, instanceSigner(t, c)); len(got) != 1 ||
			got[0]["attributedTo"] != b.URLOf("/enterprises/shakyhands") {
			t.Errorf("B's announcements page as C reads it: %v", got)
		}
		if got := fetchSigned(t, page, nil); len(got) != 2 {
			t.Errorf("B's public announcements page: %d items, want 2", len(got))
		}
		if got := fetchSigned(t, b.URLOf(federation.DirectoryEnterprisesPath)+"?after=0", instanceSigner(t, c)); len(got) != 1 {
			t.Errorf("B's enterprises page as C reads it: %d items, want 1", len(got))
		}

		// Live: the tool library's posts and listings never go to C; the
		// worker co-op's do, and reach A too.
		b.Announce("chitools", "Saw sharpening day")
		b.addListing("chitools", directory.Offer, "Saws to lend", "tools")
		b.Announce("shakyhands", "New inks in stock")
		eventually(t, "C and A have the worker co-op's post", func() bool {
			return slices.Contains(c.partnerPosts(bHost), "New inks in stock") &&
				slices.Contains(a.partnerPosts(bHost), "Saw sharpening day")
		})
		settled(t, b)
		if got := c.partnerPosts(bHost); len(got) != 2 {
			t.Errorf("B's announcements at C: %q", got)
		}
		if got := c.openListings(bHost); !slices.Equal(got, []string{"Screen frames"}) {
			t.Errorf("B's listings at C: %v", got)
		}
		cInbox := c.URLOf("/inbox")
		sent := sentTo(t, b, cInbox)
		if len(sent) == 0 {
			t.Fatalf("B sent C nothing")
		}
		for _, s := range sent {
			if strings.Contains(s, "chitools") || strings.Contains(s, "Saw") || strings.Contains(s, "Drill") {
				t.Errorf("B sent C what its scope excludes: %s", s)
			}
		}
		if got := len(sentTo(t, b, a.URLOf("/inbox"))); got <= len(sent) {
			t.Errorf("B sent A %d activities, C %d: A should get more", got, len(sent))
		}
	})

	t.Run("a partner's Note attributed to another host's enterprise is refused, nothing stored", func(t *testing.T) {
		before := a.partnerPosts(bHost)
		signer := instanceSigner(t, b)
		now := time.Now().UTC().Format(time.RFC3339)
		note := map[string]any{"id": b.URLOf("/announcements/999999"), "type": "Note",
			"attributedTo": c.URLOf("/enterprises/cee"), "content": "<p>Forged</p>", "published": now,
			"to": []string{ap.Public}}
		create := map[string]any{"id": b.URLOf("/announcements/999999/create"), "type": "Create",
			"actor": b.URLOf("/enterprises/shakyhands"), "object": note}
		announce := map[string]any{"@context": ap.ActivityStreamsContext, "id": b.URLOf("/activities/forged-note"),
			"type": "Announce", "actor": b.URLOf("/actor"), "object": create}
		if st := postSigned(t, a.URLOf("/inbox"), announce, signer); st != http.StatusForbidden && st != http.StatusAccepted {
			t.Errorf("B's Announce of a Note by C's enterprise: %d", st)
		}
		settled(t, a)
		if got := a.partnerPosts(bHost); !slices.Equal(got, before) {
			t.Errorf("after the forged Note A has %q, had %q", got, before)
		}
		if got := a.partnerPosts(c.Host()); len(got) != 0 {
			t.Errorf("A stored announcements of C: %q", got)
		}
	})
}
