package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// asCoopdir, set in a child's environment, makes the test binary run as
// coopdir itself: the kill test starts serve as a child process it can
// kill.
const asCoopdir = "COOPDIR_TEST_AS_COOPDIR"

func TestMain(m *testing.M) {
	if os.Getenv(asCoopdir) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// TestKillDuringFanOut starts serve as a child process over a SQLite file
// with 50 followers on 5 hosts, whose inboxes take the first deliveries
// and then hold every request unanswered. When some inboxes have the
// activity and others are being sent it, serve is killed with SIGKILL and
// started again: every inbox must get the activity, and answer it to a
// live sender, within 60 s of the restart, with the same activity id. The deliveries cut short (and those
// answered but not yet recorded as done) are sent again, and the
// receivers apply an id once; the test logs how many.
func TestKillDuringFanOut(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts serve: about 40 s")
	}
	const hosts, perHost, answered = 5, 10, 10
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "coopdir.db")
	const base = "https://coop.example"
	inboxes := newHoldingInboxes(t, hosts, answered)
	prepareFanOut(t, dsn, base, inboxes.hosts, perHost)

	args := []string{"serve", "--listen", "127.0.0.1:0", "--database", dsn, "--base-url", base,
		"--allow-private-addresses", "--log-format", "json"}
	first := startChild(t, args...)
	within(t, 60*time.Second, "some inboxes have the activity and others are being sent it", func() bool {
		got, held := inboxes.counts()
		return got >= answered && held >= hosts
	})
	first.kill(t)
	got, held := inboxes.counts()
	// The held requests end unanswered as their sender is gone; later
	// ones are answered at once.
	within(t, 30*time.Second, "the held requests end", func() bool { return inboxes.stillHolding() == 0 })
	inboxes.release()
	t.Logf("killed with %d inboxes answered and %d deliveries under way", got-held, held)

	restarted := time.Now()
	second := startChild(t, args...)
	// An inbox whose delivery was under way at the kill got the activity
	// but the sender never heard its answer: it must send it again.
	within(t, 60*time.Second, "every inbox has answered a delivery", func() bool { return inboxes.answered() == hosts*perHost })
	t.Logf("every inbox had it %v after the restart", time.Since(restarted).Round(100*time.Millisecond))
	ids, posts := inboxes.activityIDs()
	if len(ids) != 1 {
		t.Errorf("the inboxes got %d activity ids, want one: %v", len(ids), ids)
	}
	t.Logf("%d POSTs for %d inboxes: %d duplicates (what was under way at the kill, or answered but not yet recorded as done, is sent again)",
		posts, hosts*perHost, posts-hosts*perHost)
	second.stop(t)
}

// prepareFanOut makes the database: an enterprise with perHost followers
// on each host (their own inboxes), and an announcement of it not yet
// published, which the first serve sends.
func prepareFanOut(t *testing.T, dsn, base string, hosts []string, perHost int) {
	t.Helper()
	ctx := directory.AsSystem(context.Background())
	quiet := slog.New(slog.DiscardHandler)
	in, err := instance.Open(ctx, instance.Config{Database: dsn, BaseURL: base, NetworkName: "Net"}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	svc := in.Service()
	e := &directory.Enterprise{Handle: "shakyhands", Name: "Shaky Hands", Kind: directory.KindWorkerCoop, Summary: "Screen printing."}
	if err := svc.CreateEnterprise(ctx, e); err != nil {
		t.Fatal(err)
	}
	for _, h := range hosts {
		for i := range perHost {
			id := fmt.Sprintf("http://%s/users/u%d", h, i)
			f := &directory.Follower{Actor: directory.EnterpriseActorKey("shakyhands"), FollowerID: id, Inbox: id + "/inbox",
				FollowID: id + "/follow", CreatedAt: time.Now().UTC()}
			if err := in.Database().SaveFollower(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := svc.CreateAnnouncement(ctx, "shakyhands", &directory.Announcement{Content: "Open studio night"}); err != nil {
		t.Fatal(err)
	}
}

// child is a coopdir process run by a test.
type child struct {
	cmd  *exec.Cmd
	logs *instancetest.SyncBuffer
	done chan struct{}
}

// startChild runs coopdir args as a child process and waits until it serves.
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: exec.Command(exe, args...), logs: &instancetest.SyncBuffer{}, done: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), asCoopdir+"=1")
	c.cmd.Stdout, c.cmd.Stderr = c.logs, c.logs
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		_ = c.cmd.Wait()
		close(c.done)
	}()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.done
		if t.Failed() {
			t.Logf("log of coopdir %s:\n%s", strings.Join(args, " "), c.logs.String())
		}
	})
	within(t, 30*time.Second, "serve listens", func() bool {
		select {
		case <-c.done:
			t.Fatalf("serve exited: %s", c.logs.String())
		default:
		}
		return strings.Contains(c.logs.String(), `"msg":"serving"`)
	})
	return c
}

// kill ends the process with SIGKILL and waits for it.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-c.done
}

// stop ends the process with SIGTERM and checks that it stopped cleanly.
func (c *child) stop(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop on SIGTERM: %s", c.logs.String())
	}
	if code := c.cmd.ProcessState.ExitCode(); code != ExitOK {
		t.Errorf("serve exited %d on SIGTERM", code)
	}
}

// holdingInboxes are inboxes on several hosts (one listener each) that
// answer the first deliveries at once and then hold every request
// unanswered, until released: then they answer every one at once.
type holdingInboxes struct {
	hosts   []string
	answer  int // requests answered before holding
	free    chan struct{}
	mu      sync.Mutex
	posts   []inboxPost
	held    int             // requests held so far
	holding int             // requests held now
	done    map[string]bool // inboxes that answered a delivery
}

type inboxPost struct{ inbox, activity string }

func newHoldingInboxes(t *testing.T, hosts, answer int) *holdingInboxes {
	t.Helper()
	in := &holdingInboxes{answer: answer, free: make(chan struct{}), done: map[string]bool{}}
	for range hosts {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(in.serve)}
		go srv.Serve(ln)
		t.Cleanup(func() { srv.Close() })
		in.hosts = append(in.hosts, ln.Addr().String())
	}
	return in
}

func (in *holdingInboxes) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var doc struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(body, &doc)
	in.mu.Lock()
	in.posts = append(in.posts, inboxPost{r.Host + r.URL.Path, doc.ID})
	hold := len(in.posts) > in.answer
	if hold {
		in.held++
		in.holding++
	}
	in.mu.Unlock()
	if hold {
		var gone bool
		select {
		case <-in.free:
		case <-r.Context().Done(): // the sender died
			gone = true
		}
		in.mu.Lock()
		in.holding--
		in.mu.Unlock()
		if gone {
			return
		}
	}
	w.WriteHeader(http.StatusAccepted)
	in.mu.Lock()
	in.done[r.Host+r.URL.Path] = true
	in.mu.Unlock()
}

// stillHolding is the number of requests held now.
func (in *holdingInboxes) stillHolding() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.holding
}

// release makes the inboxes answer every request at once.
func (in *holdingInboxes) release() { close(in.free) }

// counts returns the POSTs received and those held unanswered.
func (in *holdingInboxes) counts() (got, held int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.posts), in.held
}

// answered is the number of inboxes that answered a delivery.
func (in *holdingInboxes) answered() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	return len(in.done)
}

// activityIDs returns the distinct activity ids received and the POSTs.
func (in *holdingInboxes) activityIDs() ([]string, int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	seen := map[string]bool{}
	var ids []string
	for _, p := range in.posts {
		if !seen[p.activity] {
			seen[p.activity] = true
			ids = append(ids, p.activity)
		}
	}
	return ids, len(in.posts)
}

// within polls cond until it holds, failing t after timeout.
func within(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	instancetest.Within(t, timeout, what, cond)
}
