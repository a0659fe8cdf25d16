package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory"
	node "github.com/coopdir/coopdir/instance"
)

// The delivery benchmarks (issue 13) run a real instance, as serve does
// with its default settings, against a fleet of fake servers on loopback
// (fleet.go): the fan-out of one announcement to the followers of one
// enterprise, with every host healthy and with some refusing or
// black-holed, and the acceptance of a flood of follows (follows.go).
// Each run gets a fresh database of the engine measured.

// deliveryConfig says what the delivery benchmarks do.
type deliveryConfig struct {
	run          string // comma-separated: fanout, follows
	runs         int    // of each fan-out; the median is reported
	hosts        int
	followers    int
	follows      int
	latency      time.Duration
	deadline     time.Duration
	cpuProfile   string
	blockProfile string
}

// Goals of issue 13, at its sizes (1,000 hosts, 10,000 followers or
// follows).
const (
	goalClean      = 2500 * time.Millisecond
	goalRefusing   = 1.2 // healthy inboxes with 10% refusing and 5% black-holed, against the clean run
	goalBlackholed = 1.5 // with 30% black-holed
	goalFollows    = 15 * time.Second
)

func deliveryFlags(d *deliveryConfig) {
	flag.StringVar(&d.run, "delivery", "fanout,follows", "delivery benchmarks to run: fanout (or one of its runs: clean, refusing, blackholed), follows; \"\" for none")
	flag.IntVar(&d.runs, "fanout-runs", 3, "runs of each fan-out, each on a fresh database; the median is reported, with the fastest and slowest")
	flag.IntVar(&d.hosts, "fleet-hosts", 1000, "fake servers on loopback, each its own host")
	flag.IntVar(&d.followers, "fanout-followers", 10_000, "followers of the enterprise whose announcement fans out, spread over the hosts")
	flag.IntVar(&d.follows, "follows", 10_000, "follows POSTed to the enterprise's inbox, from actors spread over the hosts")
	flag.DurationVar(&d.latency, "fleet-latency", 50*time.Millisecond, "how long each fake server takes to answer")
	flag.DurationVar(&d.deadline, "delivery-deadline", 10*time.Minute, "give up on a delivery run after this long")
	flag.StringVar(&d.cpuProfile, "delivery-cpuprofile", "", "write a CPU profile of each delivery run to `PREFIX`-ENGINE-RUN.pprof")
	flag.StringVar(&d.blockProfile, "delivery-blockprofile", "", "write a profile of where goroutines waited (locks, channels, the database pools) during each delivery run to `PREFIX`-ENGINE-RUN.pprof")
}

// atGoalSizes reports whether the fan-out runs at the sizes of the goals
// (1,000 hosts, 10,000 followers); the met column is blank otherwise.
func (d deliveryConfig) atGoalSizes() bool { return d.hosts == 1000 && d.followers == 10_000 }

// quickDelivery shrinks the sizes not given on the command line by ten.
func quickDelivery(d *deliveryConfig, set map[string]bool) {
	if !set["fleet-hosts"] {
		d.hosts = 100
	}
	if !set["fanout-followers"] {
		d.followers = 1000
	}
	if !set["follows"] {
		d.follows = 1000
	}
}

func (d deliveryConfig) does(name string) bool {
	return slices.Contains(strings.Split(d.run, ","), name)
}

// deliveryResults are an engine's delivery measurements.
type deliveryResults struct {
	fanouts []*fanoutResult
	follows *followsResult
}

// benchDelivery runs the delivery benchmarks of r's engine.
func benchDelivery(ctx context.Context, c config, r *engineResult) error {
	d := c.delivery
	for _, v := range fanoutVariants {
		if !d.does("fanout") && !d.does(v.id) {
			continue
		}
		var runs []*fanoutResult
		for i := range max(d.runs, 1) {
			res, err := benchFanout(ctx, c, r.engine, r.dsn, v, i)
			if err != nil {
				return fmt.Errorf("fan-out %s: %w", v.name, err)
			}
			runs = append(runs, res)
		}
		r.delivery.fanouts = append(r.delivery.fanouts, median(runs))
	}
	if d.does("follows") {
		res, err := benchFollows(ctx, c, r.engine, r.dsn)
		if err != nil {
			return fmt.Errorf("follows: %w", err)
		}
		r.delivery.follows = res
	}
	return nil
}

// running is an instance under test serving on loopback.
type running struct {
	*node.Instance
	cancel context.CancelFunc
	done   chan error
	dsn    string
}

// startInstance opens a fresh database called name beside mainDSN and
// serves an instance over it with serve's default settings, except that it
// may reach loopback addresses (the fleet's).
func startInstance(ctx context.Context, c config, mainDSN, name string) (*running, error) {
	dsn, err := sideDSN(c, mainDSN, name)
	if err != nil {
		return nil, err
	}
	if err := dropDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	if err := createDatabase(ctx, dsn, ""); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "coopdir-bench-")
	if err != nil {
		return nil, err
	}
	cfg := node.Config{Listen: "127.0.0.1:0", Database: dsn, NetworkName: "Bench", NetworkDescription: "A benchmark.",
		SecretFile: filepath.Join(dir, "secret"), AllowPrivateAddresses: true, Version: "bench"}
	in, err := node.Open(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	sctx, cancel := context.WithCancel(ctx)
	r := &running{Instance: in, cancel: cancel, done: make(chan error, 1), dsn: dsn}
	go func() {
		r.done <- in.Serve(sctx)
		os.RemoveAll(dir)
	}()
	return r, nil
}

// stop shuts the instance down, closes it and drops its database.
func (r *running) stop(ctx context.Context) error {
	r.cancel()
	err := <-r.done
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	if derr := dropDatabase(context.WithoutCancel(ctx), r.dsn); err == nil {
		err = derr
	}
	return err
}

// enterprise creates the local enterprise handle and waits until the
// publisher has done with its creation (its key is made then), so that
// the timed part starts from a quiet instance.
func (r *running) enterprise(ctx context.Context, handle string) error {
	e := &directory.Enterprise{Handle: handle, Name: "Shaky Hands Printing", Kind: directory.KindWorkerCoop,
		Summary: "We print posters for the movement."}
	if err := r.Service().CreateEnterprise(directory.AsSystem(ctx), e); err != nil {
		return err
	}
	return r.idle(ctx, time.Minute)
}

// idle waits until the node has sent everything (see Node.Idle).
func (r *running) idle(ctx context.Context, timeout time.Duration) error {
	return poll(ctx, timeout, func() (bool, error) { return r.Node().Idle(ctx) })
}

// poll calls cond every 10 ms until it holds, fails, or timeout passes.
func poll(ctx context.Context, timeout time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(timeout)
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return errTimeout
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(10 * time.Millisecond):
		}
	}
}

// profile starts the profiles of a run asked for and returns their stop.
func profile(d deliveryConfig, engine, name string) (func(), error) {
	var stops []func()
	stop := func() {
		for _, f := range stops {
			f()
		}
		stops = nil
	}
	if d.cpuProfile != "" {
		f, err := os.Create(fmt.Sprintf("%s-%s-%s.pprof", d.cpuProfile, engine, name))
		if err != nil {
			return nil, err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			f.Close()
			return nil, err
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if d.blockProfile != "" {
		path := fmt.Sprintf("%s-%s-%s.pprof", d.blockProfile, engine, name)
		runtime.SetBlockProfileRate(int(10 * time.Microsecond))
		stops = append(stops, func() {
			if f, err := os.Create(path); err == nil {
				pprof.Lookup("block").WriteTo(f, 0) //nolint:errcheck // a diagnostic
				f.Close()
			}
			runtime.SetBlockProfileRate(0)
		})
	}
	return stop, nil
}

// seedFollowers stores n followers of actor spread over the fleet's hosts,
// straight through the store, as Mastodon's accounts would be after their
// follows were accepted: each with its own inbox and its host's shared
// inbox.
func seedFollowers(ctx context.Context, db directory.FederationStore, f *fleet, actor string, n int) error {
	const writers = 4
	now := time.Now().UTC()
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := w; j < n; j += writers {
				h := f.hosts[j%len(f.hosts)]
				id := h.base + userPath(j/len(f.hosts))
				err := db.SaveFollower(ctx, &directory.Follower{Actor: actor, FollowerID: id, Inbox: id + "/inbox",
					SharedInbox: h.base + "/inbox", FollowID: id + "/follows/1", CreatedAt: now})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// printDeliveryTables prints the fan-out and follow tables of the engines
// that measured them.
func printDeliveryTables(w io.Writer, c config, rs []engineResult) {
	d := c.delivery
	if slices.ContainsFunc(rs, func(r engineResult) bool { return len(r.delivery.fanouts) > 0 }) {
		fmt.Fprintf(w, "\n### Delivery fan-out\n\n")
		fmt.Fprintf(w, "One announcement of an enterprise with %d followers on %d fake servers on loopback "+
			"(each its own host, answering after %v; the followers share their server's shared inbox, so one POST "+
			"per host), from the write until every healthy inbox has answered its POST. Refusing hosts are closed "+
			"ports, black-holed ones accept TCP and never answer. Each run is the median of %d on fresh databases "+
			"(the fastest and slowest in brackets); POSTs, CPU and load are the median run's. The goals are issue 13's (at 1,000 hosts and "+
			"10,000 followers; met is left blank at other sizes). Duplicates are healthy inboxes that got the announcement more than once; Go CPU is "+
			"this process's (the instance and the fleet); load is the load average when the run started.\n\n",
			d.followers, d.hosts, d.latency, max(d.runs, 1))
		fmt.Fprintln(w, "| engine | run | hosts: healthy / refusing / black-holed | healthy inboxes done | vs clean | goal | met | POSTs answered | duplicates | Go CPU | load |")
		fmt.Fprintln(w, "|---|---|---|---:|---:|---|---|---:|---:|---:|---:|")
		for _, r := range rs {
			var clean time.Duration
			for _, f := range r.delivery.fanouts {
				if f.variant.name == "clean" {
					clean = f.elapsed
				}
				ratio, goal, met := "", f.variant.goalText(), "—"
				if d.atGoalSizes() {
					met = yesNo(f.met(clean))
				}
				if clean > 0 {
					ratio = fmt.Sprintf("%.2f×", f.elapsed.Seconds()/clean.Seconds())
				}
				fmt.Fprintf(w, "| %s | %s | %d / %d / %d | %s (%s–%s) | %s | %s | %s | %d | %d | %s | %s |\n",
					r.engine, f.variant.name, f.hosts[healthy], f.hosts[refusing], f.hosts[blackholed],
					secs(f.elapsed), secs(f.fastest), secs(f.slowest), ratio, goal, met, f.posts, f.duplicates, secs(f.cpu), f.load)
			}
		}
	}
	if slices.ContainsFunc(rs, func(r engineResult) bool { return r.delivery.follows != nil }) {
		fmt.Fprintf(w, "\n### Follows accepted\n\n")
		fmt.Fprintf(w, "%d Follow activities from actors on %d fake servers (answering after %v, serving the actors "+
			"and their keys) POSTed to one enterprise's inbox, each server sending its own one after another; "+
			"from the first POST until every Accept has been delivered to its follower's inbox. Intake is until the "+
			"last POST was answered 202. Goal (issue 13, at 10,000 follows from 1,000 servers; met is left blank at other sizes): %v.\n\n", d.follows, d.hosts, d.latency, goalFollows)
		fmt.Fprintln(w, "| engine | follows | intake | every Accept delivered | goal | met | Accepts | duplicates | Go CPU | load |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---|---|---:|---:|---:|---:|")
		for _, r := range rs {
			if f := r.delivery.follows; f != nil {
				met := "—"
				if d.follows == 10_000 && d.hosts == 1000 {
					met = yesNo(f.elapsed <= goalFollows)
				}
				fmt.Fprintf(w, "| %s | %d | %s | %s | ≤ %v | %s | %d | %d | %s | %s |\n", r.engine, f.follows, secs(f.intake),
					secs(f.elapsed), goalFollows, met, f.accepts, f.duplicates, secs(f.cpu), f.load)
			}
		}
	}
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "**no**"
}

// logf logs one line of a delivery run.
func logf(engine, format string, args ...any) {
	log.Printf("%s: "+format, append([]any{engine}, args...)...)
}
