package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// The federation state of directory.FederationStore: followers, follows
// and what arrives in the inbox here; remote actors, hosts, domain blocks,
// cursors, recorded events and the expiry sweep in federation_remote.go.

func follower(actor, id, inbox, shared string, peer bool, minute int) *directory.Follower {
	return &directory.Follower{Actor: actor, FollowerID: id, Inbox: inbox, SharedInbox: shared,
		FollowID: id + "#follow", Peer: peer, CreatedAt: at(minute)}
}

func mustSaveFollower(t *testing.T, s directory.Store, f *directory.Follower) {
	t.Helper()
	mustNot(t, s.SaveFollower(ctx, f), "save follower "+f.FollowerID)
}

func followerIDs(fs []*directory.Follower) []string {
	ids := []string{}
	for _, f := range fs {
		ids = append(ids, f.FollowerID)
	}
	return ids
}

func testFollowers(t *testing.T, open opener) {
	bakery := directory.EnterpriseActorKey("bakery")
	t.Run("saving again updates the follower and keeps when it followed", func(t *testing.T) {
		s := open(t)
		mustSaveFollower(t, s, follower(bakery, "https://a.example/u/ann", "https://a.example/u/ann/inbox", "", false, 1))
		again := follower(bakery, "https://a.example/u/ann", "https://a.example/inbox2", "https://a.example/inbox", true, 9)
		again.FollowID = "https://a.example/follows/2"
		mustSaveFollower(t, s, again)
		got, total, err := s.ListFollowers(ctx, bakery, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "list")
		if total != 1 || len(got) != 1 {
			t.Fatalf("total %d, %d followers, want one", total, len(got))
		}
		want := *again
		want.CreatedAt = at(1)
		assertSame(t, "follower", got[0], &want)
	})
	t.Run("lists an actor's followers oldest first, by page, with their total", func(t *testing.T) {
		s := open(t)
		for i, name := range []string{"c", "a", "b"} {
			mustSaveFollower(t, s, follower(bakery, "https://x.example/"+name, "https://x.example/"+name+"/inbox", "", false, i))
		}
		mustSaveFollower(t, s, follower(directory.ActorNetwork, "https://x.example/z", "https://x.example/z/inbox", "", false, 0))
		first, total, err := s.ListFollowers(ctx, bakery, directory.Page{Page: 1, PerPage: 2})
		mustNot(t, err, "page 1")
		second, _, err := s.ListFollowers(ctx, bakery, directory.Page{Page: 2, PerPage: 2})
		mustNot(t, err, "page 2")
		if total != 3 || !slices.Equal(followerIDs(first), []string{"https://x.example/c", "https://x.example/a"}) ||
			!slices.Equal(followerIDs(second), []string{"https://x.example/b"}) {
			t.Errorf("total %d, pages %v %v", total, followerIDs(first), followerIDs(second))
		}
		none, total, err := s.ListFollowers(ctx, directory.ActorNeeds, directory.Page{Page: 1, PerPage: 2})
		mustNot(t, err, "no followers")
		if none == nil || len(none) != 0 || total != 0 {
			t.Errorf("an actor without followers: %v, total %d", none, total)
		}
	})
	t.Run("a page with no size is the default one and one too large is cut to the maximum", func(t *testing.T) {
		s := open(t)
		for i := range directory.MaxPerPage + 1 {
			id := fmt.Sprintf("https://x.example/u%03d", i)
			mustSaveFollower(t, s, follower(bakery, id, id+"/inbox", "", false, i))
		}
		for _, c := range []struct {
			p    directory.Page
			want int
		}{
			{directory.Page{}, directory.DefaultPerPage},
			{directory.Page{Page: -2, PerPage: -5}, directory.DefaultPerPage},
			{directory.Page{Page: 1, PerPage: 100_000}, directory.MaxPerPage},
			{directory.Page{Page: 2, PerPage: 100_000}, 1},
		} {
			got, total, err := s.ListFollowers(ctx, bakery, c.p)
			mustNot(t, err, "list")
			if len(got) != c.want || total != directory.MaxPerPage+1 {
				t.Errorf("%+v: %d followers of %d, want %d", c.p, len(got), total, c.want)
			}
		}
	})
	t.Run("deletes one follower and tells whether it was there", func(t *testing.T) {
		s := open(t)
		mustSaveFollower(t, s, follower(bakery, "https://a.example/ann", "https://a.example/ann/inbox", "", false, 1))
		mustSaveFollower(t, s, follower(directory.ActorNetwork, "https://a.example/ann", "https://a.example/ann/inbox", "", false, 1))
		gone, err := s.DeleteFollower(ctx, bakery, "https://a.example/ann")
		mustNot(t, err, "delete")
		again, err := s.DeleteFollower(ctx, bakery, "https://a.example/ann")
		mustNot(t, err, "delete again")
		if !gone || again {
			t.Errorf("deleted %v then %v, want true then false", gone, again)
		}
		if _, total, _ := s.ListFollowers(ctx, directory.ActorNetwork, directory.Page{Page: 1, PerPage: 5}); total != 1 {
			t.Errorf("the follower of another actor was deleted too")
		}
	})
	t.Run("deletes every follower behind a gone inbox, own or shared", func(t *testing.T) {
		s := open(t)
		mustSaveFollower(t, s, follower(bakery, "https://gone.example/a", "https://gone.example/a/inbox", "https://gone.example/inbox", false, 1))
		mustSaveFollower(t, s, follower(directory.ActorNetwork, "https://gone.example/b", "https://gone.example/b/inbox", "https://gone.example/inbox", false, 2))
		mustSaveFollower(t, s, follower(bakery, "https://solo.example/c", "https://gone.example/inbox", "", false, 3))
		mustSaveFollower(t, s, follower(bakery, "https://kept.example/d", "https://kept.example/d/inbox", "", false, 4))
		n, err := s.DeleteFollowersByInbox(ctx, "https://gone.example/inbox")
		mustNot(t, err, "delete by inbox")
		if n != 3 {
			t.Errorf("deleted %d, want 3", n)
		}
		left, _, err := s.ListFollowers(ctx, bakery, directory.Page{Page: 1, PerPage: 10})
		mustNot(t, err, "list")
		if !slices.Equal(followerIDs(left), []string{"https://kept.example/d"}) {
			t.Errorf("left %v", followerIDs(left))
		}
		n, err = s.DeleteFollowersByInbox(ctx, "https://nobody.example/inbox")
		if err != nil || n != 0 {
			t.Errorf("an unknown inbox: %d, %v", n, err)
		}
	})
	t.Run("recipients are the distinct delivery inboxes, sorted, peer when any follower is", func(t *testing.T) {
		s := open(t)
		mustSaveFollower(t, s, follower(bakery, "https://m.example/a", "https://m.example/a/inbox", "https://m.example/inbox", false, 1))
		mustSaveFollower(t, s, follower(directory.ActorNetwork, "https://m.example/b", "https://m.example/b/inbox", "https://m.example/inbox", true, 2))
		mustSaveFollower(t, s, follower(bakery, "https://b.example/c", "https://b.example/c/inbox", "", false, 3))
		mustSaveFollower(t, s, follower(directory.ActorNetwork, "https://b.example/c", "https://b.example/c/inbox", "", false, 4))
		mustSaveFollower(t, s, follower(directory.ActorNeeds, "https://other.example/d", "https://other.example/d/inbox", "", true, 5))
		got, err := s.FollowerRecipients(ctx, []string{bakery, directory.ActorNetwork})
		mustNot(t, err, "recipients")
		want := []directory.Recipient{{Inbox: "https://b.example/c/inbox"}, {Inbox: "https://m.example/inbox", Peer: true}}
		if !slices.Equal(got, want) {
			t.Errorf("recipients = %+v, want %+v", got, want)
		}
		got, err = s.FollowerRecipients(ctx, []string{bakery})
		mustNot(t, err, "recipients of one actor")
		if want := []directory.Recipient{{Inbox: "https://b.example/c/inbox"}, {Inbox: "https://m.example/inbox"}}; !slices.Equal(got, want) {
			t.Errorf("recipients of bakery = %+v, want %+v", got, want)
		}
		for _, actors := range [][]string{nil, {directory.ActorOffers}} {
			got, err := s.FollowerRecipients(ctx, actors)
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("recipients of %v = %v, %v; want none", actors, got, err)
			}
		}
	})
}

func following(actor, target string, state directory.FollowState, minute int) *directory.Following {
	return &directory.Following{Actor: actor, TargetID: target, Account: "someone@" + target[8:], Name: "Someone",
		URL: target + "/profile", Inbox: target + "/inbox", FollowID: "https://here.example/follows/" + actor + "/" + target,
		State: state, CreatedAt: at(minute), UpdatedAt: at(minute)}
}

func mustCreateFollowing(t *testing.T, s directory.Store, f *directory.Following) *directory.Following {
	t.Helper()
	mustNot(t, s.CreateFollowing(ctx, f), "create following "+f.TargetID)
	if f.ID == 0 {
		t.Fatal("create following left ID 0")
	}
	return f
}

func followingTargets(fs []*directory.Following) []string {
	out := []string{}
	for _, f := range fs {
		out = append(out, f.TargetID)
	}
	return out
}

func testFollowing(t *testing.T, open opener) {
	bakery := directory.EnterpriseActorKey("bakery")
	t.Run("creates a follow, finds it by id and by Follow id, lists newest first", func(t *testing.T) {
		s := open(t)
		old := mustCreateFollowing(t, s, following(bakery, "https://a.example/old", directory.FollowAccepted, 1))
		recent := mustCreateFollowing(t, s, following(bakery, "https://a.example/new", directory.FollowPending, 2))
		mustCreateFollowing(t, s, following(directory.ActorInstance, "https://a.example/other", directory.FollowPending, 3))
		got, err := s.FindFollowing(ctx, old.ID)
		mustNot(t, err, "find")
		assertSame(t, "following", got, old)
		got, err = s.FindFollowingByFollowID(ctx, recent.FollowID)
		mustNot(t, err, "find by follow id")
		assertSame(t, "following by follow id", got, recent)
		list, err := s.ListFollowing(ctx, bakery)
		mustNot(t, err, "list")
		if targets := followingTargets(list); !slices.Equal(targets, []string{recent.TargetID, old.TargetID}) {
			t.Errorf("following = %v", targets)
		}
		list, err = s.ListFollowing(ctx, directory.ActorNeeds)
		if err != nil || list == nil || len(list) != 0 {
			t.Errorf("an actor following nobody: %v, %v", list, err)
		}
	})
	t.Run("following a target twice, or reusing a Follow id, is a conflict", func(t *testing.T) {
		s := open(t)
		first := mustCreateFollowing(t, s, following(bakery, "https://a.example/x", directory.FollowPending, 1))
		again := following(bakery, first.TargetID, directory.FollowPending, 2)
		again.FollowID = "https://here.example/follows/2"
		wantCode(t, s.CreateFollowing(ctx, again), directory.ECONFLICT)
		reused := following(bakery, "https://a.example/y", directory.FollowPending, 3)
		reused.FollowID = first.FollowID
		wantCode(t, s.CreateFollowing(ctx, reused), directory.ECONFLICT)
		// Another of our actors may follow the same target.
		mustCreateFollowing(t, s, following(directory.ActorInstance, first.TargetID, directory.FollowPending, 4))
	})
	t.Run("state changes move the count and the accepted follows of a target", func(t *testing.T) {
		s := open(t)
		target := "https://a.example/t"
		a := mustCreateFollowing(t, s, following(bakery, target, directory.FollowPending, 1))
		b := mustCreateFollowing(t, s, following(directory.ActorInstance, target, directory.FollowAccepted, 2))
		mustCreateFollowing(t, s, following(bakery, "https://a.example/u", directory.FollowRejected, 3))
		n, err := s.CountFollowing(ctx, bakery)
		mustNot(t, err, "count")
		of, err := s.FollowingOf(ctx, target)
		mustNot(t, err, "following of")
		if n != 0 || len(of) != 1 || of[0].ID != b.ID {
			t.Fatalf("before accepting: count %d, following of %v", n, followingTargets(of))
		}
		mustNot(t, s.SetFollowingState(ctx, a.ID, directory.FollowAccepted, at(10)), "accept")
		got, err := s.FindFollowing(ctx, a.ID)
		mustNot(t, err, "find")
		if got.State != directory.FollowAccepted || !got.UpdatedAt.Equal(at(10)) || !got.CreatedAt.Equal(at(1)) {
			t.Errorf("accepted follow = %s", show(got))
		}
		n, _ = s.CountFollowing(ctx, bakery)
		of, _ = s.FollowingOf(ctx, target)
		if n != 1 || len(of) != 2 {
			t.Errorf("after accepting: count %d, %d follows of the target", n, len(of))
		}
		of, err = s.FollowingOf(ctx, "https://nobody.example")
		if err != nil || of == nil || len(of) != 0 {
			t.Errorf("follows of an unknown target: %v, %v", of, err)
		}
	})
	t.Run("refuses an unknown state", func(t *testing.T) {
		s := open(t)
		wantCode(t, s.CreateFollowing(ctx, following(bakery, "https://a.example/x", "friends", 1)), directory.EINVALID)
		f := mustCreateFollowing(t, s, following(bakery, "https://a.example/x", directory.FollowPending, 1))
		wantCode(t, s.SetFollowingState(ctx, f.ID, "", at(2)), directory.EINVALID)
	})
	t.Run("deletes a follow; unknown ids are not found", func(t *testing.T) {
		s := open(t)
		f := mustCreateFollowing(t, s, following(bakery, "https://a.example/x", directory.FollowPending, 1))
		mustNot(t, s.DeleteFollowing(ctx, f.ID), "delete")
		wantCode(t, s.DeleteFollowing(ctx, f.ID), directory.ENOTFOUND)
		_, err := s.FindFollowing(ctx, f.ID)
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindFollowingByFollowID(ctx, f.FollowID)
		wantCode(t, err, directory.ENOTFOUND)
		wantCode(t, s.SetFollowingState(ctx, f.ID, directory.FollowAccepted, at(2)), directory.ENOTFOUND)
	})
}
