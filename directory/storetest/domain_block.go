package storetest

import (
	"slices"
	"sort"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// Domain blocks: the block list, DomainBlocked, and the purge BlockDomain
// runs in the same transaction as the block.

func block(domain string, minute int) *directory.DomainBlock {
	return &directory.DomainBlock{Domain: domain, Reason: "spam from " + domain, CreatedAt: at(minute)}
}

func mustBlock(t *testing.T, s directory.Store, b *directory.DomainBlock) *directory.DomainPurge {
	t.Helper()
	p, err := s.BlockDomain(ctx, b)
	mustNot(t, err, "block "+b.Domain)
	if p == nil {
		t.Fatalf("block %s returned no purge", b.Domain)
	}
	return p
}

func testDomainBlocks(t *testing.T, open opener) {
	blocked := func(t *testing.T, s directory.Store, host string) bool {
		t.Helper()
		ok, err := s.DomainBlocked(ctx, host)
		mustNot(t, err, "domain blocked "+host)
		return ok
	}
	t.Run("lists blocks by domain; blocking twice is a conflict", func(t *testing.T) {
		s := open(t)
		for i, d := range []string{"spam.example", "bad.example", "z.example"} {
			mustBlock(t, s, block(d, i))
		}
		_, err := s.BlockDomain(ctx, block("bad.example", 9))
		wantCode(t, err, directory.ECONFLICT)
		got, err := s.ListDomainBlocks(ctx)
		mustNot(t, err, "list")
		if len(got) != 3 {
			t.Fatalf("blocks %s", show(got))
		}
		assertSame(t, "first block", got[0], block("bad.example", 1))
		if got[1].Domain != "spam.example" || got[2].Domain != "z.example" {
			t.Errorf("blocks out of order: %s", show(got))
		}
	})
	t.Run("a block covers the domain and its subdomains only", func(t *testing.T) {
		s := open(t)
		mustBlock(t, s, block("bad.example", 1))
		mustBlock(t, s, block("x.good.example", 1))
		for host, want := range map[string]bool{
			"bad.example":          true,
			"a.b.bad.example":      true,
			"notbad.example":       false,
			"bad.example.org":      false,
			"example":              false,
			"good.example":         false,
			"x.good.example":       true,
			"deep.x.good.example":  true,
			"y.good.example":       false,
			"unrelated.test":       false,
			"bad.example.evil.net": false,
		} {
			if got := blocked(t, s, host); got != want {
				t.Errorf("%s blocked = %v, want %v", host, got, want)
			}
		}
	})
	t.Run("unblocking lifts the block; an unknown domain is not found", func(t *testing.T) {
		s := open(t)
		mustBlock(t, s, block("bad.example", 1))
		mustNot(t, s.DeleteDomainBlock(ctx, "bad.example"), "unblock")
		if blocked(t, s, "www.bad.example") {
			t.Error("still blocked")
		}
		wantCode(t, s.DeleteDomainBlock(ctx, "bad.example"), directory.ENOTFOUND)
		got, err := s.ListDomainBlocks(ctx)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("blocks after unblocking: %v, %v", got, err)
		}
	})
	t.Run("purge", func(t *testing.T) { testDomainPurge(t, open) })
}

// purgeFixture is a store holding rows of coop.example, of its subdomains
// (some on another port), and of look-alike domains that must survive.
type purgeFixture struct {
	local, coop, sub, lookalike        *directory.Enterprise
	coopListings, keptListings         []*directory.Listing
	loneListing                        *directory.Listing
	coopAnnouncement, loneAnnouncement *directory.Announcement
	keptAnnouncement                   *directory.Announcement
	keptResponse, goneResponse         *directory.Response
	keptFollowers, keptFollowing       []string
	keptFeed, goneFeed                 []*directory.FeedPost
	keptActors, goneActors             []string
}

func remoteEnterprise(handle, origin string) *directory.Enterprise {
	e := newEnterprise(handle, "Remote "+handle)
	e.Origin, e.RemoteID, e.RemoteURL = origin, "https://"+origin+"/e/"+handle, "https://"+origin+"/e/"+handle
	return e
}

func mustAnnounce(t *testing.T, s directory.Store, e *directory.Enterprise, origin string) *directory.Announcement {
	t.Helper()
	a := &directory.Announcement{EnterpriseID: e.ID, Content: "News", ContentHTML: "<p>News</p>", Origin: origin, CreatedAt: t0}
	ev := directory.Event{Type: directory.EventAnnouncementCreated, EnterpriseHandle: e.Handle, Origin: origin, At: t0}
	mustNot(t, s.CreateAnnouncement(ctx, a, ev), "announce")
	return a
}

func newPurgeFixture(t *testing.T, s directory.Store) *purgeFixture {
	t.Helper()
	f := &purgeFixture{}
	f.local = mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
	f.coop = mustCreateEnterprise(t, s, remoteEnterprise("bakery", "coop.example"))
	f.sub = mustCreateEnterprise(t, s, remoteEnterprise("mill", "www.coop.example:8443"))
	f.lookalike = mustCreateEnterprise(t, s, remoteEnterprise("press", "evil-coop.example"))
	f.coopListings = []*directory.Listing{
		mustCreateListing(t, s, newListing(f.coop, directory.Need, "Flour")),
		mustCreateListing(t, s, newListing(f.coop, directory.Offer, "Bread")),
		mustCreateListing(t, s, newListing(f.sub, directory.Offer, "Grain")),
	}
	f.keptListings = []*directory.Listing{
		mustCreateListing(t, s, newListing(f.local, directory.Need, "Ovens")),
		mustCreateListing(t, s, newListing(f.lookalike, directory.Offer, "Ink")),
	}
	// A copy whose own origin is the blocked domain, under an enterprise
	// that is not: it goes on its own, with its own event.
	lone := newListing(f.local, directory.Offer, "Yeast")
	lone.Origin = "coop.example"
	f.loneListing = mustCreateListing(t, s, lone)
	f.coopAnnouncement = mustAnnounce(t, s, f.coop, "coop.example")
	f.loneAnnouncement = mustAnnounce(t, s, f.local, "sub.coop.example")
	f.keptAnnouncement = mustAnnounce(t, s, f.lookalike, "evil-coop.example")

	bakery := directory.EnterpriseActorKey("bakery")
	for _, fl := range []*directory.Follower{
		follower(bakery, "https://coop.example/u/ann", "https://coop.example/u/ann/inbox", "", true, 1),
		follower(directory.ActorNetwork, "https://coop.example/u/ann", "https://coop.example/u/ann/inbox", "", true, 1),
		follower(bakery, "https://www.coop.example:8443/u/bob", "https://www.coop.example:8443/inbox", "", false, 2),
		follower(bakery, "https://evil-coop.example/u/eve", "https://evil-coop.example/inbox", "", false, 3),
		follower(bakery, "https://coop.example.net/u/net", "https://coop.example.net/inbox", "", false, 4),
		// The blocked domain in the path, not the host.
		follower(bakery, "https://good.example/coop.example/u", "https://good.example/inbox", "", false, 5),
	} {
		mustSaveFollower(t, s, fl)
	}
	f.keptFollowers = []string{"https://evil-coop.example/u/eve", "https://coop.example.net/u/net",
		"https://good.example/coop.example/u"}

	mustCreateFollowing(t, s, following(bakery, "https://coop.example/u/carol", directory.FollowAccepted, 1))
	mustCreateFollowing(t, s, following(bakery, "https://a.coop.example/u/cy", directory.FollowPending, 2))
	mustCreateFollowing(t, s, following(bakery, "https://good.example/u/dan", directory.FollowAccepted, 3))
	mustCreateFollowing(t, s, following(bakery, "https://xcoop.example/u/xi", directory.FollowAccepted, 4))
	f.keptFollowing = []string{"https://xcoop.example/u/xi", "https://good.example/u/dan"}

	const coopActor, goodActor = "https://coop.example/u/carol", "https://good.example/u/dan"
	f.goneFeed = []*directory.FeedPost{
		mustSaveFeedPost(t, s, feedPost("https://coop.example/n/1", coopActor, coopActor, 1)),
		// A boost by a good actor of the blocked domain's post.
		mustSaveFeedPost(t, s, feedPost("https://coop.example/n/2", goodActor, coopActor, 2)),
		// A boost by the blocked domain of a good actor's post.
		mustSaveFeedPost(t, s, feedPost("https://good.example/n/3", coopActor, goodActor, 3)),
	}
	f.keptFeed = []*directory.FeedPost{
		mustSaveFeedPost(t, s, feedPost("https://good.example/n/4", goodActor, goodActor, 4)),
		mustSaveFeedPost(t, s, feedPost("https://evil-coop.example/n/5", "https://evil-coop.example/u/eve",
			"https://evil-coop.example/u/eve", 5)),
	}

	f.goneResponse = response(f.local, "https://sub.coop.example/r/1", "https://sub.coop.example/u/rae", 1)
	f.keptResponse = response(f.local, "https://good.example/r/2", "https://good.example/u/rob", 2)
	mustNot(t, s.SaveResponse(ctx, f.goneResponse), "save response")
	mustNot(t, s.SaveResponse(ctx, f.keptResponse), "save response")

	f.goneActors = []string{"https://coop.example/u/ann", "https://www.coop.example:8443/u/bob"}
	f.keptActors = []string{"https://evil-coop.example/u/eve", "https://good.example/u/dan"}
	for i, id := range append(slices.Clone(f.goneActors), f.keptActors...) {
		mustNot(t, s.SaveRemoteActor(ctx, &directory.RemoteActor{ID: id, Inbox: id + "/inbox", FetchedAt: at(i)}),
			"save actor "+id)
	}
	mustNot(t, s.CreateReport(ctx, &directory.Report{ActivityID: "https://coop.example/flag/1",
		Reporter: "https://coop.example/actor", Content: "spam", ReceivedAt: at(1)}), "report")
	return f
}

func testDomainPurge(t *testing.T, open opener) {
	bakery := directory.EnterpriseActorKey("bakery")
	t.Run("removes exactly what the domain and its subdomains sent, on any port", func(t *testing.T) {
		s := open(t)
		f := newPurgeFixture(t, s)
		last := lastEventID(t, s)
		got := mustBlock(t, s, block("coop.example", 30))
		assertSame(t, "purge", got, &directory.DomainPurge{Followers: 3, Following: 2, FeedPosts: 3, Responses: 1,
			RemoteActors: 2, Enterprises: 2, Listings: 4, Announcements: 2})

		followers, total, err := s.ListFollowers(ctx, bakery, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "list followers")
		if ids := followerIDs(followers); total != 3 || !slices.Equal(ids, f.keptFollowers) {
			t.Errorf("followers left %v (total %d), want %v", ids, total, f.keptFollowers)
		}
		if n, _, _ := s.ListFollowers(ctx, directory.ActorNetwork, directory.Page{Page: 1, PerPage: 10}); len(n) != 0 {
			t.Errorf("network followers left %v", followerIDs(n))
		}
		follows, err := s.ListFollowing(ctx, bakery)
		mustNot(t, err, "list following")
		if ids := followingTargets(follows); !slices.Equal(ids, f.keptFollowing) {
			t.Errorf("follows left %v, want %v", ids, f.keptFollowing)
		}
		for _, p := range f.goneFeed {
			if there, err := s.DeleteFeedPost(ctx, p.ObjectID, p.Author); err != nil || there {
				t.Errorf("feed post %s still there (%v)", p.ObjectID, err)
			}
		}
		for _, p := range f.keptFeed {
			if there, err := s.DeleteFeedPost(ctx, p.ObjectID, p.Author); err != nil || !there {
				t.Errorf("feed post %s was removed (%v)", p.ObjectID, err)
			}
		}
		responses, _, err := s.ListResponses(ctx, f.local.ID, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "list responses")
		if ids := responseObjects(responses); !slices.Equal(ids, []string{f.keptResponse.ObjectID}) {
			t.Errorf("responses left %v", ids)
		}
		for _, id := range f.goneActors {
			_, err := s.FindRemoteActor(ctx, id)
			wantCode(t, err, directory.ENOTFOUND)
		}
		for _, id := range f.keptActors {
			_, err := s.FindRemoteActor(ctx, id)
			mustNot(t, err, "find kept actor "+id)
		}
		if reports, err := s.ListReports(ctx, true); err != nil || len(reports) != 1 {
			t.Errorf("reports %s, %v; the blocked domain's report must stay", show(reports), err)
		}

		for _, e := range []*directory.Enterprise{f.coop, f.sub} {
			_, err := s.FindEnterprise(ctx, e.Origin, e.Handle)
			wantCode(t, err, directory.ENOTFOUND)
		}
		for _, e := range []*directory.Enterprise{f.local, f.lookalike} {
			_, err := s.FindEnterprise(ctx, e.Origin, e.Handle)
			mustNot(t, err, "find kept enterprise "+e.Handle)
		}
		for _, l := range append(slices.Clone(f.coopListings), f.loneListing) {
			_, err := s.FindListing(ctx, l.ID)
			wantCode(t, err, directory.ENOTFOUND)
		}
		for _, l := range f.keptListings {
			_, err := s.FindListing(ctx, l.ID)
			mustNot(t, err, "find kept listing "+l.Title)
		}
		for _, a := range []*directory.Announcement{f.coopAnnouncement, f.loneAnnouncement} {
			_, err := s.FindAnnouncement(ctx, a.ID)
			wantCode(t, err, directory.ENOTFOUND)
		}
		_, err = s.FindAnnouncement(ctx, f.keptAnnouncement.ID)
		mustNot(t, err, "find kept announcement")

		// The summaries the searches read follow the deletes.
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Origin: directory.OriginPartners})
		wantOrder(t, "partner enterprises", enterpriseHandles(p), p.Total, "press")
		p = searchEnterprises(t, s, directory.EnterpriseQuery{Origin: "coop.example"})
		wantOrder(t, "coop.example enterprises", enterpriseHandles(p), p.Total)
		p = searchEnterprises(t, s, directory.EnterpriseQuery{Text: "remote"})
		wantOrder(t, "text search", enterpriseHandles(p), p.Total, "press")
		lp := searchListings(t, s, directory.ListingQuery{Origin: directory.OriginPartners})
		wantOrder(t, "partner listings", listingTitles(lp), lp.Total, "Ink")

		wantEvents := []directory.Event{
			{Type: directory.EventListingDeleted, EnterpriseHandle: "bakery", ListingID: f.loneListing.ID,
				Origin: "coop.example", At: at(30)},
			{Type: directory.EventAnnouncementDeleted, EnterpriseHandle: "bakery", AnnouncementID: f.loneAnnouncement.ID,
				Origin: "sub.coop.example", At: at(30)},
			{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "bakery", Origin: "coop.example", At: at(30)},
			{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "mill", Origin: "www.coop.example:8443", At: at(30)},
		}
		evs := eventsSince(t, s, last)
		for i := range evs {
			evs[i].ID = 0
		}
		sortEvents(evs)
		sortEvents(wantEvents)
		if show(evs) != show(wantEvents) {
			t.Errorf("events\n%s\nwant\n%s", show(evs), show(wantEvents))
		}
	})
	t.Run("a block of an address covers it on any port, and nothing else", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, remoteEnterprise("a", "127.0.0.2:8081"))
		mustCreateEnterprise(t, s, remoteEnterprise("b", "127.0.0.2"))
		mustCreateEnterprise(t, s, remoteEnterprise("c", "127.0.0.21:8081"))
		mustCreateEnterprise(t, s, remoteEnterprise("d", "10.127.0.0.2.example"))
		mustSaveFollower(t, s, follower(bakery, "http://127.0.0.2:8080/u/a", "http://127.0.0.2:8080/inbox", "", true, 1))
		mustSaveFollower(t, s, follower(bakery, "http://127.0.0.20/u/b", "http://127.0.0.20/inbox", "", true, 2))
		got := mustBlock(t, s, block("127.0.0.2", 5))
		assertSame(t, "purge", got, &directory.DomainPurge{Followers: 1, Enterprises: 2})
		p := searchEnterprises(t, s, directory.EnterpriseQuery{Origin: directory.OriginPartners})
		wantSet(t, "partner enterprises", enterpriseHandles(p), p.Total, "c", "d")
	})
	t.Run("a block that matches nothing removes nothing and records no event", func(t *testing.T) {
		s := open(t)
		newPurgeFixture(t, s)
		last := lastEventID(t, s)
		got := mustBlock(t, s, block("oop.example", 5))
		assertSame(t, "purge", got, &directory.DomainPurge{})
		wantNoEventsSince(t, s, last)
	})
	t.Run("blocking twice changes nothing the second time", func(t *testing.T) {
		s := open(t)
		mustBlock(t, s, block("coop.example", 1))
		// Arrived later (federation refuses it, but the store must not
		// purge on a refused block).
		mustSaveFollower(t, s, follower(bakery, "https://coop.example/u/late", "https://coop.example/inbox", "", false, 2))
		mustCreateEnterprise(t, s, remoteEnterprise("late", "coop.example"))
		last := lastEventID(t, s)
		_, err := s.BlockDomain(ctx, block("coop.example", 3))
		wantCode(t, err, directory.ECONFLICT)
		if fs, total, _ := s.ListFollowers(ctx, bakery, directory.Page{Page: 1, PerPage: 10}); total != 1 {
			t.Errorf("followers %v after a refused block", followerIDs(fs))
		}
		_, err = s.FindEnterprise(ctx, "coop.example", "late")
		mustNot(t, err, "enterprise after a refused block")
		wantNoEventsSince(t, s, last)
		blocks, err := s.ListDomainBlocks(ctx)
		mustNot(t, err, "list")
		if len(blocks) != 1 || !blocks[0].CreatedAt.Equal(at(1)) {
			t.Errorf("blocks %s", show(blocks))
		}
	})
}

// sortEvents orders events by type, then handle, then origin, so that two
// lists compare whatever order a store wrote them in.
func sortEvents(evs []directory.Event) {
	sort.Slice(evs, func(i, j int) bool {
		a, b := evs[i], evs[j]
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.EnterpriseHandle != b.EnterpriseHandle {
			return a.EnterpriseHandle < b.EnterpriseHandle
		}
		return a.Origin < b.Origin
	})
}
