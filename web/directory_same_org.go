package web

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// Entries from Murmurations indexes, and the same organisation listed
// twice, on the directory and in the API.

// addMurmurationsOrigin offers the entries imported from Murmurations
// indexes as an origin of an enterprise search, once there are some (or
// the search picks them), without a count.
func (s *server) addMurmurationsOrigin(ctx context.Context, v *searchView) error {
	f := v.Form
	picked := f.Origin == directory.OriginMurmurations || directory.IsMurmurationsOrigin(f.Origin)
	if f.IsListings() && !picked {
		return nil
	}
	n, err := s.anyEnterprises(ctx, directory.OriginMurmurations)
	if err != nil || (n == 0 && !picked) {
		return err
	}
	link := func(label, origin string) facetLink {
		return facetLink{Label: label, Current: f.Origin == origin, URL: f.with(func(g *searchForm) { g.Origin = origin }).URL()}
	}
	mm := link("Murmurations", directory.OriginMurmurations)
	for i := range v.Facets {
		if v.Facets[i].Label == "From" {
			v.Facets[i].Links = append(v.Facets[i].Links, mm)
			return nil
		}
	}
	v.Facets = append(v.Facets, facetGroup{Label: "From", Links: []facetLink{link("Every network", ""), mm}})
	return nil
}

// alsoListedLink is another entry of an organisation, for its card.
type alsoListedLink struct {
	Name, URL, Origin string
}

// alsoListedLinks are the links of a card's "also listed by".
func alsoListedLinks(also []directory.AlsoListed) []alsoListedLink {
	out := make([]alsoListedLink, len(also))
	for i, a := range also {
		out[i] = alsoListedLink{Name: a.Name, URL: a.URL, Origin: a.Origin}
		if a.Origin == "" {
			out[i].URL = enterprisePath(a.Handle)
		}
	}
	return out
}

// fillAlsoListedURLs gives the local entries an API result lists under
// also_listed_by their absolute page address.
func (s *server) fillAlsoListedURLs(page *directory.EnterprisePage) {
	for _, it := range page.Items {
		for i, a := range it.AlsoListedBy {
			if a.Origin == "" {
				it.AlsoListedBy[i].URL = s.absURL(enterprisePath(a.Handle))
			}
		}
	}
}
