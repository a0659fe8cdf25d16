package federation

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"github.com/coopdir/coopdir/directory"
)

// The health of each remote host we deliver to is kept in the database
// (directory.DeliveryHost), which every process sharing it sees: a host
// that keeps failing is paused, its deliveries snoozed until the pause
// ends, then probed with one delivery (see directory.DeliveryHost). The
// Deliverer keeps its own copy of the records it read or wrote lately (the
// hostBook), so that a fan-out does not read the record once per inbox and
// the jobs of a paused host wait without reading it at all.

// hostBookFresh is how long the Deliverer trusts its copy of a host's
// record: a change made by another process (or by the Inbox, when the
// host writes to us) is seen after at most this long.
const hostBookFresh = 5 * time.Second

// hostRecord returns the record of host, from the book while fresh.
func (d *Deliverer) hostRecord(ctx context.Context, host string) (*directory.DeliveryHost, error) {
	now := d.now()
	if rec, ok := d.book.get(host, now); ok {
		return rec, nil
	}
	rec, err := d.store.FindDeliveryHost(ctx, host)
	if err != nil {
		return nil, err
	}
	d.book.put(rec, now)
	return rec, nil
}

// gate says what a delivery to the host of rec does at time now: go out
// (nil), go out as the probe of a paused host whose pause ended (probe),
// or wait (a snooze error) or be dropped (a cancel error, for an
// unavailable host) while the pause or another probe lasts.
func (d *Deliverer) gate(rec *directory.DeliveryHost, now time.Time) (probe bool, err error) {
	if !rec.Paused() {
		return false, nil
	}
	until := rec.PausedUntil
	if rec.ProbeUntil.After(until) {
		until = rec.ProbeUntil
	}
	if !now.Before(until) {
		return true, nil
	}
	if rec.Unavailable {
		return false, river.JobCancel(fmt.Errorf("deliver to %s: host is unavailable", rec.Host))
	}
	// The jobs of a paused host wake spread over a tenth of the wait,
	// not all at once.
	wait := until.Sub(now)
	return false, river.JobSnooze(wait + time.Duration(rand.Int64N(int64(wait)/10+1)))
}

// claimProbe makes this delivery the probe of the paused host of rec. It
// returns the record as stored and whether the probe was granted; when it
// was not, the gate's answer on that record (another delivery took the
// probe meanwhile, or the host resumed).
func (d *Deliverer) claimProbe(ctx context.Context, rec *directory.DeliveryHost) (*directory.DeliveryHost, bool, error) {
	now := d.now()
	rec, claimed, err := d.store.ClaimDeliveryProbe(ctx, rec.Host, now, now.Add(d.attempt))
	if err != nil {
		return nil, false, err
	}
	d.book.put(rec, now)
	if !claimed {
		_, err := d.gate(rec, now)
		return rec, false, err
	}
	d.log.InfoContext(ctx, "probing a paused host", "host", rec.Host, "failures", rec.Failures, "unavailable", rec.Unavailable)
	return rec, true, nil
}

// answered records that host answered: its failures are cleared and a
// pause ends. Bookkeeping errors are logged, not returned: failing the job
// would POST the activity again.
func (d *Deliverer) answered(ctx context.Context, host string) error {
	now := d.now()
	// The book, not the record the delivery started from: another
	// delivery of this process may have failed meanwhile.
	rec, ok := d.book.get(host, now)
	if ok && rec.Failures == 0 {
		return nil
	}
	if err := d.store.DeliverySucceeded(ctx, host); err != nil {
		d.log.ErrorContext(ctx, "host record", "host", host, "err", err)
		return nil
	}
	d.book.put(&directory.DeliveryHost{Host: host}, now)
	if ok && rec.Paused() {
		d.log.InfoContext(ctx, "paused host answered; deliveries resume", "host", host, "failures", rec.Failures)
	}
	return nil
}

// failed counts a failed delivery to the host of rec (the record the
// delivery started from; probe when it was the host's probe) and returns
// the record as now stored.
func (d *Deliverer) failed(ctx context.Context, rec *directory.DeliveryHost, probe bool) (*directory.DeliveryHost, error) {
	now := d.now()
	after, err := d.store.DeliveryFailed(ctx, rec.Host, now, d.policy)
	if err != nil {
		return nil, err
	}
	d.book.put(after, now)
	log := func(msg string) {
		d.log.WarnContext(ctx, msg, "host", after.Host, "failures", after.Failures, "since", after.FirstFailure,
			"pause", after.Pauses, "until", after.PausedUntil)
	}
	switch {
	case after.Unavailable && !rec.Unavailable:
		log("host marked unavailable; its deliveries are dropped but for a probe after each pause")
	case probe:
		log("probe failed; host paused again")
	case after.Pauses == 1 && after.Failures == d.policy.PauseAfter:
		log("host paused; its deliveries wait")
	}
	return after, nil
}

// hostBook is the Deliverer's copy of the delivery records it read or
// wrote in the last hostBookFresh.
type hostBook struct {
	mu sync.Mutex
	m  map[string]bookEntry
}

type bookEntry struct {
	rec  directory.DeliveryHost
	read time.Time
}

// hostBookPrune is the size past which stale entries are dropped.
const hostBookPrune = 4096

// get returns a copy of host's record when the book has a fresh one.
func (b *hostBook) get(host string, now time.Time) (*directory.DeliveryHost, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	e, ok := b.m[host]
	if !ok || now.Sub(e.read) >= hostBookFresh || now.Before(e.read) {
		return nil, false
	}
	rec := e.rec
	return &rec, true
}

// put records rec as read or written at now.
func (b *hostBook) put(rec *directory.DeliveryHost, now time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]bookEntry{}
	}
	if len(b.m) >= hostBookPrune {
		for h, e := range b.m {
			if now.Sub(e.read) >= hostBookFresh {
				delete(b.m, h)
			}
		}
	}
	if e, ok := b.m[rec.Host]; ok && now.Sub(e.read) < hostBookFresh && olderInRun(*rec, e.rec) {
		// Deliveries to one host finish at once: a record read or written
		// before the latest failure must not hide the pause it brought.
		return
	}
	b.m[rec.Host] = bookEntry{rec: *rec, read: now}
}

// olderInRun reports whether rec is an earlier state of the same run of
// failures as kept (fewer failures since the same first one).
func olderInRun(rec, kept directory.DeliveryHost) bool {
	return rec.Failures > 0 && rec.FirstFailure.Equal(kept.FirstFailure) && rec.Failures < kept.Failures
}

// hostLimiter bounds the deliveries running at once to each host.
type hostLimiter struct {
	per int
	mu  sync.Mutex
	m   map[string]*hostSlot
}

type hostSlot struct {
	sem   chan struct{}
	users int
}

// acquire waits for a free slot for host and returns its release.
func (l *hostLimiter) acquire(ctx context.Context, host string) (func(), error) {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*hostSlot{}
	}
	s := l.m[host]
	if s == nil {
		s = &hostSlot{sem: make(chan struct{}, l.per)}
		l.m[host] = s
	}
	s.users++
	l.mu.Unlock()
	done := func() {
		l.mu.Lock()
		if s.users--; s.users == 0 {
			delete(l.m, host)
		}
		l.mu.Unlock()
	}
	select {
	case s.sem <- struct{}{}:
		return func() { <-s.sem; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}
