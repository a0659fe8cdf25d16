package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The matching benchmark times the matching of one listing (issue 17)
// against the merged directory: the local data set and five partners'
// copies. Each run matches the next of 200 open listings, half local and
// half partners' copies, needs and offers alike, as when one is posted or
// arrives: the candidates from the text index, their scores, and the
// matches written (MatchListing, one transaction). The goal is a p95
// under matchGoal on both engines.

// matchGoal is the p95 the matching of one listing must stay under.
const matchGoal = 50 * time.Millisecond

// matchQuery returns the query that matches the sampled listings in turn.
func matchQuery(ctx context.Context, inst *instance) (query, error) {
	sys := directory.AsSystem(ctx)
	var ids []int64
	for _, origin := range []string{directory.OriginLocal, directory.OriginPartners} {
		p, err := inst.svc.SearchListings(sys, directory.ListingQuery{Origin: origin, Status: directory.StatusOpen,
			Sort: directory.SortNewest, Page: directory.Page{Page: 1, PerPage: 100}})
		if err != nil {
			return query{}, err
		}
		for _, it := range p.Items {
			ids = append(ids, it.ID)
		}
	}
	if len(ids) == 0 {
		return query{}, fmt.Errorf("no open listings to match")
	}
	today := benchNow.Format(directory.DateLayout)
	next := 0
	return query{"match one listing (local or a partner's copy)", func(ctx context.Context, _ *directory.Service) (count, error) {
		id := ids[next%len(ids)]
		next++
		return count{n: len(ids)}, inst.db.MatchListing(ctx, id, today, benchNow)
	}}, nil
}

// printMatching prints the matching benchmark's table.
func printMatching(w io.Writer, c config, rs []engineResult) {
	fmt.Fprintf(w, "\n### Matching one listing against the merged directory\n\n")
	fmt.Fprintf(w, "%d local listings plus %d partners of %d; each run matches one of the newest 100 open local "+
		"listings or 100 open partner copies (candidates, scores, matches written). Goal: p95 under %v.\n\n",
		c.listings, c.partners.partners, c.partners.listings, matchGoal)
	fmt.Fprintln(w, "| engine | runs | p50 | p95 | p99 | goal |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---|")
	for _, r := range rs {
		if r.merged == nil || r.merged.match == nil {
			continue
		}
		q := r.merged.match
		met := "met"
		if q.p95 >= matchGoal {
			met = "NOT met"
		}
		fmt.Fprintf(w, "| %s | %d | %s | %s | %s | p95 < %v (%s) |\n", r.engine, q.runs, ms(q.p50), ms(q.p95), ms(q.p99), matchGoal, met)
	}
}
