// Command coopdir-bench measures search latency and insert rate at scale on
// both storage engines and prints a Markdown table (run by `make bench`).
//
// It generates a directory with a fixed seed (default 100,000 enterprises and
// 500,000 listings), loads it through the real Store and Service, then runs
// each query many times and reports p50/p95/p99. The last rows time whole
// GET /directory requests through the web handler (server time, no
// network). The SQLite database is kept in .bench/ and reused when it
// already holds the same data set; PostgreSQL uses DATABASE_URL
// (scripts/bench.sh starts a throwaway cluster) and reuses a loaded data
// set too. -run picks queries by name (-run '^page' times the pages only).
// A total that stopped at a cap shows as N+.
//
// After each engine's local tables it measures partner networks (see
// partners.go and merged.go): the rate at which an empty instance
// backfills a partner's directory over real HTTP, and the same searches on
// a copy of the directory that also holds five partners' entries. Then it
// measures delivery (see delivery.go): a real instance with serve's default
// settings fans an announcement out to followers on 1,000 fake servers on
// loopback, some of them refusing or black-holed, and answers 10,000 follows
// (issue 13). -quick makes every data set small.
//
// With -logos BIN it measures only the memory of BIN's serve during
// concurrent logo uploads (see logos.go), and with -fanout-memory BIN
// during a fan-out (see fanoutmem.go), as `make bench` does last.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	node "github.com/coopdir/coopdir/instance"
)

type config struct {
	engines     string
	enterprises int
	listings    int
	seed        int64
	iterations  int
	bilingual   bool
	cacheDir    string
	only        *regexp.Regexp // queries to run, by name; nil runs all
	search      bool           // load the data set and run the queries and pages
	partners    partnerConfig
	delivery    deliveryConfig
}

func main() {
	var c config
	flag.StringVar(&c.engines, "engines", "sqlite,postgres", "engines to measure (postgres needs DATABASE_URL)")
	flag.IntVar(&c.enterprises, "enterprises", 100_000, "enterprises to generate")
	flag.IntVar(&c.listings, "listings", 500_000, "listings to generate")
	flag.Int64Var(&c.seed, "seed", 1, "random seed of the data set")
	flag.IntVar(&c.iterations, "iterations", 200, "runs of each query")
	flag.BoolVar(&c.bilingual, "bilingual", false, "make every other enterprise and its listings Spanish (see bilingual.go), and time Spanish searches too")
	flag.StringVar(&c.cacheDir, "cache", ".bench", "folder for the SQLite data set")
	only := flag.String("run", "", "run only the queries whose name matches this regular expression")
	flag.BoolVar(&c.search, "search", true, "load the data set and time the searches and pages (false: the other benchmarks only; the merged directory needs it)")
	quick := flag.Bool("quick", false, "a quick run: small data sets and a tenth of the delivery sizes, for the sizes not given (see quickSizes)")
	partnerFlags(&c.partners)
	deliveryFlags(&c.delivery)
	var logos logoConfig
	logoFlags(&logos)
	fanoutMem := flag.String("fanout-memory", "", "measure serve's memory during the fan-out with this coopdir `binary` (see fanoutmem.go), print a table and exit")
	flag.Parse()
	if logos.bin != "" {
		log.SetFlags(log.Ltime)
		if err := benchLogos(context.Background(), logos); err != nil {
			log.Fatalf("logos: %v", err)
		}
		return
	}
	c.partners.scale(c.enterprises, c.listings)
	if *quick {
		set := map[string]bool{}
		flag.Visit(func(f *flag.Flag) { set[f.Name] = true })
		quickSizes(&c, set)
	}
	if *fanoutMem != "" {
		log.SetFlags(log.Ltime)
		if err := benchFanoutMemory(context.Background(), c, *fanoutMem); err != nil {
			log.Fatalf("fan-out memory: %v", err)
		}
		return
	}
	if *only != "" {
		re, err := regexp.Compile(*only)
		if err != nil {
			log.Fatalf("-run: %v", err)
		}
		c.only = re
	}
	log.SetFlags(log.Ltime)
	ctx := context.Background()
	var results []engineResult
	for _, engine := range strings.Split(c.engines, ",") {
		r, err := benchEngine(ctx, c, strings.TrimSpace(engine))
		if err != nil {
			log.Fatalf("%s: %v", engine, err)
		}
		// The main database is closed by now: the merged directory is a copy of it.
		if err := benchPartners(ctx, c, &r); err != nil {
			log.Fatalf("%s: %v", engine, err)
		}
		if err := benchDelivery(ctx, c, &r); err != nil {
			log.Fatalf("%s: %v", engine, err)
		}
		results = append(results, r)
	}
	if c.search {
		printTable(os.Stdout, c, results)
	}
	printPartnerTables(os.Stdout, c, results)
	printDeliveryTables(os.Stdout, c, results)
}

type engineResult struct {
	engine      string
	dsn         string
	queries     []queryResult
	entRate     float64 // enterprises per second, bulk import
	listingRate float64 // listings per second, one transaction each
	sizeBytes   int64
	backfill    *backfillResult // nil when not measured
	merged      *mergedResult   // nil when not measured
	delivery    deliveryResults
}

type queryResult struct {
	name          string
	p50, p95, p99 time.Duration
	cpu           time.Duration // this process's CPU per run (all of SQLite's; PostgreSQL's server is not counted)
	total         count
	runs          int
}

// quickSizes sets the sizes of a quick run, each unless given on the
// command line: 2,000 enterprises and 5,000 listings, 50 runs of each
// query, a partner of 1,000 and 5,000, merged partners of 200 and 1,000,
// and the delivery benchmarks at a tenth (100 hosts, 1,000 followers and
// follows).
func quickSizes(c *config, set map[string]bool) {
	sizes := []struct {
		flag string
		v    *int
		n    int
	}{
		{"enterprises", &c.enterprises, 2000}, {"listings", &c.listings, 5000}, {"iterations", &c.iterations, 50},
		{"backfill-enterprises", &c.partners.backfillEnterprises, 1000}, {"backfill-listings", &c.partners.backfillListings, 5000},
		{"merged-enterprises", &c.partners.enterprises, 200}, {"merged-listings", &c.partners.listings, 1000},
	}
	for _, s := range sizes {
		if !set[s.flag] {
			*s.v = s.n
		}
	}
	quickDelivery(&c.delivery, set)
}

func benchEngine(ctx context.Context, c config, engine string) (engineResult, error) {
	res := engineResult{engine: engine}
	dsn, err := engineDSN(c, engine)
	if err != nil {
		return res, err
	}
	res.dsn = dsn
	if !c.search {
		return res, nil
	}
	db, err := node.OpenDatabase(ctx, dsn)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return res, err
	}
	svc := directory.NewService(db, markdown.New().Render, password.Hasher{})
	svc.Now = clock()
	if err := load(ctx, c, svc, &res); err != nil {
		return res, err
	}
	if engine == "postgres" {
		if err := analyze(ctx, db); err != nil {
			return res, err
		}
	}
	res.sizeBytes, err = size(ctx, db, dsn)
	if err != nil {
		return res, err
	}
	qs := append(queries(), pageQueries(svc)...)
	if c.bilingual {
		qs = append(qs, bilingualQueries()...)
	}
	for _, q := range qs {
		if c.only != nil && !c.only.MatchString(q.name) {
			continue
		}
		qr, err := run(ctx, svc, q, c.iterations, 0)
		if err != nil {
			return res, fmt.Errorf("%s: %w", q.name, err)
		}
		log.Printf("%s %-45s p50 %v p95 %v cpu %v (total %v)", engine, q.name, qr.p50, qr.p95, qr.cpu, qr.total)
		res.queries = append(res.queries, qr)
	}
	return res, nil
}

// engineDSN is the main benchmark database of engine.
func engineDSN(c config, engine string) (string, error) {
	switch engine {
	case "sqlite":
		if err := os.MkdirAll(c.cacheDir, 0o755); err != nil {
			return "", err
		}
		lang := ""
		if c.bilingual {
			lang = "-es"
		}
		return "sqlite:" + filepath.Join(c.cacheDir, fmt.Sprintf("bench-%d-%d-%d%s.db", c.seed, c.enterprises, c.listings, lang)), nil
	case "postgres":
		dsn := os.Getenv("DATABASE_URL")
		if !strings.HasPrefix(dsn, "postgres") {
			return "", fmt.Errorf("DATABASE_URL must point at PostgreSQL")
		}
		return dsn, nil
	}
	return "", fmt.Errorf("unknown engine %q", engine)
}

// benchNow fixes the start of the clock so that expiry and founding years do
// not drift between runs.
var benchNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// clock returns a deterministic clock that starts a year before benchNow and
// moves on 50 s a reading (a year over the whole load), so that entries have distinct creation times
// spread over the past, as real ones do, and "newest first" is a real order.
func clock() func() time.Time {
	var ticks atomic.Int64
	start := benchNow.AddDate(-1, 0, 0)
	return func() time.Time { return start.Add(time.Duration(ticks.Add(1)) * 50 * time.Second) }
}

// run times n runs of q after 5 warm-up runs. With a budget, it stops
// early once the runs took longer than that, after at least minRuns.
func run(ctx context.Context, svc *directory.Service, q query, n int, budget time.Duration) (queryResult, error) {
	// Warm up caches and plans first.
	for range 5 {
		if _, err := q.run(ctx, svc); err != nil {
			return queryResult{}, err
		}
	}
	times := make([]time.Duration, 0, n)
	var total count
	began, cpu := time.Now(), cpuTime()
	for range n {
		if budget > 0 && len(times) >= minRuns && time.Since(began) > budget {
			break
		}
		start := time.Now()
		t, err := q.run(ctx, svc)
		if err != nil {
			return queryResult{}, err
		}
		times, total = append(times, time.Since(start)), t
	}
	cpu = (cpuTime() - cpu) / time.Duration(max(1, len(times)))
	slices.Sort(times)
	pct := func(p float64) time.Duration { return times[min(len(times)-1, int(float64(len(times))*p))] }
	return queryResult{name: q.name, p50: pct(0.50), p95: pct(0.95), p99: pct(0.99), cpu: cpu, total: total, runs: len(times)}, nil
}

// minRuns is the fewest runs of a query that stops early.
const minRuns = 20

func printTable(w io.Writer, c config, rs []engineResult) {
	host, _ := os.Hostname()
	fmt.Fprintf(w, "\n## coopdir search benchmark (%s)\n\n", time.Now().UTC().Format("2006-01-02"))
	lang := ""
	if c.bilingual {
		lang = " (bilingual: every other enterprise and its listings in Spanish)"
	}
	fmt.Fprintf(w, "Machine: %s, %d cores, %s/%s, %s. Data: %d enterprises, %d listings%s, seed %d; %d runs per query.\n\n",
		host, runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version(), c.enterprises, c.listings, lang, c.seed, c.iterations)
	fmt.Fprintln(w, "| engine | query | matches | p50 | p95 | p99 | Go CPU per run |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|")
	for _, r := range rs {
		for _, q := range r.queries {
			fmt.Fprintf(w, "| %s | %s | %v | %s | %s | %s | %s |\n", r.engine, q.name, q.total, ms(q.p50), ms(q.p95), ms(q.p99), ms(q.cpu))
		}
	}
	fmt.Fprintln(w, "\n| engine | enterprise import | listing insert (one transaction each) | database size |")
	fmt.Fprintln(w, "|---|---:|---:|---:|")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %s | %.0f MB |\n", r.engine, rate(r.entRate), rate(r.listingRate), float64(r.sizeBytes)/1e6)
	}
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func rate(r float64) string {
	if r == 0 {
		return "cached"
	}
	return fmt.Sprintf("%.0f/s", r)
}
