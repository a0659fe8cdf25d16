package federation

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"

	"github.com/coopdir/coopdir/directory/sqlite"
)

func TestRescuerTakesOnlyJobsLeftRunningPastTheirTime(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "coopdir.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := db.QueueHandle().(*sql.DB)
	if err := MigrateQueue(ctx, h); err != nil {
		t.Fatal(err)
	}
	// An insert-only client: nothing works the jobs.
	jobs, err := river.NewClient(riversqlite.New(h), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	// running inserts a job and leaves it as a dead process would: running
	// since ago, at attempt.
	running := func(args river.JobArgs, ago time.Duration, attempt int) int64 {
		t.Helper()
		res, err := jobs.Insert(ctx, args, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = ?, attempted_by = '["dead"]',
			attempted_at = strftime('%Y-%m-%d %H:%M:%f', 'now', ?) WHERE id = ?`,
			attempt, fmt.Sprintf("-%d seconds", int(ago.Seconds())), res.Job.ID)
		if err != nil {
			t.Fatal(err)
		}
		return res.Job.ID
	}
	deliver := func(inbox string) DeliverArgs {
		return DeliverArgs{Inbox: inbox, ActivityID: "https://coop.example/a/1", Actor: "network", Activity: []byte(`{}`)}
	}
	stuck := running(deliver("https://a.example/inbox"), 40*time.Second, 1)
	fresh := running(deliver("https://b.example/inbox"), 10*time.Second, 1)
	spent := running(deliver("https://c.example/inbox"), 40*time.Second, deliveryAttempts)
	backfillFresh := running(BackfillArgs{Partner: 1, Run: "r1"}, 40*time.Second, 1)
	backfillStuck := running(BackfillArgs{Partner: 2, Run: "r1"}, 90*time.Second, 1)
	sweep := running(SweepArgs{}, time.Hour, 1)

	r, err := newRescuer(h, map[string]time.Duration{
		DeliverArgs{}.Kind():  30 * time.Second,
		BackfillArgs{}.Kind(): time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	n, err := r.rescue(ctx, time.Now())
	if err != nil || n != 3 {
		t.Fatalf("rescued %d, %v; want 3", n, err)
	}
	want := map[int64]string{stuck: "available", fresh: "running", spent: "discarded",
		backfillFresh: "running", backfillStuck: "available", sweep: "running"}
	for id, state := range want {
		var got string
		var errs sql.NullString
		if err := h.QueryRowContext(ctx, `SELECT state, json(errors) FROM river_job WHERE id = ?`, id).Scan(&got, &errs); err != nil {
			t.Fatal(err)
		}
		if got != state {
			t.Errorf("job %d is %s, want %s", id, got, state)
		}
		if state != "running" && !errs.Valid {
			t.Errorf("job %d: no error recorded for its rescue", id)
		}
	}
	// A second process rescuing at the same time finds nothing left.
	if n, err := r.rescue(ctx, time.Now()); err != nil || n != 0 {
		t.Errorf("rescued again: %d, %v", n, err)
	}
}

func TestRetryAtRunsARescuedJobAtOnce(t *testing.T) {
	c := &core{opt: Options{RetryBase: time.Minute}, stuckAfter: map[string]time.Duration{DeliverArgs{}.Kind(): 30 * time.Second}}
	job := func(ago time.Duration) *rivertype.JobRow {
		at := time.Now().Add(-ago)
		return &rivertype.JobRow{Kind: DeliverArgs{}.Kind(), Attempt: 1, AttemptedAt: &at}
	}
	if d := time.Until(c.retryAt(job(2*time.Second), 0)); d < 50*time.Second {
		t.Errorf("a failed attempt is retried in %v, want the backoff (a minute)", d)
	}
	if d := time.Until(c.retryAt(job(time.Minute), 0)); d > time.Second {
		t.Errorf("a rescued job runs again in %v, want at once", d)
	}
}
