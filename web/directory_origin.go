package web

import (
	"context"
	"slices"

	"github.com/coopdir/coopdir/directory"
)

// The origin facet: all networks, this one, the partners', or one partner
// network. It shows once the directory holds partner entries among the
// matches, or when the search picks an origin.

// originCounter counts the matches of the current search from one origin,
// up to the cap.
type originCounter func(origin string) (directory.FacetCount, error)

// addOriginFacet offers all / this network / partners, when there are
// partner entries among the matches or the search already picks an origin.
// A count is worked out from the others when they are exact, and counted
// (up to the cap) when one of them is not.
func (s *server) addOriginFacet(ctx context.Context, v *searchView, count originCounter) error {
	f := v.Form
	if f.Q != "" || f.Near != "" {
		return s.addOriginLinks(ctx, v)
	}
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
	links := []facetLink{
		link("Every network", "", all), link("This network", directory.OriginLocal, local),
		link("Partner networks", directory.OriginPartners, partners),
	}
	each, err := s.partnerLinks(ctx, v, count)
	if err != nil {
		return err
	}
	for _, p := range each {
		links = append(links, link(p.label, p.host, p.count))
	}
	v.Facets = append(v.Facets, facetGroup{Label: "From", Links: links})
	return nil
}

// addOriginLinks offers the origins of a text or distance search without
// counts: counting a common word's matches (or the places within a
// distance) once per origin would cost several searches (a page with five
// partners took seconds on SQLite), and the results already say where each
// entry comes from. It shows when there are
// partner networks, or when the search picks an origin.
func (s *server) addOriginLinks(ctx context.Context, v *searchView) error {
	f := v.Form
	networks, err := s.partnerNetworks(ctx)
	if err != nil || (len(networks) == 0 && f.Origin == "") {
		return err
	}
	link := func(label, origin string) facetLink {
		return facetLink{Label: label, Current: f.Origin == origin,
			URL: f.with(func(g *searchForm) { g.Origin = origin }).URL()}
	}
	links := []facetLink{link("Every network", ""), link("This network", directory.OriginLocal),
		link("Partner networks", directory.OriginPartners)}
	picked := f.Origin != "" && f.Origin != directory.OriginLocal && f.Origin != directory.OriginPartners
	for _, n := range networks {
		links = append(links, link(n.Name, n.Host))
		picked = picked && n.Host != f.Origin
	}
	if picked {
		links = append(links, link(f.Origin, f.Origin))
	}
	v.Facets = append(v.Facets, facetGroup{Label: "From", Links: links})
	return nil
}

// partnerLink is the count of one partner network's matches.
type partnerLink struct {
	label, host string
	count       directory.FacetCount
}

// partnerLinks counts the matches from each partner network: the
// networks with matches, and the one the search picks. A host the
// search picks that is no partner (any more) is listed by its host.
func (s *server) partnerLinks(ctx context.Context, v *searchView, count originCounter) ([]partnerLink, error) {
	networks, err := s.partnerNetworks(ctx)
	if err != nil {
		return nil, err
	}
	picked := v.Form.Origin
	if picked == directory.OriginLocal || picked == directory.OriginPartners {
		picked = ""
	}
	links := make([]partnerLink, len(networks))
	for i, n := range networks {
		links[i] = partnerLink{label: n.Name, host: n.Host}
		if n.Host == picked {
			links[i].count, picked = v.total(), ""
			continue
		}
		// One after the other: a counter reuses the query of its search.
		if links[i].count, err = count(n.Host); err != nil {
			return nil, err
		}
	}
	links = slices.DeleteFunc(links, func(l partnerLink) bool { return l.count.Count == 0 && l.host != v.Form.Origin })
	if picked != "" {
		links = append(links, partnerLink{label: picked, host: picked, count: v.total()})
	}
	return links, nil
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
