package web

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// The origin facet: all networks, this one, or the partners'. It shows
// once the directory holds partner entries among the matches, or when the
// search picks an origin.

// originCounter counts the matches of the current search from one origin,
// up to the cap.
type originCounter func(origin string) (directory.FacetCount, error)

// addOriginFacet offers all / this network / partners, when there are
// partner entries among the matches or the search already picks an origin.
// A count is worked out from the others when they are exact, and counted
// (up to the cap) when one of them is not.
func (s *server) addOriginFacet(ctx context.Context, v *searchView, count originCounter) error {
	f := v.Form
	var all, local, partners directory.FacetCount
	var err error
	switch f.Origin {
	case "":
		all = v.total()
		if partners, err = count(directory.OriginPartners); err == nil && partners.Count > 0 {
			local, err = difference(all, partners, count, directory.OriginLocal)
		}
	case directory.OriginLocal:
		local = v.total()
		if partners, err = count(directory.OriginPartners); err == nil {
			all = sum(local, partners)
		}
	default:
		if partners, err = count(directory.OriginPartners); err == nil {
			if local, err = count(directory.OriginLocal); err == nil {
				all = sum(local, partners)
			}
		}
	}
	if err != nil || (partners.Count == 0 && f.Origin == "") {
		return err
	}
	link := func(label, origin string, n directory.FacetCount) facetLink {
		return facetLink{Label: label, Count: n.Count, AtLeast: n.AtLeast, HasCount: true, Current: f.Origin == origin,
			URL: f.with(func(g *searchForm) { g.Origin = origin }).URL()}
	}
	v.Facets = append(v.Facets, facetGroup{Label: "From", Links: []facetLink{
		link("Every network", "", all), link("This network", directory.OriginLocal, local),
		link("Partner networks", directory.OriginPartners, partners),
	}})
	return nil
}

// difference is all less part when both are exact; otherwise it counts
// the matches from origin.
func difference(all, part directory.FacetCount, count originCounter, origin string) (directory.FacetCount, error) {
	if all.AtLeast || part.AtLeast {
		return count(origin)
	}
	return directory.FacetCount{Count: all.Count - part.Count}, nil
}

// sum adds two counts; the sum is a lower bound when either is.
func sum(a, b directory.FacetCount) directory.FacetCount {
	return directory.FacetCount{Count: a.Count + b.Count, AtLeast: a.AtLeast || b.AtLeast}
}

// anyEnterprises counts the enterprises from origin, with no other filter:
// the summaries answer at once, and an origin without entries (partners,
// before there are any) needs no search of its matches.
func (s *server) anyEnterprises(ctx context.Context, origin string) (int, error) {
	res, err := s.svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Origin: origin, Sort: directory.SortNewest,
		Page: directory.Page{Page: 1, PerPage: 1}})
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}

// anyListings counts the open needs and offers from origin, as
// anyEnterprises counts enterprises.
func (s *server) anyListings(ctx context.Context, origin string) (int, error) {
	res, err := s.svc.SearchListings(ctx, directory.ListingQuery{Origin: origin, Status: directory.StatusOpen,
		Sort: directory.SortNewest, Page: directory.Page{Page: 1, PerPage: 1}})
	if err != nil {
		return 0, err
	}
	return res.Total, nil
}
