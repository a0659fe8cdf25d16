package main

import (
	"context"
	"strconv"

	"github.com/coopdir/coopdir/directory"
)

type query struct {
	name string
	run  func(context.Context, *directory.Service) (total count, err error)
}

// count is the total a query reports; capped when it stopped at a cap.
type count struct {
	n      int
	capped bool
}

func (c count) String() string {
	if c.capped {
		return strconv.Itoa(c.n) + "+"
	}
	return strconv.Itoa(c.n)
}

var milwaukee = directory.Point{Lat: 43.0389, Lon: -87.9065}

func enterprises(name string, q directory.EnterpriseQuery) query {
	return query{name, func(ctx context.Context, s *directory.Service) (count, error) {
		p, err := s.SearchEnterprises(ctx, q)
		if err != nil {
			return count{}, err
		}
		return count{p.Total, p.TotalCapped}, nil
	}}
}

func listings(name string, q directory.ListingQuery) query {
	return query{name, func(ctx context.Context, s *directory.Service) (count, error) {
		p, err := s.SearchListings(ctx, q)
		if err != nil {
			return count{}, err
		}
		return count{p.Total, p.TotalCapped}, nil
	}}
}

// queries are the measured searches; the first five are the ones the
// foundation's targets name.
func queries() []query {
	near := &directory.Geo{Near: milwaukee, KM: 10}
	return []query{
		enterprises("enterprises: one word (bakery)", directory.EnterpriseQuery{Text: "bakery"}),
		enterprises("enterprises: text + kind (printing, worker_coop)", directory.EnterpriseQuery{Text: "printing", Kinds: []directory.Kind{directory.KindWorkerCoop}}),
		listings("listings: open needs, category tools, within 10 km", directory.ListingQuery{Type: directory.Need, Categories: []directory.Category{"tools"}, Status: directory.StatusOpen, Geo: near, Sort: directory.SortDistance}),
		enterprises("enterprises: first page, unfiltered", directory.EnterpriseQuery{}),
		enterprises("enterprises: common word (cooperative)", directory.EnterpriseQuery{Text: "cooperative"}),
		enterprises("enterprises: within 10 km by distance", directory.EnterpriseQuery{Geo: near, Sort: directory.SortDistance}),
		enterprises("enterprises: page 5 by name", directory.EnterpriseQuery{Sort: directory.SortName, Page: directory.Page{Page: 5}}),
		listings("listings: one word (bicycle)", directory.ListingQuery{Text: "bicycle"}),
		listings("listings: open offers, newest", directory.ListingQuery{Type: directory.Offer, Status: directory.StatusOpen, Sort: directory.SortNewest}),
		listings("listings: common word (community)", directory.ListingQuery{Text: "community"}),
		enterprises("enterprises: misspelt word (bakrey), suggests", directory.EnterpriseQuery{Text: "bakrey", Suggest: true}),
	}
}
