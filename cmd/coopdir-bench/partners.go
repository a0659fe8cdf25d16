package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/password"
	"github.com/coopdir/coopdir/federation"
	node "github.com/coopdir/coopdir/instance"
)

// partnerConfig says what the partner benchmarks do.
type partnerConfig struct {
	run                   string // comma-separated: backfill, merged
	backfillEnterprises   int
	backfillListings      int
	partners              int
	enterprises, listings int // per partner, in the merged directory
	importPage            int
	queryBudget           time.Duration
	cpuProfile            string
}

func partnerFlags(p *partnerConfig) {
	flag.StringVar(&p.run, "partners", "backfill,merged", "partner benchmarks to run (backfill, merged; \"\" for none)")
	flag.IntVar(&p.backfillEnterprises, "backfill-enterprises", 0, "enterprises of the partner the backfill reads (default: a tenth of -enterprises)")
	flag.IntVar(&p.backfillListings, "backfill-listings", 0, "listings of the partner the backfill reads (default: a tenth of -listings)")
	flag.IntVar(&p.partners, "merged-partners", 5, "partners in the merged directory")
	flag.IntVar(&p.enterprises, "merged-enterprises", 0, "enterprises of each partner in the merged directory (default: a fiftieth of -enterprises)")
	flag.IntVar(&p.listings, "merged-listings", 0, "listings of each partner in the merged directory (default: a fiftieth of -listings)")
	flag.IntVar(&p.importPage, "import-page", 200, "entries per ImportRemote call when filling the merged directory")
	flag.DurationVar(&p.queryBudget, "merged-budget", time.Minute, "stop timing a merged-directory query after this long (and 20 runs)")
	flag.StringVar(&p.cpuProfile, "cpuprofile", "", "write a CPU profile of each backfill to `PREFIX`-ENGINE.pprof")
}

// scale fills in the partners' sizes left unset from the local data set's:
// the full run's 100,000 enterprises and 500,000 listings give a backfill
// of 10,000 and 50,000 and merged partners of 2,000 and 10,000 each, and a
// quick small run gets partners as small as its directory.
func (p *partnerConfig) scale(enterprises, listings int) {
	part := func(n *int, of, div int) {
		if *n == 0 {
			*n = max(1, of/div)
		}
	}
	part(&p.backfillEnterprises, enterprises, 10)
	part(&p.backfillListings, listings, 10)
	part(&p.enterprises, enterprises, 50)
	part(&p.listings, listings, 50)
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

// instance is a database with its Service.
type instance struct {
	db  node.Database
	svc *directory.Service
}

// openMigrated opens dsn, applies the migrations and River's, and makes a
// Service over it with the benchmark's clock.
func openMigrated(ctx context.Context, dsn string) (*instance, error) {
	db, err := node.OpenDatabase(ctx, dsn)
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

// newKeys makes an instance's key store with a random secret.
func newKeys(db directory.ActorKeyStore) (*federation.Keys, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return federation.NewKeys(db, secret)
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

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
			"(the partner row, one call a page) and the sweep that ends the run (removing copies the partner no "+
			"longer has; nothing here); the rest is HTTP and decoding. Go CPU is this process's CPU time "+
			"over the backfill (both sides; PostgreSQL's own work is not in it); load is the machine's load average "+
			"when the backfill started.\n\n",
			pc.backfillEnterprises, pc.backfillListings)
		fmt.Fprintln(w, "| engine | entries | pages | JSON | total time | entries/s | partner's handlers | ImportRemote | partner row | sweep | Go CPU | load |")
		fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, r := range rs {
			if b := r.backfill; b != nil {
				fmt.Fprintf(w, "| %s | %d (%d + %d) | %d | %.1f MB | %.1f s | %.0f | %.1f s | %.1f s | %.1f s | %.2f s | %.1f s | %s |\n", r.engine, b.imported,
					b.enterprises, b.listings, b.pages, float64(b.bytes)/1e6, b.elapsed.Seconds(), b.rate(), b.serving.Seconds(),
					b.store.importing.Seconds(), b.store.partner.Seconds(), b.store.sweep.Seconds(), b.cpu.Seconds(), b.load)
			}
		}
	}
	if slices.ContainsFunc(rs, func(r engineResult) bool { return r.merged != nil }) {
		printMerged(w, c, rs)
		printMatching(w, c, rs)
	}
}
