package federation

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/riverqueue/river"
)

// Fan-outs go in batches: an activity for many inboxes is queued as a few
// jobs of up to batchSize inboxes each instead of one job per inbox. A job
// costs database writes (its insert, its fetch, its completion: about 1 ms
// of SQLite's single writer each time), and on a fan-out to 1,000 inboxes
// those writes cost as much as the signatures. A batch job POSTs to its
// inboxes at once, each delivery exactly as a single job's (the same checks,
// per-host limit and health records), and hands every inbox that did not
// succeed to a single delivery job of its own, queued before the batch ends:
// a retry after the usual wait, or a new try when the host's slots were busy
// or the batch was stopped. What is durable is the same as before: the batch
// job stays in the queue until all its inboxes have been POSTed or handed
// on. A batch interrupted by a crash runs again whole once River rescues it,
// so its inboxes that had their POST get it again (with the same activity
// id, which receivers apply once).
const (
	// batchMin is the fewest inboxes an activity goes to in batches.
	batchMin = 4
	// batchSize is the most inboxes of one batch job.
	batchSize = 50
)

// DeliverBatchArgs is one batch job: one activity to several inboxes.
// The same activity and inboxes are queued once.
type DeliverBatchArgs struct {
	ActivityID string          `json:"activity_id" river:"unique"`
	Inboxes    []string        `json:"inboxes" river:"unique"`
	Actor      string          `json:"actor"` // key name of the signing actor (see ActorKeyName)
	Activity   json.RawMessage `json:"activity"`
}

// Kind names the job type in the queue.
func (DeliverBatchArgs) Kind() string { return "coopdir_deliver_batch" }

// InsertOpts makes batches unique. A batch fails only when it cannot queue
// the deliveries it hands on; it is then run again (whole) a few times.
func (DeliverBatchArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: 5, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type deliverBatchWorker struct {
	river.WorkerDefaults[DeliverBatchArgs]
	n *Deliverer
}

// Work delivers the activity to every inbox of the batch.
func (w *deliverBatchWorker) Work(ctx context.Context, job *river.Job[DeliverBatchArgs]) error {
	return w.n.deliverBatch(ctx, job.Args)
}

// Timeout is how long a batch POSTs: three quarters of a delivery job's
// timeout, so that the inboxes it hands on once its time is up (see
// handOnWait) are queued before the whole batch would be taken for one
// whose process died (see rescuer).
func (w *deliverBatchWorker) Timeout(*river.Job[DeliverBatchArgs]) time.Duration {
	return w.n.attempt - w.n.handOnWait()
}

// NextRetry runs a rescued batch again at once.
func (w *deliverBatchWorker) NextRetry(job *river.Job[DeliverBatchArgs]) time.Time {
	return w.n.retryAt(job.JobRow, 0)
}

// postSpan is how long a batch must have left to start a POST: the
// client's whole-request timeout, or half a delivery job's timeout when
// that is shorter (then a single delivery's POST is cut at the job's
// timeout too).
func (d *Deliverer) postSpan() time.Duration {
	return min(d.opt.Client.opt.TotalTimeout, d.attempt/2)
}

// handOnWait is how long a batch may take to queue the deliveries it
// hands on: a quarter of a delivery job's timeout.
func (d *Deliverer) handOnWait() time.Duration { return d.attempt / 4 }

// slotWorker runs a single delivery once it has a slot (see
// Deliverer.slot), so that single jobs and batches together have at most
// Options.Concurrency POSTs in flight.
type slotWorker struct{ *deliverWorker }

// Work delivers one activity in its slot.
func (w slotWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	release, err := w.n.slot(ctx)
	if err != nil {
		return err
	}
	defer release()
	return w.deliverWorker.Work(ctx, job)
}

// slot waits for one of the Options.Concurrency slots of POSTs in flight.
func (d *Deliverer) slot(ctx context.Context) (func(), error) {
	select {
	case d.slots <- struct{}{}:
		return func() { <-d.slots }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// deliverBatch POSTs a's activity to each of its inboxes at once (within
// the slots) and queues a single delivery for each inbox that did not
// succeed (see handOn).
func (d *Deliverer) deliverBatch(ctx context.Context, a DeliverBatchArgs) error {
	var (
		mu   sync.Mutex
		next []river.InsertManyParams
		wg   sync.WaitGroup
	)
	for _, inbox := range a.Inboxes {
		one := DeliverArgs{Inbox: inbox, ActivityID: a.ActivityID, Actor: a.Actor, Activity: a.Activity}
		release, err := d.slot(ctx)
		if err != nil {
			// Stopped before its turn: the inbox waits in a job of its own.
			mu.Lock()
			next = append(next, d.handOn(one, err, true))
			mu.Unlock()
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := d.send(ctx, one, true)
			release()
			if err == nil {
				return
			}
			p := d.handOn(one, err, ctx.Err() != nil || errors.Is(err, errNoTime))
			if p.Args == nil {
				return
			}
			mu.Lock()
			next = append(next, p)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(next) == 0 {
		return nil
	}
	// Queued even when the batch was stopped (its context is done): these
	// inboxes are not POSTed again with the batch.
	qctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), d.handOnWait())
	defer cancel()
	_, err := d.jobs.InsertMany(qctx, next)
	return err
}

// handOn says what becomes of an inbox whose delivery in a batch ended with
// err: nothing when the delivery was dropped (Args nil); a single job when
// it is to be tried again: at once when the batch was stopped first
// (stopped), after the snooze's wait when its host was busy, and else as a
// first retry, after the wait that follows a first failed attempt.
func (d *Deliverer) handOn(one DeliverArgs, err error, stopped bool) river.InsertManyParams {
	var cancelled *river.JobCancelError
	var snoozed *river.JobSnoozeError
	switch {
	case stopped:
		return river.InsertManyParams{Args: one}
	case errors.As(err, &cancelled):
		return river.InsertManyParams{}
	case errors.As(err, &snoozed):
		return river.InsertManyParams{Args: one, InsertOpts: &river.InsertOpts{ScheduledAt: time.Now().Add(snoozed.Duration)}}
	}
	d.log.Info("delivery failed; retried on its own", "inbox", one.Inbox, "activity", one.ActivityID, "err", err)
	one.Tried = 1
	return river.InsertManyParams{Args: one, InsertOpts: &river.InsertOpts{
		ScheduledAt: time.Now().Add(retryDelay(d.opt.RetryBase, one.Tried)),
		MaxAttempts: deliveryAttempts - one.Tried,
	}}
}

// batches splits the deliveries of one activity to inboxes into the jobs
// that queue it: batches when there are at least batchMin inboxes, single
// jobs otherwise. The inboxes are sorted, so that publishing the same event
// again makes the same (unique) batches.
func batches(o outgoing, inboxes []string, body []byte) []river.InsertManyParams {
	id := str(o.activity["id"])
	if len(inboxes) < batchMin || o.toBlocked {
		out := make([]river.InsertManyParams, 0, len(inboxes))
		for _, in := range inboxes {
			out = append(out, river.InsertManyParams{Args: DeliverArgs{Inbox: in, ActivityID: id, Actor: o.actor,
				Activity: json.RawMessage(body), ToBlocked: o.toBlocked}})
		}
		return out
	}
	inboxes = slices.Sorted(slices.Values(inboxes))
	var out []river.InsertManyParams
	for chunk := range slices.Chunk(inboxes, batchSize) {
		out = append(out, river.InsertManyParams{Args: DeliverBatchArgs{ActivityID: id, Inboxes: chunk,
			Actor: o.actor, Activity: json.RawMessage(body)}})
	}
	return out
}
