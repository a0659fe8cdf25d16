package main

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/federation"
)

// murmurationsFlag is the flag that makes import read a Murmurations
// index instead of a file.
const murmurationsFlag = "from-murmurations"

// wantsMurmurations reports whether an import command line names an
// index (--from-murmurations INDEX or --from-murmurations=INDEX).
func wantsMurmurations(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool {
		a = strings.TrimLeft(a, "-")
		return a == murmurationsFlag || strings.HasPrefix(a, murmurationsFlag+"=")
	})
}

// murmurationsFlags are the flags of an import from an index.
type murmurationsFlags struct {
	index, dsn, tags, near, rng, country, since string
	all, exact, private                         bool
	timeout                                     time.Duration
}

func (a *App) importMurmurations(ctx context.Context, args []string) error {
	fs := a.newFlags("import", "coopdir import --from-murmurations INDEX [--tags T1,T2] [--near LAT,LON --range 25km] [--since DATE]",
		"Imports the organisations (organizations_schema-v1.0.0 profiles) an index lists as entries\n"+
			"from the index, kept apart from partner networks' and never published as ours. Each\n"+
			"node's profile is fetched from its address; a profile that cannot be read or is invalid\n"+
			"is refused (and listed), the others are imported. Running it again updates the profiles\n"+
			"changed since (by the node's last_updated) and removes the ones the index lists as deleted.")
	var f murmurationsFlags
	fs.StringVar(&f.index, murmurationsFlag, "", "`URL` of the index, such as https://index.murmurations.network")
	fs.StringVar(&f.tags, "tags", "", "only profiles with these `TAGS` (comma-separated; any of them unless --all-tags)")
	fs.BoolVar(&f.all, "all-tags", false, "every tag must match")
	fs.BoolVar(&f.exact, "exact-tags", false, "match tags exactly, not fuzzily")
	fs.StringVar(&f.near, "near", "", "only profiles near `LAT,LON` (with --range)")
	fs.StringVar(&f.rng, "range", "", "`DISTANCE` from --near, such as 25km or 10mi")
	fs.StringVar(&f.country, "country", "", "only profiles of this `COUNTRY` (two-letter code)")
	fs.StringVar(&f.since, "since", "", "only profiles updated since `DATE` (YYYY-MM-DD) or Unix time")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "`TIME` each request may take")
	fs.boolVar(&f.private, "allow-private-addresses", "COOPDIR_ALLOW_PRIVATE_ADDRESSES", false,
		"let requests reach loopback, private and link-local addresses (tests and LAN installations)")
	fs.databaseFlag(&f.dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	q, err := f.query()
	if err != nil {
		return err
	}
	if err := checkDatabase(f.dsn); err != nil {
		return err
	}
	client := federation.NewClient(federation.ClientOptions{AllowPrivate: f.private, TotalTimeout: f.timeout, UserAgent: "coopdir/" + version})
	im := murmurations.Importer{HTTP: client.MurmurationsHTTP(), Timeout: f.timeout}
	return withService(ctx, f.dsn, func(ctx context.Context, svc *directory.Service) error {
		rep, err := im.Import(ctx, f.index, q, svc)
		if rep != nil {
			a.printMurmurationsReport(rep)
		}
		return err
	})
}

// query reads the query flags; a bad one is a usage error.
func (f *murmurationsFlags) query() (murmurations.Query, error) {
	if !murmurations.ValidIndexURL(f.index) {
		return murmurations.Query{}, usageErrorf("--%s: %q is not an http or https address of an index", murmurationsFlag, f.index)
	}
	q := murmurations.Query{TagsAll: f.all, TagsExact: f.exact, Range: f.rng, Country: strings.ToLower(f.country)}
	for t := range strings.SplitSeq(f.tags, ",") {
		if t = strings.TrimSpace(t); t != "" {
			q.Tags = append(q.Tags, t)
		}
	}
	if f.near != "" {
		lat, lon, ok := strings.Cut(f.near, ",")
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if !ok || err1 != nil || err2 != nil {
			return q, usageErrorf("--near: must be LAT,LON such as 52.52,13.40")
		}
		q.Lat, q.Lon = &la, &lo
	}
	if f.since != "" {
		if d, err := time.Parse(time.DateOnly, f.since); err == nil {
			q.LastUpdated = d.Unix()
		} else if n, err := strconv.ParseInt(f.since, 10, 64); err == nil {
			q.LastUpdated = n
		} else {
			return q, usageErrorf("--since: must be a date (YYYY-MM-DD) or a Unix time")
		}
	}
	if err := q.Validate(); err != nil {
		return q, usageErrorf("%s", err)
	}
	return q, nil
}

// printMurmurationsReport writes the summary, then a line per refusal.
func (a *App) printMurmurationsReport(rep *murmurations.Report) {
	fmt.Fprintf(a.Stdout, "imported %d, updated %d, unchanged %d, removed %d, refused %d\n",
		rep.Imported, rep.Updated, rep.Unchanged, rep.Removed, len(rep.Refused)+rep.MoreRefused)
	for _, r := range rep.Refused {
		fmt.Fprintf(a.Stdout, "refused %s: %s\n", r.ProfileURL, oneLine(r.Reason))
	}
	if rep.MoreRefused > 0 {
		fmt.Fprintf(a.Stdout, "and %d more refused\n", rep.MoreRefused)
	}
}
