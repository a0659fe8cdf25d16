package main

import (
	"context"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
	node "github.com/coopdir/coopdir/instance"
)

var (
	adjectives = strings.Fields("red green river lake north south east west union people's common shared open free riverside harbor prairie oak maple cedar pine sunrise northern southern little great new old")
	nouns      = strings.Fields("bakery printing painting mesh tools bicycle garden grocery housing childcare cleaning coffee brewery books repair design software solar farm market kitchen clinic theater radio transit textile pottery welding lumber")
	suffixes   = []string{"Cooperative", "Cooperative", "Cooperative", "Cooperative", "Cooperative", "Cooperative", "Cooperative", "Cooperative", "Cooperative", "Collective"}
	words      = strings.Fields("we are a worker owned democratic enterprise serving our neighbours with care since founding members share profits and decisions equally local sourcing fair wages training apprentices community ownership solidarity economy mutual support union shop sliding scale")
	cities     = []directory.Point{{Lat: 43.0389, Lon: -87.9065}, {Lat: 41.8781, Lon: -87.6298}, {Lat: 32.2988, Lon: -90.1848},
		{Lat: 44.9778, Lon: -93.2650}, {Lat: 42.3314, Lon: -83.0458}, {Lat: 39.9612, Lon: -82.9988}, {Lat: 40.4406, Lon: -79.9959},
		{Lat: 38.6270, Lon: -90.1994}, {Lat: 39.0997, Lon: -94.5786}, {Lat: 41.4993, Lon: -81.6944}, {Lat: 43.0731, Lon: -89.4012},
		{Lat: 40.7128, Lon: -74.0060}, {Lat: 37.8044, Lon: -122.2712}, {Lat: 45.5152, Lon: -122.6784}, {Lat: 29.9511, Lon: -90.0715}}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

func sentence(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = pick(r, words)
	}
	return strings.Join(w, " ")
}

func genEnterprise(r *rand.Rand, i int) *directory.Enterprise {
	noun := pick(r, nouns)
	e := &directory.Enterprise{
		Handle:  fmt.Sprintf("e%06d", i),
		Name:    fmt.Sprintf("%s %s %s %d", strings.Title(pick(r, adjectives)), strings.Title(noun), pick(r, suffixes), i), //nolint:staticcheck // ASCII words
		Kind:    pick(r, directory.Kinds),
		Sectors: []string{noun, pick(r, nouns)},
		Summary: sentence(r, 12+r.IntN(20)),
	}
	if r.IntN(10) > 0 {
		c := pick(r, cities)
		lat, lon := c.Lat+r.NormFloat64()*0.12, c.Lon+r.NormFloat64()*0.15
		e.Location = directory.Location{Address: "somewhere", Lat: &lat, Lon: &lon}
	}
	return e
}

func genListing(r *rand.Rand) *directory.Listing {
	l := &directory.Listing{Type: directory.Need, Category: pick(r, directory.Categories),
		Title:       fmt.Sprintf("%s %s for %s", strings.Title(pick(r, adjectives)), pick(r, nouns), pick(r, nouns)), //nolint:staticcheck
		Description: sentence(r, 10+r.IntN(30))}
	if r.IntN(2) == 0 {
		l.Type = directory.Offer
	}
	if r.IntN(10) < 7 {
		l.Description += " community"
	}
	switch n := r.IntN(20); {
	case n == 0:
		l.Status = directory.StatusWithdrawn
	case n < 3:
		l.Status = directory.StatusFulfilled
	}
	if r.IntN(2) == 0 {
		l.ValidUntil = benchNow.AddDate(0, 0, r.IntN(240)-60).Format(directory.DateLayout)
	}
	return l
}

// load fills an empty database with the data set, or reuses a full one.
func load(ctx context.Context, c config, svc *directory.Service, res *engineResult) error {
	sys := directory.AsSystem(ctx)
	ep, err := svc.SearchEnterprises(sys, directory.EnterpriseQuery{Page: directory.Page{PerPage: 1}})
	if err != nil {
		return err
	}
	lp, err := svc.SearchListings(sys, directory.ListingQuery{Page: directory.Page{PerPage: 1}})
	if err != nil {
		return err
	}
	if ep.Total == c.enterprises && lp.Total == c.listings {
		log.Printf("reusing the loaded data set")
		return nil
	}
	if ep.Total != 0 || lp.Total != 0 {
		return fmt.Errorf("database holds another data set (%d enterprises, %d listings): remove it", ep.Total, lp.Total)
	}
	r, es := rand.New(rand.NewPCG(uint64(c.seed), 1)), spanishSource(c.seed)
	start := time.Now()
	const batch = 2000
	for i := 0; i < c.enterprises; i += batch {
		rows := make([]directory.ImportRow, 0, batch)
		for j := i; j < min(i+batch, c.enterprises); j++ {
			e := genEnterprise(r, j)
			if c.spanish(j) {
				hispanize(es, e, j)
			}
			rows = append(rows, directory.ImportRow{Line: j + 1, Enterprise: e})
		}
		if _, err := svc.ImportEnterprises(sys, rows, directory.ImportOptions{}); err != nil {
			return err
		}
	}
	res.entRate = float64(c.enterprises) / time.Since(start).Seconds()
	log.Printf("imported %d enterprises (%.0f/s)", c.enterprises, res.entRate)

	start = time.Now()
	listings := make([]*directory.Listing, c.listings)
	owners := make([]string, c.listings)
	for i := range listings {
		owner := 0
		listings[i], owner = genListing(r), r.IntN(c.enterprises)
		owners[i] = fmt.Sprintf("e%06d", owner)
		if c.spanish(owner) {
			hispanizeListing(es, listings[i])
		}
	}
	// The Service refuses a valid-until date before its today, and some
	// listings are generated expired (up to 60 days before benchNow), as
	// they would have been posted: so the listings are posted 90 days
	// earlier on the clock, which the searches run on afterwards.
	clock := svc.Now
	svc.Now = func() time.Time { return clock().AddDate(0, 0, -90) }
	defer func() { svc.Now = clock }()
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(listings); i += 4 {
				if err := svc.CreateListing(sys, owners[i], listings[i]); err != nil {
					errs <- err
					return
				}
				if w == 0 && i%50000 == 0 && i > 0 {
					log.Printf("listings: %d", i)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	res.listingRate = float64(c.listings) / time.Since(start).Seconds()
	log.Printf("inserted %d listings (%.0f/s)", c.listings, res.listingRate)
	return nil
}

// analyze refreshes PostgreSQL's statistics, as autovacuum would shortly after a load.
func analyze(ctx context.Context, db node.Database) error {
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "VACUUM ANALYZE")
	return err
}

func size(ctx context.Context, db node.Database, dsn string) (int64, error) {
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok {
		var total int64
		for _, p := range []string{path, path + "-wal"} {
			if fi, err := os.Stat(p); err == nil {
				total += fi.Size()
			}
		}
		return total, nil
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(ctx)
	var n int64
	err = conn.QueryRow(ctx, "SELECT pg_database_size(current_database())").Scan(&n)
	return n, err
}
