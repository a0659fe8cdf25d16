package federation

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// TestVerifyRefusesSmuggledHeaders: a quoted headers value that hides a
// second "headers=" once made us check four covered headers while the
// library that verified read "date" alone, so a signature over the date
// authenticated any body.
func TestVerifyRefusesSmuggledHeaders(t *testing.T) {
	key := testKey(t, "a")
	srv := newVerifyServer(t, newVerifier(newKeyring(aliceKeyID, &key.PublicKey)))
	for _, body := range []string{`{"type":"Create"}`, `{"type":"Delete"}`, `{"type":"Flag"}`} {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/inbox", strings.NewReader(body))
		req.Header.Set("Date", testNow.Format(http.TimeFormat))
		sum := sha256.Sum256([]byte(body))
		req.Header.Set("Digest", "SHA-256="+base64.StdEncoding.EncodeToString(sum[:]))
		overDate := signString(t, key, "date: "+req.Header.Get("Date"))
		req.Header.Set("Signature", `keyId="`+aliceKeyID+`",algorithm="rsa-sha256",headers="(request-target) host date digest (x,headers=date",signature="`+overDate+`"`)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		out := <-srv.outcomes
		wantRefused(t, out.err, http.StatusUnauthorized, "malformed signature")
		if resp.StatusCode != http.StatusUnauthorized || out.verified != nil {
			t.Fatalf("body %s: status %d, verified %+v", body, resp.StatusCode, out.verified)
		}
	}
}

func TestVerifyRefusesMalformedCavage(t *testing.T) {
	key := testKey(t, "a")
	body := []byte(`{"type":"Create"}`)
	keys := newKeyring(aliceKeyID, &key.PublicKey)
	srv := newVerifyServer(t, newVerifier(keys))
	// edit takes a valid signature header apart: everything before the
	// signature parameter, and its value.
	edit := func(f func(head, sig string) string) func() *http.Request {
		return func() *http.Request {
			req := signedPost(t, srv.URL+"/inbox", body, aliceSigner(t))
			head, sig, _ := strings.Cut(req.Header.Get("Signature"), `,signature="`)
			req.Header.Set("Signature", f(head, strings.TrimSuffix(sig, `"`)))
			return req
		}
	}
	tests := []refusal{
		{"refuses a parameter given twice", edit(func(head, sig string) string {
			return head + `,headers="date",signature="` + sig + `"`
		}), "parameter headers appears twice"},
		{"refuses an unknown quoted parameter", edit(func(head, sig string) string {
			return head + `,signature="` + sig + `",nonce="abc"`
		}), `unknown parameter "nonce"`},
		{"refuses a parameter name in another case", edit(func(head, sig string) string {
			return strings.Replace(head, "keyId", "keyid", 1) + `,signature="` + sig + `"`
		}), `unknown parameter "keyid"`},
		{"refuses an unterminated quote", edit(func(head, sig string) string {
			return head + `,signature="` + sig
		}), "unterminated quoted value"},
		{"refuses an empty parameter name", edit(func(head, sig string) string {
			return head + `,="x",signature="` + sig + `"`
		}), "empty parameter name"},
		{"refuses a missing keyId", edit(func(head, sig string) string {
			_, rest, _ := strings.Cut(head, ",")
			return rest + `,signature="` + sig + `"`
		}), "keyId and signature are required"},
		{"refuses a missing signature", edit(func(head, sig string) string {
			return head
		}), "keyId and signature are required"},
		{"refuses junk after a quoted value", edit(func(head, sig string) string {
			return head + `,signature="` + sig + `"x`
		}), "junk after parameter signature"},
		{"refuses a trailing comma", edit(func(head, sig string) string {
			return head + `,signature="` + sig + `",`
		}), "trailing comma"},
		{"refuses a comma inside a quoted value", edit(func(head, sig string) string {
			return strings.Replace(head, `#main-key"`, `#main-key,x"`, 1) + `,signature="` + sig + `"`
		}), "has a comma"},
		{"refuses an unknown pseudo-header", edit(func(head, sig string) string {
			return strings.Replace(head, "(request-target)", "(request-target) (method)", 1) + `,signature="` + sig + `"`
		}), `unknown pseudo-header or a bad name "(method)"`},
		{"refuses a header named twice", edit(func(head, sig string) string {
			return strings.Replace(head, "date digest", "date digest Date", 1) + `,signature="` + sig + `"`
		}), "headers names date twice"},
		{"refuses (created) without its parameter", edit(func(head, sig string) string {
			return strings.Replace(head, "date digest", "date digest (created)", 1) + `,signature="` + sig + `"`
		}), "headers names (created) without its parameter"},
		{"refuses a signature that is not base64", edit(func(head, sig string) string {
			return head + `,signature="` + sig + `!"`
		}), "signature is not base64"},
		{"refuses two Signature headers", func() *http.Request {
			req := signedPost(t, srv.URL+"/inbox", body, aliceSigner(t))
			req.Header.Add("Signature", req.Header.Get("Signature"))
			return req
		}, "exactly one Signature header"},
		{"refuses an expired signature", edit(func(head, sig string) string {
			return strings.Replace(head, `,headers=`, `,expires=1000,headers=`, 1) + `,signature="` + sig + `"`
		}), "signature has expired"},
	}
	wantRefusals(t, srv, keys, tests)
}

// TestSignRequestBytes pins the draft-cavage header we send, which
// Mastodon, GoToSocial and Fedify read.
func TestSignRequestBytes(t *testing.T) {
	body := []byte(`{"type":"Follow"}`)
	req := signedPost(t, "https://coop.example/e/caf%C3%A9/inbox?x=1", body, aliceSigner(t))
	sum := sha256.Sum256(body)
	signed := strings.Join([]string{
		"(request-target): post /e/caf%C3%A9/inbox?x=1",
		"host: coop.example",
		"date: Sat, 14 Mar 2026 12:00:00 GMT",
		"digest: SHA-256=" + base64.StdEncoding.EncodeToString(sum[:]),
	}, "\n")
	want := `keyId="` + aliceKeyID + `",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="` + signString(t, testKey(t, "a"), signed) + `"`
	if got := req.Header.Get("Signature"); got != want {
		t.Fatalf("Signature\n got %s\nwant %s", got, want)
	}
	if req.Header.Get("Signature-Input") != "" || req.Header.Get("Content-Digest") != "" {
		t.Fatal("a draft-cavage request carries RFC 9421 headers")
	}
}
