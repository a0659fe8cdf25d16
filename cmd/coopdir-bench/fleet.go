package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The fleet: fake ActivityPub servers on loopback for the delivery
// benchmarks. Each is its own host (127.0.0.1 with a port of its own), so
// every per-host rule of the sender applies to it as to a remote server.
// A healthy host answers every request after the fleet's latency: it
// counts the POSTs to each of its inboxes and serves the documents of its
// actors (Person, with a public key, for the follow benchmark). A refusing
// host is a closed port (connection refused); a black-holed one accepts
// TCP connections and never answers.

// hostKind is how a fake host behaves.
type hostKind int

const (
	healthy hostKind = iota
	refusing
	blackholed
)

func (k hostKind) String() string {
	return [...]string{"healthy", "refusing", "black-holed"}[k]
}

// fakeHost is one host of the fleet.
type fakeHost struct {
	kind hostKind
	base string // http://127.0.0.1:PORT

	srv *http.Server // healthy
	ln  net.Listener // black-holed

	mu       sync.Mutex
	received map[string]int // POSTs by inbox path
	unsigned int            // POSTs without a signature
}

// fleet is the fake servers and what they received.
type fleet struct {
	hosts   []*fakeHost
	latency time.Duration
	// actor serves the document of the actor at path on h (nil: none).
	actor func(h *fakeHost, path string) []byte

	// posts counts every POST answered; onPost, when set, is called after
	// each answered POST with its host, inbox path, body and the count of
	// POSTs that inbox has had.
	posts  atomic.Int64
	onPost func(h *fakeHost, path string, body []byte, n int)

	blackMu    sync.Mutex
	blackConns []net.Conn
	closed     bool
}

// newFleet starts one fake host per kind given, each on its own port of
// 127.0.0.1. The refusing hosts get their (closed) ports last, so that
// nothing of the fleet listens on them afterwards.
func newFleet(kinds []hostKind, latency time.Duration) (*fleet, error) {
	f := &fleet{latency: latency}
	f.hosts = make([]*fakeHost, len(kinds))
	var refused []*fakeHost
	for i, k := range kinds {
		h := &fakeHost{kind: k, received: map[string]int{}}
		f.hosts[i] = h
		if k == refusing {
			refused = append(refused, h)
			continue
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.close()
			return nil, fmt.Errorf("fleet: %w", err)
		}
		h.base = "http://" + ln.Addr().String()
		if k == blackholed {
			h.ln = ln
			go f.swallow(ln)
			continue
		}
		h.srv = &http.Server{Handler: f.handler(h), ReadHeaderTimeout: 10 * time.Second}
		go h.srv.Serve(ln) //nolint:errcheck // ends with Close
	}
	for _, h := range refused {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			f.close()
			return nil, fmt.Errorf("fleet: %w", err)
		}
		h.base = "http://" + ln.Addr().String()
		ln.Close()
	}
	return f, nil
}

// swallow accepts connections on a black-holed host and holds them open,
// reading and dropping what the client sends, until the fleet closes.
func (f *fleet) swallow(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		f.blackMu.Lock()
		if f.closed {
			f.blackMu.Unlock()
			c.Close()
			return
		}
		f.blackConns = append(f.blackConns, c)
		f.blackMu.Unlock()
		go io.Copy(io.Discard, c) //nolint:errcheck // ends when the connection closes
	}
}

// handler answers the requests of healthy host h after the latency.
func (f *fleet) handler(h *fakeHost) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		time.Sleep(f.latency)
		if err != nil {
			http.Error(w, "cannot read", http.StatusBadRequest)
			return
		}
		switch r.Method {
		case http.MethodPost:
			signed := r.Header.Get("Signature") != "" || r.Header.Get("Signature-Input") != ""
			h.mu.Lock()
			h.received[r.URL.Path]++
			n := h.received[r.URL.Path]
			if !signed {
				h.unsigned++
			}
			h.mu.Unlock()
			w.WriteHeader(http.StatusAccepted)
			f.posts.Add(1)
			if f.onPost != nil {
				f.onPost(h, r.URL.Path, body, n)
			}
		case http.MethodGet:
			var doc []byte
			if f.actor != nil {
				doc = f.actor(h, r.URL.Path)
			}
			if doc == nil {
				http.NotFound(w, r)
				return
			}
			w.Header().Set("Content-Type", "application/activity+json")
			w.Write(doc) //nolint:errcheck // the client's problem
		default:
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		}
	})
}

// closeBlackholes drops the connections the black-holed hosts hold, so
// that the sender's requests to them end now instead of at its timeout.
func (f *fleet) closeBlackholes() {
	f.blackMu.Lock()
	defer f.blackMu.Unlock()
	f.closed = true
	for _, c := range f.blackConns {
		c.Close()
	}
	f.blackConns = nil
	for _, h := range f.hosts {
		if h.ln != nil {
			h.ln.Close()
		}
	}
}

// close stops every host.
func (f *fleet) close() {
	f.closeBlackholes()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, h := range f.hosts {
		if h != nil && h.srv != nil {
			h.srv.Shutdown(ctx) //nolint:errcheck // best effort at the end of a run
		}
	}
}

// count is how many POSTs the inbox at path of h received.
func (h *fakeHost) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.received[path]
}

// kinds spreads n hosts over the kinds: refusing and black-holed are
// fractions of n, every host not picked is healthy. The picks are spread
// evenly over the order in which the sender sees the hosts (its followers
// are sorted by inbox), not bunched at one end.
func kinds(n int, refusingShare, blackholedShare float64) []hostKind {
	ks := make([]hostKind, n)
	mark := func(share float64, k hostKind, offset int) {
		want := int(float64(n)*share + 0.5)
		if want == 0 {
			return
		}
		step := float64(n) / float64(want)
		for i := range want {
			j := (int(float64(i)*step) + offset) % n
			for ks[j] != healthy {
				j = (j + 1) % n
			}
			ks[j] = k
		}
	}
	mark(refusingShare, refusing, 0)
	mark(blackholedShare, blackholed, 3)
	return ks
}

// countKinds counts the hosts of each kind.
func (f *fleet) countKinds() map[hostKind]int {
	m := map[hostKind]int{}
	for _, h := range f.hosts {
		m[h.kind]++
	}
	return m
}

// unsignedPosts is how many POSTs came without a signature, over the fleet.
func (f *fleet) unsignedPosts() int {
	n := 0
	for _, h := range f.hosts {
		h.mu.Lock()
		n += h.unsigned
		h.mu.Unlock()
	}
	return n
}

// activityType reads the type of an activity body ("" when unreadable).
func activityType(body []byte) string {
	var a struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(body, &a) != nil {
		return ""
	}
	return a.Type
}

// userPath is the path of user number i of a host.
func userPath(i int) string { return "/users/u" + strconv.Itoa(i) }

// userIndex reads the number of the user whose document or inbox path is;
// ok is false for other paths.
func userIndex(path string) (i int, inbox, ok bool) {
	rest, found := strings.CutPrefix(path, "/users/u")
	if !found {
		return 0, false, false
	}
	rest, inbox = strings.CutSuffix(rest, "/inbox")
	i, err := strconv.Atoi(rest)
	return i, inbox, err == nil && i >= 0
}

// errTimeout is returned when a benchmark's deadline passes.
var errTimeout = errors.New("timed out")
