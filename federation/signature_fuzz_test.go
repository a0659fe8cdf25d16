package federation

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

// fuzzRequest is a signed-looking POST for the fuzz targets to verify:
// Verify runs every check and builds the signing string, then fails at
// the key lookup (there is no resolver), so no RSA is spent.
func fuzzRequest(h http.Header) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, "https://coop.example/inbox?x=1", strings.NewReader("{}"))
	req.Header = h
	req.Header.Set("Date", testNow.Format(http.TimeFormat))
	req.Header.Set("Digest", "SHA-256=RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=")
	req.Header.Set("Content-Digest", "sha-256=:RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o=:")
	req.Header.Set("Content-Type", mediaActivityJSON)
	req.Host = "coop.example"
	return req
}

// wantSignatureError fails unless err is a *SignatureError: Verify must
// answer every header, however broken, with one.
func wantSignatureError(t *testing.T, err error) {
	t.Helper()
	var se *SignatureError
	if !errors.As(err, &se) || se.Status != http.StatusUnauthorized {
		t.Fatalf("Verify answered %v, want a 401 *SignatureError", err)
	}
}

func noneTwice(t *testing.T, names []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Fatalf("%q is covered twice in %q", n, names)
		}
		seen[n] = true
	}
}

// FuzzCavageHeader: a draft-cavage Signature header that parses writes
// back to one that parses to the same parameters, covers no header twice,
// and Verify answers every header with a *SignatureError.
func FuzzCavageHeader(f *testing.F) {
	f.Add(`keyId="https://remote.example/users/alice#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="YWJj"`)
	f.Fuzz(func(t *testing.T, s string) {
		_, err := (&Verifier{Now: func() time.Time { return testNow }}).Verify(fuzzRequest(http.Header{"Signature": {s}}), []byte("{}"))
		wantSignatureError(t, err)
		p, err := parseCavage(s)
		if err != nil {
			return
		}
		noneTwice(t, p.headers)
		again, err := parseCavage(p.String())
		if err != nil {
			t.Fatalf("%q parsed, but its serialisation %q does not: %v", s, p.String(), err)
		}
		if !reflect.DeepEqual(p, again) {
			t.Fatalf("%q parsed to %+v, its serialisation %q to %+v", s, p, p.String(), again)
		}
	})
}

// FuzzRFC9421Header: Signature-Input and Signature values that parse
// write back to values that parse to the same signature, cover no
// component twice, and Verify answers every pair with a *SignatureError.
func FuzzRFC9421Header(f *testing.F) {
	f.Add(`sig1=("@method" "@target-uri" "content-digest");created=1773489600;keyid="https://remote.example/users/alice#main-key";alg="rsa-v1_5-sha256"`, `sig1=:YWJj:`)
	f.Fuzz(func(t *testing.T, input, signature string) {
		h := http.Header{"Signature-Input": {input}, "Signature": {signature}}
		_, err := (&Verifier{Now: func() time.Time { return testNow }}).Verify(fuzzRequest(h), []byte("{}"))
		wantSignatureError(t, err)
		s, err := parseRFC9421(http.Header{"Signature-Input": {input}, "Signature": {signature}})
		if err != nil {
			return
		}
		noneTwice(t, s.components)
		in, sig := s.headers()
		again, err := parseRFC9421(http.Header{"Signature-Input": {in}, "Signature": {sig}})
		if err != nil {
			t.Fatalf("%q %q parsed, but their serialisation %q %q does not: %v", input, signature, in, sig, err)
		}
		if !reflect.DeepEqual(s, again) {
			t.Fatalf("%q %q parsed to %+v, their serialisation %q %q to %+v", input, signature, s, in, sig, again)
		}
	})
}
