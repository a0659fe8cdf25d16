package federation

import (
	"bytes"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// signedPost9421 builds a POST of body to url signed by s with RFC 9421.
func signedPost9421(t testing.TB, url string, body []byte, s *Signer) *http.Request {
	t.Helper()
	return signedPostAs(t, url, body, s, SchemeRFC9421)
}

// signByHand sets Signature-Input to label=params and Signature to a
// signature over base, whose lines the test writes out itself.
func signByHand(t *testing.T, req *http.Request, label, params string, base ...string) {
	t.Helper()
	base = append(base, `"@signature-params": `+params)
	req.Header.Set("Signature-Input", label+"="+params)
	req.Header.Set("Signature", label+"=:"+signString(t, testKey(t, "a"), strings.Join(base, "\n"))+":")
}

func contentDigest(body []byte) string {
	sum := sha256.Sum256(body)
	return "sha-256=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
}

func TestSignRFC9421(t *testing.T) {
	body := []byte(`{"type":"Follow"}`)
	req := signedPost9421(t, "https://Coop.Example:443/e/caf%C3%A9/inbox?x=1", body, aliceSigner(t))
	created := strconv.FormatInt(testNow.Unix(), 10)
	params := `("@method" "@target-uri" "content-digest");created=` + created + `;keyid="` + aliceKeyID + `";alg="rsa-v1_5-sha256"`
	base := strings.Join([]string{
		`"@method": POST`,
		`"@target-uri": https://coop.example/e/caf%C3%A9/inbox?x=1`,
		`"content-digest": ` + contentDigest(body),
		`"@signature-params": ` + params,
	}, "\n")
	want := map[string]string{
		"Content-Digest":  contentDigest(body),
		"Signature-Input": "sig1=" + params,
		"Signature":       "sig1=:" + signString(t, testKey(t, "a"), base) + ":",
		"Digest":          "",
	}
	for h, v := range want {
		if got := req.Header.Get(h); got != v {
			t.Errorf("%s\n got %q\nwant %q", h, got, v)
		}
	}
	t.Run("GET covers method and target only", func(t *testing.T) {
		get, _ := http.NewRequest(http.MethodGet, "https://coop.example/e/a", nil)
		if err := aliceSigner(t).SignRFC9421(get, nil); err != nil {
			t.Fatal(err)
		}
		if got := get.Header.Get("Signature-Input"); !strings.HasPrefix(got, `sig1=("@method" "@target-uri");created=`) || get.Header.Get("Content-Digest") != "" {
			t.Fatalf("Signature-Input %q, Content-Digest %q", got, get.Header.Get("Content-Digest"))
		}
	})
}

func TestVerifyRFC9421(t *testing.T) {
	key := testKey(t, "a")
	body := []byte(`{"type":"Create","actor":"https://remote.example/users/alice"}`)
	srv := newVerifyServer(t, newVerifier(newKeyring(aliceKeyID, &key.PublicKey)))
	inbox := srv.URL + "/e/shakyhands/inbox"
	created := strconv.FormatInt(testNow.Add(-time.Minute).Unix(), 10)

	t.Run("accepts Fedify's shape", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
		date := testNow.Format(http.TimeFormat)
		req.Header.Set("Date", date)
		req.Header.Set("Content-Digest", contentDigest(body))
		host := strings.TrimPrefix(srv.URL, "http://")
		signByHand(t, req, "sig1", `("@method" "@target-uri" "@authority" "host" "date" "content-digest");alg="rsa-v1_5-sha256";keyid="`+aliceKeyID+`";created=`+created,
			`"@method": POST`, `"@target-uri": `+inbox, `"@authority": `+host, `"host": `+host, `"date": `+date, `"content-digest": `+contentDigest(body))
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("accepts a sha-512 Content-Digest and another label", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
		sum := sha512.Sum512(body)
		digest := "sha-512=:" + base64.StdEncoding.EncodeToString(sum[:]) + ":"
		req.Header.Set("Content-Digest", digest)
		signByHand(t, req, "mastodon", `("@method" "@target-uri" "content-digest");created=`+created+`;keyid="`+aliceKeyID+`"`,
			`"@method": POST`, `"@target-uri": `+inbox, `"content-digest": `+digest)
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
}

func TestVerifyRFC9421Refuses(t *testing.T) {
	key := testKey(t, "a")
	body := []byte(`{"type":"Create"}`)
	keys := newKeyring(aliceKeyID, &key.PublicKey)
	srv := newVerifyServer(t, newVerifier(keys))
	inbox := srv.URL + "/inbox"
	post := func() *http.Request { return signedPost9421(t, inbox, body, aliceSigner(t)) }
	created := strconv.FormatInt(testNow.Add(-time.Minute).Unix(), 10)
	// byHand signs a POST of body over the given Signature-Input params,
	// with the base lines a correct verifier would build.
	byHand := func(params string, base ...string) func() *http.Request {
		return func() *http.Request {
			req, _ := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
			req.Header.Set("Content-Digest", contentDigest(body))
			signByHand(t, req, "sig1", params, base...)
			return req
		}
	}
	input := func(f func(string) string) func() *http.Request {
		return func() *http.Request {
			req := post()
			req.Header.Set("Signature-Input", f(req.Header.Get("Signature-Input")))
			return req
		}
	}
	tests := []refusal{
		{"refuses a tampered body", func() *http.Request {
			req := post()
			req.Body, req.ContentLength = io.NopCloser(strings.NewReader(`{"type":"Delete"}`)), 17
			return req
		}, "Content-Digest does not match the body"},
		{"refuses a wrong Content-Digest it signed", func() *http.Request {
			req := byHand(`("@method" "@target-uri" "content-digest");created=`+created+`;keyid="`+aliceKeyID+`"`,
				`"@method": POST`, `"@target-uri": `+inbox, `"content-digest": `+contentDigest([]byte("other")))()
			req.Header.Set("Content-Digest", contentDigest([]byte("other")))
			return req
		}, "Content-Digest does not match the body"},
		{"refuses a Content-Digest without sha-256 or sha-512", func() *http.Request {
			req := post()
			req.Header.Set("Content-Digest", "md5=:AAAA:")
			return req
		}, "Content-Digest must include a sha-256 or sha-512 value"},
		{"refuses a created time too old", func() *http.Request { return signedPost9421(t, inbox, body, aliceSignerAt(t, -61*time.Minute)) }, "signature created time is too old"},
		{"refuses a created time in the future", func() *http.Request { return signedPost9421(t, inbox, body, aliceSignerAt(t, 61*time.Minute)) }, "signature created time is in the future"},
		{"refuses an expires in the past", byHand(`("@method" "@target-uri" "content-digest");created=` + created + `;expires=` + strconv.FormatInt(testNow.Add(-time.Second).Unix(), 10) + `;keyid="` + aliceKeyID + `"`),
			"signature has expired"},
		{"refuses a signature without @method", byHand(`("@target-uri" "content-digest");created=` + created + `;keyid="` + aliceKeyID + `"`), "signature must cover @method"},
		{"refuses a signature without @target-uri", byHand(`("@method" "@authority" "@path" "content-digest");created=` + created + `;keyid="` + aliceKeyID + `"`), "signature must cover @target-uri"},
		{"refuses a POST whose signature does not cover content-digest", byHand(`("@method" "@target-uri");created=` + created + `;keyid="` + aliceKeyID + `"`), "signature must cover content-digest"},
		{"refuses a missing created", byHand(`("@method" "@target-uri" "content-digest");keyid="` + aliceKeyID + `"`), "keyid and created are required"},
		{"refuses a missing keyid", byHand(`("@method" "@target-uri" "content-digest");created=` + created), "keyid and created are required"},
		{"refuses another algorithm", byHand(`("@method" "@target-uri" "content-digest");created=` + created + `;keyid="` + aliceKeyID + `";alg="hmac-sha256"`), `unsupported signature algorithm "hmac-sha256"`},
		{"refuses a duplicate label", input(func(in string) string { return in + ", " + in }), `key "sig1" appears twice`},
		{"refuses a duplicate label on a second header line", func() *http.Request {
			req := post()
			req.Header.Add("Signature-Input", req.Header.Get("Signature-Input"))
			return req
		}, `key "sig1" appears twice`},
		{"refuses two signatures", input(func(in string) string { return in + ", sig2=(\"@method\");created=1;keyid=\"k\"" }), "exactly one signature is accepted"},
		{"refuses a parameter given twice", input(func(in string) string { return in + ";created=" + created }), `parameter "created" appears twice`},
		{"refuses an unknown parameter", input(func(in string) string { return in + `;x="y"` }), `unknown parameter "x"`},
		{"refuses a parameter of the wrong type", input(func(in string) string { return strings.Replace(in, `;alg="rsa-v1_5-sha256"`, ";alg=1", 1) }), "parameter alg has the wrong type"},
		{"refuses an unterminated inner list", input(func(in string) string { return strings.Replace(in, `")`, `"`, 1) }), "malformed signature"},
		{"refuses an unterminated string", input(func(in string) string { return strings.TrimSuffix(in, `"`) }), "unterminated string"},
		{"refuses a trailing comma", input(func(in string) string { return in + "," }), "trailing comma"},
		{"refuses an uppercase label", input(func(in string) string { return "S" + in }), "expected a key"},
		{"refuses component parameters", input(func(in string) string { return strings.Replace(in, `"content-digest"`, `"content-digest";sf`, 1) }), "component parameters are not supported"},
		{"refuses a component covered twice", input(func(in string) string { return strings.Replace(in, `"@method"`, `"@method" "@method"`, 1) }), "component @method is covered twice"},
		{"refuses an unknown derived component", input(func(in string) string { return strings.Replace(in, `"@method"`, `"@method" "@status"`, 1) }), `unsupported derived component "@status"`},
		{"refuses an uppercase header name", input(func(in string) string { return strings.Replace(in, `"content-digest"`, `"Content-Digest"`, 1) }), `bad component name "Content-Digest"`},
		{"refuses labels that differ", func() *http.Request {
			req := post()
			req.Header.Set("Signature", "sig2"+strings.TrimPrefix(req.Header.Get("Signature"), "sig1"))
			return req
		}, "name different labels"},
		{"refuses a signature that is not a byte sequence", func() *http.Request {
			req := post()
			req.Header.Set("Signature", `sig1="abc"`)
			return req
		}, "the Signature member is not a byte sequence"},
		{"refuses a missing Signature header", func() *http.Request {
			req := post()
			req.Header.Del("Signature")
			return req
		}, "Signature-Input without Signature"},
		{"refuses a covered header the request lacks", byHand(`("@method" "@target-uri" "content-digest" "x-missing");created=` + created + `;keyid="` + aliceKeyID + `"`), "signed header x-missing is missing"},
	}
	wantRefusals(t, srv, keys, tests)
	verifyFails := []struct {
		name string
		req  func() *http.Request
	}{
		{"refuses a signature by another key", func() *http.Request {
			s := aliceSigner(t)
			s.Key = testKey(t, "b")
			return signedPost9421(t, inbox, body, s)
		}},
		{"refuses a request replayed to another path", func() *http.Request {
			req := post()
			req.URL.Path = "/other/inbox"
			return req
		}},
		{"refuses a request replayed as another method", func() *http.Request {
			req := post()
			req.Method = http.MethodPut
			return req
		}},
		{"refuses a signature made for https sent over http", func() *http.Request {
			req := post()
			u := *req.URL
			u.Scheme = "https"
			https, _ := http.NewRequest(http.MethodPost, u.String(), bytes.NewReader(body))
			if err := aliceSigner(t).SignRFC9421(https, body); err != nil {
				t.Fatal(err)
			}
			req.Header = https.Header
			return req
		}},
	}
	for _, tt := range verifyFails {
		t.Run(tt.name, func(t *testing.T) {
			_, err := srv.send(t, tt.req())
			wantRefused(t, err, http.StatusUnauthorized, "signature does not match the key")
		})
	}
}

func TestVerifyRFC9421Scheme(t *testing.T) {
	key := testKey(t, "a")
	v := newVerifier(newKeyring(aliceKeyID, &key.PublicKey))
	v.Scheme = "https"
	srv := newVerifyServer(t, v)
	body := []byte(`{"type":"Create"}`)
	t.Run("accepts a signature for https behind a proxy that ends TLS", func(t *testing.T) {
		req := signedPost9421(t, strings.Replace(srv.URL, "http://", "https://", 1)+"/inbox", body, aliceSigner(t))
		req.URL.Scheme = "http"
		if _, err := srv.send(t, req); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses one for http", func(t *testing.T) {
		_, err := srv.send(t, signedPost9421(t, srv.URL+"/inbox", body, aliceSigner(t)))
		wantRefused(t, err, http.StatusUnauthorized, "signature does not match the key")
	})
}

func TestVerifyRFC9421KeyRotation(t *testing.T) {
	oldKey, newKey := testKey(t, "a"), testKey(t, "b")
	signer := aliceSigner(t)
	signer.Key = newKey
	keys := newKeyring(aliceKeyID, &oldKey.PublicKey)
	keys.refreshed[aliceKeyID] = &newKey.PublicKey
	srv := newVerifyServer(t, newVerifier(keys))
	if _, err := srv.send(t, signedPost9421(t, srv.URL+"/inbox", []byte(`{}`), signer)); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(keys.calls) != "[false true]" {
		t.Fatalf("resolver calls (refresh flags) = %v, want [false true]", keys.calls)
	}
}
