package directory

import (
	"context"
	"math"
	"slices"
	"strings"
)

// FacetCount is one value of a facet and how many matches have it. With
// AtLeast, Count is a lower bound: the query's CountCap stopped the
// counting (see DefaultCountCap for what each facet counts then).
type FacetCount struct {
	Value   string `json:"value"`
	Count   int    `json:"count"`
	AtLeast bool   `json:"at_least,omitempty"`
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
// then by value. A text query with a CountCap may stop counting at the cap
// (see DefaultCountCap). EINVALID.
func (s *Service) EnterpriseFacets(ctx context.Context, q EnterpriseQuery) (*EnterpriseFacets, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	return s.store.EnterpriseFacets(ctx, q)
}

// ListingFacets validates q and counts its matches by type and category,
// as EnterpriseFacets does. EINVALID.
func (s *Service) ListingFacets(ctx context.Context, q ListingQuery) (*ListingFacets, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	q.Today = s.now().Format(DateLayout)
	return s.store.ListingFacets(ctx, q)
}

// Counts returns the totals of the home page.
func (s *Service) Counts(ctx context.Context) (*Counts, error) {
	return s.store.Counts(ctx, s.now().Format(DateLayout))
}

// CapFacets marks every count of a facet as a lower bound when capped: the
// facet was counted over a sample of its matches (see DefaultCountCap).
// The storage engines use it.
func CapFacets(counts []FacetCount, capped bool) []FacetCount {
	for i := range counts {
		counts[i].AtLeast = counts[i].AtLeast || capped
	}
	return counts
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

// ListingTally counts the facets of a listing query with a CountCap (see
// DefaultCountCap) from its matches without its type and category filters,
// read newest first: the categories of the newest CountCap matches of the
// query's type, and each type up to CountCap+1 matches in the query's
// categories. An engine adds matches until Add says it has enough, so that
// one read of the newest matches gives both facets.
type ListingTally struct {
	q          ListingQuery
	limit      int
	sampled    int // matches of the query's type, up to limit+1
	categories map[string]int
	types      map[ListingType]int // matches in the query's categories, up to limit+1
}

// NewListingTally starts the tally of q, whose CountCap should be above 0
// (0 counts every match, as without a tally).
func NewListingTally(q ListingQuery) *ListingTally {
	limit := q.CountCap
	if limit <= 0 {
		limit = math.MaxInt - 1
	}
	return &ListingTally{q: q, limit: limit, categories: map[string]int{}, types: map[ListingType]int{}}
}

// Add counts a match of type typ and category c, and reports whether the
// tally wants more.
func (t *ListingTally) Add(typ ListingType, c Category) bool {
	if (t.q.Type == "" || t.q.Type == typ) && t.sampled <= t.limit {
		if t.sampled++; t.sampled <= t.limit {
			t.categories[string(c)]++
		}
	}
	if (len(t.q.Categories) == 0 || slices.Contains(t.q.Categories, c)) && t.types[typ] <= t.limit {
		t.types[typ]++
	}
	return t.sampled <= t.limit || t.types[Need] <= t.limit || t.types[Offer] <= t.limit
}

// Facets returns the counts of the matches added, ordered as SortFacets
// orders them.
func (t *ListingTally) Facets() *ListingFacets {
	f := &ListingFacets{}
	for _, typ := range []ListingType{Need, Offer} {
		n, capped := CappedCount(t.types[typ], t.limit)
		f.Types = append(f.Types, FacetCount{Value: string(typ), Count: n, AtLeast: capped})
	}
	for v, n := range t.categories {
		f.Categories = append(f.Categories, FacetCount{Value: v, Count: n, AtLeast: t.sampled > t.limit})
	}
	f.Types, f.Categories = SortFacets(f.Types, 0), SortFacets(f.Categories, 0)
	return f
}
