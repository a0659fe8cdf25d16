package federation_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
)

// TestFanOutInBatches posts an announcement to enough inboxes to go in a
// batch, over servers that answer each in its own way, and checks that the
// batch delivers once to each that accepts, hands the one that fails on to
// a retry of its own, drops the one that refuses and forgets the followers
// behind the one that is gone.
func TestFanOutInBatches(t *testing.T) {
	// instancetest.Fast rescues jobs after 3 s, which makes a delivery
	// attempt 1.5 s and leaves a batch 0.375 s to start its POSTs: on a
	// loaded machine the last ones did not start in time and were handed
	// on (rightly, see errNoTime), which is not what this test is about.
	// The default rescue gives a batch its full time.
	s := startInstance(t, "127.0.0.1:0", tempDB(t), func(c *instance.Config) { c.Federation.RescueAfter = 0 })
	s.Enterprise("shakyhands", "Shaky Hands")
	var mu sync.Mutex
	got := map[string]int{}
	answers := map[string]func(n int) int{
		"ok1": func(int) int { return http.StatusAccepted }, "ok2": func(int) int { return http.StatusAccepted },
		"ok3": func(int) int { return http.StatusOK }, "ok4": func(int) int { return http.StatusAccepted },
		"flaky": func(n int) int {
			if n == 1 {
				return http.StatusServiceUnavailable
			}
			return http.StatusAccepted
		},
		"refuses": func(int) int { return http.StatusForbidden },
		"gone":    func(int) int { return http.StatusGone },
	}
	ctx := context.Background()
	actor := directory.EnterpriseActorKey("shakyhands")
	for name, answer := range answers {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodPost || r.URL.Path != "/inbox" || r.Header.Get("Signature") == "" {
				http.Error(w, "unexpected", http.StatusBadRequest)
				return
			}
			mu.Lock()
			got[name]++
			n := got[name]
			mu.Unlock()
			w.WriteHeader(answer(n))
		}))
		t.Cleanup(srv.Close)
		for i := range 2 {
			id := fmt.Sprintf("%s/users/u%d", srv.URL, i)
			err := s.Database().SaveFollower(ctx, &directory.Follower{Actor: actor, FollowerID: id, Inbox: id + "/inbox",
				SharedInbox: srv.URL + "/inbox", FollowID: id + "/follow", CreatedAt: time.Now().UTC()})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Announce("shakyhands", "General assembly on Thursday")
	settled(t, s)
	mu.Lock()
	defer mu.Unlock()
	want := map[string]int{"ok1": 1, "ok2": 1, "ok3": 1, "ok4": 1, "flaky": 2, "refuses": 1, "gone": 1}
	for name, n := range want {
		if got[name] != n {
			t.Errorf("%s got %d POSTs, want %d", name, got[name], n)
		}
	}
	_, total, err := s.Database().ListFollowers(ctx, actor, directory.Page{PerPage: 1})
	if err != nil {
		t.Fatal(err)
	}
	if total != 2*(len(answers)-1) {
		t.Errorf("%d followers left, want %d: the two behind the inbox that is gone are removed", total, 2*(len(answers)-1))
	}
	// The seven inboxes went in one batch; only the one that failed was
	// handed on to a job of its own.
	if got := jobStates(t, s, federation.DeliverBatchArgs{}.Kind()); got["completed"] != 1 || len(got) != 1 {
		t.Errorf("batch jobs %v, want one completed", got)
	}
	if got := deliveryStates(t, s); got["completed"] != 1 || len(got) != 1 {
		t.Errorf("single delivery jobs %v, want one completed (the retry of the failed inbox)", got)
	}
}
