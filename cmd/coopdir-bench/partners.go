package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/directory/storage"
	"github.com/coopdir/coopdir/federation"
)

// The backfill benchmark: partner B is a generated directory (default
// 10,000 enterprises and 50,000 listings, as the issue names) served by
// federation.Server on a real loopback listener; partner A is an empty
// database of the same engine with its own keys, server and node. A
// stores B as an active partner and runs node.Backfill, which pages
// through B's directory collections over HTTP and imports every entry.
// Both run in this process, so the time (and a -cpuprofile) covers both
// sides: B building its pages, A reading and storing them.

// partnerConfig says what the partner benchmarks do.
type partnerConfig struct {
	run                   string // comma-separated: backfill, merged
	backfillEnterprises   int
	backfillListings      int
	partners              int
	enterprises, listings int // per partner, in the merged directory
	importPage            int
	cpuProfile            string
}

func partnerFlags(p *partnerConfig) {
	flag.StringVar(&p.run, "partners", "backfill,merged", "partner benchmarks to run (backfill, merged; \"\" for none)")
	flag.IntVar(&p.backfillEnterprises, "backfill-enterprises", 10_000, "enterprises of the partner the backfill reads")
	flag.IntVar(&p.backfillListings, "backfill-listings", 50_000, "listings of the partner the backfill reads")
	flag.IntVar(&p.partners, "merged-partners", 5, "partners in the merged directory")
	flag.IntVar(&p.enterprises, "merged-enterprises", 2_000, "enterprises of each partner in the merged directory")
	flag.IntVar(&p.listings, "merged-listings", 10_000, "listings of each partner in the merged directory")
	flag.IntVar(&p.importPage, "import-page", 200, "entries per ImportRemote call when filling the merged directory")
	flag.StringVar(&p.cpuProfile, "cpuprofile", "", "write a CPU profile of each backfill to `PREFIX`-ENGINE.pprof")
}

func (p partnerConfig) runs(name string) bool {
	return slices.Contains(strings.Split(p.run, ","), name)
}

// benchPartners runs the partner benchmarks of r's engine.
func benchPartners(ctx context.Context, c config, r *engineResult) error {
	if c.partners.runs("backfill") {
		b, err := benchBackfill(ctx, c, r.engine, r.dsn)
		if err != nil {
			return fmt.Errorf("backfill: %w", err)
		}
		r.backfill = b
	}
	if c.partners.runs("merged") {
		m, err := benchMerged(ctx, c, r.engine, r.dsn)
		if err != nil {
			return fmt.Errorf("merged directory: %w", err)
		}
		r.merged = m
	}
	return nil
}

// backfillResult is one backfill of the whole partner directory.
type backfillResult struct {
	enterprises, listings int // what the partner serves: local enterprises, open listings
	imported              int // Backfill.Imported
	elapsed               time.Duration
	pages                 int64
	bytes                 int64
	serving               time.Duration // the partner's handler time, summed over its pages
	store                 storeTimes    // A's store calls during the backfill
	cpu                   time.Duration // this process's CPU time (both sides, not PostgreSQL's)
	load                  string        // the machine's load average (1 min) when it started
}

// storeTimes is the time the backfilling instance spent in its store:
// importing pages, and reading and saving the partner (its position).
type storeTimes struct {
	importing, partner time.Duration
}

// timedStore times the store calls a backfill makes.
type timedStore struct {
	directory.Store
	mu sync.Mutex
	t  storeTimes
}

func (s *timedStore) add(d *time.Duration, start time.Time) {
	s.mu.Lock()
	*d += time.Since(start)
	s.mu.Unlock()
}

func (s *timedStore) ImportRemote(ctx context.Context, origin string, es []*directory.Enterprise, ls []*directory.Listing) (directory.RemoteImport, error) {
	defer s.add(&s.t.importing, time.Now())
	return s.Store.ImportRemote(ctx, origin, es, ls)
}

func (s *timedStore) FindPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	defer s.add(&s.t.partner, time.Now())
	return s.Store.FindPartner(ctx, id)
}

func (s *timedStore) UpdatePartner(ctx context.Context, p *directory.Partner) error {
	defer s.add(&s.t.partner, time.Now())
	return s.Store.UpdatePartner(ctx, p)
}

func (b *backfillResult) rate() float64 { return float64(b.imported) / b.elapsed.Seconds() }

// benchBackfill loads (or reuses) partner B, backfills it into a fresh A
// and checks that A got every entry B serves.
func benchBackfill(ctx context.Context, c config, engine, mainDSN string) (*backfillResult, error) {
	pc := c.partners
	bDSN, err := sideDSN(c, mainDSN, fmt.Sprintf("partner_%d_%d_%d", c.seed, pc.backfillEnterprises, pc.backfillListings))
	if err != nil {
		return nil, err
	}
	if ok, err := databaseExists(ctx, bDSN); err != nil {
		return nil, err
	} else if !ok {
		if err := createDatabase(ctx, bDSN, ""); err != nil {
			return nil, err
		}
	}
	b, err := openMigrated(ctx, bDSN)
	if err != nil {
		return nil, err
	}
	defer b.db.Close()
	bc := c
	bc.enterprises, bc.listings = pc.backfillEnterprises, pc.backfillListings
	log.Printf("%s: partner B (%d enterprises, %d listings)", engine, bc.enterprises, bc.listings)
	if err := load(ctx, bc, b.svc, &engineResult{}); err != nil {
		return nil, err
	}
	if err := vacuumAnalyze(ctx, bDSN); err != nil {
		return nil, err
	}
	// B serves as of benchNow: the open listings are those not expired then.
	b.svc.Now = func() time.Time { return benchNow }
	res := &backfillResult{}
	if res.enterprises, res.listings, err = servedCounts(ctx, b.db, benchNow); err != nil {
		return nil, err
	}
	srv, host, err := servePartner(b, res)
	if err != nil {
		return nil, err
	}
	defer srv.Close()

	aDSN, err := sideDSN(c, mainDSN, "backfill")
	if err != nil {
		return nil, err
	}
	if err := dropDatabase(ctx, aDSN); err != nil {
		return nil, err
	}
	if err := createDatabase(ctx, aDSN, ""); err != nil {
		return nil, err
	}
	defer dropDatabase(context.WithoutCancel(ctx), aDSN) //nolint:errcheck // best effort: the next run drops it first
	a, err := openMigrated(ctx, aDSN)
	if err != nil {
		return nil, err
	}
	defer a.db.Close()
	if err := runBackfill(ctx, c, engine, a, host, res); err != nil {
		return nil, err
	}
	log.Printf("%s: backfill of %d entries in %v (%.0f/s), %d pages, %.1f MB; partner's handlers %v, ImportRemote %v, partner row %v, CPU %v",
		engine, res.imported, res.elapsed.Round(time.Millisecond), res.rate(), res.pages, float64(res.bytes)/1e6,
		res.serving.Round(time.Millisecond), res.store.importing.Round(time.Millisecond), res.store.partner.Round(time.Millisecond),
		res.cpu.Round(time.Millisecond))
	return res, nil
}

// instance is a database with its Service.
type instance struct {
	db  storage.DB
	svc *directory.Service
}

// openMigrated opens dsn, applies the migrations and River's, and makes a
// Service over it with the benchmark's clock.
func openMigrated(ctx context.Context, dsn string) (*instance, error) {
	db, err := storage.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := federation.MigrateQueue(ctx, db.QueueHandle()); err != nil {
		db.Close()
		return nil, err
	}
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{})
	svc.Now = clock()
	return &instance{db: db, svc: svc}, nil
}

// servedCounts counts what the directory collections of db list on now:
// its local enterprises and its open listings.
func servedCounts(ctx context.Context, db directory.PartnerStore, now time.Time) (enterprises, listings int, err error) {
	const page = 1000
	for after := int64(0); ; {
		es, err := db.LocalEnterprisesAfter(ctx, after, page)
		if err != nil {
			return 0, 0, err
		}
		enterprises += len(es)
		if len(es) < page {
			break
		}
		after = es[len(es)-1].ID
	}
	today := now.UTC().Format(directory.DateLayout)
	for after := int64(0); ; {
		ls, err := db.OpenListingsAfter(ctx, after, today, page)
		if err != nil {
			return 0, 0, err
		}
		listings += len(ls)
		if len(ls) < page {
			break
		}
		after = ls[len(ls)-1].ID
	}
	return enterprises, listings, nil
}

// servePartner serves b's ActivityPub documents on a loopback port and
// returns the server and its host:port. Every request is counted in res.
func servePartner(b *instance, res *backfillResult) (*http.Server, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	urls, err := federation.NewURLs("http://" + ln.Addr().String())
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	keys, err := newKeys(b.db)
	if err != nil {
		ln.Close()
		return nil, "", err
	}
	ap := federation.NewServer(b.svc, keys, urls, federation.ServerOptions{
		Network:  federation.NetworkInfo{Name: "Partner B", Published: benchNow},
		Software: "coopdir", Version: "bench", Logger: quietLogger(),
	})
	var mu sync.Mutex
	counted := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &countingWriter{ResponseWriter: w}
		start := time.Now()
		ap.ServeHTTP(cw, r)
		d := time.Since(start)
		mu.Lock()
		res.pages, res.bytes, res.serving = res.pages+1, res.bytes+cw.n.Load(), res.serving+d
		mu.Unlock()
	})
	srv := &http.Server{Handler: counted, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	return srv, urls.Host(), nil
}

// countingWriter counts the body bytes written.
type countingWriter struct {
	http.ResponseWriter
	n atomic.Int64
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n.Add(int64(n))
	return n, err
}

// newKeys makes an instance's key store with a random secret.
func newKeys(db directory.ActorKeyStore) (*federation.Keys, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return federation.NewKeys(db, secret)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// runBackfill makes a the partner of the instance at host, times its
// backfill and checks the result against res's counts.
func runBackfill(ctx context.Context, c config, engine string, a *instance, host string, res *backfillResult) error {
	timed := &timedStore{Store: a.db}
	a.svc.Store = timed
	node, err := newNode(a)
	if err != nil {
		return err
	}
	p := &directory.Partner{Host: host, ActorID: "http://" + host + "/actor", Name: "Partner B",
		Outgoing: directory.PartnerActive, CreatedAt: benchNow, UpdatedAt: benchNow}
	if err := a.db.CreatePartner(ctx, p); err != nil {
		return err
	}
	if c.partners.cpuProfile != "" {
		f, err := os.Create(c.partners.cpuProfile + "-" + engine + ".pprof")
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	res.load = loadAverage()
	start, cpu := time.Now(), cpuTime()
	if err := node.Backfill(ctx, p.ID); err != nil {
		return err
	}
	res.elapsed, res.cpu = time.Since(start), cpuTime()-cpu
	res.store = timed.t
	if p, err = a.db.FindPartner(ctx, p.ID); err != nil {
		return err
	}
	res.imported = p.Backfill.Imported
	return checkBackfill(ctx, a.svc, p, res)
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// loadAverage is the machine's load average over the last minute, or "?"
// where /proc does not tell.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}

// newNode builds a's federation node as serve does (not started: the
// benchmark calls Backfill itself). a never listens, so its base URL is
// only what its ids and signatures name.
func newNode(a *instance) (*federation.Node, error) {
	urls, err := federation.NewURLs("http://partner-a.bench.example")
	if err != nil {
		return nil, err
	}
	keys, err := newKeys(a.db)
	if err != nil {
		return nil, err
	}
	ap := federation.NewServer(a.svc, keys, urls, federation.ServerOptions{
		Network: federation.NetworkInfo{Name: "Partner A", Published: benchNow}, Software: "coopdir", Version: "bench",
		Logger: quietLogger(),
	})
	return federation.NewNode(a.db.QueueHandle(), federation.Options{
		URLs: urls, Service: a.svc, Keys: keys, Server: ap, Logger: quietLogger(),
		Sanitize: markdown.New().Sanitize, AllowHTTP: true,
		Now:    func() time.Time { return benchNow },
		Client: federation.NewClient(federation.ClientOptions{AllowPrivate: true, UserAgent: "coopdir-bench"}),
	})
}

// checkBackfill fails unless the backfill finished without refusals and a
// holds exactly what the partner serves.
func checkBackfill(ctx context.Context, svc *directory.Service, p *directory.Partner, res *backfillResult) error {
	b := p.Backfill
	want := res.enterprises + res.listings
	if !b.Done || b.Error != "" || b.Refused != 0 || b.Imported != want {
		return fmt.Errorf("backfill: done %v, imported %d, refused %d (want %d: %d enterprises, %d open listings), error %q",
			b.Done, b.Imported, b.Refused, want, res.enterprises, res.listings, b.Error)
	}
	sys := directory.AsSystem(ctx)
	svc.Now = func() time.Time { return benchNow }
	ep, err := svc.SearchEnterprises(sys, directory.EnterpriseQuery{Origin: p.Host, Page: directory.Page{PerPage: 1}})
	if err != nil {
		return err
	}
	lp, err := svc.SearchListings(sys, directory.ListingQuery{Origin: p.Host, Status: directory.StatusOpen, Page: directory.Page{PerPage: 1}})
	if err != nil {
		return err
	}
	if ep.Total != res.enterprises || lp.Total != res.listings {
		return fmt.Errorf("after the backfill the directory holds %d enterprises and %d open listings of %s, want %d and %d",
			ep.Total, lp.Total, p.Host, res.enterprises, res.listings)
	}
	return nil
}

// printPartnerTables prints the backfill and merged-directory tables of
// the engines that measured them.
func printPartnerTables(w io.Writer, c config, rs []engineResult) {
	pc := c.partners
	if slices.ContainsFunc(rs, func(r engineResult) bool { return r.backfill != nil }) {
		fmt.Fprintf(w, "\n### Partner backfill\n\n")
		fmt.Fprintf(w, "An empty instance backfills a partner of %d enterprises and %d listings over HTTP on loopback "+
			"(both in this process); entries are the partner's enterprises and open listings. "+
			"The last three columns split the total: the partner building its pages (server side), "+
			"the backfilling instance storing them (ImportRemote) and reading and saving its position "+
			"(the partner row, three calls a page); the rest is HTTP and decoding. Go CPU is this process's CPU time "+
			"over the backfill (both sides; PostgreSQL's own work is not in it); load is the machine's load average "+
			"when the backfill started.\n\n",
			pc.backfillEnterprises, pc.backfillListings)
		fmt.Fprintln(w, "| engine | entries | pages | JSON | total time | entries/s | partner's handlers | ImportRemote | partner row | Go CPU | load |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, r := range rs {
			if b := r.backfill; b != nil {
				fmt.Fprintf(w, "| %s | %d (%d + %d) | %d | %.1f MB | %.1f s | %.0f | %.1f s | %.1f s | %.1f s | %.1f s | %s |\n", r.engine, b.imported,
					b.enterprises, b.listings, b.pages, float64(b.bytes)/1e6, b.elapsed.Seconds(), b.rate(), b.serving.Seconds(),
					b.store.importing.Seconds(), b.store.partner.Seconds(), b.cpu.Seconds(), b.load)
			}
		}
	}
	if slices.ContainsFunc(rs, func(r engineResult) bool { return r.merged != nil }) {
		printMerged(w, c, rs)
	}
}
