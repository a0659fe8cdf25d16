package storetest

import (
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func feedPost(object, source, author string, minute int) *directory.FeedPost {
	return &directory.FeedPost{ObjectID: object, Source: source, Author: author, Type: "Note",
		Name: "", Content: "<p>" + object + "</p>", URL: object + "/page", InReplyTo: "",
		Published: at(minute), Updated: at(minute)}
}

func mustSaveFeedPost(t *testing.T, s directory.Store, p *directory.FeedPost) *directory.FeedPost {
	t.Helper()
	mustNot(t, s.SaveFeedPost(ctx, p), "save feed post "+p.ObjectID)
	if p.ID == 0 {
		t.Fatalf("save feed post %s left ID 0", p.ObjectID)
	}
	return p
}

func feedObjects(ps []*directory.FeedPost) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.ObjectID)
	}
	return out
}

func testFeed(t *testing.T, open opener) {
	bakery := directory.EnterpriseActorKey("bakery")
	const alice, bob, carol = "https://a.example/alice", "https://b.example/bob", "https://c.example/carol"
	t.Run("lists the posts of accepted follows, newest published first, with their total", func(t *testing.T) {
		s := open(t)
		mustCreateFollowing(t, s, following(bakery, alice, directory.FollowAccepted, 0))
		mustCreateFollowing(t, s, following(bakery, bob, directory.FollowPending, 0))
		mustCreateFollowing(t, s, following(directory.ActorInstance, carol, directory.FollowAccepted, 0))
		mustSaveFeedPost(t, s, feedPost(alice+"/1", alice, alice, 1))
		boost := mustSaveFeedPost(t, s, feedPost(alice+"/boost", alice, carol, 5)) // an Announce by alice
		mustSaveFeedPost(t, s, feedPost(alice+"/2", alice, alice, 3))
		mustSaveFeedPost(t, s, feedPost(alice+"/3", alice, alice, 3)) // same time: the later id first
		mustSaveFeedPost(t, s, feedPost(bob+"/1", bob, bob, 4))
		mustSaveFeedPost(t, s, feedPost(carol+"/1", carol, carol, 6))
		first, total, err := s.ListFeed(ctx, bakery, directory.Page{Page: 1, PerPage: 3})
		mustNot(t, err, "page 1")
		second, _, err := s.ListFeed(ctx, bakery, directory.Page{Page: 2, PerPage: 3})
		mustNot(t, err, "page 2")
		if total != 4 || !slices.Equal(feedObjects(first), []string{alice + "/boost", alice + "/3", alice + "/2"}) ||
			!slices.Equal(feedObjects(second), []string{alice + "/1"}) {
			t.Errorf("total %d, pages %v %v", total, feedObjects(first), feedObjects(second))
		}
		assertSame(t, "feed post", first[0], boost)
		none, total, err := s.ListFeed(ctx, directory.ActorNeeds, directory.Page{Page: 1, PerPage: 3})
		if err != nil || none == nil || len(none) != 0 || total != 0 {
			t.Errorf("the feed of an actor following nobody: %v, %d, %v", none, total, err)
		}
	})
	t.Run("saving again by its author updates a post; another author changes nothing", func(t *testing.T) {
		s := open(t)
		mustCreateFollowing(t, s, following(bakery, alice, directory.FollowAccepted, 0))
		p := mustSaveFeedPost(t, s, feedPost(alice+"/1", alice, alice, 1))
		edit := feedPost(alice+"/1", alice, alice, 1)
		edit.Name, edit.Content, edit.InReplyTo, edit.Updated = "Title", "<p>edited</p>", carol+"/9", at(7)
		mustSaveFeedPost(t, s, edit)
		if edit.ID != p.ID {
			t.Errorf("the update has id %d, the post %d", edit.ID, p.ID)
		}
		spoof := feedPost(alice+"/1", alice, bob, 1)
		spoof.Content = "<p>spoofed</p>"
		mustNot(t, s.SaveFeedPost(ctx, spoof), "save another author's post")
		got, total, err := s.ListFeed(ctx, bakery, directory.Page{Page: 1, PerPage: 5})
		mustNot(t, err, "list")
		if total != 1 {
			t.Fatalf("total %d, want 1", total)
		}
		assertSame(t, "edited post", got[0], edit)
	})
	t.Run("deletes a post only for its author", func(t *testing.T) {
		s := open(t)
		mustCreateFollowing(t, s, following(bakery, alice, directory.FollowAccepted, 0))
		mustSaveFeedPost(t, s, feedPost(alice+"/1", alice, alice, 1))
		byOther, err := s.DeleteFeedPost(ctx, alice+"/1", bob)
		mustNot(t, err, "delete by another")
		byAuthor, err := s.DeleteFeedPost(ctx, alice+"/1", alice)
		mustNot(t, err, "delete by author")
		again, err := s.DeleteFeedPost(ctx, alice+"/1", alice)
		mustNot(t, err, "delete again")
		if byOther || !byAuthor || again {
			t.Errorf("deleted by another %v, by author %v, again %v", byOther, byAuthor, again)
		}
		if _, total, _ := s.ListFeed(ctx, bakery, directory.Page{Page: 1, PerPage: 5}); total != 0 {
			t.Errorf("%d posts left", total)
		}
	})
}

func response(e *directory.Enterprise, object, author string, minute int) *directory.Response {
	return &directory.Response{ObjectID: object, EnterpriseID: e.ID, Author: author, AuthorName: "Someone",
		AuthorURL: author + "/profile", Content: "<p>" + object + "</p>", URL: object + "/page",
		Published: at(minute), Updated: at(minute)}
}

func responseObjects(rs []*directory.Response) []string {
	out := []string{}
	for _, r := range rs {
		out = append(out, r.ObjectID)
	}
	return out
}

func testResponses(t *testing.T, open opener) {
	const alice, bob = "https://a.example/alice", "https://b.example/bob"
	t.Run("lists an enterprise's responses newest first, with their total and targets", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		other := mustCreateEnterprise(t, s, newEnterprise("mill", "Mill"))
		l := mustCreateListing(t, s, newListing(e, directory.Need, "Flour"))
		toListing := response(e, alice+"/1", alice, 1)
		toListing.ListingID = l.ID
		mustNot(t, s.SaveResponse(ctx, toListing), "save")
		toAnnouncement := response(e, bob+"/1", bob, 3)
		toAnnouncement.AnnouncementID = 42
		mustNot(t, s.SaveResponse(ctx, toAnnouncement), "save")
		mustNot(t, s.SaveResponse(ctx, response(other, alice+"/2", alice, 5)), "save")
		if toListing.ID == 0 || toAnnouncement.ID == 0 {
			t.Fatal("save response left ID 0")
		}
		first, total, err := s.ListResponses(ctx, e.ID, directory.Page{Page: 1, PerPage: 1})
		mustNot(t, err, "page 1")
		second, _, err := s.ListResponses(ctx, e.ID, directory.Page{Page: 2, PerPage: 1})
		mustNot(t, err, "page 2")
		if total != 2 || len(first) != 1 || len(second) != 1 {
			t.Fatalf("total %d, pages %v %v", total, responseObjects(first), responseObjects(second))
		}
		assertSame(t, "newest response", first[0], toAnnouncement)
		assertSame(t, "oldest response", second[0], toListing)
		none, total, err := s.ListResponses(ctx, e.ID+100, directory.Page{Page: 1, PerPage: 5})
		if err != nil || none == nil || len(none) != 0 || total != 0 {
			t.Errorf("responses of an unknown enterprise: %v, %d, %v", none, total, err)
		}
	})
	t.Run("saving again by its author updates a response; another author changes nothing", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		r := response(e, alice+"/1", alice, 1)
		mustNot(t, s.SaveResponse(ctx, r), "save")
		edit := response(e, alice+"/1", alice, 1)
		edit.Content, edit.AuthorName, edit.Updated = "<p>edited</p>", "Alice", at(9)
		mustNot(t, s.SaveResponse(ctx, edit), "edit")
		if edit.ID != r.ID {
			t.Errorf("the update has id %d, the response %d", edit.ID, r.ID)
		}
		spoof := response(e, alice+"/1", bob, 2)
		spoof.Content = "<p>spoofed</p>"
		mustNot(t, s.SaveResponse(ctx, spoof), "save another author's response")
		got, total, err := s.ListResponses(ctx, e.ID, directory.Page{Page: 1, PerPage: 5})
		mustNot(t, err, "list")
		if total != 1 {
			t.Fatalf("total %d, want 1", total)
		}
		assertSame(t, "edited response", got[0], edit)
	})
	t.Run("a response to a missing enterprise is not found", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		r := response(e, alice+"/1", alice, 1)
		r.EnterpriseID = e.ID + 100
		wantCode(t, s.SaveResponse(ctx, r), directory.ENOTFOUND)
	})
	t.Run("deletes a response only for its author, and with its enterprise", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustNot(t, s.SaveResponse(ctx, response(e, alice+"/1", alice, 1)), "save")
		mustNot(t, s.SaveResponse(ctx, response(e, bob+"/1", bob, 2)), "save")
		byOther, err := s.DeleteResponse(ctx, alice+"/1", bob)
		mustNot(t, err, "delete by another")
		byAuthor, err := s.DeleteResponse(ctx, alice+"/1", alice)
		mustNot(t, err, "delete by author")
		again, err := s.DeleteResponse(ctx, alice+"/1", alice)
		mustNot(t, err, "delete again")
		if byOther || !byAuthor || again {
			t.Errorf("deleted by another %v, by author %v, again %v", byOther, byAuthor, again)
		}
		mustNot(t, s.DeleteEnterprise(ctx, e.ID, directory.Event{Type: directory.EventEnterpriseDeleted, EnterpriseHandle: "bakery", At: at(3)}), "delete enterprise")
		// The handle may be taken again: the new enterprise has no responses.
		e2 := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		mustNot(t, s.SaveResponse(ctx, response(e2, bob+"/2", bob, 4)), "save")
		got, _, err := s.ListResponses(ctx, e2.ID, directory.Page{Page: 1, PerPage: 5})
		mustNot(t, err, "list")
		if objects := responseObjects(got); !slices.Equal(objects, []string{bob + "/2"}) {
			t.Errorf("responses after the enterprise was deleted: %v", objects)
		}
	})
}

func testReports(t *testing.T, open opener) {
	report := func(activity string, minute int, objects ...string) *directory.Report {
		return &directory.Report{ActivityID: activity, Reporter: "https://r.example/actor", Objects: objects,
			Content: "spam", ReceivedAt: at(minute)}
	}
	reportIDs := func(rs []*directory.Report) []string {
		out := []string{}
		for _, r := range rs {
			out = append(out, r.ActivityID)
		}
		return out
	}
	t.Run("lists open reports newest first, and every report once resolved", func(t *testing.T) {
		s := open(t)
		old := report("https://r.example/flag/1", 1, "https://here.example/e/bakery", "https://here.example/l/1")
		recent := report("https://r.example/flag/2", 2)
		mustNot(t, s.CreateReport(ctx, old), "create")
		mustNot(t, s.CreateReport(ctx, recent), "create")
		if old.ID == 0 || recent.ID == 0 || old.ID == recent.ID {
			t.Fatalf("ids %d and %d", old.ID, recent.ID)
		}
		got, err := s.ListReports(ctx, false)
		mustNot(t, err, "list")
		if len(got) != 2 {
			t.Fatalf("reports %v", reportIDs(got))
		}
		recent.Objects = []string{} // none stored reads back as an empty list
		assertSame(t, "newest report", got[0], recent)
		assertSame(t, "oldest report", got[1], old)
		mustNot(t, s.ResolveReport(ctx, recent.ID), "resolve")
		got, err = s.ListReports(ctx, false)
		mustNot(t, err, "list open")
		if ids := reportIDs(got); !slices.Equal(ids, []string{old.ActivityID}) {
			t.Errorf("open reports %v", ids)
		}
		got, err = s.ListReports(ctx, true)
		mustNot(t, err, "list all")
		if len(got) != 2 || !got[0].Resolved || got[1].Resolved {
			t.Errorf("all reports %s", show(got))
		}
	})
	t.Run("a report received twice is kept once", func(t *testing.T) {
		s := open(t)
		first := report("https://r.example/flag/1", 1, "https://here.example/e/bakery")
		mustNot(t, s.CreateReport(ctx, first), "create")
		again := report(first.ActivityID, 5, "https://here.example/other")
		mustNot(t, s.CreateReport(ctx, again), "create again")
		if again.ID != first.ID {
			t.Errorf("the second insert has id %d, the report %d", again.ID, first.ID)
		}
		got, err := s.ListReports(ctx, true)
		mustNot(t, err, "list")
		if len(got) != 1 {
			t.Fatalf("reports %v", reportIDs(got))
		}
		assertSame(t, "report", got[0], first)
	})
	t.Run("resolving an unknown report is not found", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.ResolveReport(ctx, 12345), directory.ENOTFOUND)
		got, err := s.ListReports(ctx, true)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("reports of a new store: %v, %v", got, err)
		}
	})
}

func testActivities(t *testing.T, open opener) {
	// claim claims id at minute with a lease of two minutes.
	claim := func(t *testing.T, s directory.Store, id string, minute int) directory.Claim {
		t.Helper()
		c, err := s.ClaimActivity(ctx, id, at(minute), at(minute+2))
		mustNot(t, err, "claim "+id)
		return c
	}
	want := func(t *testing.T, what string, got, want directory.Claim) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %v, want %v", what, got, want)
		}
	}
	const id = "https://a.example/act/1"
	t.Run("a new id is claimed, and busy while its lease runs", func(t *testing.T) {
		s := open(t)
		want(t, "first claim", claim(t, s, id, 1), directory.ClaimNew)
		want(t, "claim during the lease", claim(t, s, id, 2), directory.ClaimBusy)
		want(t, "claim as the lease ends", claim(t, s, id, 3), directory.ClaimBusy)
		want(t, "another id", claim(t, s, "https://a.example/act/2", 2), directory.ClaimNew)
	})
	t.Run("an applied id is a duplicate, also after its lease", func(t *testing.T) {
		s := open(t)
		claim(t, s, id, 1)
		mustNot(t, s.ActivityApplied(ctx, id), "applied")
		want(t, "claim after it is applied", claim(t, s, id, 2), directory.ClaimApplied)
		want(t, "claim long after", claim(t, s, id, 60), directory.ClaimApplied)
		mustNot(t, s.ActivityApplied(ctx, "https://a.example/act/unknown"), "applied of an unknown id")
		want(t, "an id marked applied without a claim", claim(t, s, "https://a.example/act/unknown", 2), directory.ClaimNew)
	})
	t.Run("a claim whose lease ran out is taken over, with a new lease", func(t *testing.T) {
		s := open(t)
		claim(t, s, id, 1) // its process died: the lease ends at minute 3
		want(t, "claim after the lease", claim(t, s, id, 4), directory.ClaimNew)
		want(t, "claim during the new lease", claim(t, s, id, 5), directory.ClaimBusy)
		mustNot(t, s.ActivityApplied(ctx, id), "applied")
		want(t, "claim after it is applied", claim(t, s, id, 9), directory.ClaimApplied)
	})
	t.Run("a released id is new again, and applied once its retry is", func(t *testing.T) {
		s := open(t)
		claim(t, s, id, 1)
		mustNot(t, s.ReleaseActivity(ctx, id), "release")
		mustNot(t, s.ReleaseActivity(ctx, "https://a.example/act/unknown"), "release an unknown id")
		want(t, "claim after the release", claim(t, s, id, 2), directory.ClaimNew)
		mustNot(t, s.ActivityApplied(ctx, id), "applied")
		mustNot(t, s.ReleaseActivity(ctx, "https://a.example/act/2"), "release another id")
		want(t, "claim after it is applied", claim(t, s, id, 3), directory.ClaimApplied)
	})
	t.Run("of claims at the same time exactly one is new", func(t *testing.T) {
		s := open(t)
		got := make(chan directory.Claim, 8)
		for range cap(got) {
			go func() {
				c, err := s.ClaimActivity(ctx, id, at(1), at(3))
				if err != nil {
					t.Errorf("claim: %v", err)
				}
				got <- c
			}()
		}
		n := map[directory.Claim]int{}
		for range cap(got) {
			n[<-got]++
		}
		if n[directory.ClaimNew] != 1 || n[directory.ClaimBusy] != cap(got)-1 {
			t.Errorf("claims: %v", n)
		}
	})
	t.Run("pruning forgets the ids recorded before a time", func(t *testing.T) {
		s := open(t)
		claim(t, s, "https://a.example/act/1", 1)
		claim(t, s, "https://a.example/act/2", 2)
		claim(t, s, "https://a.example/act/3", 3)
		n, err := s.PruneActivities(ctx, at(3))
		mustNot(t, err, "prune")
		if n != 2 {
			t.Errorf("pruned %d, want 2", n)
		}
		want(t, "a pruned id", claim(t, s, "https://a.example/act/1", 4), directory.ClaimNew)
		want(t, "a kept id under its lease", claim(t, s, "https://a.example/act/3", 4), directory.ClaimBusy)
	})
}
