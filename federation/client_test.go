package federation

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// newDocServer serves ActivityPub documents whose id is their own URL, with
// the content type given by ?type= (activity+json by default).
func newDocServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func serveDoc(w http.ResponseWriter, r *http.Request) {
	ctype := r.URL.Query().Get("type")
	if ctype == "" {
		ctype = mediaActivityJSON
	}
	w.Header().Set("Content-Type", ctype)
	fmt.Fprintf(w, `{"id":"http://%s%s","type":"Organization"}`, r.Host, r.URL.RequestURI())
}

func localClient(opt ClientOptions) *Client {
	opt.AllowPrivate = true
	return NewClient(opt)
}

// wantFetchError checks that err is a *FetchError whose reason contains reason.
func wantFetchError(t *testing.T, err error, reason string) *FetchError {
	t.Helper()
	var fe *FetchError
	if !errors.As(err, &fe) {
		t.Fatalf("got %v, want a *FetchError", err)
	}
	if !strings.Contains(fe.Reason, reason) {
		t.Fatalf("reason %q, want it to contain %q", fe.Reason, reason)
	}
	return fe
}

func TestFetchDocument(t *testing.T) {
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Accept"), mediaActivityJSON) || r.Header.Get("User-Agent") != "coopdir-test" {
			http.Error(w, "bad request headers", http.StatusBadRequest)
			return
		}
		switch r.URL.Path {
		case "/old":
			http.Redirect(w, r, "/new", http.StatusMovedPermanently)
		case "/other-id":
			w.Header().Set("Content-Type", mediaActivityJSON)
			fmt.Fprintf(w, `{"id":"http://%s/somewhere-else"}`, r.Host)
		case "/spelled":
			w.Header().Set("Content-Type", mediaActivityJSON)
			fmt.Fprintf(w, `{"id":"HTTP://%s/spelled#it"}`, r.Host)
		case "/no-id":
			w.Header().Set("Content-Type", mediaActivityJSON)
			fmt.Fprint(w, `{"type":"Note"}`)
		case "/array":
			w.Header().Set("Content-Type", mediaActivityJSON)
			fmt.Fprint(w, `[1,2]`)
		default:
			serveDoc(w, r)
		}
	})
	c := localClient(ClientOptions{UserAgent: "coopdir-test"})
	ctx := context.Background()

	accepted := map[string]string{
		"accepts application/activity+json":            "/e/a",
		"accepts parameters and case in the type":      "/e/a?type=Application/Activity%2BJSON%3B+charset=utf-8",
		"accepts ld+json with the asNamespace profile": "/e/a?type=application/ld%2Bjson%3B+profile=%22https://www.w3.org/ns/activitystreams%22",
		"ignores the fragment of the requested URL":    "/e/a#main-key",
	}
	for name, path := range accepted {
		t.Run(name, func(t *testing.T) {
			body, final, err := c.FetchDocument(ctx, srv.URL+path)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(body, []byte(`"Organization"`)) || final.Path != "/e/a" {
				t.Fatalf("got %s from %s", body, final)
			}
		})
	}
	t.Run("follows a redirect and checks the id against the final URL", func(t *testing.T) {
		_, final, err := c.FetchDocument(ctx, srv.URL+"/old")
		if err != nil {
			t.Fatal(err)
		}
		if final.String() != srv.URL+"/new" {
			t.Fatalf("final URL %s", final)
		}
	})
	t.Run("accepts an id spelled differently but equal", func(t *testing.T) {
		if _, _, err := c.FetchDocument(ctx, srv.URL+"/spelled"); err != nil {
			t.Fatal(err)
		}
	})

	refused := []struct{ name, path, reason string }{
		{"refuses HTML", "/e/a?type=text/html", `content type "text/html" is not an ActivityPub document`},
		{"refuses ld+json without the profile", "/e/a?type=application/ld%2Bjson", "is not an ActivityPub document"},
		{"refuses plain JSON", "/e/a?type=application/json", "is not an ActivityPub document"},
		{"refuses a document whose id is another URL", "/other-id", "is not the URL it was fetched from"},
		{"refuses a document without id", "/no-id", "is not the URL it was fetched from"},
		{"refuses a document that is not an object", "/array", "not a JSON object"},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := c.FetchDocument(ctx, srv.URL+tt.path)
			wantFetchError(t, err, tt.reason)
		})
	}
}

func TestFetchStatus(t *testing.T) {
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		default:
			http.Error(w, "busy", http.StatusServiceUnavailable)
		}
	})
	c := localClient(ClientOptions{})
	_, _, err := c.FetchDocument(context.Background(), srv.URL+"/gone")
	fe := wantFetchError(t, err, "unexpected status")
	if fe.Status != http.StatusGone || fe.Temporary() {
		t.Fatalf("got status %d temporary %v", fe.Status, fe.Temporary())
	}
	_, _, err = c.FetchDocument(context.Background(), srv.URL+"/busy")
	if fe := wantFetchError(t, err, "unexpected status"); fe.Status != 503 || !fe.Temporary() {
		t.Fatalf("got status %d temporary %v", fe.Status, fe.Temporary())
	}
}

func TestClientRefusesInternalAddresses(t *testing.T) {
	srv := newDocServer(t, serveDoc)
	port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
	c := NewClient(ClientOptions{ConnectTimeout: time.Second})
	tests := []struct{ url, reason string }{
		{srv.URL + "/e/a", "refused: 127.0.0.1 is a loopback address"},
		{"http://localhost:" + port + "/e/a", "is a loopback address"},
		{"http://[::1]:" + port + "/e/a", "refused: ::1 is a loopback address"},
		{"http://[::ffff:127.0.0.1]:" + port + "/e/a", "is a loopback address"},
		{"http://0.0.0.0:" + port + "/e/a", "refused: 0.0.0.0 is an unspecified address"},
		{"http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"},
		{"http://10.0.0.1/", "refused: 10.0.0.1 is a private address"},
		{"http://100.64.0.1/", "refused: 100.64.0.1 is a shared (carrier-grade NAT) address"},
		{"http://[fd00::1]/", "refused: fd00::1 is a private address"},
	}
	for _, tt := range tests {
		t.Run("refuses "+tt.url, func(t *testing.T) {
			_, _, err := c.FetchDocument(context.Background(), tt.url)
			if fe := wantFetchError(t, err, tt.reason); fe.Temporary() {
				t.Fatal("a refused address must not be retried")
			}
		})
	}
	t.Run("refuses deliveries to internal addresses", func(t *testing.T) {
		_, err := c.Post(context.Background(), srv.URL+"/inbox", []byte(`{}`), aliceSigner(t))
		wantFetchError(t, err, "refused: 127.0.0.1 is a loopback address")
	})
	t.Run("allows them when the operator does", func(t *testing.T) {
		if _, _, err := localClient(ClientOptions{}).FetchDocument(context.Background(), "http://localhost:"+port+"/e/a"); err != nil {
			t.Fatal(err)
		}
	})
	for _, bad := range []struct{ url, reason string }{
		{"file:///etc/passwd", `refused: scheme "file"`},
		{"gopher://coop.example/", `refused: scheme "gopher"`},
		{"https://user:pw@coop.example/", "user name or password"},
		{"/relative", "refused: scheme"},
	} {
		t.Run("refuses "+bad.url, func(t *testing.T) {
			_, _, err := c.FetchDocument(context.Background(), bad.url)
			wantFetchError(t, err, bad.reason)
		})
	}
}

// publicClient treats the test server at allowed as if it were on the public
// internet and applies the normal rules to every other address.
func publicClient(t *testing.T, allowed string, opt ClientOptions) *Client {
	t.Helper()
	ap := netip.MustParseAddrPort(strings.TrimPrefix(allowed, "http://"))
	c := NewClient(opt)
	c.checkAddr = func(got netip.AddrPort) error {
		if got == ap {
			return nil
		}
		return checkPublic(got.Addr())
	}
	return c
}

func TestFetchRedirects(t *testing.T) {
	inner := newDocServer(t, serveDoc)
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		var n int
		switch {
		case r.URL.Path == "/to-private":
			http.Redirect(w, r, inner.URL+"/e/a", http.StatusFound)
		case r.URL.Path == "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusFound)
		case r.URL.Path == "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		case sscanf(r.URL.Path, "/hop/%d", &n) && n > 0:
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
		default:
			serveDoc(w, r)
		}
	})
	c := publicClient(t, srv.URL, ClientOptions{})
	ctx := context.Background()
	t.Run("refuses a redirect to a loopback address", func(t *testing.T) {
		_, _, err := c.FetchDocument(ctx, srv.URL+"/to-private")
		wantFetchError(t, err, "refused: 127.0.0.1 is a loopback address")
	})
	t.Run("refuses a redirect to the cloud metadata address", func(t *testing.T) {
		_, _, err := c.FetchDocument(ctx, srv.URL+"/to-metadata")
		wantFetchError(t, err, "169.254.169.254 is a link-local address")
	})
	t.Run("refuses a redirect to another scheme", func(t *testing.T) {
		_, _, err := c.FetchDocument(ctx, srv.URL+"/to-file")
		wantFetchError(t, err, `refused: scheme "file"`)
	})
	t.Run("follows three redirects", func(t *testing.T) {
		if _, _, err := c.FetchDocument(ctx, srv.URL+"/hop/3"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("refuses a fourth redirect", func(t *testing.T) {
		_, _, err := c.FetchDocument(ctx, srv.URL+"/hop/4")
		wantFetchError(t, err, "too many redirects (at most 3 are followed)")
	})
	t.Run("follows none when told so", func(t *testing.T) {
		_, _, err := publicClient(t, srv.URL, ClientOptions{MaxRedirects: -1}).FetchDocument(ctx, srv.URL+"/hop/1")
		wantFetchError(t, err, "too many redirects (at most 0 are followed)")
	})
}

func sscanf(s, format string, n *int) bool {
	_, err := fmt.Sscanf(s, format, n)
	return err == nil
}

func TestFetchRefusesHTTPSDowngrade(t *testing.T) {
	plain := newDocServer(t, serveDoc)
	tlsSrv := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/e/a", http.StatusFound))
	t.Cleanup(tlsSrv.Close)
	c := localClient(ClientOptions{})
	c.fetch.Transport.(*http.Transport).TLSClientConfig = tlsSrv.Client().Transport.(*http.Transport).TLSClientConfig
	_, _, err := c.FetchDocument(context.Background(), tlsSrv.URL+"/e/a")
	wantFetchError(t, err, "refused: redirect from https to http")
}

func TestFetchSizeLimits(t *testing.T) {
	padded := func(host, path string, n int) []byte {
		return []byte(fmt.Sprintf(`{"id":"http://%s%s","pad":"%s"}`, host, path, strings.Repeat(" ", n)))
	}
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	bombHost := ""
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", mediaActivityJSON)
		switch r.URL.Path {
		case "/big":
			w.Write(padded(r.Host, r.URL.Path, 2<<20))
		case "/big-chunked":
			for range 40 {
				w.Write(bytes.Repeat([]byte(" "), 64<<10))
				w.(http.Flusher).Flush()
			}
		case "/bomb":
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(bomb.Bytes())
		default:
			w.Write(padded(r.Host, r.URL.Path, 1000))
		}
	})
	bombHost = strings.TrimPrefix(srv.URL, "http://")
	zw.Write(padded(bombHost, "/bomb", 16<<20))
	zw.Close()
	if bomb.Len() >= 1<<20 {
		t.Fatalf("bomb is %d bytes compressed; it must fit under the cap to test decompression", bomb.Len())
	}
	c := localClient(ClientOptions{})
	ctx := context.Background()
	t.Run("accepts a small document", func(t *testing.T) {
		if _, _, err := c.FetchDocument(ctx, srv.URL+"/small"); err != nil {
			t.Fatal(err)
		}
	})
	for _, path := range []string{"/big", "/big-chunked", "/bomb"} {
		t.Run("refuses "+path+" over 1 MiB", func(t *testing.T) {
			_, _, err := c.FetchDocument(ctx, srv.URL+path)
			wantFetchError(t, err, "response is larger than 1048576 bytes")
		})
	}
	t.Run("honours a smaller cap", func(t *testing.T) {
		_, _, err := localClient(ClientOptions{MaxBytes: 500}).FetchDocument(ctx, srv.URL+"/small")
		wantFetchError(t, err, "larger than 500 bytes")
	})
}

func TestFetchTimeouts(t *testing.T) {
	stall := func(r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	}
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow-body" {
			w.Header().Set("Content-Type", mediaActivityJSON)
			w.Write([]byte(`{"id":`))
			w.(http.Flusher).Flush()
		}
		stall(r)
	})
	ctx := context.Background()
	t.Run("gives up waiting for headers", func(t *testing.T) {
		start := time.Now()
		_, _, err := localClient(ClientOptions{ReadTimeout: 100 * time.Millisecond}).FetchDocument(ctx, srv.URL+"/slow-headers")
		if fe := wantFetchError(t, err, "timed out"); !fe.Temporary() {
			t.Fatal("a timeout should be temporary")
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %s", d)
		}
	})
	t.Run("gives up on a body that never ends", func(t *testing.T) {
		start := time.Now()
		_, _, err := localClient(ClientOptions{TotalTimeout: 200 * time.Millisecond}).FetchDocument(ctx, srv.URL+"/slow-body")
		wantFetchError(t, err, "timed out")
		if d := time.Since(start); d > 2*time.Second {
			t.Fatalf("took %s", d)
		}
	})
}

func TestFetchJRD(t *testing.T) {
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", r.URL.Query().Get("type"))
		fmt.Fprint(w, `{"subject":"acct:shakyhands@coop.example","links":[]}`)
	})
	c := localClient(ClientOptions{})
	for _, ctype := range []string{"application/jrd%2Bjson", "application/json%3B+charset=utf-8"} {
		if _, err := c.FetchJRD(context.Background(), srv.URL+"/.well-known/webfinger?type="+ctype); err != nil {
			t.Errorf("%s: %v", ctype, err)
		}
	}
	_, err := c.FetchJRD(context.Background(), srv.URL+"/.well-known/webfinger?type=text/html")
	wantFetchError(t, err, "is not JRD or JSON")
}

func TestPost(t *testing.T) {
	key := testKey(t, "a")
	verifier := newVerifier(newKeyring(aliceKeyID, &key.PublicKey))
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/inbox", http.StatusTemporaryRedirect)
			return
		}
		body, _ := io.ReadAll(r.Body)
		if _, err := verifier.Verify(r, body); err != nil || r.Header.Get("Content-Type") != mediaActivityJSON {
			http.Error(w, fmt.Sprint(err), http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		w.Write(bytes.Repeat([]byte("x"), 1<<20)) // drained up to a small cap only
	})
	c := localClient(ClientOptions{})
	ctx := context.Background()
	t.Run("delivers a signed activity", func(t *testing.T) {
		status, err := c.Post(ctx, srv.URL+"/inbox", []byte(`{"type":"Create"}`), aliceSigner(t))
		if err != nil || status != http.StatusAccepted {
			t.Fatalf("got %d, %v", status, err)
		}
	})
	t.Run("reports a refused delivery with its status", func(t *testing.T) {
		s := aliceSigner(t)
		s.Key = testKey(t, "b")
		status, err := c.Post(ctx, srv.URL+"/inbox", []byte(`{}`), s)
		if fe := wantFetchError(t, err, "unexpected status"); status != 401 || fe.Status != 401 || fe.Temporary() {
			t.Fatalf("got %d, %v", status, err)
		}
	})
	t.Run("does not follow redirects", func(t *testing.T) {
		status, err := c.Post(ctx, srv.URL+"/moved", []byte(`{}`), aliceSigner(t))
		if status != http.StatusTemporaryRedirect || err == nil {
			t.Fatalf("got %d, %v", status, err)
		}
	})
	t.Run("refuses to send unsigned", func(t *testing.T) {
		_, err := c.Post(ctx, srv.URL+"/inbox", []byte(`{}`), nil)
		wantFetchError(t, err, "cannot sign")
	})
}

func TestSignedFetch(t *testing.T) {
	key := testKey(t, "a")
	verifier := newVerifier(newKeyring(aliceKeyID, &key.PublicKey))
	srv := newDocServer(t, func(w http.ResponseWriter, r *http.Request) {
		if _, err := verifier.Verify(r, nil); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/e/a", http.StatusFound)
			return
		}
		serveDoc(w, r)
	})
	c := localClient(ClientOptions{Signer: func(context.Context) *Signer { return aliceSigner(t) }})
	t.Run("signs GETs for authorized fetch", func(t *testing.T) {
		if _, _, err := c.FetchDocument(context.Background(), srv.URL+"/e/a"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("signs each redirected request again", func(t *testing.T) {
		if _, _, err := c.FetchDocument(context.Background(), srv.URL+"/old"); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("an unsigned client is refused by such a server", func(t *testing.T) {
		_, _, err := localClient(ClientOptions{}).FetchDocument(context.Background(), srv.URL+"/e/a")
		if fe := wantFetchError(t, err, "unexpected status"); fe.Status != http.StatusUnauthorized {
			t.Fatalf("status %d", fe.Status)
		}
	})
}
