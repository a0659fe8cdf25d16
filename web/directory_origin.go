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
	networks, err := s.partnerNetworks(ctx)
	if err != nil {
		return err
	}
	// Every count this facet needs runs at once: the page waits for the
	// slowest, not for their sum.
	origins := []string{directory.OriginPartners}
	if f.Origin != "" && f.Origin != directory.OriginLocal {
		origins = append(origins, directory.OriginLocal)
	}
	for _, n := range networks {
		if n.Host != f.Origin {
			origins = append(origins, n.Host)
		}
	}
	counts, err := countOrigins(origins, count)
	if err != nil {
		return err
	}
	var all, local, partners directory.FacetCount
	partners = counts[directory.OriginPartners]
	switch f.Origin {
	case "":
		all = v.total()
		if partners.Count > 0 {
			local, err = difference(all, partners, count, directory.OriginLocal)
		}
	case directory.OriginLocal:
		local = v.total()
		all = sum(local, partners)
	default:
		local = counts[directory.OriginLocal]
		all = sum(local, partners)
	}
	if err != nil || (partners.Count == 0 && f.Origin == "") {
		return err
	}
	link := func(label, origin string, n directory.FacetCount) facetLink {
		return facetLink{Label: label, Count: n.Count, AtLeast: n.AtLeast, HasCount: true, Current: f.Origin == origin,
			URL: f.with(func(g *searchForm) { g.Origin = origin }).URL()}
	}
	links := []facetLink{
		link(msg("Every network"), "", all), link(msg("This network"), directory.OriginLocal, local),
		link(msg("Partner networks"), directory.OriginPartners, partners),
	}
	for _, p := range partnerLinks(v, networks, counts) {
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
	links := []facetLink{link(msg("Every network"), ""), link(msg("This network"), directory.OriginLocal),
		link(msg("Partner networks"), directory.OriginPartners)}
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

// countOrigins counts the matches from each of origins, all at once.
func countOrigins(origins []string, count originCounter) (map[string]directory.FacetCount, error) {
	got := make([]directory.FacetCount, len(origins))
	fns := make([]func() error, len(origins))
	for i, o := range origins {
		fns[i] = func() (err error) { got[i], err = count(o); return err }
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	counts := make(map[string]directory.FacetCount, len(origins))
	for i, o := range origins {
		counts[o] = got[i]
	}
	return counts, nil
}

// partnerLinks gives the count of each partner network's matches from
// counts: the networks with matches, and the one the search picks. A host
// the search picks that is no partner (any more) is listed by its host.
func partnerLinks(v *searchView, networks []directory.PartnerNetwork, counts map[string]directory.FacetCount) []partnerLink {
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
		links[i].count = counts[n.Host]
	}
	links = slices.DeleteFunc(links, func(l partnerLink) bool { return l.count.Count == 0 && l.host != v.Form.Origin })
	if picked != "" {
		links = append(links, partnerLink{label: picked, host: picked, count: v.total()})
	}
	return links
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
