package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"

	"github.com/riverqueue/river"

	"github.com/coopdir/coopdir/directory"
)

// Delivery defaults (see Options).
const (
	// DefaultRetryBase is the wait before the first retry; each retry
	// waits twice as long as the one before, up to maxRetryDelay.
	DefaultRetryBase = 30 * time.Second
	maxRetryDelay    = 6 * time.Hour
	// deliveryAttempts makes the retries span about two days with the
	// default base: 10 doublings (about 8.5 hours), then 6-hourly.
	deliveryAttempts = 17
	// DefaultPerHost is how many deliveries run at once to one host.
	DefaultPerHost = 4
	// DefaultConcurrency is how many jobs (deliveries, backfills) one
	// process runs at once.
	DefaultConcurrency = 20
	// DefaultPauseAfter failures in a row pause a host for DefaultPause;
	// each probe that fails pauses it twice as long, up to DefaultMaxPause
	// (see directory.DeliveryHost).
	DefaultPauseAfter = 5
	DefaultPause      = time.Minute
	DefaultMaxPause   = time.Hour
	// DefaultUnavailableAfter and DefaultUnavailableSpan say when a host
	// that keeps failing is given up as unavailable: that many failures in
	// a row over at least that long. Its deliveries are then dropped, but
	// for a probe after each pause. Two days is about as long as the
	// retries of one delivery last, so that no delivery waits longer for a
	// paused host than it would be retried.
	DefaultUnavailableAfter = 10
	DefaultUnavailableSpan  = 48 * time.Hour
	// hostWait is how long a delivery waits for a free slot of its host
	// before it is put back in the queue.
	hostWait = 2 * time.Second
)

// DeliverArgs is one delivery job: one signed POST of one activity to one
// inbox. A job with the same inbox and activity id is queued once.
type DeliverArgs struct {
	Inbox      string          `json:"inbox" river:"unique"`
	ActivityID string          `json:"activity_id" river:"unique"`
	Actor      string          `json:"actor"` // key name of the signing actor (see ActorKeyName)
	Activity   json.RawMessage `json:"activity"`
	// ToBlocked lets the delivery reach a blocked domain: only the Reject
	// of a follow request from it does.
	ToBlocked bool `json:"to_blocked,omitempty"`
	// Tried is how many attempts the delivery had before this job (in a
	// batch, see DeliverBatchArgs): its retries go on from there.
	Tried int `json:"tried,omitempty"`
}

// Kind names the job type in the queue.
func (DeliverArgs) Kind() string { return "coopdir_deliver" }

// InsertOpts makes deliveries unique and sets their attempts.
func (DeliverArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{MaxAttempts: deliveryAttempts, UniqueOpts: river.UniqueOpts{ByArgs: true}}
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverArgs]
	n *Deliverer
}

// Work delivers one activity.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverArgs]) error {
	return w.n.deliver(ctx, job.Args)
}

// NextRetry backs off exponentially from Options.RetryBase, with jitter so
// that the retries of many jobs to one host spread out; a rescued job runs
// again at once.
func (w *deliverWorker) NextRetry(job *river.Job[DeliverArgs]) time.Time {
	return w.n.retryAt(job.JobRow, job.Args.Tried)
}

// retryDelay is the wait after failed attempt number attempt (1-based).
func retryDelay(base time.Duration, attempt int) time.Duration {
	d := base
	for i := 1; i < attempt && d < maxRetryDelay; i++ {
		d *= 2
	}
	d = min(d, maxRetryDelay)
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

// deliver signs and POSTs one activity. A 2xx answer, and any 4xx answer
// that retrying cannot change, end the job; 410 Gone also removes the
// followers behind that inbox. Timeouts, connection failures, 408, 429 and
// 5xx count against the host and are retried. A paused host's deliveries
// wait (snoozed, holding no worker) until its pause ends, when one of them
// goes out as the probe; an unavailable host's are dropped, but for the
// probe.
func (d *Deliverer) deliver(ctx context.Context, a DeliverArgs) error {
	return d.send(ctx, a, false)
}

// errNoTime ends a delivery of a batch that could not make its POST
// before the batch's time is up: the POST would be cut short, and it may
// have arrived. It is handed on to a job of its own instead.
var errNoTime = errors.New("deliver: no time left in the batch")

// send is deliver; inBatch when it is one delivery of a batch, which
// then does not start a POST it has no time to finish (errNoTime).
func (d *Deliverer) send(ctx context.Context, a DeliverArgs, inBatch bool) error {
	host, err := inboxHost(a.Inbox)
	if err != nil {
		return river.JobCancel(err)
	}
	if blocked, err := d.blocked(ctx, host); err != nil {
		return err
	} else if blocked && !a.ToBlocked {
		return river.JobCancel(fmt.Errorf("deliver to %s: domain is blocked", host))
	}
	rec, err := d.hostRecord(ctx, host)
	if err != nil {
		return err
	}
	probe, err := d.gate(rec, d.now())
	if err != nil {
		return err
	}
	signer, err := d.signer(ctx, a.Actor)
	if err != nil {
		return err
	}
	// A host with all its slots taken is not worth holding a worker for:
	// wait a little, then put the job back for later.
	wctx, cancel := context.WithTimeout(ctx, hostWait)
	release, err := d.hosts.acquire(wctx, host)
	cancel()
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return river.JobSnooze(hostWait)
	}
	defer release()
	// A pause may have begun while this delivery waited for its slot.
	if rec, err = d.hostRecord(ctx, host); err != nil {
		return err
	}
	if probe, err = d.gate(rec, d.now()); err != nil {
		return err
	}
	if end, ok := ctx.Deadline(); inBatch && ok && time.Until(end) < d.postSpan() {
		return errNoTime
	}
	if probe {
		if rec, probe, err = d.claimProbe(ctx, rec); err != nil {
			return err
		}
	}
	// One attempt, both signature schemes included, takes at most the
	// client's whole-request timeout: the job timeout follows from it.
	pctx, cancel := context.WithTimeout(ctx, d.opt.Client.opt.TotalTimeout)
	status, err := d.opt.Client.Post(pctx, a.Inbox, a.Activity, signer)
	cancel()
	return d.delivered(ctx, a, rec, probe, status, err)
}

// delivered records the outcome of one POST to the host of record rec (as
// read before it; probe when it was the host's probe) and says what the
// job does next.
func (d *Deliverer) delivered(ctx context.Context, a DeliverArgs, rec *directory.DeliveryHost, probe bool, status int, err error) error {
	var fe *FetchError
	switch {
	case err == nil:
		return d.answered(ctx, rec.Host)
	case status == http.StatusGone:
		removed, derr := d.store.DeleteFollowersByInbox(ctx, a.Inbox)
		d.log.InfoContext(ctx, "inbox is gone; followers removed", "inbox", a.Inbox, "removed", removed, "err", derr)
		return d.answered(ctx, rec.Host)
	case status >= 400 && status < 500 && status != http.StatusRequestTimeout && status != http.StatusTooManyRequests:
		d.log.WarnContext(ctx, "delivery refused", "inbox", a.Inbox, "activity", a.ActivityID, "status", status)
		return river.JobCancel(errors.Join(err, d.answered(ctx, rec.Host)))
	case status == 0 && errors.As(err, &fe) && !fe.Temporary():
		return river.JobCancel(err)
	}
	if ctx.Err() != nil {
		return err // our own shutdown or timeout, not the host's failure
	}
	now, err2 := d.failed(ctx, rec, probe)
	if err2 != nil {
		return errors.Join(err, err2)
	}
	if now.Unavailable {
		return river.JobCancel(err)
	}
	return err
}

// inboxHost is the normalised host of an inbox URL.
// It is the same normalisation as Host, so that a host that writes to our
// inbox clears the record its deliveries made.
func inboxHost(inbox string) (string, error) {
	h, err := Host(inbox)
	if err != nil {
		return "", fmt.Errorf("deliver: bad inbox %q", inbox)
	}
	return h, nil
}
