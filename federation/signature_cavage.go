package federation

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

// The pseudo-headers of draft-cavage-http-signatures-12.
const (
	cavageRequestTarget = "(request-target)"
	cavageCreated       = "(created)"
	cavageExpires       = "(expires)"
)

// cavageParamNames are the parameters a draft-cavage Signature header may
// have, in the order we write them (Mastodon's order).
var cavageParamNames = []string{"keyId", "algorithm", "created", "expires", "headers", "signature"}

// cavageParams are the parameters of a draft-cavage Signature header, as the
// one parse of the header read them. The signing string is built from them
// and nothing else.
type cavageParams struct {
	keyID     string
	algorithm string
	created   string   // digits, or empty
	expires   string   // digits, or empty
	headers   []string // lowercase, no name twice; ["date"] when not given
	signature []byte
}

// SignRequest signs r with a draft-cavage signature: it sets the Host and
// Date headers, a Digest header (SHA-256=<base64>) when r carries a body,
// and a Signature header covering "(request-target) host date digest", or
// "(request-target) host date" for a GET or HEAD without body. body must be
// exactly the bytes r will send.
func (s *Signer) SignRequest(r *http.Request, body []byte) error {
	now, err := s.prepare(r)
	if err != nil {
		return err
	}
	r.Header.Set("Host", r.Host)
	r.Header.Set("Date", now.UTC().Format(http.TimeFormat))
	p := &cavageParams{keyID: s.KeyID, algorithm: "rsa-sha256", headers: []string{cavageRequestTarget, "host", "date"}}
	if requestHasBody(r.Method, body) {
		sum := sha256.Sum256(body)
		r.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
		p.headers = append(p.headers, "digest")
	}
	if p.signature, err = s.signSHA256(p.signingString(r)); err != nil {
		return err
	}
	r.Header.Set("Signature", p.String())
	return nil
}

// verifyCavage checks a draft-cavage signature (see Verify).
func (v *Verifier) verifyCavage(r *http.Request, body []byte) (*Verified, error) {
	raw, err := cavageHeader(r.Header)
	if err != nil {
		return nil, err
	}
	p, err := parseCavage(raw)
	if err != nil {
		return nil, unauthorized("malformed signature: "+err.Error(), err)
	}
	if err := p.check(requestHasBody(r.Method, body)); err != nil {
		return nil, err
	}
	if err := checkDigest(r.Header, body, p.covers("digest")); err != nil {
		return nil, err
	}
	if err := v.checkDate(r.Header); err != nil {
		return nil, err
	}
	if p.expires != "" {
		expires, _ := strconv.ParseInt(p.expires, 10, 64)
		if err := v.checkExpires(expires); err != nil {
			return nil, err
		}
	}
	if err := p.present(r); err != nil {
		return nil, err
	}
	return v.verifyWithKey(r.Context(), p.keyID, p.signingString(r), p.signature)
}

// cavageHeader is the one Signature header of a request, or its
// Authorization header with the Signature scheme.
func cavageHeader(h http.Header) (string, error) {
	switch values := h.Values("Signature"); {
	case len(values) == 1:
		return values[0], nil
	case len(values) > 1:
		return "", unauthorized("malformed signature: exactly one Signature header is allowed", nil)
	}
	if auth := h.Values("Authorization"); len(auth) == 1 && strings.HasPrefix(auth[0], "Signature ") {
		return strings.TrimPrefix(auth[0], "Signature "), nil
	}
	return "", unauthorized("request is not signed", nil)
}

// parseCavage reads `name="value",name=token,…` strictly: only the known
// parameters, each once, separated by commas with optional spaces; a quoted
// value holds printable ASCII without commas, quotes or backslashes (no
// value we accept has any, so none can smuggle in a second parameter for
// some other reader to find).
func parseCavage(s string) (*cavageParams, error) {
	kv := map[string]string{}
	rest := strings.Trim(s, " \t")
	for {
		name, value, after, err := cavageParam(rest)
		if err != nil {
			return nil, err
		}
		if !isCavageParam(name) {
			return nil, errors.New("unknown parameter " + strconv.Quote(name))
		}
		if _, dup := kv[name]; dup {
			return nil, errors.New("parameter " + name + " appears twice")
		}
		kv[name] = value
		after = strings.TrimLeft(after, " \t")
		if after == "" {
			break
		}
		if after[0] != ',' {
			return nil, errors.New("junk after parameter " + name)
		}
		if rest = strings.TrimLeft(after[1:], " \t"); rest == "" {
			return nil, errors.New("trailing comma")
		}
	}
	return newCavageParams(kv)
}

// cavageParam reads one name=value from the start of s.
func cavageParam(s string) (name, value, rest string, err error) {
	name, rest, ok := strings.Cut(s, "=")
	if !ok {
		return "", "", "", errors.New("parameter without value")
	}
	if name == "" {
		return "", "", "", errors.New("empty parameter name")
	}
	if !isToken(name) {
		return "", "", "", errors.New("bad parameter name " + strconv.Quote(name))
	}
	if !strings.HasPrefix(rest, `"`) {
		end := 0
		for end < len(rest) && isTchar(rest[end]) {
			end++
		}
		if end == 0 {
			return "", "", "", errors.New("parameter " + name + " has no value")
		}
		return name, rest[:end], rest[end:], nil
	}
	end := strings.IndexByte(rest[1:], '"')
	if end < 0 {
		return "", "", "", errors.New("unterminated quoted value")
	}
	value = rest[1 : 1+end]
	for i := 0; i < len(value); i++ {
		if c := value[i]; c < 0x20 || c > 0x7e || c == ',' || c == '\\' {
			return "", "", "", errors.New("parameter " + name + " has a comma, backslash or control character")
		}
	}
	return name, value, rest[2+end:], nil
}

func isCavageParam(name string) bool {
	for _, n := range cavageParamNames {
		if n == name {
			return true
		}
	}
	return false
}

// newCavageParams checks each value for its parameter.
func newCavageParams(kv map[string]string) (*cavageParams, error) {
	p := &cavageParams{keyID: kv["keyId"], algorithm: kv["algorithm"], created: kv["created"], expires: kv["expires"]}
	if p.keyID == "" || kv["signature"] == "" {
		return nil, errors.New("keyId and signature are required")
	}
	for _, name := range []string{"keyId", "algorithm", "signature"} {
		if strings.ContainsAny(kv[name], " \t") {
			return nil, errors.New("parameter " + name + " has a space")
		}
	}
	for _, name := range []string{"created", "expires"} {
		if v, ok := kv[name]; ok && (v == "" || len(v) > 15 || strings.Trim(v, "0123456789") != "") {
			return nil, errors.New("parameter " + name + " is not a number")
		}
	}
	var err error
	if p.signature, err = base64.StdEncoding.Strict().DecodeString(kv["signature"]); err != nil {
		return nil, errors.New("signature is not base64")
	}
	p.headers = []string{"date"}
	if list, ok := kv["headers"]; ok {
		if p.headers, err = p.headerList(list); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// headerList reads the headers parameter: names separated by one space,
// each a header name or a known pseudo-header, none twice.
func (p *cavageParams) headerList(list string) ([]string, error) {
	names := strings.Split(strings.ToLower(list), " ")
	for i, name := range names {
		switch {
		case name == "":
			return nil, errors.New("empty name in headers")
		case name == cavageCreated && p.created == "", name == cavageExpires && p.expires == "":
			return nil, errors.New("headers names " + name + " without its parameter")
		case name == cavageRequestTarget, name == cavageCreated, name == cavageExpires:
		case !isToken(name):
			return nil, errors.New("headers names an unknown pseudo-header or a bad name " + strconv.Quote(name))
		}
		for _, before := range names[:i] {
			if before == name {
				return nil, errors.New("headers names " + name + " twice")
			}
		}
	}
	return names, nil
}

// String writes the parameters as a Signature header value.
func (p *cavageParams) String() string {
	var b strings.Builder
	b.WriteString(`keyId="` + p.keyID + `"`)
	if p.algorithm != "" {
		b.WriteString(`,algorithm="` + p.algorithm + `"`)
	}
	if p.created != "" {
		b.WriteString(",created=" + p.created)
	}
	if p.expires != "" {
		b.WriteString(",expires=" + p.expires)
	}
	b.WriteString(`,headers="` + strings.Join(p.headers, " ") + `"`)
	b.WriteString(`,signature="` + base64.StdEncoding.EncodeToString(p.signature) + `"`)
	return b.String()
}

// signingString is the string a draft-cavage signature signs: one
// "name: value" line per covered header, in the order of the list.
func (p *cavageParams) signingString(r *http.Request) string {
	lines := make([]string, len(p.headers))
	for i, name := range p.headers {
		var value string
		switch name {
		case cavageRequestTarget:
			value = strings.ToLower(r.Method) + " " + requestTarget(r.URL)
		case cavageCreated:
			value = p.created
		case cavageExpires:
			value = p.expires
		default:
			value = headerValue(r, name)
		}
		lines[i] = name + ": " + value
	}
	return strings.Join(lines, "\n")
}

func (p *cavageParams) covers(header string) bool {
	for _, h := range p.headers {
		if h == header {
			return true
		}
	}
	return false
}

// check applies our rules on the signed header list and the algorithm.
func (p *cavageParams) check(hasBody bool) error {
	required := []string{cavageRequestTarget, "host", "date"}
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
func (p *cavageParams) present(r *http.Request) error {
	for _, name := range p.headers {
		if !strings.HasPrefix(name, "(") && !hasHeader(r, name) {
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
