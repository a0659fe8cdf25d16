package federation_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// A process that dies (kill -9) leaves the jobs it was running marked
// running. Here the instance is stopped, its database is given such jobs
// (taken at the moment of the restart, the worst case), and it starts
// again: they run within a minute. cmd/coopdir's TestKillDuringFanOut
// kills a real serve.

func TestRescueSQLite(t *testing.T)   { testRescue(t, instancetest.SQLite) }
func TestRescuePostgres(t *testing.T) { testRescue(t, instancetest.Postgres) }

func testRescue(t *testing.T, engine instancetest.Engine) {
	// The default timeouts, as in production: not instancetest.Fast's.
	production := func(c *instance.Config) { c.Federation.RescueAfter = 0 }
	a := startInstance(t, "127.0.0.1:0", instancetest.DSN(t, engine), production)
	b := startInstance(t, "127.0.0.1:0", instancetest.DSN(t, engine))
	b.addEnterprise("mketools", "Milwaukee Tool Library", directory.KindToolLibrary, milwaukee)
	b.addEnterprise("shakyhands", "Shaky Hands", directory.KindWorkerCoop, milwaukee)
	p := partnerWith(t, a, b, directory.Scope{})
	bHost := b.Host()
	inbox := newInboxRecorder(t)
	inbox.listen(t, "127.0.0.1:0")
	activity := a.URLOf("/network/activities/rescued")

	a.Stop()
	ctx := context.Background()
	db, err := instance.OpenDatabase(ctx, a.Config().Database)
	if err != nil {
		t.Fatal(err)
	}
	// B's copies are gone and the backfill stands at its first page, as
	// if the run had just started when the process died.
	if _, err := db.PurgeOrigin(sys, bHost); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ChangePartner(sys, p.ID, func(p *directory.Partner) error {
		p.Backfill = directory.Backfill{Next: b.URLOf(federation.DirectoryEnterprisesPath) + "?after=0", At: time.Now().Add(-time.Minute)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"@context": "https://www.w3.org/ns/activitystreams", "id": activity,
		"type": "Announce", "actor": a.URLOf("/network"), "object": a.URLOf("/network")})
	leaveRunning(t, db.QueueHandle(), federation.BackfillArgs{Partner: p.ID, Run: "cut short"})
	leaveRunning(t, db.QueueHandle(), federation.DeliverArgs{Inbox: inbox.url() + "/inbox", ActivityID: activity,
		Actor: directory.ActorNetwork, Activity: body})
	db.Close()

	restarted := time.Now()
	a.Restart()
	within(t, time.Minute, "the delivery went out and the backfill finished", func() bool {
		p := a.partner(b)
		return inbox.inboxes() == 1 && p.Backfill.Done
	})
	t.Logf("both ran again %v after the restart", time.Since(restarted).Round(100*time.Millisecond))
	if got := a.copies(bHost); !slices.Equal(got, []string{"mketools", "shakyhands"}) {
		t.Errorf("copies after the rescued backfill: %v", got)
	}
	if n := inbox.total(); n != 1 {
		t.Errorf("the rescued delivery was POSTed %d times, want once", n)
	}
}

// leaveRunning queues args and marks the job as a process that died at
// once would have left it: running since now, at its first attempt.
func leaveRunning(t *testing.T, handle any, args river.JobArgs) {
	t.Helper()
	ctx := context.Background()
	switch h := handle.(type) {
	case *sql.DB:
		jobs, err := river.NewClient(riversqlite.New(h), &river.Config{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := jobs.Insert(ctx, args, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_by = '["dead"]',
			attempted_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE id = ?`, res.Job.ID)
		if err != nil {
			t.Fatal(err)
		}
	case *pgxpool.Pool:
		jobs, err := river.NewClient(riverpgxv5.New(h), &river.Config{})
		if err != nil {
			t.Fatal(err)
		}
		res, err := jobs.Insert(ctx, args, nil)
		if err != nil {
			t.Fatal(err)
		}
		_, err = h.Exec(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_by = ARRAY['dead'],
			attempted_at = now() WHERE id = $1`, res.Job.ID)
		if err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("queue handle %T", h)
	}
}
