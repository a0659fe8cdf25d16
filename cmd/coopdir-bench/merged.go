package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net/url"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/markdown"
)

// The merged-directory benchmark runs the searches and pages of the main
// table on a directory that also holds partners' entries (default 5
// partners of 2,000 enterprises and 10,000 listings each), plus searches
// limited to the partners' entries and to one partner. It runs on a copy
// of the main database, so the main table keeps measuring the local
// directory alone and the main data set stays reusable. The copy is
// kept (SQLite file, PostgreSQL database) and reused while it holds the
// same data set.

// mergedResult is the merged directory's measurements.
type mergedResult struct {
	hosts      []string
	importRate float64 // partner entries stored per second; 0 when reused
	queries    []queryResult
	match      *queryResult // matching one listing (matching.go)
	load       string       // the machine's load average when the queries started
}

// partnerHosts are the origins of the merged directory's partners.
func partnerHosts(n int) []string {
	hosts := make([]string, n)
	for i := range hosts {
		hosts[i] = fmt.Sprintf("partner%d.bench.example", i+1)
	}
	return hosts
}

// benchMerged makes (or reuses) the merged copy of the main database and
// times the queries on it.
func benchMerged(ctx context.Context, c config, engine, mainDSN string) (*mergedResult, error) {
	pc := c.partners
	dsn, err := sideDSN(c, mainDSN, fmt.Sprintf("merged_%d_%d_%d_%dx%d_%d",
		c.seed, c.enterprises, c.listings, pc.partners, pc.enterprises, pc.listings))
	if err != nil {
		return nil, err
	}
	m := &mergedResult{hosts: partnerHosts(pc.partners)}
	inst, err := openMerged(ctx, c, dsn, mainDSN, m)
	if err != nil {
		return nil, err
	}
	defer inst.db.Close()
	if err := vacuumAnalyze(ctx, dsn); err != nil {
		return nil, err
	}
	m.load = loadAverage()
	for _, q := range mergedQueries(inst.svc, m.hosts[0]) {
		if c.only != nil && !c.only.MatchString(q.name) {
			continue
		}
		qr, err := run(ctx, inst.svc, q, c.iterations, pc.queryBudget)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q.name, err)
		}
		log.Printf("%s merged %-45s p50 %v p95 %v (total %v)", engine, q.name, qr.p50, qr.p95, qr.total)
		m.queries = append(m.queries, qr)
	}
	mq, err := matchQuery(ctx, inst)
	if err != nil {
		return nil, err
	}
	if c.only == nil || c.only.MatchString(mq.name) {
		qr, err := run(ctx, inst.svc, mq, c.iterations, 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", mq.name, err)
		}
		log.Printf("%s merged %-45s p50 %v p95 %v", engine, mq.name, qr.p50, qr.p95)
		m.match = &qr
	}
	return m, nil
}

// openMerged opens the merged copy at dsn when it holds the data set, else
// copies the main database there and imports the partners' entries.
func openMerged(ctx context.Context, c config, dsn, mainDSN string, m *mergedResult) (*instance, error) {
	if ok, err := databaseExists(ctx, dsn); err != nil {
		return nil, err
	} else if ok {
		inst, err := openMigrated(ctx, dsn)
		if err != nil {
			return nil, err
		}
		full, err := mergedLoaded(ctx, c, inst, m.hosts)
		if err == nil && full {
			log.Printf("reusing the merged data set")
			return inst, nil
		}
		inst.db.Close()
		if err != nil {
			return nil, err
		}
	}
	if err := dropDatabase(ctx, dsn); err != nil {
		return nil, err
	}
	log.Printf("copying the main database for the merged directory")
	if err := createDatabase(ctx, dsn, mainDSN); err != nil {
		return nil, err
	}
	inst, err := openMigrated(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if m.importRate, err = importPartners(ctx, c, inst, m.hosts); err != nil {
		inst.db.Close()
		return nil, err
	}
	return inst, nil
}

// mergedLoaded reports whether inst holds the local data set and every
// partner's entries.
func mergedLoaded(ctx context.Context, c config, inst *instance, hosts []string) (bool, error) {
	sys := directory.AsSystem(ctx)
	counts := func(origin string) (int, int, error) {
		ep, err := inst.svc.SearchEnterprises(sys, directory.EnterpriseQuery{Origin: origin, Page: directory.Page{PerPage: 1}})
		if err != nil {
			return 0, 0, err
		}
		lp, err := inst.svc.SearchListings(sys, directory.ListingQuery{Origin: origin, Page: directory.Page{PerPage: 1}})
		if err != nil {
			return 0, 0, err
		}
		return ep.Total, lp.Total, nil
	}
	if e, l, err := counts(directory.OriginLocal); err != nil || e != c.enterprises || l != c.listings {
		return false, err
	}
	for _, h := range hosts {
		if _, err := inst.db.FindPartnerByHost(ctx, h); directory.ErrorCode(err) == directory.ENOTFOUND {
			return false, nil
		} else if err != nil {
			return false, err
		}
		if e, l, err := counts(h); err != nil || e != c.partners.enterprises || l != c.partners.listings {
			return false, err
		}
	}
	return true, nil
}

// importPartners stores each partner (active, as after an approval) and
// its generated entries through ImportRemote, a page at a time as a
// backfill does, and returns the entries stored per second.
func importPartners(ctx context.Context, c config, inst *instance, hosts []string) (float64, error) {
	pc := c.partners
	start := time.Now()
	for k, host := range hosts {
		p := &directory.Partner{Host: host, ActorID: "https://" + host + "/actor", Name: fmt.Sprintf("Partner network %d", k+1),
			Outgoing: directory.PartnerActive, Incoming: directory.PartnerActive,
			Backfill: directory.Backfill{Done: true}, CreatedAt: benchNow, UpdatedAt: benchNow}
		if err := inst.db.CreatePartner(ctx, p); err != nil {
			return 0, err
		}
		es, ls, err := genPartner(c, k, host)
		if err != nil {
			return 0, err
		}
		for i := 0; i < len(es); i += pc.importPage {
			if err := importPage(ctx, inst, host, es[i:min(i+pc.importPage, len(es))], nil); err != nil {
				return 0, err
			}
		}
		for i := 0; i < len(ls); i += pc.importPage {
			if err := importPage(ctx, inst, host, nil, ls[i:min(i+pc.importPage, len(ls))]); err != nil {
				return 0, err
			}
		}
		log.Printf("imported partner %s: %d enterprises, %d listings", host, len(es), len(ls))
	}
	n := len(hosts) * (pc.enterprises + pc.listings)
	rate := float64(n) / time.Since(start).Seconds()
	log.Printf("imported %d partner entries (%.0f/s)", n, rate)
	return rate, nil
}

// importPage imports one page and fails unless every entry was created.
func importPage(ctx context.Context, inst *instance, host string, es []*directory.Enterprise, ls []*directory.Listing) error {
	res, err := inst.db.ImportRemote(ctx, host, es, ls)
	if err != nil {
		return err
	}
	if res.Created != len(es)+len(ls) {
		return fmt.Errorf("import of %s: %+v of %d entries", host, res, len(es)+len(ls))
	}
	return nil
}

// genPartner generates partner k's entries as a backfill would store them:
// like the local ones (the same generator, another random stream), as
// copies with origin host, canonical ids on that host, HTML rendered, and
// creation times spread over the year before benchNow.
func genPartner(c config, k int, host string) ([]*directory.Enterprise, []*directory.Listing, error) {
	pc := c.partners
	r := rand.New(rand.NewPCG(uint64(c.seed), uint64(1000+k)))
	md := markdown.New()
	start := benchNow.AddDate(-1, 0, 0)
	step := benchNow.Sub(start) / time.Duration(pc.enterprises+pc.listings+1)
	at := func(i int) time.Time { return start.Add(time.Duration(i+1) * step).UTC() }
	es := make([]*directory.Enterprise, pc.enterprises)
	for i := range es {
		e := genEnterprise(r, i)
		e.Origin, e.RemoteID = host, "https://"+host+"/enterprises/"+url.PathEscape(e.Handle)
		e.RemoteURL, e.SummaryHTML = e.RemoteID, md.Render(e.Summary)
		e.CreatedAt, e.UpdatedAt = at(i), at(i)
		if err := e.Validate(benchNow); err != nil {
			return nil, nil, err
		}
		es[i] = e
	}
	ls := make([]*directory.Listing, pc.listings)
	for i := range ls {
		l, owner := genListing(r), es[r.IntN(len(es))]
		l.EnterpriseHandle, l.Location = owner.Handle, owner.Location
		l.Origin, l.RemoteID = host, fmt.Sprintf("https://%s/listings/%d", host, i+1)
		l.RemoteURL, l.DescriptionHTML = l.RemoteID, md.Render(l.Description)
		l.CreatedAt = at(pc.enterprises + i)
		l.UpdatedAt = l.CreatedAt
		if err := l.Validate(); err != nil {
			return nil, nil, err
		}
		ls[i] = l
	}
	return es, ls, nil
}

// mergedQueries are the main table's searches and pages, plus searches
// and pages limited to the partners' entries and to the partner host.
func mergedQueries(svc *directory.Service, host string) []query {
	near := &directory.Geo{Near: milwaukee, KM: 10}
	h := pageHandler(svc)
	qs := queries()
	qs = append(qs,
		enterprises("enterprises: partners only, first page", directory.EnterpriseQuery{Origin: directory.OriginPartners}),
		enterprises("enterprises: partners only, one word (bakery)", directory.EnterpriseQuery{Origin: directory.OriginPartners, Text: "bakery"}),
		enterprises("enterprises: one partner, first page", directory.EnterpriseQuery{Origin: host}),
		enterprises("enterprises: one partner, one word (bakery)", directory.EnterpriseQuery{Origin: host, Text: "bakery"}),
		listings("listings: partners only, one word (bicycle)", directory.ListingQuery{Origin: directory.OriginPartners, Text: "bicycle"}),
		listings("listings: one partner, open needs, tools, within 10 km", directory.ListingQuery{Origin: host, Type: directory.Need,
			Categories: []directory.Category{"tools"}, Status: directory.StatusOpen, Geo: near, Sort: directory.SortDistance}),
		listings("listings: one partner, open offers, newest", directory.ListingQuery{Origin: host, Type: directory.Offer,
			Status: directory.StatusOpen, Sort: directory.SortNewest}),
	)
	qs = append(qs, pageQueries(svc)...)
	return append(qs,
		page(h, "page /directory: origin=partners", "/directory?origin=partners"),
		page(h, "page /directory: origin=partners, text (bakery)", "/directory?origin=partners&q=bakery"),
		page(h, "page /directory: one partner", "/directory?origin="+url.QueryEscape(host)),
		page(h, "page /directory: one partner, text (bakery)", "/directory?origin="+url.QueryEscape(host)+"&q=bakery"),
	)
}

// printMerged prints the merged directory's table.
func printMerged(w io.Writer, c config, rs []engineResult) {
	pc := c.partners
	fmt.Fprintf(w, "\n### Merged directory: local + %d partners\n\n", pc.partners)
	fmt.Fprintf(w, "The local data set plus %d partners of %d enterprises and %d listings each (%d + %d partner entries), "+
		"on a copy of the main database; \"one partner\" is %s. %d runs per query, fewer (at least %d) "+
		"for a query whose runs pass %v: those rows say how many.\n\n",
		pc.partners, pc.enterprises, pc.listings, pc.partners*pc.enterprises, pc.partners*pc.listings,
		partnerHosts(1)[0], c.iterations, minRuns, pc.queryBudget)
	fmt.Fprintln(w, "| engine | query | matches | p50 | p95 | p99 |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|")
	for _, r := range rs {
		if r.merged == nil {
			continue
		}
		for _, q := range r.merged.queries {
			name := q.name
			if q.runs < c.iterations {
				name += fmt.Sprintf(" (%d runs)", q.runs)
			}
			fmt.Fprintf(w, "| %s | %s | %v | %s | %s | %s |\n", r.engine, name, q.total, ms(q.p50), ms(q.p95), ms(q.p99))
		}
	}
	fmt.Fprintf(w, "\n| engine | partner entries stored (ImportRemote, pages of %d) | load average when the queries started |\n", pc.importPage)
	fmt.Fprintln(w, "|---|---:|---:|")
	for _, r := range rs {
		if r.merged != nil {
			fmt.Fprintf(w, "| %s | %s | %s |\n", r.engine, rate(r.merged.importRate), r.merged.load)
		}
	}
}
