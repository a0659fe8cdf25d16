package web

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Defaults of the sign-in rate limit (Options.LoginAttempts, LoginWindow).
const (
	DefaultLoginAttempts = 10
	DefaultLoginWindow   = 10 * time.Minute
)

// limiter allows at most max events per key within a sliding window. It
// lives in memory: a restart forgets it, and several processes each keep
// their own, which is enough to make guessing passwords slow.
type limiter struct {
	max    int
	window time.Duration
	now    func() time.Time

	mu        sync.Mutex
	hits      map[string][]time.Time // per key, oldest first, all within window
	lastSweep time.Time
}

func newLimiter(max int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{max: max, window: window, now: now, hits: make(map[string][]time.Time)}
}

// allow records one event for every key when none of them has reached the
// limit, and reports true. Otherwise it records nothing and reports false
// with the time until the fullest key frees a slot.
func (l *limiter) allow(keys ...string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	var wait time.Duration
	for _, k := range keys {
		h := l.recent(k, now)
		if len(h) >= l.max {
			wait = max(wait, h[len(h)-l.max].Add(l.window).Sub(now))
		}
	}
	if wait > 0 {
		return false, wait
	}
	for _, k := range keys {
		l.hits[k] = append(l.hits[k], now)
	}
	return true, 0
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

// limitLogins returns middleware that lets each client address and each
// email address try to sign in at most Options.LoginAttempts times per
// Options.LoginWindow. Over the limit it answers 429 with Retry-After and
// checks nothing.
func (s *server) limitLogins() func(http.Handler) http.Handler {
	n, window := s.opt.LoginAttempts, s.opt.LoginWindow
	if n <= 0 {
		n = DefaultLoginAttempts
	}
	if window <= 0 {
		window = DefaultLoginWindow
	}
	l := newLimiter(n, window, time.Now)
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
			email := strings.ToLower(strings.TrimSpace(r.PostFormValue("email")))
			ok, wait := l.allow("ip "+s.clientIP(r), "email "+email)
			if !ok {
				secs := int(wait.Round(time.Second) / time.Second)
				w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
				s.renderError(w, r, http.StatusTooManyRequests,
					"Too many sign-in attempts. Please wait "+waitText(wait)+" and try again.")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// waitText says how long to wait, for people.
func waitText(d time.Duration) string {
	if m := int((d + time.Minute - 1) / time.Minute); m > 1 {
		return strconv.Itoa(m) + " minutes"
	}
	return "a minute"
}

// clientIP is the address of the client: the last address in the header
// named by Options.ClientIPHeader when a reverse proxy sets one, else the
// address of the connection.
func (s *server) clientIP(r *http.Request) string {
	if h := s.opt.ClientIPHeader; h != "" {
		if v := r.Header.Values(h); len(v) > 0 {
			parts := strings.Split(v[len(v)-1], ",")
			if ip := strings.TrimSpace(parts[len(parts)-1]); ip != "" {
				return ip
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
