package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

// Importing from a Murmurations index (Admin > Murmurations) runs as a
// chain of durable jobs: each reads one page of the index's nodes,
// fetches their profiles, stores the entries and queues the next page
// with the report so far, so that every job ends well within the time a
// job may run (a long import would otherwise be taken for a stuck one).
// Each job records the report so far as its output: the admin page reads
// the last job of each import.

// MurmurationsImportArgs is one step (page) of an import.
type MurmurationsImportArgs struct {
	// ID names the import: the steps of one import share it.
	ID     string              `json:"id"`
	Query  murmurations.Query  `json:"query"`
	Page   int                 `json:"page"`
	Report murmurations.Report `json:"report"`
}

// Kind names the job type in the queue.
func (MurmurationsImportArgs) Kind() string { return "coopdir_murmurations_import" }

// murmurationsImportPage is how many nodes one step reads: with the
// profile timeout below, a step that waits for every one of them still
// ends within a job's time.
const (
	murmurationsImportPage    = 10
	murmurationsImportTimeout = 2 * time.Second
	murmurationsImportTries   = 3
)

// MurmurationsHTTP is the client for Murmurations indexes and profiles:
// it refuses internal addresses (unless AllowPrivate) and checks every
// redirect as fetches do; the caller caps bodies and times requests.
func (c *Client) MurmurationsHTTP() *http.Client { return c.fetch }

type murmurationsImportWorker struct {
	river.WorkerDefaults[MurmurationsImportArgs]
	c *core
}

// Timeout is a step's requests and some slack.
func (w *murmurationsImportWorker) Timeout(*river.Job[MurmurationsImportArgs]) time.Duration {
	return w.c.opt.Client.opt.TotalTimeout + jobSlack
}

// Work runs one step and queues the next.
func (w *murmurationsImportWorker) Work(ctx context.Context, job *river.Job[MurmurationsImportArgs]) error {
	args := job.Args
	im := murmurations.Importer{HTTP: w.c.opt.Client.MurmurationsHTTP(), Timeout: murmurationsImportTimeout,
		PageSize: murmurationsImportPage, Now: w.c.now}
	rep := args.Report
	more, err := im.Step(directory.AsSystem(ctx), args.Query, args.Page, &rep, w.c.opt.Service)
	if err != nil {
		return err
	}
	if err := river.RecordOutput(ctx, rep); err != nil {
		return err
	}
	if !more {
		return nil
	}
	next := MurmurationsImportArgs{ID: args.ID, Query: args.Query, Page: args.Page + 1, Report: rep}
	_, err = w.c.jobs.Insert(ctx, next, &river.InsertOpts{MaxAttempts: murmurationsImportTries})
	return err
}

// StartMurmurationsImport queues an import of the profiles of q from the
// index at indexURL and returns its id. Admins only; EINVALID for a bad
// address or query.
func (n *Node) StartMurmurationsImport(ctx context.Context, indexURL string, q murmurations.Query) (string, error) {
	if err := n.opt.Service.RequireAdmin(ctx); err != nil {
		return "", err
	}
	rep, err := murmurations.PrepareImport(indexURL, &q)
	if err != nil {
		return "", err
	}
	id := fmt.Sprintf("%d", n.now().UnixNano())
	args := MurmurationsImportArgs{ID: id, Query: q, Page: 1, Report: *rep}
	_, err = n.jobs.Insert(ctx, args, &river.InsertOpts{MaxAttempts: murmurationsImportTries})
	return id, err
}

// murmurationsImportJobs bounds the jobs MurmurationsImports reads.
const murmurationsImportJobs = 500

// MurmurationsImports lists the imports the queue still has jobs of
// (River deletes finished jobs after a day), newest first.
func (n *Node) MurmurationsImports(ctx context.Context) ([]murmurations.ImportRun, error) {
	return lastJobs(ctx, n, MurmurationsImportArgs{}.Kind(), murmurationsImportJobs,
		func(a MurmurationsImportArgs) string { return a.ID }, importState)
}

// importState reads the last job of an import.
func importState(j *rivertype.JobRow, args MurmurationsImportArgs) murmurations.ImportRun {
	im := murmurations.ImportRun{ID: args.ID, Query: args.Query, State: murmurations.RunRunning, Report: args.Report, At: j.CreatedAt}
	if out := j.Output(); len(out) > 0 {
		var rep murmurations.Report
		if json.Unmarshal(out, &rep) == nil {
			im.Report = rep
		}
	}
	switch j.State {
	case rivertype.JobStateCompleted:
		if im.Report.Done {
			im.State = murmurations.RunDone
		}
		if j.FinalizedAt != nil {
			im.At = *j.FinalizedAt
		}
	case rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
		im.State = murmurations.RunFailing
	}
	if len(j.Errors) > 0 && im.State != murmurations.RunDone {
		last := j.Errors[len(j.Errors)-1]
		im.Error, im.At = last.Error, last.At
	}
	return im
}
