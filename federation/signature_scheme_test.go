package federation

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// knockServer is a loopback server that takes requests signed with one
// scheme only (any scheme when takes is negative), verified by our
// Verifier, and answers others with refuse. It records the scheme of
// every request.
type knockServer struct {
	*httptest.Server
	mu  sync.Mutex
	got []SignatureScheme
}

func newKnockServer(t *testing.T, takes SignatureScheme, refuse int) *knockServer {
	t.Helper()
	key := testKey(t, "a")
	v := newVerifier(newKeyring(aliceKeyID, &key.PublicKey))
	s := &knockServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme := SchemeCavage
		if r.Header.Get("Signature-Input") != "" {
			scheme = SchemeRFC9421
		}
		s.mu.Lock()
		s.got = append(s.got, scheme)
		s.mu.Unlock()
		body, _ := io.ReadAll(r.Body)
		if _, err := v.Verify(r, body); err != nil || (takes >= 0 && scheme != takes) {
			http.Error(w, fmt.Sprint("refused ", scheme, err), refuse)
			return
		}
		switch {
		case r.Method == http.MethodPost:
			w.WriteHeader(http.StatusAccepted)
		case r.URL.Path == "/old":
			http.Redirect(w, r, "/e/a", http.StatusFound)
		default:
			serveDoc(w, r)
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// schemes returns the schemes of the requests so far.
func (s *knockServer) schemes() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return fmt.Sprint(s.got)
}

func TestPostDoubleKnock(t *testing.T) {
	ctx := context.Background()
	post := func(t *testing.T, c *Client, srv *knockServer) (int, error) {
		t.Helper()
		return c.Post(ctx, srv.URL+"/inbox", []byte(`{"type":"Create"}`), aliceSigner(t))
	}
	t.Run("a host that takes only RFC 9421 gets it on the retry, and first from then on", func(t *testing.T) {
		srv := newKnockServer(t, SchemeRFC9421, http.StatusUnauthorized)
		c := localClient(ClientOptions{})
		if status, err := post(t, c, srv); err != nil || status != http.StatusAccepted {
			t.Fatalf("got %d, %v", status, err)
		}
		if got := srv.schemes(); got != "[draft-cavage rfc9421]" {
			t.Fatalf("requests %s", got)
		}
		if status, err := post(t, c, srv); err != nil || status != http.StatusAccepted {
			t.Fatalf("got %d, %v", status, err)
		}
		if got := srv.schemes(); got != "[draft-cavage rfc9421 rfc9421]" {
			t.Fatalf("requests %s", got)
		}
	})
	t.Run("a host that takes only draft-cavage gets it on the retry when we prefer RFC 9421", func(t *testing.T) {
		srv := newKnockServer(t, SchemeCavage, http.StatusBadRequest)
		c := localClient(ClientOptions{PreferRFC9421: true})
		for range 2 {
			if status, err := post(t, c, srv); err != nil || status != http.StatusAccepted {
				t.Fatalf("got %d, %v", status, err)
			}
		}
		if got := srv.schemes(); got != "[rfc9421 draft-cavage draft-cavage]" {
			t.Fatalf("requests %s", got)
		}
	})
	t.Run("a host that refuses both is tried twice each time and nothing is remembered", func(t *testing.T) {
		srv := newKnockServer(t, -1, http.StatusUnauthorized)
		c := localClient(ClientOptions{})
		s := aliceSigner(t)
		s.Key = testKey(t, "b")
		for range 2 {
			status, err := c.Post(ctx, srv.URL+"/inbox", []byte(`{}`), s)
			if fe := wantFetchError(t, err, "unexpected status"); status != http.StatusUnauthorized || fe.Status != http.StatusUnauthorized {
				t.Fatalf("got %d, %v", status, err)
			}
		}
		if got := srv.schemes(); got != "[draft-cavage rfc9421 draft-cavage rfc9421]" {
			t.Fatalf("requests %s", got)
		}
	})
	t.Run("other refusals are not retried", func(t *testing.T) {
		srv := newKnockServer(t, SchemeRFC9421, http.StatusForbidden)
		status, err := post(t, localClient(ClientOptions{}), srv)
		if status != http.StatusForbidden || err == nil || srv.schemes() != "[draft-cavage]" {
			t.Fatalf("got %d, %v, requests %s", status, err, srv.schemes())
		}
	})
}

func TestGetDoubleKnock(t *testing.T) {
	ctx := context.Background()
	t.Run("a host that takes only RFC 9421 gets it on the retry, and first from then on, redirects too", func(t *testing.T) {
		srv := newKnockServer(t, SchemeRFC9421, http.StatusUnauthorized)
		c := localClient(ClientOptions{Signer: func(context.Context) *Signer { return aliceSigner(t) }})
		if _, _, err := c.FetchDocument(ctx, srv.URL+"/e/a"); err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.FetchDocument(ctx, srv.URL+"/old"); err != nil {
			t.Fatal(err)
		}
		if got := srv.schemes(); got != "[draft-cavage rfc9421 rfc9421 rfc9421]" {
			t.Fatalf("requests %s", got)
		}
	})
	t.Run("an unsigned GET is not retried", func(t *testing.T) {
		srv := newKnockServer(t, SchemeRFC9421, http.StatusUnauthorized)
		_, _, err := localClient(ClientOptions{}).FetchDocument(ctx, srv.URL+"/e/a")
		if fe := wantFetchError(t, err, "unexpected status"); fe.Status != http.StatusUnauthorized || srv.schemes() != "[draft-cavage]" {
			t.Fatalf("got %v, requests %s", err, srv.schemes())
		}
	})
}

func TestHostSchemes(t *testing.T) {
	var h hostSchemes
	h.remember("A.example", SchemeRFC9421)
	if h.first("a.example") != SchemeRFC9421 || h.first("b.example") != SchemeCavage {
		t.Fatal("hosts are not remembered apart, or not case-insensitively")
	}
	for i := range maxRememberedHosts + 10 {
		h.remember(fmt.Sprintf("h%d.example", i), SchemeRFC9421)
	}
	if len(h.m) > maxRememberedHosts {
		t.Fatalf("%d hosts remembered, at most %d", len(h.m), maxRememberedHosts)
	}
}
