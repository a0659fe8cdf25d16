package federation_test

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

func TestDeliveryHostsSQLite(t *testing.T)   { testDeliveryHosts(t, instancetest.SQLite) }
func TestDeliveryHostsPostgres(t *testing.T) { testDeliveryHosts(t, instancetest.Postgres) }

func testDeliveryHosts(t *testing.T, engine instancetest.Engine) {
	t.Run("a host that refuses connections is paused, probed once, and resumes when it answers", func(t *testing.T) {
		testRefusingHost(t, engine)
	})
	t.Run("a black-holed host is paused without holding the workers of the others", func(t *testing.T) {
		testBlackHoledHost(t, engine)
	})
}

func testRefusingHost(t *testing.T, engine instancetest.Engine) {
	const inboxes = 8
	b := startInstance(t, "127.0.0.1:0", instancetest.DSN(t, engine), func(c *instance.Config) {
		c.Federation.PauseAfter, c.Federation.Pause, c.Federation.MaxPause = 3, time.Second, 2*time.Second
	})
	b.Enterprise("shakyhands", "Shaky Hands")
	// A port nobody listens on: connections are refused.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	follow(t, b, "http://"+addr, inboxes)
	b.Announce("shakyhands", "Open studio night")
	db := b.Database()
	eventually(t, "the host is paused and a probe has failed", func() bool {
		h, err := db.FindDeliveryHost(context.Background(), addr)
		return err == nil && h.Pauses >= 2 && h.Failures >= 4
	})
	assertWaiting(t, b, inboxes)

	// The host comes back: the first delivery is the probe, alone until
	// it is answered.
	inbox := newInboxRecorder(t)
	inbox.hold = make(chan struct{})
	inbox.listen(t, addr)
	eventually(t, "the probe arrives", func() bool { return inbox.total() >= 1 })
	h, err := db.FindDeliveryHost(context.Background(), addr)
	if err != nil || !h.ProbeUntil.After(time.Now()) {
		t.Errorf("no probe lease while the probe is under way: %+v %v", h, err)
	}
	if n := inbox.total(); n != 1 {
		t.Errorf("%d deliveries while the probe was under way, want the probe alone", n)
	}
	close(inbox.hold)
	eventually(t, "every inbox has the announcement", func() bool { return inbox.inboxes() == inboxes })
	eventually(t, "the host record is cleared", func() bool {
		h, err := db.FindDeliveryHost(context.Background(), addr)
		return err == nil && h.Failures == 0 && !h.Paused()
	})
	if n := inbox.total(); n != inboxes {
		t.Errorf("%d POSTs for %d inboxes: a refused connection delivers nothing, so none is sent twice", n, inboxes)
	}
}

func testBlackHoledHost(t *testing.T, engine instancetest.Engine) {
	const inboxes, perHost, pauseAfter = 12, 2, 3
	b := startInstance(t, "127.0.0.1:0", instancetest.DSN(t, engine), func(c *instance.Config) {
		c.DeliveryConcurrency, c.DeliveryPerHost, c.OutgoingTimeout = 4, perHost, time.Second
		c.Federation.PauseAfter, c.Federation.Pause = pauseAfter, time.Hour
	})
	b.Enterprise("shakyhands", "Shaky Hands")
	hole := newBlackHole(t)
	healthy := newInboxRecorder(t)
	healthy.listen(t, "127.0.0.1:0")
	follow(t, b, "http://"+hole.addr(), inboxes)
	follow(t, b, healthy.url(), inboxes)
	b.Announce("shakyhands", "Closed for the holiday")
	within(t, 30*time.Second, "every healthy inbox has the announcement", func() bool { return healthy.inboxes() == inboxes })
	eventually(t, "the black-holed host is paused", func() bool {
		h, err := b.Database().FindDeliveryHost(context.Background(), hole.addr())
		return err == nil && h.PausedUntil.After(time.Now())
	})
	// Each attempt ended with the outgoing timeout; the pause came with
	// the failure number pauseAfter, when at most perHost-1 others were
	// under way. The deliveries that waited for a slot meanwhile see the
	// pause once they have it.
	if total := hole.connections(); total > pauseAfter+perHost-1 {
		t.Errorf("the black hole got %d connections, want at most %d", total, pauseAfter+perHost-1)
	}
	assertWaiting(t, b, inboxes)
}

// follow makes n actors at base follow shakyhands on in, each with its
// own inbox.
func follow(t *testing.T, in *coop, base string, n int) {
	t.Helper()
	for i := range n {
		id := fmt.Sprintf("%s/users/u%d", base, i)
		err := in.Database().SaveFollower(context.Background(), &directory.Follower{Actor: directory.EnterpriseActorKey("shakyhands"),
			FollowerID: id, Inbox: id + "/inbox", FollowID: id + "/follow", CreatedAt: time.Now().UTC()})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// assertWaiting checks that none of in's deliveries was dropped, and that
// at least want of them wait in the queue (snoozed or due for a retry).
func assertWaiting(t *testing.T, in *coop, want int) {
	t.Helper()
	states := deliveryStates(t, in)
	if states["cancelled"] != 0 || states["discarded"] != 0 {
		t.Errorf("deliveries were dropped: %v", states)
	}
	if waiting := states["scheduled"] + states["retryable"] + states["available"] + states["running"]; waiting < want {
		t.Errorf("%d deliveries wait, want at least %d: %v", waiting, want, states)
	}
}

// deliveryStates counts in's single delivery jobs by their state in the
// queue.
func deliveryStates(t *testing.T, in *coop) map[string]int {
	t.Helper()
	return jobStates(t, in, federation.DeliverArgs{}.Kind())
}

// jobStates counts in's jobs of kind by their state in the queue.
func jobStates(t *testing.T, in *coop, kind string) map[string]int {
	t.Helper()
	query := fmt.Sprintf(`SELECT state, count(*) FROM river_job WHERE kind = '%s' GROUP BY state`, kind)
	out := map[string]int{}
	queueRows(t, in, query, query, func(scan func(...any) error) {
		var state string
		var n int
		if err := scan(&state, &n); err != nil {
			t.Fatal(err)
		}
		out[state] = n
	})
	return out
}

// queueRows runs a query on in's queue tables, sqliteQuery on SQLite and
// pgQuery on PostgreSQL, and hands each row's Scan to row.
func queueRows(t *testing.T, in *coop, sqliteQuery, pgQuery string, row func(scan func(...any) error)) {
	t.Helper()
	var rows interface {
		Next() bool
		Scan(...any) error
		Err() error
	}
	ctx := context.Background()
	switch h := in.Database().QueueHandle().(type) {
	case *sql.DB:
		r, err := h.QueryContext(ctx, sqliteQuery)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rows = r
	case *pgxpool.Pool:
		r, err := h.Query(ctx, pgQuery)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rows = r
	default:
		t.Fatalf("queue handle %T", h)
	}
	for rows.Next() {
		row(rows.Scan)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

// inboxRecorder is a remote server whose inboxes answer 202 and count
// the POSTs they get. While hold is open, it holds every request until
// hold is closed.
type inboxRecorder struct {
	srv  *http.Server
	ln   net.Listener
	hold chan struct{}
	mu   sync.Mutex
	got  map[string]int // POSTs by path
}

func newInboxRecorder(t *testing.T) *inboxRecorder {
	return &inboxRecorder{got: map[string]int{}}
}

// listen serves on addr (host:port; port 0 picks one).
func (r *inboxRecorder) listen(t *testing.T, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	r.ln = ln
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve)}
	go r.srv.Serve(ln)
	t.Cleanup(func() { r.srv.Close() })
}

func (r *inboxRecorder) url() string { return "http://" + r.ln.Addr().String() }

func (r *inboxRecorder) serve(w http.ResponseWriter, req *http.Request) {
	_, _ = io.Copy(io.Discard, req.Body)
	r.mu.Lock()
	r.got[req.URL.Path]++
	r.mu.Unlock()
	if r.hold != nil {
		select {
		case <-r.hold:
		case <-req.Context().Done():
		}
	}
	w.WriteHeader(http.StatusAccepted)
}

// total is the number of POSTs received; inboxes the inboxes that got one.
func (r *inboxRecorder) total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, c := range r.got {
		n += c
	}
	return n
}

func (r *inboxRecorder) inboxes() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got)
}

// blackHole accepts connections and never answers.
type blackHole struct {
	ln    net.Listener
	total atomic.Int64
}

func newBlackHole(t *testing.T) *blackHole {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	h := &blackHole{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			h.total.Add(1)
			go func() {
				// Read until the client gives up and closes.
				_, _ = io.Copy(io.Discard, c)
				c.Close()
			}()
		}
	}()
	return h
}

func (h *blackHole) addr() string { return h.ln.Addr().String() }

// connections is the number of connections accepted.
func (h *blackHole) connections() int { return int(h.total.Load()) }
