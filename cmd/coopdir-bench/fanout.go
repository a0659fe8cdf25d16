package main

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The fan-out benchmark: one announcement of an enterprise whose followers
// are spread over the fleet, timed from the write until every healthy
// host's shared inbox has answered its POST.

// fanoutVariant is one fan-out run: which share of the hosts refuse
// connections and which are black-holed.
type fanoutVariant struct {
	id, name             string
	refusing, blackholed float64
	goal                 float64 // the most its time may be, against the clean run; 0: goalClean
}

var fanoutVariants = []fanoutVariant{
	{id: "clean", name: "clean"},
	{id: "refusing", name: "10% refusing + 5% black-holed", refusing: 0.10, blackholed: 0.05, goal: goalRefusing},
	{id: "blackholed", name: "30% black-holed", blackholed: 0.30, goal: goalBlackholed},
}

func (v fanoutVariant) goalText() string {
	if v.goal == 0 {
		return fmt.Sprintf("≤ %v", goalClean)
	}
	return fmt.Sprintf("≤ %.1f× clean", v.goal)
}

// fanoutResult is one fan-out run.
type fanoutResult struct {
	variant    fanoutVariant
	hosts      map[hostKind]int
	first      time.Duration // until the first POST was answered
	elapsed    time.Duration // until the last healthy inbox answered
	fastest    time.Duration // of the runs this one is the median of
	slowest    time.Duration
	posts      int64 // POSTs the healthy hosts answered by then and during shutdown
	duplicates int   // healthy inboxes with more than one POST
	cpu        time.Duration
	load       string
}

// met reports whether the run is within its goal, clean being the time of
// the clean run.
func (f *fanoutResult) met(clean time.Duration) bool {
	if f.variant.goal == 0 {
		return f.elapsed <= goalClean
	}
	return clean > 0 && f.elapsed.Seconds() <= f.variant.goal*clean.Seconds()
}

// median is the run of median time, with the fastest and slowest times.
func median(runs []*fanoutResult) *fanoutResult {
	slices.SortFunc(runs, func(a, b *fanoutResult) int { return cmp.Compare(a.elapsed, b.elapsed) })
	m := runs[len(runs)/2]
	m.fastest, m.slowest = runs[0].elapsed, runs[len(runs)-1].elapsed
	return m
}

// benchFanout runs one variant on a fresh database and instance.
func benchFanout(ctx context.Context, c config, engine, mainDSN string, v fanoutVariant, run int) (*fanoutResult, error) {
	d := c.delivery
	f, err := newFleet(kinds(d.hosts, v.refusing, v.blackholed), d.latency)
	if err != nil {
		return nil, err
	}
	defer f.close()
	in, err := startInstance(ctx, c, mainDSN, "fanout")
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			in.stop(ctx) //nolint:errcheck // the run failed already
		}
	}()
	const handle = "shakyhands"
	if err := in.enterprise(ctx, handle); err != nil {
		return nil, err
	}
	logf(engine, "fan-out %s: seeding %d followers on %d hosts", v.name, d.followers, d.hosts)
	if err := seedFollowers(ctx, in.Database(), f, directory.EnterpriseActorKey(handle), d.followers); err != nil {
		return nil, err
	}
	res := &fanoutResult{variant: v, hosts: f.countKinds()}
	// The run is done when the last healthy shared inbox has answered its
	// first POST.
	inboxes := min(d.hosts, d.followers)
	var remaining atomic.Int64
	for _, h := range f.hosts[:inboxes] {
		if h.kind == healthy {
			remaining.Add(1)
		}
	}
	done := make(chan struct{})
	var doneAt, firstAt time.Time
	var once, first sync.Once
	f.onPost = func(h *fakeHost, path string, _ []byte, n int) {
		first.Do(func() { firstAt = time.Now() })
		if path == "/inbox" && n == 1 && remaining.Add(-1) == 0 {
			once.Do(func() { doneAt = time.Now(); close(done) })
		}
	}
	stopProfile, err := profile(d, engine, fmt.Sprintf("fanout-%s-%d", v.id, run+1))
	if err != nil {
		return nil, err
	}
	res.load = loadAverage()
	start, cpu := time.Now(), cpuTime()
	a := &directory.Announcement{Content: "General assembly on Thursday: every member's voice counts."}
	if err := in.Service().CreateAnnouncement(directory.AsSystem(ctx), handle, a); err != nil {
		stopProfile()
		return nil, err
	}
	select {
	case <-done:
	case <-time.After(d.deadline):
		stopProfile()
		return nil, fmt.Errorf("%d of %d healthy inboxes still without the announcement after %v", remaining.Load(), res.hosts[healthy], d.deadline)
	}
	res.elapsed, res.first, res.cpu = doneAt.Sub(start), firstAt.Sub(start), cpuTime()-cpu
	stopProfile()
	// Let the requests to black-holed hosts end now, then shut down: a
	// duplicate would come from a delivery that ran twice, which the
	// shutdown (jobs end or are put back) shows as well.
	f.closeBlackholes()
	stopped = true
	if err := in.stop(ctx); err != nil {
		return nil, err
	}
	for _, h := range f.hosts {
		if h.kind != healthy {
			continue
		}
		n := h.count("/inbox")
		res.posts += int64(n)
		if n > 1 {
			res.duplicates++
		}
	}
	if u := f.unsignedPosts(); u > 0 {
		return nil, fmt.Errorf("%d POSTs came without a signature", u)
	}
	if other := f.posts.Load() - res.posts; other != 0 {
		return nil, fmt.Errorf("%d POSTs went elsewhere than the shared inboxes", other)
	}
	logf(engine, "fan-out %s: %d healthy inboxes in %v (the first answered after %v), %d POSTs, %d duplicates, CPU %v, load %s", v.name,
		res.hosts[healthy], res.elapsed.Round(time.Millisecond), res.first.Round(time.Millisecond), res.posts, res.duplicates, res.cpu.Round(time.Millisecond), res.load)
	return res, nil
}
