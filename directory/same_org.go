package directory

import (
	"cmp"
	"context"
	"net/url"
	"slices"
	"strings"
)

// The same organisation can be in the merged directory more than once: as
// a local entry and as a partner's copy, or imported from a Murmurations
// index too. Entries of different origins whose websites are the same
// (WebsiteKey) are taken for one organisation: a page of results shows
// them as one card, led by the local entry (else the oldest partner copy,
// else the oldest Murmurations entry), that says where else it is listed.
// Entries of one origin are never merged: their network keeps them apart
// on purpose.

// AlsoListed is another entry of the same organisation.
type AlsoListed struct {
	Origin     string `json:"origin"`      // "" for this network's own entry
	OriginKind string `json:"origin_kind"` // local, partner or murmurations
	Handle     string `json:"handle"`
	Name       string `json:"name"`
	// URL is its page: the copy's address where it comes from (empty for
	// a local entry, whose page is here).
	URL string `json:"url,omitempty"`
}

// WebsiteKey is the website of an organisation as compared: without
// scheme, "www.", default port, fragment and trailing slash, host in
// lower case. "" for no website or one that is not an http(s) address.
// Two websites that differ in their path are different organisations.
func WebsiteKey(website string) string {
	u, err := url.Parse(strings.TrimSpace(website))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	host := strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	key := host + strings.TrimRight(u.EscapedPath(), "/")
	if u.RawQuery != "" {
		key += "?" + u.RawQuery
	}
	return key
}

// websiteForms are the ways a website with key can be written that
// WebsiteKey reads as key: the addresses to look up.
func websiteForms(key string) []string {
	host, rest, _ := strings.Cut(key, "/")
	path, query := "/"+rest, ""
	if i := strings.IndexByte(host, '?'); i >= 0 {
		host, path, query = host[:i], "", host[i:]
	} else if i := strings.IndexByte(path, '?'); i >= 0 {
		path, query = path[:i], path[i:]
	}
	trimmed := strings.TrimRight(path, "/")
	var out []string
	for _, scheme := range []string{"https://", "http://"} {
		for _, www := range []string{"", "www."} {
			for _, p := range []string{trimmed, trimmed + "/"} {
				out = append(out, scheme+www+host+p+query)
			}
		}
	}
	return out
}

// leads orders the entries of one organisation: local first, then
// partner copies, then Murmurations entries, each the oldest first.
func leads(a, b *Enterprise) int {
	rank := map[string]int{OriginKindLocal: 0, OriginKindPartner: 1, OriginKindMurmurations: 2}
	return cmp.Or(cmp.Compare(rank[OriginKind(a.Origin)], rank[OriginKind(b.Origin)]),
		a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID))
}

// MergeSameOrganisations merges the entries of a page that are the same
// organisation into one card and says on each card where else the
// organisation is listed (entries on other pages too). The card of an
// organisation stands where its first entry on the page stood and shows
// the entry that leads (see leads) among those on the page.
func (s *Service) MergeSameOrganisations(ctx context.Context, page *EnterprisePage) error {
	groups, err := s.sameOrganisations(ctx, page.Items)
	if err != nil || len(groups) == 0 {
		return err
	}
	var out []EnterpriseResult
	shown := map[string]int{} // key -> index in out
	for _, it := range page.Items {
		key := WebsiteKey(it.Website)
		if _, ok := groups[key]; !ok {
			out = append(out, it)
			continue
		}
		if i, seen := shown[key]; seen {
			if leads(it.Enterprise, out[i].Enterprise) < 0 {
				out[i].Enterprise, out[i].DistanceKM = it.Enterprise, it.DistanceKM
			}
			continue
		}
		shown[key] = len(out)
		out = append(out, it)
	}
	for i := range out {
		if g, ok := groups[WebsiteKey(out[i].Website)]; ok {
			out[i].AlsoListedBy = alsoListed(g, out[i].Enterprise)
		}
	}
	page.Items = out
	return nil
}

// sameOrganisations returns, by website key, the entries of every
// organisation of items that is listed by more than one origin.
func (s *Service) sameOrganisations(ctx context.Context, items []EnterpriseResult) (map[string][]*Enterprise, error) {
	var forms []string
	keys := map[string]bool{}
	for _, it := range items {
		if k := WebsiteKey(it.Website); k != "" && !keys[k] {
			keys[k] = true
			forms = append(forms, websiteForms(k)...)
		}
	}
	found, err := s.store.EnterprisesByWebsite(ctx, forms)
	if err != nil {
		return nil, err
	}
	groups := map[string][]*Enterprise{}
	for _, e := range found {
		if k := WebsiteKey(e.Website); keys[k] {
			groups[k] = append(groups[k], e)
		}
	}
	for k, g := range groups {
		origins := map[string]bool{}
		for _, e := range g {
			origins[e.Origin] = true
		}
		if len(origins) < 2 {
			delete(groups, k)
			continue
		}
		slices.SortFunc(g, leads)
	}
	return groups, nil
}

// alsoListed lists the entries of g of other origins than shown's.
func alsoListed(g []*Enterprise, shown *Enterprise) []AlsoListed {
	var out []AlsoListed
	for _, e := range g {
		if e.Origin == shown.Origin {
			continue
		}
		a := AlsoListed{Origin: e.Origin, OriginKind: OriginKind(e.Origin), Handle: e.Handle, Name: e.Name}
		if !e.IsLocal() {
			a.URL = e.RemoteURL
		}
		out = append(out, a)
	}
	return out
}
