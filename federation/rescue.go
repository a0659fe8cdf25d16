package federation

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivertype"
)

// A job is running in the queue from the moment a process takes it until
// that process records how it ended. When the process dies (kill -9, a
// power cut) the job stays running: River's own rescuer makes it due
// again once it has run longer than any run may (RescueAfter), but it
// looks only every 30 seconds, and only in the process elected leader,
// which after a crash waits for the dead leader's term to lapse. So each
// process rescues its deliveries and backfills itself, every
// rescueInterval: a job the crash cut short goes out again within
// RescueAfter plus rescueInterval of the moment it was taken.

const (
	// jobSlack is what a delivery job may take beside its POST (waiting
	// for a host slot, signing, recording the outcome), and a backfill
	// step beside reading a page (its step and storing the page).
	jobSlack = 10 * time.Second
	// rescueSlack is how long past its timeout a job that still shows
	// running is taken for one whose process died.
	rescueSlack = 5 * time.Second
	// rescueInterval is how often each process looks for such jobs.
	rescueInterval = 5 * time.Second
	// rescueBatch is how many stuck jobs one read takes.
	rescueBatch = 100
)

// rescuer makes the delivery and backfill jobs left running by a dead
// process due again.
type rescuer struct {
	exec riverdriver.Executor
	// after is, per job kind, how long a job must have been running to
	// count as stuck.
	after map[string]time.Duration
}

// newRescuer returns a rescuer over the queue behind handle.
func newRescuer(handle any, after map[string]time.Duration) (*rescuer, error) {
	r := &rescuer{after: after}
	switch h := handle.(type) {
	case *sql.DB:
		r.exec = riversqlite.New(h).GetExecutor()
	case *pgxpool.Pool:
		r.exec = riverpgxv5.New(h).GetExecutor()
	default:
		return nil, fmt.Errorf("job queue: unsupported database handle %T", handle)
	}
	return r, nil
}

// loop rescues at once, then every rescueInterval until ctx ends.
func (r *rescuer) loop(ctx context.Context, log func(error)) {
	t := time.NewTicker(rescueInterval)
	defer t.Stop()
	for {
		if _, err := r.rescue(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// rescue makes due again the jobs of r's kinds that have been running
// longer than their kind allows at now, and returns how many it rescued.
// A job with no attempt left is discarded, as River's rescuer does. The
// update only takes jobs still running since before the horizon, so two
// processes rescuing at once do no harm.
func (r *rescuer) rescue(ctx context.Context, now time.Time) (int, error) {
	shortest := time.Duration(0)
	for _, d := range r.after {
		if shortest == 0 || d < shortest {
			shortest = d
		}
	}
	horizon := now.Add(-shortest)
	rescued := 0
	var after int64
	for {
		jobs, err := r.exec.JobGetStuck(ctx, &riverdriver.JobGetStuckParams{AfterID: after, Max: rescueBatch, StuckHorizon: horizon})
		if err != nil {
			return rescued, fmt.Errorf("rescue stuck jobs: %w", err)
		}
		p := &riverdriver.JobRescueManyParams{StuckHorizon: horizon}
		for _, job := range jobs {
			after = job.ID
			if !r.stuck(job, now) {
				continue
			}
			e, err := json.Marshal(rivertype.AttemptError{At: now, Attempt: max(job.Attempt, 0),
				Error: "rescued: the process running it stopped before it ended"})
			if err != nil {
				return rescued, err
			}
			state, finalized := rivertype.JobStateAvailable, (*time.Time)(nil)
			if job.Attempt >= job.MaxAttempts {
				state, finalized = rivertype.JobStateDiscarded, &now
			}
			p.ID, p.Error, p.State = append(p.ID, job.ID), append(p.Error, e), append(p.State, string(state))
			p.FinalizedAt, p.ScheduledAt = append(p.FinalizedAt, finalized), append(p.ScheduledAt, now)
		}
		if len(p.ID) > 0 {
			if _, err := r.exec.JobRescueMany(ctx, p); err != nil {
				return rescued, fmt.Errorf("rescue stuck jobs: %w", err)
			}
			rescued += len(p.ID)
		}
		if len(jobs) < rescueBatch {
			return rescued, nil
		}
	}
}

// stuck reports whether job, running, has been so for longer than its
// kind allows at now.
func (r *rescuer) stuck(job *rivertype.JobRow, now time.Time) bool {
	d, ok := r.after[job.Kind]
	return ok && job.State == rivertype.JobStateRunning && job.AttemptedAt != nil && now.Sub(*job.AttemptedAt) >= d
}
