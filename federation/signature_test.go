package federation

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	aliceKeyID = "https://remote.example/users/alice#main-key"
	aliceID    = "https://remote.example/users/alice"
)

var testNow = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

// keyring is a KeyResolver holding keys in memory. When refreshed is set, a
// lookup with refresh gets it instead of the first key (a rotated key).
type keyring struct {
	mu        sync.Mutex
	keys      map[string]*rsa.PublicKey
	refreshed map[string]*rsa.PublicKey
	calls     []bool
}

func newKeyring(keyID string, key *rsa.PublicKey) *keyring {
	return &keyring{keys: map[string]*rsa.PublicKey{keyID: key}, refreshed: map[string]*rsa.PublicKey{}}
}

func (k *keyring) PublicKey(_ context.Context, keyID string, refresh bool) (string, *rsa.PublicKey, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.calls = append(k.calls, refresh)
	key := k.keys[keyID]
	if next, ok := k.refreshed[keyID]; ok && refresh {
		key = next
	}
	if key == nil {
		return "", nil, errors.New("no such key")
	}
	owner, _, _ := strings.Cut(keyID, "#")
	return owner, key, nil
}

// verifyServer is a real HTTP server that verifies every request it gets and
// hands the outcome to the test.
type verifyServer struct {
	*httptest.Server
	outcomes chan verifyOutcome
}

type verifyOutcome struct {
	verified *Verified
	err      error
}

func newVerifyServer(t *testing.T, v *Verifier) *verifyServer {
	t.Helper()
	s := &verifyServer{outcomes: make(chan verifyOutcome, 1)}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		verified, err := v.Verify(r, body)
		s.outcomes <- verifyOutcome{verified, err}
		var se *SignatureError
		if errors.As(err, &se) {
			http.Error(w, se.Reason, se.Status)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	t.Cleanup(s.Close)
	return s
}

// send sends req and returns what the server's Verifier said.
func (s *verifyServer) send(t *testing.T, req *http.Request) (*Verified, error) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	out := <-s.outcomes
	return out.verified, out.err
}

func newVerifier(keys KeyResolver) *Verifier {
	return &Verifier{Keys: keys, Now: func() time.Time { return testNow }}
}

func aliceSigner(t testing.TB) *Signer {
	return aliceSignerAt(t, 0)
}

// aliceSignerAt signs with a clock d away from testNow.
func aliceSignerAt(t testing.TB, d time.Duration) *Signer {
	return &Signer{KeyID: aliceKeyID, Key: testKey(t, "a"), Now: func() time.Time { return testNow.Add(d) }}
}

// signedPost builds a POST of body to url signed by s (draft-cavage).
func signedPost(t testing.TB, url string, body []byte, s *Signer) *http.Request {
	t.Helper()
	return signedPostAs(t, url, body, s, SchemeCavage)
}

// signedPostAs builds a POST of body to url signed by s with scheme.
func signedPostAs(t testing.TB, url string, body []byte, s *Signer, scheme SignatureScheme) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mediaActivityJSON)
	if err := s.Sign(req, body, scheme); err != nil {
		t.Fatal(err)
	}
	return req
}

// signWithHeaders signs req by hand, with algorithm="hs2019" as go-fed's
// httpsig writes it, covering exactly headers, to build requests our own
// Signer would never send. With a body it sets a SHA-256 Digest; a nil body
// leaves the Digest header as the test set it.
func signWithHeaders(t *testing.T, req *http.Request, body []byte, key *rsa.PrivateKey, headers ...string) {
	t.Helper()
	req.Header.Set("Date", testNow.Format(http.TimeFormat))
	if body != nil {
		sum := sha256.Sum256(body)
		req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
	}
	var lines []string
	for _, h := range headers {
		switch h {
		case "(request-target)":
			lines = append(lines, h+": "+strings.ToLower(req.Method)+" "+req.URL.RequestURI())
		case "host":
			lines = append(lines, h+": "+req.URL.Host)
		default:
			lines = append(lines, h+": "+req.Header.Get(h))
		}
	}
	req.Header.Set("Signature", `keyId="`+aliceKeyID+`",algorithm="hs2019",headers="`+strings.Join(headers, " ")+
		`",signature="`+signString(t, key, strings.Join(lines, "\n"))+`"`)
}

// signString signs s with RSASSA-PKCS1-v1_5 over SHA-256 and returns the
// signature in base64.
func signString(t testing.TB, key *rsa.PrivateKey, s string) string {
	t.Helper()
	hashed := sha256.Sum256([]byte(s))
	raw, err := rsa.SignPKCS1v15(nil, key, crypto.SHA256, hashed[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(raw)
}

// refusal is a request a Verifier must refuse with 401, and a part of the
// reason it must give.
type refusal struct {
	name   string
	req    func() *http.Request
	reason string
}

// wantRefusals sends each request to srv and checks its refusal. With
// keys, it also checks that no key was fetched for it.
func wantRefusals(t *testing.T, srv *verifyServer, keys *keyring, tests []refusal) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := 0
			if keys != nil {
				before = len(keys.calls)
			}
			_, err := srv.send(t, tt.req())
			wantRefused(t, err, http.StatusUnauthorized, tt.reason)
			if keys != nil && len(keys.calls) != before {
				t.Fatal("a key was fetched for a request that could not verify")
			}
		})
	}
}

// wantRefused checks that err is a *SignatureError with status and a reason
// containing reason.
func wantRefused(t *testing.T, err error, status int, reason string) {
	t.Helper()
	var se *SignatureError
	if !errors.As(err, &se) {
		t.Fatalf("got %v, want a *SignatureError", err)
	}
	if se.Status != status || !strings.Contains(se.Reason, reason) {
		t.Fatalf("got %d %q, want %d and a reason containing %q", se.Status, se.Reason, status, reason)
	}
}

func TestSignRequest(t *testing.T) {
	body := []byte(`{"type":"Follow"}`)
	req := signedPost(t, "https://coop.example/e/shakyhands/inbox?x=1", body, aliceSigner(t))
	sum := sha256.Sum256(body)
	want := map[string]string{
		"Host":   "coop.example",
		"Date":   "Sat, 14 Mar 2026 12:00:00 GMT",
		"Digest": "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:]),
	}
	for h, v := range want {
		if got := req.Header.Get(h); got != v {
			t.Errorf("%s = %q, want %q", h, got, v)
		}
	}
	sig := req.Header.Get("Signature")
	for _, part := range []string{`keyId="` + aliceKeyID + `"`, `algorithm="rsa-sha256"`, `headers="(request-target) host date digest"`, `signature="`} {
		if !strings.Contains(sig, part) {
			t.Errorf("Signature %q lacks %s", sig, part)
		}
	}
	t.Run("GET signs request-target, host and date only", func(t *testing.T) {
		get, _ := http.NewRequest(http.MethodGet, "https://coop.example/e/a", nil)
		if err := aliceSigner(t).SignRequest(get, nil); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(get.Header.Get("Signature"), `headers="(request-target) host date"`) || get.Header.Get("Digest") != "" {
			t.Fatalf("unexpected GET signature: %q digest %q", get.Header.Get("Signature"), get.Header.Get("Digest"))
		}
	})
	t.Run("refuses a signer without key", func(t *testing.T) {
		if err := (&Signer{KeyID: aliceKeyID}).SignRequest(req, body); err == nil {
			t.Fatal("signed without a key")
		}
	})
}

func TestVerify(t *testing.T) {
	key := testKey(t, "a")
	body := []byte(`{"type":"Create","actor":"https://remote.example/users/alice"}`)
	srv := newVerifyServer(t, newVerifier(newKeyring(aliceKeyID, &key.PublicKey)))
	inbox := srv.URL + "/e/shakyhands/inbox"

	for _, scheme := range []SignatureScheme{SchemeCavage, SchemeRFC9421} {
		t.Run("accepts a signed POST and names the key owner, "+scheme.String(), func(t *testing.T) {
			v, err := srv.send(t, signedPostAs(t, inbox, body, aliceSigner(t), scheme))
			if err != nil {
				t.Fatal(err)
			}
			if v.KeyID != aliceKeyID || v.Owner != aliceID {
				t.Fatalf("got %+v", v)
			}
		})
		t.Run("accepts a signed GET with a query and an escaped path, "+scheme.String(), func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/e/caf%C3%A9/outbox?page=2", nil)
			if err := aliceSigner(t).Sign(req, nil, scheme); err != nil {
				t.Fatal(err)
			}
			if _, err := srv.send(t, req); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("accepts escaped paths as sent on the wire", func(t *testing.T) {
		if _, err := srv.send(t, signedPost(t, srv.URL+"/e/caf%C3%A9%20co-op/inbox", body, aliceSigner(t))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accepts the Authorization header form", func(t *testing.T) {
		req := signedPost(t, inbox, body, aliceSigner(t))
		req.Header.Set("Authorization", "Signature "+req.Header.Get("Signature"))
		req.Header.Del("Signature")
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accepts hs2019", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
		signWithHeaders(t, req, body, key, "(request-target)", "host", "date", "digest")
		if !strings.Contains(req.Header.Get("Signature"), `algorithm="hs2019"`) {
			t.Fatalf("test request is not hs2019: %s", req.Header.Get("Signature"))
		}
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accepts spaces between parameters", func(t *testing.T) {
		req := signedPost(t, inbox, body, aliceSigner(t))
		req.Header.Set("Signature", strings.ReplaceAll(req.Header.Get("Signature"), `",`, `", `))
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accepts a lowercase sha-256 digest", func(t *testing.T) {
		sum := sha256.Sum256(body)
		req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
		req.Header.Set("Digest", "sha-256="+base64.StdEncoding.EncodeToString(sum[:]))
		// A nil body keeps signWithHeaders from writing its own Digest.
		signWithHeaders(t, req, nil, key, "(request-target)", "host", "date", "digest")
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
}

func TestVerifyRefuses(t *testing.T) {
	key := testKey(t, "a")
	body := []byte(`{"type":"Create"}`)
	keys := newKeyring(aliceKeyID, &key.PublicKey)
	srv := newVerifyServer(t, newVerifier(keys))
	inbox := srv.URL + "/inbox"
	post := func() *http.Request { return signedPost(t, inbox, body, aliceSigner(t)) }
	tests := []refusal{
		{"refuses an unsigned request", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			return req
		}, "request is not signed"},
		{"refuses a tampered body", func() *http.Request {
			req := post()
			req.Body, req.ContentLength = io.NopCloser(strings.NewReader(`{"type":"Delete"}`)), 17
			return req
		}, "Digest does not match the body"},
		{"refuses a POST without Digest header", func() *http.Request {
			req := post()
			req.Header.Del("Digest")
			return req
		}, "Digest header is missing"},
		{"refuses a POST whose signature does not cover digest", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			signWithHeaders(t, req, nil, key, "(request-target)", "host", "date")
			return req
		}, "signature must cover digest"},
		{"refuses a signature without date", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			signWithHeaders(t, req, body, key, "(request-target)", "host", "digest")
			return req
		}, "signature must cover date"},
		{"refuses a signature without request-target", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			signWithHeaders(t, req, body, key, "host", "date", "digest")
			return req
		}, "signature must cover (request-target)"},
		{"refuses a signature without host", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			signWithHeaders(t, req, body, key, "(request-target)", "date", "digest")
			return req
		}, "signature must cover host"},
		{"refuses a digest in another algorithm only", func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			sum := sha512.Sum512(body)
			req.Header.Set("Digest", "SHA-512="+base64.StdEncoding.EncodeToString(sum[:]))
			signWithHeaders(t, req, nil, key, "(request-target)", "host", "date", "digest")
			return req
		}, "Digest must include a SHA-256 value"},
		{"refuses a stale date", func() *http.Request {
			return signedPost(t, inbox, body, aliceSignerAt(t, -61*time.Minute))
		}, "Date is too old"},
		{"refuses a date in the future", func() *http.Request {
			return signedPost(t, inbox, body, aliceSignerAt(t, 61*time.Minute))
		}, "Date is in the future"},
		{"refuses a weaker algorithm name", func() *http.Request {
			req := post()
			req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), "rsa-sha256", "rsa-sha1", 1))
			return req
		}, `unsupported signature algorithm "rsa-sha1"`},
		{"refuses an hmac algorithm name", func() *http.Request {
			req := post()
			req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), "rsa-sha256", "hmac-sha256", 1))
			return req
		}, "unsupported signature algorithm"},
		{"refuses an unknown key", func() *http.Request {
			s := aliceSigner(t)
			s.KeyID = "https://remote.example/users/bob#main-key"
			return signedPost(t, inbox, body, s)
		}, "unknown key https://remote.example/users/bob#main-key"},
		{"refuses a signature by another key", func() *http.Request {
			s := aliceSigner(t)
			s.Key = testKey(t, "b")
			return signedPost(t, inbox, body, s)
		}, "signature does not match the key"},
		{"refuses a request replayed to another path", func() *http.Request {
			req := post()
			req.URL.Path = "/other/inbox"
			return req
		}, "signature does not match the key"},
		{"refuses a signature over date alone that claims a full header list", func() *http.Request {
			req := post()
			// The space before headers once made httpsig fall back to "date".
			req.Header.Set("Signature", `keyId="`+aliceKeyID+`",signature="`+signString(t, key, "date: "+req.Header.Get("Date"))+`", headers="(request-target) host date digest"`)
			return req
		}, "signature does not match the key"},
		{"refuses repeated signature parameters", func() *http.Request {
			req := post()
			req.Header.Set("Signature", req.Header.Get("Signature")+`,keyId="https://evil.example/k"`)
			return req
		}, "malformed signature"},
	}
	wantRefusals(t, srv, nil, tests)
	t.Run("refuses a signed header the request lacks, without fetching a key", func(t *testing.T) {
		req := post()
		req.Header.Del("Content-Type")
		req.Header.Set("Signature", strings.Replace(req.Header.Get("Signature"), "date digest", "date digest content-type", 1))
		before := len(keys.calls)
		_, err := srv.send(t, req)
		wantRefused(t, err, http.StatusUnauthorized, "signed header content-type is missing")
		if len(keys.calls) != before {
			t.Fatal("a key was fetched for a request that could not verify")
		}
	})
}

func TestVerifyKeyRotation(t *testing.T) {
	oldKey, newKey := testKey(t, "a"), testKey(t, "b")
	signer := aliceSigner(t)
	signer.Key = newKey
	body := []byte(`{"type":"Update"}`)

	t.Run("accepts after refreshing a rotated key", func(t *testing.T) {
		keys := newKeyring(aliceKeyID, &oldKey.PublicKey)
		keys.refreshed[aliceKeyID] = &newKey.PublicKey
		srv := newVerifyServer(t, newVerifier(keys))
		if _, err := srv.send(t, signedPost(t, srv.URL+"/inbox", body, signer)); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(keys.calls) != "[false true]" {
			t.Fatalf("resolver calls (refresh flags) = %v, want [false true]", keys.calls)
		}
	})
	t.Run("refuses when the refreshed key is wrong too", func(t *testing.T) {
		keys := newKeyring(aliceKeyID, &oldKey.PublicKey)
		keys.refreshed[aliceKeyID] = &oldKey.PublicKey
		srv := newVerifyServer(t, newVerifier(keys))
		_, err := srv.send(t, signedPost(t, srv.URL+"/inbox", body, signer))
		wantRefused(t, err, http.StatusUnauthorized, "signature does not match the key")
		if len(keys.calls) != 2 {
			t.Fatalf("resolver called %d times, want 2", len(keys.calls))
		}
	})
	t.Run("does not refresh a key that verifies", func(t *testing.T) {
		keys := newKeyring(aliceKeyID, &newKey.PublicKey)
		srv := newVerifyServer(t, newVerifier(keys))
		if _, err := srv.send(t, signedPost(t, srv.URL+"/inbox", body, signer)); err != nil {
			t.Fatal(err)
		}
		if len(keys.calls) != 1 {
			t.Fatalf("resolver called %d times, want 1", len(keys.calls))
		}
	})
}

func TestCheckActor(t *testing.T) {
	v := newVerifier(nil)
	verified := &Verified{KeyID: aliceKeyID, Owner: aliceID}
	t.Run("accepts the key owner in another spelling", func(t *testing.T) {
		if err := v.CheckActor(verified, "https://Remote.Example:443/users/alice"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses an actor who does not own the key", func(t *testing.T) {
		wantRefused(t, v.CheckActor(verified, "https://remote.example/users/bob"), http.StatusForbidden, "is not the owner of the signing key")
	})
	t.Run("refuses a look-alike host", func(t *testing.T) {
		wantRefused(t, v.CheckActor(verified, "https://remote.example.evil.com/users/alice"), http.StatusForbidden, "not the owner")
	})
	t.Run("refuses an actor id that is not a URL", func(t *testing.T) {
		wantRefused(t, v.CheckActor(verified, "alice"), http.StatusForbidden, "not a valid id")
	})
}

// TestVerifyMastodonRequest builds a delivery the way Mastodon writes it
// (its header order, algorithm name, and content-type in the signed headers),
// signing the string by hand rather than with our Signer or httpsig.
func TestVerifyMastodonRequest(t *testing.T) {
	key := testKey(t, "b")
	keyID := "https://mastodon.example/users/Gargron#main-key"
	srv := newVerifyServer(t, newVerifier(newKeyring(keyID, &key.PublicKey)))
	body := []byte(`{"@context":"https://www.w3.org/ns/activitystreams","id":"https://mastodon.example/users/Gargron#follows/1","type":"Follow","actor":"https://mastodon.example/users/Gargron","object":"https://coop.example/e/shakyhands"}`)
	sum := sha256.Sum256(body)
	host := strings.TrimPrefix(srv.URL, "http://")
	date := testNow.Add(-30 * time.Second).Format(http.TimeFormat)
	digest := "SHA-256=" + base64.StdEncoding.EncodeToString(sum[:])
	signed := strings.Join([]string{
		"(request-target): post /e/shakyhands/inbox",
		"host: " + host,
		"date: " + date,
		"digest: " + digest,
		"content-type: application/activity+json",
	}, "\n")
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/e/shakyhands/inbox", bytes.NewReader(body))
	req.Header.Set("Date", date)
	req.Header.Set("Digest", digest)
	req.Header.Set("Content-Type", "application/activity+json")
	req.Header.Set("Signature", `keyId="`+keyID+`",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="`+signString(t, key, signed)+`"`)
	v, err := srv.send(t, req)
	if err != nil {
		t.Fatal(err)
	}
	if v.Owner != "https://mastodon.example/users/Gargron" {
		t.Fatalf("owner %q", v.Owner)
	}
}

func BenchmarkSign(b *testing.B) {
	s := aliceSigner(b)
	body := bytes.Repeat([]byte("x"), 2048)
	for b.Loop() {
		req, _ := http.NewRequest(http.MethodPost, "https://coop.example/inbox", bytes.NewReader(body))
		if err := s.SignRequest(req, body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	key := testKey(b, "a")
	body := bytes.Repeat([]byte("x"), 2048)
	req := signedPost(b, "https://coop.example/inbox", body, aliceSigner(b))
	v := newVerifier(newKeyring(aliceKeyID, &key.PublicKey))
	for b.Loop() {
		if _, err := v.Verify(req, body); err != nil {
			b.Fatal(err)
		}
	}
}
