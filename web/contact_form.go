package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// The Respond form needs no account, so it keeps bots out without any
// third-party service: a field people never see (a bot that fills every
// field fills it too), and a signed timestamp of when the form was shown,
// which refuses a post made faster than a person types or long after.

// Defaults of the Respond form's guards (Options.RespondMinAge,
// RespondMaxAge, RespondLimit, RespondWindow).
const (
	DefaultRespondMinAge = 3 * time.Second
	DefaultRespondMaxAge = 24 * time.Hour
	DefaultRespondLimit  = 10
	DefaultRespondWindow = time.Hour
)

// Names of the hidden controls of the Respond and password-reset forms.
const (
	trapField  = "website" // the honeypot: a name bots like to fill
	stampField = "stamp"
)

// formStamps signs and checks the timestamps of public forms.
type formStamps struct {
	key            []byte
	minAge, maxAge time.Duration
	now            func() time.Time
}

func newFormStamps(o Options, now func() time.Time) *formStamps {
	fs := &formStamps{key: o.FormKey, minAge: o.RespondMinAge, maxAge: o.RespondMaxAge, now: now}
	if len(fs.key) == 0 {
		// Forms shown before a restart are then refused as too old.
		fs.key = make([]byte, 32)
		_, _ = rand.Read(fs.key)
	}
	if fs.minAge == 0 {
		fs.minAge = DefaultRespondMinAge
	}
	if fs.maxAge <= 0 {
		fs.maxAge = DefaultRespondMaxAge
	}
	return fs
}

// stamp returns the signed time of a form for target (the path it posts
// to), shown now.
func (fs *formStamps) stamp(target string) string {
	t := strconv.FormatInt(fs.now().Unix(), 10)
	return t + "." + fs.sign(target, t)
}

func (fs *formStamps) sign(target, t string) string {
	m := hmac.New(sha256.New, fs.key)
	m.Write([]byte(target + "\n" + t))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// stampProblem is why a stamp is refused.
type stampProblem int

const (
	stampOK stampProblem = iota
	stampBad
	stampTooFast
	stampTooOld
)

// check tells whether stamp was made by stamp(target) at least minAge and
// at most maxAge ago.
func (fs *formStamps) check(target, stamp string) stampProblem {
	t, sig, ok := strings.Cut(stamp, ".")
	if !ok || len(stamp) > 100 || !hmac.Equal([]byte(sig), []byte(fs.sign(target, t))) {
		return stampBad
	}
	secs, err := strconv.ParseInt(t, 10, 64)
	if err != nil {
		return stampBad
	}
	age := fs.now().Sub(time.Unix(secs, 0))
	switch {
	case age < fs.minAge:
		return stampTooFast
	case age > fs.maxAge:
		return stampTooOld
	}
	return stampOK
}

// guardForm checks the honeypot and the stamp of a posted public form. It
// returns "" when the post may go on, or the message to show on the form:
// the post is refused and nothing is stored.
func (s *server) guardForm(r *http.Request, target string) (string, int) {
	if r.PostFormValue(trapField) != "" {
		return msg("The form could not be sent: a field that people never see was filled in."), http.StatusBadRequest
	}
	switch s.stamps.check(target, r.PostFormValue(stampField)) {
	case stampTooFast:
		return msg("The form was sent too quickly after it was shown. Check what you wrote and send it again."), http.StatusUnprocessableEntity
	case stampTooOld:
		return msg("The form was shown too long ago. Check what you wrote and send it again."), http.StatusUnprocessableEntity
	case stampBad:
		return msg("The form could not be checked. Send it again."), http.StatusBadRequest
	}
	return "", 0
}

// postLimit counts posts of a public form per client address.
type postLimit struct {
	l   *limiter
	max int
}

func newPostLimit(max int, window time.Duration) *postLimit {
	if max <= 0 {
		max = DefaultRespondLimit
	}
	if window <= 0 {
		window = DefaultRespondWindow
	}
	return &postLimit{l: newLimiter(window, time.Now), max: max}
}

// take counts one post by ip under name (with an optional second key such
// as an email, limited alike), or reports false and how long to wait.
func (pl *postLimit) take(name, ip string, extra ...string) (bool, time.Duration) {
	keys := []limitKey{{name: name + " ip " + ip, max: pl.max}}
	for _, e := range extra {
		keys = append(keys, limitKey{name: name + " " + e, max: pl.max})
	}
	ok, wait, _ := pl.l.allow(keys...)
	return ok, wait
}

// tooManyPosts answers a post over the limit: 429 with Retry-After.
func (s *server) tooManyPosts(w http.ResponseWriter, r *http.Request, wait time.Duration, what string) {
	secs := int(wait.Round(time.Second) / time.Second)
	w.Header().Set("Retry-After", strconv.Itoa(max(secs, 1)))
	s.renderError(w, r, http.StatusTooManyRequests,
		"Too many "+what+" from your address. Please wait "+waitText(wait)+" and try again.")
}
