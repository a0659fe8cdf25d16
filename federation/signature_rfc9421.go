package federation

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// RFC 9421 HTTP Message Signatures, as Mastodon 4.5 verifies them and Fedify
// 1.6 sends them: one signature, RSASSA-PKCS1-v1_5 with SHA-256, covering at
// least @method and @target-uri, and content-digest (RFC 9530) with a body.
const (
	rfc9421Alg   = "rsa-v1_5-sha256"
	rfc9421Label = "sig1"
)

// rfc9421Derived are the derived components we rebuild. @query-param and
// @status need component parameters or a response, which we refuse.
var rfc9421Derived = []string{"@method", "@target-uri", "@authority", "@scheme", "@request-target", "@path", "@query"}

// httpSignature is one RFC 9421 signature: its Signature-Input member and
// its Signature member, as the one parse of both headers read them. The
// signature base is built from it and nothing else.
type httpSignature struct {
	label      string
	components []string
	params     []sfParam // in the order given: they are signed in that order
	keyID      string
	alg        string
	created    int64
	expires    int64
	hasExpires bool
	signature  []byte
}

// SignRFC9421 signs r with an RFC 9421 signature labelled sig1: it sets a
// Content-Digest header (sha-256) when r carries a body, and Signature-Input
// and Signature headers covering "@method" "@target-uri", and
// "content-digest" with a body, with the created, keyid and alg
// (rsa-v1_5-sha256) parameters. body must be exactly the bytes r will send.
func (s *Signer) SignRFC9421(r *http.Request, body []byte) error {
	now, err := s.prepare(r)
	if err != nil {
		return err
	}
	components := []string{"@method", "@target-uri"}
	if requestHasBody(r.Method, body) {
		sum := sha256.Sum256(body)
		r.Header.Set("Content-Digest", serializeSFDictionary([]sfMember{{key: "sha-256", value: sum[:]}}))
		components = append(components, "content-digest")
	}
	params := []sfParam{{"created", now.Unix()}, {"keyid", s.KeyID}, {"alg", rfc9421Alg}}
	sig, err := newHTTPSignature(rfc9421Label, components, params)
	if err != nil {
		return err
	}
	if sig.signature, err = s.signSHA256(sig.base(r, strings.ToLower(r.URL.Scheme))); err != nil {
		return err
	}
	input, signature := sig.headers()
	r.Header.Set("Signature-Input", input)
	r.Header.Set("Signature", signature)
	return nil
}

// verifyRFC9421 checks an RFC 9421 signature (see Verify).
func (v *Verifier) verifyRFC9421(r *http.Request, body []byte) (*Verified, error) {
	s, err := parseRFC9421(r.Header)
	if err != nil {
		return nil, unauthorized("malformed signature: "+err.Error(), err)
	}
	if err := s.check(requestHasBody(r.Method, body)); err != nil {
		return nil, err
	}
	if err := v.checkTime("signature created time", time.Unix(s.created, 0)); err != nil {
		return nil, err
	}
	if s.hasExpires {
		if err := v.checkExpires(s.expires); err != nil {
			return nil, err
		}
	}
	if s.covers("content-digest") {
		if err := checkContentDigest(r.Header, body); err != nil {
			return nil, err
		}
	}
	if err := s.present(r); err != nil {
		return nil, err
	}
	return v.verifyWithKey(r.Context(), s.keyID, s.base(r, v.scheme(r)), s.signature)
}

// scheme is the scheme the request was sent to.
func (v *Verifier) scheme(r *http.Request) string {
	switch {
	case v.Scheme != "":
		return strings.ToLower(v.Scheme)
	case r.TLS != nil:
		return "https"
	}
	return "http"
}

// parseRFC9421 reads the Signature-Input and Signature headers (each of
// their lines joined, as RFC 8941 says) as strict dictionaries of exactly
// one member with the same label.
func parseRFC9421(h http.Header) (*httpSignature, error) {
	inputs, err := parseSFDictionary(strings.Join(h.Values("Signature-Input"), ", "))
	if err != nil {
		return nil, errors.New("Signature-Input: " + err.Error())
	}
	if len(h.Values("Signature")) == 0 {
		return nil, errors.New("Signature-Input without Signature")
	}
	sigs, err := parseSFDictionary(strings.Join(h.Values("Signature"), ", "))
	if err != nil {
		return nil, errors.New("Signature: " + err.Error())
	}
	if len(inputs) != 1 || len(sigs) != 1 {
		return nil, errors.New("exactly one signature is accepted")
	}
	in, sig := inputs[0], sigs[0]
	if in.key != sig.key {
		return nil, errors.New("Signature-Input and Signature name different labels")
	}
	if !in.isList {
		return nil, errors.New("the Signature-Input member is not an inner list")
	}
	raw, ok := sig.value.([]byte)
	if sig.isList || !ok || len(sig.params) > 0 || len(raw) == 0 {
		return nil, errors.New("the Signature member is not a byte sequence")
	}
	var components []string
	for _, it := range in.list {
		name, ok := it.value.(string)
		if !ok {
			return nil, errors.New("covered components must be strings")
		}
		if len(it.params) > 0 {
			return nil, errors.New("component parameters are not supported")
		}
		components = append(components, name)
	}
	s, err := newHTTPSignature(in.key, components, in.params)
	if err != nil {
		return nil, err
	}
	s.signature = raw
	return s, nil
}

// newHTTPSignature checks components and params: known derived components
// or lowercase header names, none twice; the parameters keyid (required),
// created (required), expires, alg, nonce and tag, of their types.
func newHTTPSignature(label string, components []string, params []sfParam) (*httpSignature, error) {
	s := &httpSignature{label: label, params: params}
	for _, name := range components {
		switch {
		case strings.HasPrefix(name, "@") && !slices.Contains(rfc9421Derived, name):
			return nil, errors.New("unsupported derived component " + strconv.Quote(name))
		case !strings.HasPrefix(name, "@") && (!isToken(name) || strings.ToLower(name) != name):
			return nil, errors.New("bad component name " + strconv.Quote(name))
		case slices.Contains(s.components, name):
			return nil, errors.New("component " + name + " is covered twice")
		}
		s.components = append(s.components, name)
	}
	hasCreated := false
	for _, p := range params {
		str, isString := p.value.(string)
		n, isInt := p.value.(int64)
		switch {
		case (p.key == "keyid" || p.key == "alg" || p.key == "nonce" || p.key == "tag") && !isString,
			(p.key == "created" || p.key == "expires") && !isInt:
			return nil, errors.New("parameter " + p.key + " has the wrong type")
		case p.key == "keyid":
			s.keyID = str
		case p.key == "alg":
			s.alg = str
		case p.key == "created":
			s.created, hasCreated = n, true
		case p.key == "expires":
			s.expires, s.hasExpires = n, true
		case p.key != "nonce" && p.key != "tag":
			return nil, errors.New("unknown parameter " + strconv.Quote(p.key))
		}
	}
	if s.keyID == "" || !hasCreated {
		return nil, errors.New("keyid and created are required")
	}
	return s, nil
}

// headers writes the signature as Signature-Input and Signature values.
func (s *httpSignature) headers() (input, signature string) {
	return s.label + "=" + s.inputList(), s.label + "=:" + base64.StdEncoding.EncodeToString(s.signature) + ":"
}

// inputList is the signature's inner list: the value of @signature-params.
func (s *httpSignature) inputList() string {
	items := make([]sfItem, len(s.components))
	for i, c := range s.components {
		items[i] = sfItem{value: c}
	}
	var b strings.Builder
	writeSFInnerList(&b, items, s.params)
	return b.String()
}

// base is the signature base (RFC 9421 section 2.5) for r sent to scheme.
func (s *httpSignature) base(r *http.Request, scheme string) string {
	var b strings.Builder
	for _, c := range s.components {
		b.WriteString(sfQuote(c) + ": " + componentValue(r, c, scheme) + "\n")
	}
	b.WriteString(`"@signature-params": ` + s.inputList())
	return b.String()
}

// componentValue is the value of one covered component of r.
func componentValue(r *http.Request, name, scheme string) string {
	switch name {
	case "@method":
		return r.Method
	case "@target-uri":
		return scheme + "://" + authority(scheme, r.Host) + requestTarget(r.URL)
	case "@authority":
		return authority(scheme, r.Host)
	case "@scheme":
		return scheme
	case "@request-target":
		return requestTarget(r.URL)
	case "@path":
		return wirePath(r.URL)
	case "@query":
		return "?" + r.URL.RawQuery
	}
	return headerValue(r, name)
}

// authority is host in lowercase without the scheme's default port.
func authority(scheme, host string) string {
	host = strings.ToLower(host)
	if scheme == "https" {
		return strings.TrimSuffix(host, ":443")
	}
	return strings.TrimSuffix(host, ":80")
}

func (s *httpSignature) covers(component string) bool {
	return slices.Contains(s.components, component)
}

// check applies Mastodon's rules on what is covered, and the algorithm.
func (s *httpSignature) check(hasBody bool) error {
	required := []string{"@method", "@target-uri"}
	if hasBody {
		required = append(required, "content-digest")
	}
	for _, c := range required {
		if !s.covers(c) {
			return unauthorized("signature must cover "+c, nil)
		}
	}
	if s.alg != "" && s.alg != rfc9421Alg {
		return unauthorized("unsupported signature algorithm "+strconv.Quote(s.alg)+"; use "+rfc9421Alg, nil)
	}
	return nil
}

// present refuses a signature over headers the request lacks.
func (s *httpSignature) present(r *http.Request) error {
	for _, c := range s.components {
		if !strings.HasPrefix(c, "@") && !hasHeader(r, c) {
			return unauthorized("signed header "+c+" is missing", nil)
		}
	}
	return nil
}

// checkContentDigest checks a signed Content-Digest header (RFC 9530)
// against the body: every sha-256 and sha-512 value must match, and at
// least one must be there. Other algorithms are ignored.
func checkContentDigest(h http.Header, body []byte) error {
	values := h.Values("Content-Digest")
	if len(values) == 0 {
		return unauthorized("Content-Digest header is missing", nil)
	}
	members, err := parseSFDictionary(strings.Join(values, ", "))
	if err != nil {
		return unauthorized("Content-Digest does not parse", err)
	}
	sum256, sum512 := sha256.Sum256(body), sha512.Sum512(body)
	found := false
	for _, m := range members {
		var want []byte
		switch m.key {
		case "sha-256":
			want = sum256[:]
		case "sha-512":
			want = sum512[:]
		default:
			continue
		}
		if got, ok := m.value.([]byte); m.isList || !ok || !bytes.Equal(got, want) {
			return unauthorized("Content-Digest does not match the body", nil)
		}
		found = true
	}
	if !found {
		return unauthorized("Content-Digest must include a sha-256 or sha-512 value", nil)
	}
	return nil
}
