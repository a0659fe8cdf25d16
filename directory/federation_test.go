package directory_test

import (
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestCheckFollowState(t *testing.T) {
	for _, s := range []directory.FollowState{directory.FollowPending, directory.FollowAccepted, directory.FollowRejected} {
		if err := directory.CheckFollowState(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	for _, s := range []directory.FollowState{"", "Accepted", "blocked"} {
		if code := directory.ErrorCode(directory.CheckFollowState(s)); code != directory.EINVALID {
			t.Errorf("%q: code %q, want %q", s, code, directory.EINVALID)
		}
	}
}

func TestDeliveryHostFailed(t *testing.T) {
	// No pause before the host is unavailable: this is about the count.
	p := directory.DeliveryPolicy{PauseAfter: 100, Pause: time.Minute, MaxPause: time.Hour, UnavailableAfter: 3, UnavailableSpan: time.Hour}
	start := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
	h := &directory.DeliveryHost{Host: "far.example"}
	h.Failed(start, p)
	if h.Failures != 1 || !h.FirstFailure.Equal(start.Truncate(time.Microsecond)) ||
		h.FirstFailure.Location() != time.UTC || h.Unavailable {
		t.Fatalf("after a first failure: %+v", h)
	}
	h.Failed(start.Add(2*time.Hour), p)
	if h.Failures != 2 || h.Unavailable {
		t.Fatalf("two failures over two hours (three are needed): %+v", h)
	}
	h.Failed(start.Add(3*time.Hour), p)
	if h.Failures != 3 || !h.Unavailable || !h.FirstFailure.Equal(start.Truncate(time.Microsecond)) {
		t.Fatalf("three failures over three hours: %+v", h)
	}

	quick := &directory.DeliveryHost{Host: "near.example"}
	for i := range 5 {
		quick.Failed(start.Add(time.Duration(i)*time.Minute), p)
	}
	if quick.Failures != 5 || quick.Unavailable {
		t.Errorf("five failures within minutes (an hour is needed): %+v", quick)
	}
}

func TestDeliveryHostPauses(t *testing.T) {
	p := directory.DeliveryPolicy{PauseAfter: 2, Pause: time.Minute, MaxPause: 5 * time.Minute,
		UnavailableAfter: 100, UnavailableSpan: 48 * time.Hour}
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	minute := func(n int) time.Time { return start.Add(time.Duration(n) * time.Minute) }
	h := &directory.DeliveryHost{Host: "dead.example"}
	h.Failed(minute(0), p)
	if h.Paused() {
		t.Fatalf("paused after one failure: %+v", h)
	}
	h.Failed(minute(0), p)
	if !h.Paused() || !h.PausedUntil.Equal(minute(1)) || h.Pauses != 1 {
		t.Fatalf("after two failures: %+v, want paused a minute", h)
	}
	// Each failed probe doubles the pause, up to the longest.
	for i, want := range []int{2, 4, 5, 5} {
		at := h.PausedUntil
		if !h.ClaimProbe(at, at.Add(time.Second)) {
			t.Fatalf("no probe at the end of pause %d", i+1)
		}
		h.Failed(at, p)
		if got := h.PausedUntil.Sub(at); got != time.Duration(want)*time.Minute || !h.ProbeUntil.IsZero() {
			t.Errorf("pause %d: %v (probe %v), want %d min", i+2, got, h.ProbeUntil, want)
		}
	}

	// A host that becomes unavailable waits the longest pause for its
	// probe, and so does every later probe.
	gone := &directory.DeliveryHost{Host: "gone.example"}
	q := p
	q.PauseAfter, q.UnavailableAfter, q.UnavailableSpan = 100, 2, time.Hour
	gone.Failed(minute(0), q)
	gone.Failed(minute(60), q)
	if !gone.Unavailable || !gone.PausedUntil.Equal(minute(65)) {
		t.Fatalf("unavailable host: %+v, want paused until %v", gone, minute(65))
	}
	if !gone.ClaimProbe(minute(65), minute(66)) {
		t.Fatal("no probe for an unavailable host")
	}
	gone.Failed(minute(65), q)
	if !gone.PausedUntil.Equal(minute(70)) {
		t.Errorf("unavailable host after a failed probe: paused until %v, want %v", gone.PausedUntil, minute(70))
	}

	// A record from before pauses existed: unavailable, never paused. Its
	// first delivery is the probe.
	old := &directory.DeliveryHost{Host: "old.example", Failures: 12, FirstFailure: minute(-3000), LastFailure: minute(-10), Unavailable: true}
	if !old.Paused() || !old.ClaimProbe(minute(0), minute(1)) || old.ClaimProbe(minute(0), minute(1)) {
		t.Errorf("an unavailable host of before: %+v, want one probe at once", old)
	}
}
