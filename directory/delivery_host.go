package directory

import "time"

// DeliveryHost is the delivery record of one remote host. A host has one
// only while its deliveries fail: any answer clears it.
//
// A host that keeps failing is paused: its deliveries wait until
// PausedUntil. When the pause ends one delivery, the probe, goes out
// (ProbeUntil is its lease, so that the others keep waiting meanwhile):
// if the host answers it resumes, if not it is paused again twice as long,
// up to the policy's MaxPause. A host that has failed for very long is
// unavailable: its deliveries are dropped, except the probe after each
// pause, which tells when it is back.
type DeliveryHost struct {
	Host         string
	Failures     int       // consecutive failed deliveries
	FirstFailure time.Time // start of the current run of failures
	LastFailure  time.Time // the latest failure
	Pauses       int       // pauses in this run: the next one lasts twice as long
	PausedUntil  time.Time // end of the current pause; zero when not paused
	ProbeUntil   time.Time // lease of the probe under way; zero or past when none
	Unavailable  bool      // deliveries are dropped, but for the probes
}

// DeliveryPolicy says when a failing host is paused, for how long, and
// when it is given up as unavailable.
type DeliveryPolicy struct {
	// PauseAfter failures in a row pause a host for Pause; each probe
	// that fails doubles the pause, up to MaxPause.
	PauseAfter      int
	Pause, MaxPause time.Duration
	// UnavailableAfter failures in a row over at least UnavailableSpan
	// make a host unavailable.
	UnavailableAfter int
	UnavailableSpan  time.Duration
}

// FailureMemory is how long a run of failures is remembered without a
// new one: a failure more than this after the last starts a new run, so
// that a host is given up only for an outage that went on, not for two
// failures far apart.
const FailureMemory = 24 * time.Hour

// Paused reports whether deliveries to h wait for a pause or a probe (or,
// for an unavailable host, are dropped) rather than go out as usual.
func (h *DeliveryHost) Paused() bool { return !h.PausedUntil.IsZero() || h.Unavailable }

// Failed records one more failed delivery to h at time at under p. The
// failure that reaches PauseAfter pauses the host; a failure after the
// pause ended is the probe's, and pauses it again twice as long; failures
// during a pause (deliveries under way when it began) are only counted.
// A host that becomes unavailable is paused for MaxPause.
func (h *DeliveryHost) Failed(at time.Time, p DeliveryPolicy) {
	at = at.UTC().Truncate(time.Microsecond)
	if h.Failures > 0 && at.Sub(h.LastFailure) > FailureMemory {
		*h = DeliveryHost{Host: h.Host}
	}
	if h.Failures == 0 {
		h.FirstFailure = at
	}
	h.Failures++
	if at.After(h.LastFailure) {
		h.LastFailure = at
	}
	switch {
	case h.Paused() && !at.Before(h.PausedUntil):
		h.pause(at, p, h.Pauses+1)
	case !h.Paused() && h.Failures >= p.PauseAfter:
		h.pause(at, p, 1)
	}
	if !h.Unavailable && h.Failures >= p.UnavailableAfter && at.Sub(h.FirstFailure) >= p.UnavailableSpan {
		h.Unavailable = true
		if h.PausedUntil.Before(at.Add(p.MaxPause)) {
			h.PausedUntil, h.ProbeUntil = at.Add(p.MaxPause), time.Time{}
		}
	}
}

// pause starts pause number n at at: p.Pause doubled n-1 times, at most
// p.MaxPause (always MaxPause for an unavailable host).
func (h *DeliveryHost) pause(at time.Time, p DeliveryPolicy, n int) {
	d := p.Pause
	for i := 1; i < n && d < p.MaxPause; i++ {
		d *= 2
	}
	if d > p.MaxPause || h.Unavailable {
		d = p.MaxPause
	}
	h.Pauses, h.PausedUntil, h.ProbeUntil = n, at.Add(d), time.Time{}
}

// ClaimProbe makes a delivery at time at the probe of h, with a lease
// until until, and reports whether it did: only for a paused host whose
// pause has ended and that no other probe holds.
func (h *DeliveryHost) ClaimProbe(at, until time.Time) bool {
	if !h.Paused() || at.Before(h.PausedUntil) || at.Before(h.ProbeUntil) {
		return false
	}
	h.ProbeUntil = until.UTC().Truncate(time.Microsecond)
	return true
}
