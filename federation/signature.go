package federation

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"time"
)

// DefaultMaxSkew is how far a signed request's Date (or an RFC 9421
// signature's created time) may be from our clock, in either direction, when
// Verifier.MaxSkew is zero.
const DefaultMaxSkew = time.Hour

// Signer signs outgoing requests as one actor: with draft-cavage HTTP
// signatures (rsa-sha256), the scheme Mastodon expects, by SignRequest, or
// with RFC 9421 HTTP Message Signatures by SignRFC9421. It is safe for
// concurrent use.
type Signer struct {
	KeyID string           // the actor's key id, e.g. "https://host/e/shakyhands#main-key"
	Key   *rsa.PrivateKey  // the actor's private key
	Now   func() time.Time // clock for the Date header and created; time.Now when nil
}

// Sign signs r with scheme; body must be exactly the bytes r will send.
func (s *Signer) Sign(r *http.Request, body []byte, scheme SignatureScheme) error {
	if scheme == SchemeRFC9421 {
		return s.SignRFC9421(r, body)
	}
	return s.SignRequest(r, body)
}

// prepare checks the signer, sets r.Host, takes out the headers of any
// earlier signature (a redirect copies them) and returns the signing time.
func (s *Signer) prepare(r *http.Request) (time.Time, error) {
	now, err := s.ready()
	if err != nil {
		return now, err
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	for _, h := range []string{"Digest", "Signature", "Signature-Input", "Content-Digest"} {
		r.Header.Del(h)
	}
	return now, nil
}

// ready checks the signer and returns its clock's time.
func (s *Signer) ready() (time.Time, error) {
	if s == nil || s.Key == nil || s.KeyID == "" {
		return time.Time{}, errors.New("federation: signer has no key")
	}
	if strings.ContainsAny(s.KeyID, "\"\\, \t\r\n") {
		return time.Time{}, errors.New("federation: key id must not contain quotes, backslashes, commas or spaces")
	}
	for i := 0; i < len(s.KeyID); i++ {
		if s.KeyID[i] < 0x21 || s.KeyID[i] > 0x7e {
			return time.Time{}, errors.New("federation: key id must be printable ASCII")
		}
	}
	if s.Now != nil {
		return s.Now(), nil
	}
	return time.Now(), nil
}

// signSHA256 signs message with RSASSA-PKCS1-v1_5 over SHA-256, the only
// algorithm of both schemes we speak.
func (s *Signer) signSHA256(message string) ([]byte, error) {
	sum := sha256.Sum256([]byte(message))
	signing <- struct{}{}
	defer func() { <-signing }()
	return rsa.SignPKCS1v15(nil, s.Key, crypto.SHA256, sum[:])
}

// signing bounds the signatures made at once to the number of CPUs. One is
// about a millisecond of computation and nothing else, and a fan-out starts
// hundreds of deliveries at a time: taken in turn, each signature is done
// (and its POST on its way) as soon as it can be, instead of all of them
// sharing the CPUs and finishing together at the end.
var signing = make(chan struct{}, runtime.GOMAXPROCS(0))

// requestHasBody reports whether a request must carry (and sign) a digest.
func requestHasBody(method string, body []byte) bool {
	return len(body) > 0 || (method != http.MethodGet && method != http.MethodHead)
}

// requestTarget is the path and query of u as sent on the wire: Go keeps
// URL.Path decoded, and the escaped form is what was signed.
func requestTarget(u *url.URL) string {
	if u.RawQuery != "" {
		return wirePath(u) + "?" + u.RawQuery
	}
	return wirePath(u)
}

// wirePath is the path of u as sent on the wire.
func wirePath(u *url.URL) string {
	if p := u.EscapedPath(); p != "" {
		return p
	}
	return "/"
}

// KeyResolver finds the public key behind a signature's keyId. refresh asks it
// to skip any cache and fetch the key again (the sender may have rotated it).
// owner is the id of the actor the key belongs to.
type KeyResolver interface {
	PublicKey(ctx context.Context, keyID string, refresh bool) (owner string, key *rsa.PublicKey, err error)
}

// Verifier checks the HTTP signatures of incoming requests: RFC 9421 HTTP
// Message Signatures when the request has a Signature-Input header,
// draft-cavage HTTP signatures otherwise.
type Verifier struct {
	Keys    KeyResolver
	Now     func() time.Time // time.Now when nil
	MaxSkew time.Duration    // DefaultMaxSkew when zero
	// Scheme is the URL scheme senders use to reach us ("https" behind a
	// proxy that ends TLS), which RFC 9421's @target-uri and @scheme
	// cover. When empty it is https for requests that came over TLS and
	// http for the others.
	Scheme string
}

// Verified is the outcome of a valid signature: the key that signed and the
// actor owning it.
type Verified struct {
	KeyID string
	Owner string
}

// SignatureError says why a request's signature was refused. Status is the
// HTTP status to answer: 401 for every failure to authenticate the request
// (missing, malformed or unverifiable signature, missing signed headers, bad
// digest, stale date, unknown key) and 403 when the signature is good but its
// owner may not act as the activity's actor. Reason is safe to show to the
// sender; Err holds a cause for logs.
type SignatureError struct {
	Status int
	Reason string
	Err    error
}

// Error implements the error interface.
func (e *SignatureError) Error() string {
	if e.Err != nil {
		return "signature refused: " + e.Reason + " (" + e.Err.Error() + ")"
	}
	return "signature refused: " + e.Reason
}

// Unwrap returns the cause.
func (e *SignatureError) Unwrap() error { return e.Err }

func unauthorized(reason string, cause error) *SignatureError {
	return &SignatureError{Status: http.StatusUnauthorized, Reason: reason, Err: cause}
}

// Verify checks the signature of r, whose body has been read into body: an
// RFC 9421 signature when r has a Signature-Input header, else a
// draft-cavage one. Each header is parsed once, strictly, and the string
// that was signed is built from what that parse found. The cheap checks
// (headers, digest, date) run before the key is resolved. When the resolved
// key does not verify, the key is resolved once more with refresh set, in
// case the sender rotated it. Every failure is a *SignatureError.
func (v *Verifier) Verify(r *http.Request, body []byte) (*Verified, error) {
	if len(r.Header.Values("Signature-Input")) > 0 {
		return v.verifyRFC9421(r, body)
	}
	return v.verifyCavage(r, body)
}

// verifyWithKey resolves keyID and checks sig, an RSASSA-PKCS1-v1_5
// SHA-256 signature of message: the algorithm is fixed, whatever the
// request claims.
func (v *Verifier) verifyWithKey(ctx context.Context, keyID, message string, sig []byte) (*Verified, error) {
	sum := sha256.Sum256([]byte(message))
	owner, key, err := v.resolve(ctx, keyID, false)
	if err != nil {
		return nil, err
	}
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig) == nil {
		return &Verified{KeyID: keyID, Owner: owner}, nil
	}
	owner, key, err = v.resolve(ctx, keyID, true)
	if err != nil {
		return nil, err
	}
	if err := rsa.VerifyPKCS1v15(key, crypto.SHA256, sum[:], sig); err != nil {
		return nil, unauthorized("signature does not match the key "+keyID, err)
	}
	return &Verified{KeyID: keyID, Owner: owner}, nil
}

func (v *Verifier) resolve(ctx context.Context, keyID string, refresh bool) (string, *rsa.PublicKey, error) {
	if v.Keys == nil {
		return "", nil, unauthorized("no way to look up keys", nil)
	}
	owner, key, err := v.Keys.PublicKey(ctx, keyID, refresh)
	if err != nil || key == nil {
		return "", nil, unauthorized("unknown key "+keyID, err)
	}
	if _, err := checkRSAPublic(key); err != nil {
		return "", nil, unauthorized("unusable key "+keyID, err)
	}
	if owner == "" {
		return "", nil, unauthorized("key "+keyID+" has no owner", nil)
	}
	return owner, key, nil
}

func (v *Verifier) checkDate(h http.Header) error {
	values := h.Values("Date")
	if len(values) != 1 {
		return unauthorized("exactly one Date header is required", nil)
	}
	date, err := http.ParseTime(values[0])
	if err != nil {
		return unauthorized("Date header does not parse", err)
	}
	return v.checkTime("Date", date)
}

// checkTime refuses a signing time (what) further than the skew from now.
func (v *Verifier) checkTime(what string, t time.Time) error {
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	switch d := v.now().Sub(t); {
	case d > skew:
		return unauthorized(what+" is too old (more than "+skew.String()+" ago)", nil)
	case d < -skew:
		return unauthorized(what+" is in the future (more than "+skew.String()+" ahead)", nil)
	}
	return nil
}

// checkExpires refuses a signature whose expiry time has passed.
func (v *Verifier) checkExpires(expires int64) error {
	if v.now().After(time.Unix(expires, 0)) {
		return unauthorized("signature has expired", nil)
	}
	return nil
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

// CheckActor checks that the actor of an incoming activity is the owner of the
// key that signed the request. Both ids are compared in normalised form. A
// mismatch is a *SignatureError with status 403.
func (v *Verifier) CheckActor(verified *Verified, actorID string) error {
	if verified == nil {
		return unauthorized("request is not signed", nil)
	}
	owner, err := NormalizeID(verified.Owner)
	if err != nil {
		return &SignatureError{Status: http.StatusForbidden, Reason: "key owner is not a valid actor id", Err: err}
	}
	actor, err := NormalizeID(actorID)
	if err != nil {
		return &SignatureError{Status: http.StatusForbidden, Reason: "activity actor is not a valid id", Err: err}
	}
	if owner != actor {
		return &SignatureError{Status: http.StatusForbidden, Reason: "activity actor " + actor + " is not the owner of the signing key (" + owner + ")"}
	}
	return nil
}

// headerValue is a covered header's value in both schemes: its lines, each
// trimmed, joined with ", ". host is the request's Host, which Go's server
// takes out of the header map.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		if r.Host != "" {
			return r.Host
		}
		return r.Header.Get("Host")
	}
	var values []string
	for _, v := range r.Header.Values(name) {
		values = append(values, strings.TrimSpace(v))
	}
	return strings.Join(values, ", ")
}

// hasHeader reports whether r carries the named header.
func hasHeader(r *http.Request, name string) bool {
	if name == "host" {
		return r.Host != "" || r.Header.Get("Host") != ""
	}
	return len(r.Header.Values(name)) > 0
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isAlpha(c byte) bool { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }

// isTchar reports whether c may stand in an HTTP token (RFC 9110).
func isTchar(c byte) bool {
	return isAlpha(c) || isDigit(c) || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// isToken reports whether s is a non-empty HTTP token.
func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return s != ""
}
