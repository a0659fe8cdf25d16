package main

import (
	"context"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"runtime/pprof"
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
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
	log.Printf("%s: backfill of %d entries in %v (%.0f/s), %d pages, %.1f MB; partner's handlers %v, ImportRemote %v, partner row %v, sweep %v, CPU %v",
		engine, res.imported, res.elapsed.Round(time.Millisecond), res.rate(), res.pages, float64(res.bytes)/1e6,
		res.serving.Round(time.Millisecond), res.store.importing.Round(time.Millisecond), res.store.partner.Round(time.Millisecond),
		res.store.sweep.Round(time.Millisecond), res.cpu.Round(time.Millisecond))
	return res, nil
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
	ap := federation.NewServer(b.svc, b.db, keys, urls, federation.ServerOptions{
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

// runBackfill makes a the partner of the instance at host, times its
// backfill and checks the result against res's counts.
func runBackfill(ctx context.Context, c config, engine string, a *instance, host string, res *backfillResult) error {
	timed := &timedStore{Store: a.db}
	node, err := newNode(a, timed)
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
	if err := node.Partners().Backfill(ctx, p.ID); err != nil {
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

// newNode builds a's federation node as serve does (not started: the
// benchmark calls Backfill itself). a never listens, so its base URL is
// only what its ids and signatures name.
func newNode(a *instance, store federation.Store) (*federation.Node, error) {
	urls, err := federation.NewURLs("http://partner-a.bench.example")
	if err != nil {
		return nil, err
	}
	keys, err := newKeys(a.db)
	if err != nil {
		return nil, err
	}
	ap := federation.NewServer(a.svc, a.db, keys, urls, federation.ServerOptions{
		Network: federation.NetworkInfo{Name: "Partner A", Published: benchNow}, Software: "coopdir", Version: "bench",
		Logger: quietLogger(),
	})
	return federation.NewNode(a.db.QueueHandle(), federation.Options{
		URLs: urls, Service: a.svc, Store: store, Keys: keys, Server: ap, Logger: quietLogger(),
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
