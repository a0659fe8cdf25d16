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
	start := time.Date(2026, 3, 1, 12, 0, 0, 123456789, time.FixedZone("CET", 3600))
	h := &directory.DeliveryHost{Host: "far.example"}
	h.Failed(start, 3, time.Hour)
	if h.Failures != 1 || !h.FirstFailure.Equal(start.Truncate(time.Microsecond)) ||
		h.FirstFailure.Location() != time.UTC || h.Unavailable {
		t.Fatalf("after a first failure: %+v", h)
	}
	h.Failed(start.Add(2*time.Hour), 3, time.Hour)
	if h.Failures != 2 || h.Unavailable {
		t.Fatalf("two failures over two hours (three are needed): %+v", h)
	}
	h.Failed(start.Add(3*time.Hour), 3, time.Hour)
	if h.Failures != 3 || !h.Unavailable || !h.FirstFailure.Equal(start.Truncate(time.Microsecond)) {
		t.Fatalf("three failures over three hours: %+v", h)
	}

	quick := &directory.DeliveryHost{Host: "near.example"}
	for i := range 5 {
		quick.Failed(start.Add(time.Duration(i)*time.Minute), 3, time.Hour)
	}
	if quick.Failures != 5 || quick.Unavailable {
		t.Errorf("five failures within minutes (an hour is needed): %+v", quick)
	}
}
