package directory

import (
	"context"
	"slices"
	"strings"
)

// FacetCount is one value of a facet and how many matches have it.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// MaxSectorFacets is how many sectors EnterpriseFacets returns: the most
// common ones.
const MaxSectorFacets = 20

// EnterpriseFacets counts the matches of an enterprise query by kind and by
// sector. Each facet ignores its own filter: the kind counts of a query for
// tool libraries still show how many matches every other kind would give.
type EnterpriseFacets struct {
	Kinds   []FacetCount `json:"kinds"`
	Sectors []FacetCount `json:"sectors"` // the MaxSectorFacets most common
}

// ListingFacets counts the matches of a listing query by type and by
// category, each facet ignoring its own filter.
type ListingFacets struct {
	Types      []FacetCount `json:"types"`
	Categories []FacetCount `json:"categories"`
}

// Counts are the totals shown on the home page, local and partner entries
// together.
type Counts struct {
	Enterprises   int `json:"enterprises"`
	Needs         int `json:"needs"`  // open and not expired
	Offers        int `json:"offers"` // open and not expired
	Announcements int `json:"announcements"`
}

// EnterpriseFacets validates q and counts its matches by kind and sector.
// Zero counts are left out; each list is ordered by count, highest first,
// then by value. EINVALID.
func (s *Service) EnterpriseFacets(ctx context.Context, q EnterpriseQuery) (*EnterpriseFacets, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return s.Store.EnterpriseFacets(ctx, q)
}

// ListingFacets validates q and counts its matches by type and category,
// as EnterpriseFacets does. EINVALID.
func (s *Service) ListingFacets(ctx context.Context, q ListingQuery) (*ListingFacets, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	q.Today = s.now().Format(DateLayout)
	return s.Store.ListingFacets(ctx, q)
}

// Counts returns the totals of the home page.
func (s *Service) Counts(ctx context.Context) (*Counts, error) {
	return s.Store.Counts(ctx, s.now().Format(DateLayout))
}

// SortFacets drops zero counts and orders the rest by count, highest first,
// then by value; it keeps at most limit of them (all when limit is 0). The
// storage engines use it to shape what they counted.
func SortFacets(counts []FacetCount, limit int) []FacetCount {
	out := slices.DeleteFunc(slices.Clone(counts), func(c FacetCount) bool { return c.Count <= 0 })
	slices.SortFunc(out, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	if out == nil {
		out = []FacetCount{}
	}
	return out
}

// PairCount is how many listings have one type and category: engines count
// a listing query's matches by both at once, then ListingFacetsOf adds them
// up.
type PairCount struct {
	Type     ListingType
	Category Category
	Count    int
}

// ListingFacetsOf adds up the pair counts of a query's matches, counted
// without its type and category filters, into its facets: the type facet
// sums the pairs whose category passes q's category filter, the category
// facet those whose type passes q's type filter.
func ListingFacetsOf(pairs []PairCount, q ListingQuery) *ListingFacets {
	types, categories := map[string]int{}, map[string]int{}
	for _, p := range pairs {
		if len(q.Categories) == 0 || slices.Contains(q.Categories, p.Category) {
			types[string(p.Type)] += p.Count
		}
		if q.Type == "" || q.Type == p.Type {
			categories[string(p.Category)] += p.Count
		}
	}
	return &ListingFacets{Types: facetList(types), Categories: facetList(categories)}
}

func facetList(counts map[string]int) []FacetCount {
	list := make([]FacetCount, 0, len(counts))
	for v, n := range counts {
		list = append(list, FacetCount{Value: v, Count: n})
	}
	return SortFacets(list, 0)
}
