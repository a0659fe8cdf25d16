package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func testRemoteActors(t *testing.T, open opener) {
	actor := func(id, keyID string, minute int) *directory.RemoteActor {
		return &directory.RemoteActor{ID: id, Type: "Person", Username: "ann", Name: "Ann", URL: id + "/profile",
			Inbox: id + "/inbox", SharedInbox: "https://a.example/inbox", KeyID: keyID,
			PublicKeyPEM: "-----BEGIN PUBLIC KEY-----\n" + keyID + "\n-----END PUBLIC KEY-----\n", FetchedAt: at(minute)}
	}
	t.Run("finds an actor by id and by key id, replaced when saved again", func(t *testing.T) {
		s := open(t)
		a := actor("https://a.example/ann", "https://a.example/ann#main-key", 1)
		mustNot(t, s.SaveRemoteActor(ctx, a), "save")
		got, err := s.FindRemoteActor(ctx, a.ID)
		mustNot(t, err, "find")
		assertSame(t, "actor", got, a)
		newer := actor(a.ID, "https://a.example/ann#key-2", 5)
		newer.Type, newer.Name, newer.SharedInbox, newer.Peer = "Organization", "Ann's", "", true
		mustNot(t, s.SaveRemoteActor(ctx, newer), "save again")
		got, err = s.FindRemoteActorByKey(ctx, newer.KeyID)
		mustNot(t, err, "find by key")
		assertSame(t, "replaced actor", got, newer)
		_, err = s.FindRemoteActorByKey(ctx, a.KeyID)
		wantCode(t, err, directory.ENOTFOUND)
	})
	t.Run("unknown actors and keys are not found", func(t *testing.T) {
		s := open(t)
		mustNot(t, s.SaveRemoteActor(ctx, actor("https://a.example/keyless", "", 1)), "save")
		_, err := s.FindRemoteActor(ctx, "https://a.example/nobody")
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindRemoteActorByKey(ctx, "https://a.example/nobody#main-key")
		wantCode(t, err, directory.ENOTFOUND)
		_, err = s.FindRemoteActorByKey(ctx, "")
		wantCode(t, err, directory.ENOTFOUND)
	})
}

func testDeliveryHosts(t *testing.T, open opener) {
	// Pauses are out of the way of the first tests: they look at the
	// counts and at unavailability.
	giveUp := directory.DeliveryPolicy{PauseAfter: 100, Pause: time.Minute, MaxPause: 2 * time.Hour,
		UnavailableAfter: 3, UnavailableSpan: time.Hour}
	failWith := func(t *testing.T, s directory.Store, p directory.DeliveryPolicy, host string, minute int) *directory.DeliveryHost {
		t.Helper()
		h, err := s.DeliveryFailed(ctx, host, at(minute), p)
		mustNot(t, err, "delivery failed")
		return h
	}
	fail := func(t *testing.T, s directory.Store, host string, minute int) *directory.DeliveryHost {
		t.Helper()
		return failWith(t, s, giveUp, host, minute)
	}
	t.Run("a host never seen has a zero record", func(t *testing.T) {
		s := open(t)
		h, err := s.FindDeliveryHost(ctx, "new.example")
		mustNot(t, err, "find")
		assertSame(t, "new host", h, &directory.DeliveryHost{Host: "new.example"})
		hosts, err := s.ListUnavailableHosts(ctx)
		if err != nil || hosts == nil || len(hosts) != 0 {
			t.Errorf("unavailable hosts of a new store: %v, %v", hosts, err)
		}
	})
	t.Run("a host is unavailable after enough failures over enough time", func(t *testing.T) {
		s := open(t)
		want := &directory.DeliveryHost{Host: "down.example", Failures: 1, FirstFailure: at(0), LastFailure: at(0)}
		assertSame(t, "first failure", fail(t, s, "down.example", 0), want)
		fail(t, s, "down.example", 10)
		// Three failures, but within 20 minutes: still available.
		want.Failures, want.LastFailure = 3, at(20)
		assertSame(t, "third failure", fail(t, s, "down.example", 20), want)
		// Unavailable, it is paused for the longest pause: then a probe.
		want.Failures, want.LastFailure, want.Unavailable, want.PausedUntil = 4, at(60), true, at(180)
		assertSame(t, "failure an hour later", fail(t, s, "down.example", 60), want)
		got, err := s.FindDeliveryHost(ctx, "down.example")
		mustNot(t, err, "find")
		assertSame(t, "stored record", got, want)
		// Many failures in a short time are not enough either.
		for i := range 5 {
			fail(t, s, "flaky.example", i)
		}
		fail(t, s, "b-down.example", 0)
		fail(t, s, "b-down.example", 1)
		fail(t, s, "b-down.example", 90)
		hosts, err := s.ListUnavailableHosts(ctx)
		mustNot(t, err, "list")
		var names []string
		for _, h := range hosts {
			names = append(names, h.Host)
		}
		if !slices.Equal(names, []string{"b-down.example", "down.example"}) {
			t.Errorf("unavailable hosts = %v", names)
		}
	})
	t.Run("a host that keeps failing is paused, probed, and paused twice as long when the probe fails", func(t *testing.T) {
		s := open(t)
		p := directory.DeliveryPolicy{PauseAfter: 3, Pause: 10 * time.Minute, MaxPause: 30 * time.Minute,
			UnavailableAfter: 100, UnavailableSpan: 24 * time.Hour}
		claim := func(minute int, until int) (*directory.DeliveryHost, bool) {
			t.Helper()
			h, ok, err := s.ClaimDeliveryProbe(ctx, "dead.example", at(minute), at(until))
			mustNot(t, err, "claim probe")
			return h, ok
		}
		if h, ok := claim(0, 1); ok || h.Failures != 0 {
			t.Fatalf("a host that never failed gave a probe: %+v", h)
		}
		failWith(t, s, p, "dead.example", 0)
		failWith(t, s, p, "dead.example", 1)
		if _, ok := claim(1, 2); ok {
			t.Fatal("a host that is not paused gave a probe")
		}
		want := &directory.DeliveryHost{Host: "dead.example", Failures: 3, FirstFailure: at(0), LastFailure: at(2),
			Pauses: 1, PausedUntil: at(12)}
		assertSame(t, "third failure", failWith(t, s, p, "dead.example", 2), want)
		// A delivery that was under way fails during the pause: counted only.
		want.Failures, want.LastFailure = 4, at(3)
		assertSame(t, "failure during the pause", failWith(t, s, p, "dead.example", 3), want)
		if h, ok := claim(11, 14); ok {
			t.Errorf("a probe before the pause ended: %+v", h)
		}
		h, ok := claim(12, 14)
		want.ProbeUntil = at(14)
		if !ok {
			t.Fatal("no probe when the pause ended")
		}
		assertSame(t, "claimed probe", h, want)
		if _, ok := claim(13, 15); ok {
			t.Error("a second probe while the first holds its lease")
		}
		// The probe fails: twice as long, and no probe under way.
		want.Failures, want.LastFailure, want.Pauses, want.PausedUntil, want.ProbeUntil = 5, at(13), 2, at(33), time.Time{}
		assertSame(t, "failed probe", failWith(t, s, p, "dead.example", 13), want)
		// A probe whose process died: its lease ends and another may go.
		if _, ok := claim(33, 35); !ok {
			t.Fatal("no probe after the second pause")
		}
		if _, ok := claim(36, 38); !ok {
			t.Fatal("no new probe once the lease of the first ended")
		}
		// The pause is capped.
		want.Failures, want.LastFailure, want.Pauses, want.PausedUntil = 6, at(37), 3, at(67)
		assertSame(t, "capped pause", failWith(t, s, p, "dead.example", 37), want)
		got, err := s.FindDeliveryHost(ctx, "dead.example")
		mustNot(t, err, "find")
		assertSame(t, "stored record", got, want)
		// An answer resumes it.
		mustNot(t, s.DeliverySucceeded(ctx, "dead.example"), "succeeded")
		got, err = s.FindDeliveryHost(ctx, "dead.example")
		mustNot(t, err, "find")
		assertSame(t, "resumed host", got, &directory.DeliveryHost{Host: "dead.example"})
	})
	t.Run("a failure long after the last starts a new run", func(t *testing.T) {
		s := open(t)
		fail(t, s, "rare.example", 0)
		fail(t, s, "rare.example", 1)
		day := int(directory.FailureMemory/time.Minute) + 2
		assertSame(t, "failure after a day", fail(t, s, "rare.example", day),
			&directory.DeliveryHost{Host: "rare.example", Failures: 1, FirstFailure: at(day), LastFailure: at(day)})
	})
	t.Run("a success clears the failures, and the next run starts afresh", func(t *testing.T) {
		s := open(t)
		for _, minute := range []int{0, 30, 60} {
			fail(t, s, "back.example", minute)
		}
		mustNot(t, s.DeliverySucceeded(ctx, "back.example"), "succeeded")
		mustNot(t, s.DeliverySucceeded(ctx, "never-failed.example"), "succeeded for a host never seen")
		h, err := s.FindDeliveryHost(ctx, "back.example")
		mustNot(t, err, "find")
		assertSame(t, "cleared host", h, &directory.DeliveryHost{Host: "back.example"})
		if hosts, _ := s.ListUnavailableHosts(ctx); len(hosts) != 0 {
			t.Errorf("still unavailable: %s", show(hosts))
		}
		assertSame(t, "next failure", fail(t, s, "back.example", 100),
			&directory.DeliveryHost{Host: "back.example", Failures: 1, FirstFailure: at(100), LastFailure: at(100)})
	})
}

func testCursors(t *testing.T, open opener) {
	t.Run("a cursor reads 0 until saved, then its last value", func(t *testing.T) {
		s := open(t)
		v, err := s.Cursor(ctx, "publish")
		if err != nil || v != 0 {
			t.Fatalf("new cursor = %d, %v", v, err)
		}
		mustNot(t, s.SetCursor(ctx, "publish", 7), "set")
		mustNot(t, s.SetCursor(ctx, "publish", 42), "set again")
		mustNot(t, s.SetCursor(ctx, "sweep", 3), "set another")
		// Two publishers may race: the cursor never moves back.
		mustNot(t, s.SetCursor(ctx, "publish", 12), "set lower")
		if v, err := s.Cursor(ctx, "publish"); err != nil || v != 42 {
			t.Errorf("publish = %d, %v; want 42", v, err)
		}
		if v, err := s.Cursor(ctx, "sweep"); err != nil || v != 3 {
			t.Errorf("sweep = %d, %v; want 3", v, err)
		}
	})
}

func testRecordEvent(t *testing.T, open opener) {
	t.Run("records an actor event among the others, with its id", func(t *testing.T) {
		s := open(t)
		mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		last := lastEventID(t, s)
		ev := &directory.Event{Type: directory.EventActorUpdated, Actor: directory.EnterpriseActorKey("bakery"), At: at(3)}
		mustNot(t, s.RecordEvent(ctx, ev), "record")
		if ev.ID <= last {
			t.Fatalf("event id %d, after %d", ev.ID, last)
		}
		got := eventsSince(t, s, last)
		if len(got) != 1 {
			t.Fatalf("events %+v", got)
		}
		assertSame(t, "event", &got[0], ev)
		if evs := eventsSince(t, s, 0); evs[0].Actor != "" {
			t.Errorf("an enterprise event has actor %q", evs[0].Actor)
		}
	})
}

func testListingsExpiring(t *testing.T, open opener) {
	t.Run("returns the open local listings ending in the window, oldest first", func(t *testing.T) {
		s := open(t)
		e := mustCreateEnterprise(t, s, newEnterprise("bakery", "Bakery"))
		partner := newEnterprise("mill", "Mill")
		partner.Origin = "partner.example"
		mustCreateEnterprise(t, s, partner)
		add := func(e *directory.Enterprise, title, until string, status directory.Status) *directory.Listing {
			l := newListing(e, directory.Offer, title)
			l.ValidUntil, l.Status = until, status
			return mustCreateListing(t, s, l)
		}
		add(e, "on the day before", "2026-03-01", directory.StatusOpen)
		last := add(e, "last day", "2026-03-05", directory.StatusOpen)
		first := add(e, "first day", "2026-03-02", directory.StatusOpen)
		add(e, "after", "2026-03-06", directory.StatusOpen)
		add(e, "open-ended", "", directory.StatusOpen)
		add(e, "done", "2026-03-03", directory.StatusFulfilled)
		add(partner, "partner's", "2026-03-03", directory.StatusOpen)
		got, err := s.ListingsExpiring(ctx, "2026-03-01", "2026-03-05")
		mustNot(t, err, "listings expiring")
		if len(got) != 2 {
			t.Fatalf("listings %s", show(got))
		}
		first.EnterpriseHandle, first.EnterpriseName = "bakery", "Bakery"
		assertSame(t, "first to expire", got[0], first)
		if got[1].ID != last.ID {
			t.Errorf("second listing %q, want %q", got[1].Title, last.Title)
		}
		got, err = s.ListingsExpiring(ctx, "2026-03-06", "2026-03-10")
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("an empty window: %v, %v", got, err)
		}
	})
	t.Run("refuses days that are not YYYY-MM-DD", func(t *testing.T) {
		s := open(t)
		for _, days := range [][2]string{{"yesterday", "2026-03-05"}, {"2026-03-01", ""}, {"2026-3-1", "2026-03-05"}} {
			_, err := s.ListingsExpiring(ctx, days[0], days[1])
			wantCode(t, err, directory.EINVALID)
		}
	})
}
