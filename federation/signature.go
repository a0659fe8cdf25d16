package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-fed/httpsig"
)

// DefaultMaxSkew is how far a signed request's Date may be from our clock, in
// either direction, when Verifier.MaxSkew is zero.
const DefaultMaxSkew = time.Hour

// Signer signs outgoing requests as one actor with draft-cavage HTTP
// signatures (rsa-sha256), the scheme Mastodon expects. It is safe for
// concurrent use.
type Signer struct {
	KeyID string           // the actor's key id, e.g. "https://host/e/shakyhands#main-key"
	Key   *rsa.PrivateKey  // the actor's private key
	Now   func() time.Time // clock for the Date header; time.Now when nil
}

// SignRequest sets the Host and Date headers of r, a Digest header
// (SHA-256=<base64>) when r carries a body, and a Signature header covering
// "(request-target) host date digest", or "(request-target) host date" for a
// GET or HEAD without body. body must be exactly the bytes r will send.
func (s *Signer) SignRequest(r *http.Request, body []byte) error {
	if s == nil || s.Key == nil || s.KeyID == "" {
		return errors.New("federation: signer has no key")
	}
	if strings.ContainsAny(s.KeyID, "\", \t\r\n") {
		return errors.New("federation: key id must not contain quotes, commas or spaces")
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	if r.Host == "" {
		r.Host = r.URL.Host
	}
	r.Header.Set("Host", r.Host)
	r.Header.Set("Date", now().UTC().Format(http.TimeFormat))
	r.Header.Del("Digest")
	r.Header.Del("Signature")
	headers := []string{httpsig.RequestTarget, "host", "date"}
	if requestHasBody(r.Method, body) {
		headers = append(headers, "digest")
		if body == nil {
			body = []byte{}
		}
	} else {
		body = nil
	}
	hs, _, err := httpsig.NewSigner([]httpsig.Algorithm{httpsig.RSA_SHA256}, httpsig.DigestSha256, headers, httpsig.Signature, 0)
	if err != nil {
		return err
	}
	if err := hs.SignRequest(s.Key, s.KeyID, wireTarget(r, false), body); err != nil {
		return err
	}
	// httpsig writes algorithm="hs2019"; Mastodon and older servers want the
	// explicit name. The parameter is not part of the signed string.
	sig := r.Header.Get("Signature")
	r.Header.Set("Signature", strings.Replace(sig, `algorithm="hs2019"`, `algorithm="rsa-sha256"`, 1))
	return nil
}

// requestHasBody reports whether a request must carry (and sign) a Digest.
func requestHasBody(method string, body []byte) bool {
	return len(body) > 0 || (method != http.MethodGet && method != http.MethodHead)
}

// wireTarget returns a shallow copy of r whose URL.Path is the escaped path
// sent on the wire: httpsig builds (request-target) from URL.Path, which Go
// keeps decoded. With clone, the headers are copied too.
func wireTarget(r *http.Request, clone bool) *http.Request {
	c := new(http.Request)
	*c = *r
	if clone {
		c.Header = r.Header.Clone()
	}
	u := *r.URL
	u.Path, u.RawPath = r.URL.EscapedPath(), ""
	c.URL = &u
	return c
}

// KeyResolver finds the public key behind a signature's keyId. refresh asks it
// to skip any cache and fetch the key again (the sender may have rotated it).
// owner is the id of the actor the key belongs to.
type KeyResolver interface {
	PublicKey(ctx context.Context, keyID string, refresh bool) (owner string, key *rsa.PublicKey, err error)
}

// Verifier checks the HTTP signatures of incoming requests.
type Verifier struct {
	Keys    KeyResolver
	Now     func() time.Time // time.Now when nil
	MaxSkew time.Duration    // DefaultMaxSkew when zero
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

// Verify checks the signature of r, whose body has been read into body. The
// cheap checks (headers, digest, date) run before the key is resolved. When
// the resolved key does not verify, the key is resolved once more with
// refresh set, in case the sender rotated it. Every failure is a
// *SignatureError.
func (v *Verifier) Verify(r *http.Request, body []byte) (*Verified, error) {
	params, err := signatureParams(r.Header)
	if err != nil {
		return nil, err
	}
	if err := params.check(requestHasBody(r.Method, body)); err != nil {
		return nil, err
	}
	if err := checkDigest(r.Header, body, params.covers("digest")); err != nil {
		return nil, err
	}
	if err := v.checkDate(r.Header); err != nil {
		return nil, err
	}
	if err := params.present(r.Header); err != nil {
		return nil, err
	}
	// httpsig reads the header again with a simpler parser; hand it the
	// parameters exactly as we checked them, so both read the same list.
	target := wireTarget(r, true)
	target.Header.Del("Authorization")
	target.Header.Set("Signature", params.canonical())
	hv, err := httpsig.NewVerifier(target)
	if err != nil || hv.KeyId() != params.keyID {
		return nil, unauthorized("malformed signature", err)
	}
	return v.verifyWithKey(r.Context(), hv, params.keyID)
}

func (v *Verifier) verifyWithKey(ctx context.Context, hv httpsig.Verifier, keyID string) (*Verified, error) {
	owner, key, err := v.resolve(ctx, keyID, false)
	if err != nil {
		return nil, err
	}
	if hv.Verify(key, httpsig.RSA_SHA256) == nil {
		return &Verified{KeyID: keyID, Owner: owner}, nil
	}
	owner, key, err = v.resolve(ctx, keyID, true)
	if err != nil {
		return nil, err
	}
	// The algorithm is fixed: the algorithm parameter of the header never
	// chooses how we verify.
	if err := hv.Verify(key, httpsig.RSA_SHA256); err != nil {
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
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	skew := v.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	d := now().Sub(date)
	switch {
	case d > skew:
		return unauthorized("Date is too old (more than "+skew.String()+" ago)", nil)
	case d < -skew:
		return unauthorized("Date is in the future (more than "+skew.String()+" ahead)", nil)
	}
	return nil
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

// sigParams are the parameters of a Signature header that we check ourselves
// before httpsig verifies the signature string.
type sigParams struct {
	keyID     string
	algorithm string
	headers   []string
	all       map[string]string
}

// canonical writes the parameters httpsig uses back as one header value.
func (p *sigParams) canonical() string {
	var parts []string
	for _, name := range []string{"keyId", "algorithm", "created", "expires", "headers", "signature"} {
		if v, ok := p.all[name]; ok {
			parts = append(parts, name+`="`+v+`"`)
		}
	}
	return strings.Join(parts, ",")
}

// signatureParams reads the Signature header, or an Authorization header with
// the Signature scheme.
func signatureParams(h http.Header) (*sigParams, error) {
	raw := h.Get("Signature")
	if raw == "" {
		if auth := h.Get("Authorization"); strings.HasPrefix(auth, "Signature ") {
			raw = strings.TrimPrefix(auth, "Signature ")
		}
	}
	if raw == "" {
		return nil, unauthorized("request is not signed", nil)
	}
	kv, err := parseSignatureHeader(raw)
	if err != nil {
		return nil, unauthorized("malformed signature", err)
	}
	if kv["keyId"] == "" || kv["signature"] == "" {
		return nil, unauthorized("malformed signature: keyId and signature are required", nil)
	}
	p := &sigParams{keyID: kv["keyId"], algorithm: kv["algorithm"], headers: []string{"date"}, all: kv}
	if list, ok := kv["headers"]; ok {
		p.headers = strings.Fields(strings.ToLower(list))
	}
	return p, nil
}

// parseSignatureHeader splits `k1="v1",k2=v2` into a map. Repeated names are
// refused, so nobody can make us and httpsig read different values.
func parseSignatureHeader(s string) (map[string]string, error) {
	kv := map[string]string{}
	for s = strings.TrimSpace(s); s != ""; s = strings.TrimLeft(s, ", \t") {
		name, rest, ok := strings.Cut(s, "=")
		if !ok {
			return nil, errors.New("parameter without value")
		}
		name = strings.TrimSpace(name)
		var value string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return nil, errors.New("unterminated quoted value")
			}
			value, s = rest[1:1+end], rest[2+end:]
		} else {
			value, s, _ = strings.Cut(rest, ",")
			value = strings.TrimSpace(value)
		}
		if _, dup := kv[name]; dup {
			return nil, errors.New("parameter " + name + " appears twice")
		}
		kv[name] = value
	}
	return kv, nil
}

func (p *sigParams) covers(header string) bool {
	for _, h := range p.headers {
		if h == header {
			return true
		}
	}
	return false
}

// check applies our rules on the signed header list and the algorithm.
func (p *sigParams) check(hasBody bool) error {
	required := []string{httpsig.RequestTarget, "host", "date"}
	if hasBody {
		required = append(required, "digest")
	}
	for _, h := range required {
		if !p.covers(h) {
			return unauthorized("signature must cover "+h, nil)
		}
	}
	switch strings.ToLower(p.algorithm) {
	case "", "rsa-sha256", "hs2019":
		return nil
	}
	return unauthorized("unsupported signature algorithm "+strconv.Quote(p.algorithm)+"; use rsa-sha256 or hs2019", nil)
}

// present refuses a signature over headers the request lacks before any key
// is fetched, so a broken request never costs a key refresh.
func (p *sigParams) present(h http.Header) error {
	for _, name := range p.headers {
		if name != "host" && !strings.HasPrefix(name, "(") && len(h.Values(name)) == 0 {
			return unauthorized("signed header "+name+" is missing", nil)
		}
	}
	return nil
}

// checkDigest checks a signed Digest header against the body. Only SHA-256
// counts: every SHA-256 value present must match, and at least one must be.
func checkDigest(h http.Header, body []byte, signed bool) error {
	if !signed {
		return nil
	}
	values := h.Values("Digest")
	if len(values) == 0 {
		return unauthorized("Digest header is missing", nil)
	}
	sum := sha256.Sum256(body)
	found := false
	for _, v := range values {
		for _, item := range strings.Split(v, ",") {
			alg, enc, _ := strings.Cut(strings.TrimSpace(item), "=")
			if !strings.EqualFold(alg, "sha-256") {
				continue
			}
			got, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
			if err != nil || !bytes.Equal(got, sum[:]) {
				return unauthorized("Digest does not match the body", err)
			}
			found = true
		}
	}
	if !found {
		return unauthorized("Digest must include a SHA-256 value", nil)
	}
	return nil
}
