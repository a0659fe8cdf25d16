package web

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the sign-in rate limit (Options.LoginAttempts,
// LoginAddressAttempts, LoginWindow). An address has room for several
// people behind one NAT, each with a few typos.
const (
	DefaultLoginAttempts        = 10
	DefaultLoginAddressAttempts = 50
	DefaultLoginWindow          = 10 * time.Minute
)

// limiter allows at most a given number of events per key within a
// sliding window. It lives in memory: a restart forgets it, and several
// processes each keep their own, which is enough to make guessing
// passwords slow.
type limiter struct {
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	hits      map[string][]time.Time // per key, oldest first, all within window
	lastSweep time.Time
}

// limitKey is a key of a limiter with its limit.
type limitKey struct {
	name string
	max  int
}

func newLimiter(window time.Duration, now func() time.Time) *limiter {
	return &limiter{window: window, now: now, hits: make(map[string][]time.Time)}
}

// allow records one event for every key when none of them has reached its
// limit, and reports true with the event's time (for refund). Otherwise it
// records nothing and reports false with the time until the fullest key
// frees a slot.
func (l *limiter) allow(keys ...limitKey) (bool, time.Duration, time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	var wait time.Duration
	for _, k := range keys {
		h := l.recent(k.name, now)
		if len(h) >= k.max {
			wait = max(wait, h[len(h)-k.max].Add(l.window).Sub(now))
		}
	}
	if wait > 0 {
		return false, wait, time.Time{}
	}
	for _, k := range keys {
		l.hits[k.name] = append(l.hits[k.name], now)
	}
	return true, 0, now
}

// refund takes back the event that allow recorded at for every key.
func (l *limiter) refund(at time.Time, keys ...limitKey) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range keys {
		h := l.hits[k.name]
		for i := len(h) - 1; i >= 0; i-- {
			if h[i].Equal(at) {
				h = append(h[:i], h[i+1:]...)
				break
			}
		}
		if len(h) == 0 {
			delete(l.hits, k.name)
		} else {
			l.hits[k.name] = h
		}
	}
}

// recent drops the events of key that left the window and returns the rest.
func (l *limiter) recent(key string, now time.Time) []time.Time {
	h := l.hits[key]
	i := 0
	for i < len(h) && !h[i].Add(l.window).After(now) {
		i++
	}
	if i == len(h) {
		delete(l.hits, key)
		return nil
	}
	h = h[i:]
	l.hits[key] = h
	return h
}

// sweep forgets keys with no recent event, at most once per window, so
// that memory follows the number of recent visitors.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < l.window {
		return
	}
	l.lastSweep = now
	for k := range l.hits {
		l.recent(k, now)
	}
}

// loginLimit counts failed sign-ins per client address and per (client
// address, email), so that guessing passwords is slow, while nobody can
// lock someone else out from another address. Each attempt takes a slot
// before the password is checked (so that parallel guesses count too) and
// gives it back when the sign-in succeeds.
type loginLimit struct {
	l             *limiter
	pair, address int
}

func newLoginLimit(o Options) *loginLimit {
	ll := &loginLimit{pair: o.LoginAttempts, address: o.LoginAddressAttempts}
	window := o.LoginWindow
	if ll.pair <= 0 {
		ll.pair = DefaultLoginAttempts
	}
	if ll.address <= 0 {
		ll.address = DefaultLoginAddressAttempts
	}
	if window <= 0 {
		window = DefaultLoginWindow
	}
	ll.l = newLimiter(window, time.Now)
	return ll
}

// loginAttempt is a slot taken by loginLimit.take.
type loginAttempt struct {
	keys []limitKey
	at   time.Time
}

// take claims a slot for an attempt from ip with email, or reports false
// and how long to wait.
func (ll *loginLimit) take(ip, email string) (loginAttempt, bool, time.Duration) {
	email = limitEmail(email)
	a := loginAttempt{keys: []limitKey{
		{name: "ip " + ip, max: ll.address},
		{name: "ip " + ip + " email " + email, max: ll.pair},
	}}
	ok, wait, at := ll.l.allow(a.keys...)
	a.at = at
	return a, ok, wait
}

// limitEmail is email as a key of a limiter: lowercase, trimmed and
// bounded (no address is longer; a longer one would only grow the map).
func limitEmail(email string) string {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > 320 {
		email = email[:320]
	}
	return email
}

// succeeded gives back the slot of an attempt that did not guess wrong.
func (ll *loginLimit) succeeded(a loginAttempt) { ll.l.refund(a.at, a.keys...) }

// tooManyLogins answers an attempt over the limit: 429 with Retry-After.
func (s *server) tooManyLogins(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := int(wait.Round(time.Second) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	s.renderError(w, r, http.StatusTooManyRequests,
		"Too many failed sign-in attempts from your address. Please wait "+waitText(wait)+" and try again.")
}

// waitText says how long to wait, for people.
func waitText(d time.Duration) string {
	if m := int((d + time.Minute - 1) / time.Minute); m > 1 {
		return strconv.Itoa(m) + " minutes"
	}
	return "a minute"
}
