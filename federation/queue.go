package federation

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
)

// The durable job queue is River (riverqueue.com), in the same database as
// the directory: deliveries survive restarts and crashes, retries are
// scheduled in the database, and several processes sharing one PostgreSQL
// database share the work.

// jobClient is what we use of a river.Client, whatever its driver.
type jobClient interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
	Insert(ctx context.Context, args river.JobArgs, opts *river.InsertOpts) (*rivertype.JobInsertResult, error)
	InsertMany(ctx context.Context, params []river.InsertManyParams) ([]*rivertype.JobInsertResult, error)
	JobList(ctx context.Context, params *river.JobListParams) (*river.JobListResult, error)
	JobUpdate(ctx context.Context, id int64, params *river.JobUpdateParams) (*rivertype.JobRow, error)
}

// queueConfig configures the River client.
type queueConfig struct {
	workers      *river.Workers
	periodic     []*river.PeriodicJob
	concurrency  int
	pollInterval time.Duration
	rescueAfter  time.Duration
	jobTimeout   time.Duration // at most rescueAfter
	logger       *slog.Logger
}

// MigrateQueue creates or upgrades River's tables in the database behind
// handle (a *sql.DB of SQLite or a *pgxpool.Pool, see storage.DB's
// QueueHandle).
func MigrateQueue(ctx context.Context, handle any) error {
	switch h := handle.(type) {
	case *sql.DB:
		return migrateQueue(ctx, riversqlite.New(h))
	case *pgxpool.Pool:
		return migrateQueue(ctx, riverpgxv5.New(h))
	}
	return fmt.Errorf("job queue: unsupported database handle %T", handle)
}

func migrateQueue[TTx any](ctx context.Context, driver riverdriver.Driver[TTx]) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// fetchCooldown is the least time between two fetches of due jobs. A fetch
// takes as many jobs as there are free workers; as deliveries end, the
// next fetch refills their slots. River's default (100 ms), or half the
// poll interval as before (500 ms), let at most one worker pool's worth of
// jobs start per cooldown: with 20 workers and a 500 ms cooldown, 40
// deliveries a second however fast the remote hosts answer.

const fetchCooldown = 5 * time.Millisecond

// newJobClient returns a River client over handle.
func newJobClient(handle any, c queueConfig) (jobClient, error) {
	cfg := &river.Config{
		Queues:               map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: c.concurrency}},
		Workers:              c.workers,
		PeriodicJobs:         c.periodic,
		FetchPollInterval:    c.pollInterval,
		FetchCooldown:        min(fetchCooldown, c.pollInterval),
		RescueStuckJobsAfter: c.rescueAfter,
		JobTimeout:           c.jobTimeout,
		Logger:               c.logger,
	}
	switch h := handle.(type) {
	case *sql.DB:
		// SQLite has no LISTEN/NOTIFY; River's SQLite driver keeps an
		// outbox table of notifications instead, which the client reads
		// every 50 ms, so that a job inserted is fetched at once. Polling
		// only (as before) left each new job waiting for the next fetch
		// poll (PollInterval, a second by default).
		return river.NewClient(riversqlite.New(h), cfg)
	case *pgxpool.Pool:
		return river.NewClient(riverpgxv5.New(h), cfg)
	}
	return nil, fmt.Errorf("job queue: unsupported database handle %T", handle)
}
