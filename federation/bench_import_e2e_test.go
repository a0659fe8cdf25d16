package federation_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// importLatenessGoal is how late a delivery of another actor may be while a
// bulk import is published (issue 13).
const importLatenessGoal = 5 * time.Second

// BenchmarkBulkImport measures whether a bulk import holds up federation:
// instance A imports N enterprises (COOPDIR_BENCH_IMPORT, default 1,500)
// through the Service's import path, in one call as `coopdir import` makes
// it, while one of its other enterprises, followed from instance B, posts
// an announcement every 250 ms. It reports the worst lateness of those
// deliveries: from the announcement's write (when CreateAnnouncement was
// called, as when an editor saves) until it is in the follower's feed at B,
// with the goal (5 s) beside it; and the two parts of it: the longest a
// write took (SQLite has one writer, which the import's transaction holds)
// and the longest from a write's return to the follower. It also reports
// how long the import call took and how long A's publisher took to get
// through the import's events after the import returned. Both engines;
// PostgreSQL needs DATABASE_URL.
func BenchmarkBulkImport(b *testing.B) {
	n := 1500
	if s := os.Getenv("COOPDIR_BENCH_IMPORT"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("COOPDIR_BENCH_IMPORT=%q is not a positive number", s)
		}
		n = v
	}
	for _, engine := range instancetest.Engines {
		b.Run(string(engine), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchBulkImport(b, engine, n)
			}
		})
	}
}

// announced is one announcement of the benchmark: when its write began and
// returned, and when the follower had it.
type announced struct {
	objectID           string
	began, written, in time.Time
}

func benchBulkImport(b *testing.B, engine instancetest.Engine, n int) {
	b.StopTimer()
	a := startInstance(b, "127.0.0.1:0", instancetest.DSN(b, engine))
	f := startInstance(b, "127.0.0.1:0", instancetest.DSN(b, engine))
	a.Enterprise("shakyhands", "Shaky Hands")
	f.Enterprise("flora", "Flora Cooperative")
	f.Follow("flora", a.Account("shakyhands"), directory.FollowAccepted)
	settled(b, a, f)
	rows := make([]directory.ImportRow, n)
	for i := range rows {
		rows[i] = directory.ImportRow{Line: i + 2, Enterprise: &directory.Enterprise{
			Handle: fmt.Sprintf("bulk%06d", i), Name: fmt.Sprintf("Bulk Cooperative %d", i),
			Kind: directory.KindWorkerCoop, Sectors: []string{"bakery"}, Summary: "We bake bread together."}}
	}
	ctx := directory.AsSystem(context.Background())

	var mu sync.Mutex
	var posts []*announced
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // the other enterprise posts while the import runs
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for i := 0; ; i++ {
			began := time.Now()
			ann := &directory.Announcement{Content: fmt.Sprintf("Bread is ready (%d)", i)}
			if err := a.Service().CreateAnnouncement(ctx, "shakyhands", ann); err != nil {
				b.Error(err)
				return
			}
			p := &announced{objectID: a.URLOf(fmt.Sprintf("/announcements/%d", ann.ID)), began: began, written: time.Now()}
			mu.Lock()
			posts = append(posts, p)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	received := func() (all bool) {
		feed, _, err := f.Database().ListFeed(context.Background(), directory.EnterpriseActorKey("flora"), directory.Page{Page: 1, PerPage: 100})
		if err != nil {
			b.Error(err)
			return false
		}
		now := time.Now()
		seen := map[string]bool{}
		for _, p := range feed {
			seen[p.ObjectID] = true
		}
		mu.Lock()
		defer mu.Unlock()
		all = true
		for _, p := range posts {
			if p.in.IsZero() && seen[p.objectID] {
				p.in = now
			}
			all = all && !p.in.IsZero()
		}
		return all
	}
	wg.Go(func() { // the follower's feed, read every 10 ms
		for {
			received()
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
	})

	b.StartTimer()
	began := time.Now()
	res, err := a.Service().ImportEnterprises(ctx, rows, directory.ImportOptions{})
	imported := time.Since(began)
	if err != nil || res.Created != n {
		b.Fatalf("import: %v (%+v)", err, res)
	}
	// The publisher is through the import when its cursor passes the last
	// event written so far.
	lastID := lastEvent(b, a)
	within(b, time.Hour, "A's publisher is through the import", func() bool {
		c, err := a.Database().Cursor(context.Background(), "publish")
		return err == nil && c >= lastID
	})
	drained := time.Since(began) - imported
	mu.Lock()
	want := len(posts) + 3 // a few announcements after the import is published
	mu.Unlock()
	within(b, time.Minute, "more announcements are written", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(posts) >= want
	})
	close(stop)
	wg.Wait()
	within(b, time.Hour, "the follower has every announcement", received)
	b.StopTimer()

	var worst, worstCommitted, worstWrite time.Duration
	for _, p := range posts {
		worst = max(worst, p.in.Sub(p.began))
		worstCommitted = max(worstCommitted, p.in.Sub(p.written))
		worstWrite = max(worstWrite, p.written.Sub(p.began))
	}
	b.ReportMetric(float64(n), "enterprises")
	b.ReportMetric(float64(len(posts)), "announcements")
	b.ReportMetric(imported.Seconds(), "import-s")
	b.ReportMetric(drained.Seconds(), "publish-after-import-s")
	b.ReportMetric(worstWrite.Seconds(), "worst-write-s")
	b.ReportMetric(worstCommitted.Seconds(), "worst-after-write-s")
	b.ReportMetric(worst.Seconds(), "worst-late-s")
	b.ReportMetric(importLatenessGoal.Seconds(), "goal-s")
}

// lastEvent is the id of the last domain event written at in.
func lastEvent(b *testing.B, in *coop) int64 {
	b.Helper()
	var last int64
	for {
		evs, err := in.Database().EventsAfter(context.Background(), last, 1000)
		if err != nil {
			b.Fatal(err)
		}
		if len(evs) == 0 {
			return last
		}
		last = evs[len(evs)-1].ID
	}
}
