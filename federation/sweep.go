package federation

import (
	"context"
	"strconv"
	"time"

	"github.com/riverqueue/river"
)

// The sweep runs periodically: it sends Delete for the listings that
// expired since the last sweep (expiry is the passing of a date, which no
// write records), forgets incoming activity ids old enough that no
// sender still retries them, and reads again the directories of partners
// last read a day ago (backfill.go, resyncPartners).

const (
	expiryCursor = "expiry"
	// activityMemory is how long incoming activity ids are remembered.
	activityMemory = 30 * 24 * time.Hour
	dayLayout      = "2006-01-02"
)

// SweepArgs is the periodic sweep job.
type SweepArgs struct{}

// Kind names the job type in the queue.
func (SweepArgs) Kind() string { return "coopdir_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	n *Publisher
}

func sweepJob(every time.Duration) *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(every),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil },
		&river.PeriodicJobOpts{RunOnStart: true})
}

// Timeout gives a sweep a minute, longer than a delivery: it may withdraw
// many listings at once. A sweep left running by a process that died is
// run again by River's rescuer (and the next sweep comes within the hour).
func (w *sweepWorker) Timeout(*river.Job[SweepArgs]) time.Duration { return time.Minute }

// Work runs one sweep.
func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	return w.n.Sweep(ctx)
}

// Sweep publishes the expiry of listings whose valid-until day has passed
// since the last sweep and forgets old activity ids. The first sweep of an
// instance only records the day: older expiries were never announced as
// such, and their listings left the directory long ago.
func (pub *Publisher) Sweep(ctx context.Context) error {
	now := pub.now()
	through := now.AddDate(0, 0, -1).Format(dayLayout)
	last, err := pub.store.Cursor(ctx, expiryCursor)
	if err != nil {
		return err
	}
	if last != 0 {
		after := dayOf(last)
		listings, err := pub.store.ListingsExpiring(ctx, after, through)
		if err != nil {
			return err
		}
		for _, l := range listings {
			at, _ := time.Parse(dayLayout, l.ValidUntil)
			if err := pub.publishListingDeleted(ctx, l.EnterpriseHandle, l.ID, at.Add(24*time.Hour)); err != nil {
				return err
			}
		}
	}
	if err := pub.store.SetCursor(ctx, expiryCursor, dayNumber(through)); err != nil {
		return err
	}
	if _, err = pub.store.PruneActivities(ctx, now.Add(-activityMemory)); err != nil {
		return err
	}
	return pub.partners.resyncPartners(ctx)
}

// dayNumber stores a YYYY-MM-DD day as the number YYYYMMDD.
func dayNumber(day string) int64 {
	t, _ := time.Parse(dayLayout, day)
	n, _ := strconv.ParseInt(t.Format("20060102"), 10, 64)
	return n
}

func dayOf(n int64) string {
	t, err := time.Parse("20060102", strconv.FormatInt(n, 10))
	if err != nil {
		return "0000-00-00"
	}
	return t.Format(dayLayout)
}
