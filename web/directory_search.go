package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/coopdir/coopdir/directory"
)

// searchView is the data of the directory, map and board pages: the form
// as asked, what went wrong with it, the results, and the facets beside them.
type searchView struct {
	layout
	lang        string // the language to show the entries in (entryLanguage)
	Form        searchForm
	Status      int
	Errors      map[string]string // message by form field, shown beside the field
	Problems    []string          // every message, in the summary above the form
	Near        *nearPlace        // how near was understood, when it was given
	Enterprises []enterpriseCard
	Listings    []listingCard
	Total       int
	TotalCapped bool // more than Total matched: the count stopped at the cap
	Pager       pager
	Suggestion  string      // "Did you mean": a corrected search, when few results were found
	Tabs        []facetLink // enterprises, needs, offers (directory and map)
	Facets      []facetGroup
	Active      []facetLink // filters in force, each with the address without it
	Dropped     []string    // filters asked for that these results cannot take
	DroppedURL  string      // the search where the dropped filters apply
	Sorts       []option
	Withins     []option
	Geo         *directory.Geo // the distance filter that ran, if any
	Map         *mapData       // markers of the map page
	Follow      *followBox     // on the board of needs or of offers: the box of their actor
	err         error          // an unexpected failure: the page is an error page
}

// facetGroup is one facet: a list of values, each a link that adds or
// removes it from the search.
type facetGroup struct {
	Label  string
	Links  []facetLink
	Closed bool // shown folded, as long lists are until one of their values is chosen
}

// facetLink is one value of a facet (or a tab, or an active filter).
type facetLink struct {
	Label    string
	Count    int
	AtLeast  bool // Count is a lower bound (see directory.DefaultCountCap)
	HasCount bool
	URL      string
	Current  bool
	None     bool // a value of the vocabulary that nothing matches: shown with its 0, not as a link
}

// CountLabel is the count as shown: "1,234", or "1,000+" for a lower bound.
func (l facetLink) CountLabel() string { return countLabel(l.Count, l.AtLeast) }

// countLabel writes n with thousands separators, and a plus when there
// are more.
func countLabel(n int, more bool) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if more {
		s += "+"
	}
	return s
}

// option is one choice of a select element.
type option struct {
	Value, Label string
	Selected     bool
}

// pager links the pages of a result list. Pages is 0 when the count of
// the results was capped: their last page is not known.
type pager struct {
	Page, Pages      int
	PrevURL, NextURL string
}

// search reads the search of the page at base from r and runs it with
// perPage results a page. It returns the view and the status to show it
// with: 200, 400 for a search that cannot run (the form says why), or 0
// when an unexpected error (in v.err) must become an error page.
func (s *server) search(r *http.Request, base string, perPage int) (*searchView, int) {
	p := &queryParams{v: r.URL.Query()}
	f := parseSearchForm(base, r.URL.Query(), p)
	dropped, where := dropInapplicable(&f)
	v := &searchView{Form: f, Status: http.StatusOK, Errors: map[string]string{}, Dropped: dropped, DroppedURL: where}
	v.lang = entryLanguage(r)
	v.Sorts, v.Withins = sortOptions(f), withinOptions(f)
	geo, err := s.resolveNear(r.Context(), f, v)
	if err == nil {
		err = p.err()
	}
	if err == nil {
		err = s.runSearch(r.Context(), v, geo, perPage, readerLanguage(r))
	}
	var re *requestError
	switch {
	case err == nil:
	case errors.As(err, &re) || directory.ErrorCode(err) == directory.EINVALID:
		v.Status = http.StatusBadRequest
		v.explain(err)
	default:
		v.err = err
		return v, 0
	}
	v.Active = activeFilters(f, v.Near, s.networkName)
	return v, v.Status
}

// runSearch runs the query of v.Form and fills in results and facets;
// entries in the reader's language lang come first among equals.
func (s *server) runSearch(ctx context.Context, v *searchView, geo *directory.Geo, perPage int, lang string) error {
	f := v.Form
	v.Geo = geo
	var origin originCounter
	var err error
	if f.IsListings() {
		q := f.listingQuery(geo, perPage)
		q.Language = lang
		origin, err = s.searchListings(ctx, v, q)
	} else {
		q := f.enterpriseQuery(geo, perPage)
		q.Language = lang
		origin, err = s.searchEnterprises(ctx, v, q)
	}
	if err != nil {
		return err
	}
	v.Pager = pageLinks(f, v.Total, v.TotalCapped, perPage)
	if err := s.addOriginFacet(ctx, v, origin); err != nil {
		return err
	}
	return s.addMurmurationsOrigin(ctx, v)
}

// searchEnterprises runs an enterprise search with its facets and the
// counts of the other tabs, all at once.
func (s *server) searchEnterprises(ctx context.Context, v *searchView, q directory.EnterpriseQuery) (originCounter, error) {
	f := v.Form
	q.Sort = defaultSort(f, q.Geo)
	shared := f.with(func(g *searchForm) { g.Categories = nil; g.Show = showNeeds }).listingQuery(q.Geo, 1)
	shared.Type, shared.Sort = "", directory.SortNewest
	var (
		res    *directory.EnterprisePage
		facets *directory.EnterpriseFacets
		types  *directory.ListingFacets
	)
	err := parallel(
		func() (err error) {
			main := q // the page's own search suggests, not the counts beside it
			main.Suggest = true
			res, err = s.svc.SearchEnterprises(ctx, main)
			return err
		},
		func() (err error) { facets, err = s.svc.EnterpriseFacets(ctx, q); return err },
		func() (err error) { types, err = s.svc.ListingFacets(ctx, shared); return err },
	)
	if err != nil {
		return nil, err
	}
	if err := s.svc.MergeSameOrganisations(ctx, res); err != nil {
		return nil, err
	}
	v.Total, v.TotalCapped, v.Suggestion = res.Total, res.TotalCapped, res.Suggestion
	for _, it := range res.Items {
		e, _ := localEnterprise(it.Enterprise, v.lang)
		c := newEnterpriseCard(e, it.DistanceKM)
		c.AlsoListed = alsoListedLinks(it.AlsoListedBy)
		v.Enterprises = append(v.Enterprises, c)
	}
	v.Facets = append(v.Facets, kindFacet(f, facets.Kinds), sectorFacet(f, facets.Sectors))
	v.Tabs = tabs(f, v.total(), types.Types)
	return func(origin string) (directory.FacetCount, error) {
		n, err := s.anyEnterprises(ctx, origin)
		if err != nil || n == 0 || (q.Text == "" && len(q.Kinds) == 0 && q.Sector == "" && q.Geo == nil) {
			return directory.FacetCount{Count: n}, err // none, or no other filter: that is the count
		}
		q := q // counters run at once
		q.Origin, q.Page, q.Sort = origin, directory.Page{Page: 1, PerPage: 1}, directory.SortNewest
		res, err := s.svc.SearchEnterprises(ctx, q)
		if err != nil {
			return directory.FacetCount{}, err
		}
		return directory.FacetCount{Count: res.Total, AtLeast: res.TotalCapped}, nil
	}, nil
}

// SuggestionURL is the address of the suggested search: this one with
// the corrected words.
func (v *searchView) SuggestionURL() string {
	return v.Form.with(func(f *searchForm) { f.Q = v.Suggestion }).URL()
}

// total is the number of results as a facet count: a lower bound when
// the count was capped.
func (v *searchView) total() directory.FacetCount {
	return directory.FacetCount{Count: v.Total, AtLeast: v.TotalCapped}
}

// searchListings runs a search for open needs and offers with its facets
// and, on the directory, the count of the enterprises tab, all at once.
func (s *server) searchListings(ctx context.Context, v *searchView, q directory.ListingQuery) (originCounter, error) {
	f := v.Form
	q.Sort = defaultSort(f, q.Geo)
	var (
		res    *directory.ListingPage
		facets *directory.ListingFacets
		ents   *directory.EnterprisePage
	)
	fns := []func() error{
		func() (err error) {
			main := q // the page's own search suggests, not the counts beside it
			main.Suggest = true
			res, err = s.svc.SearchListings(ctx, main)
			return err
		},
		func() (err error) { facets, err = s.svc.ListingFacets(ctx, q); return err },
	}
	if f.Base != "/board" {
		eq := f.with(func(g *searchForm) { g.Kinds, g.Sector = nil, "" }).enterpriseQuery(q.Geo, 1)
		eq.Sort = directory.SortNewest
		fns = append(fns, func() (err error) { ents, err = s.svc.SearchEnterprises(ctx, eq); return err })
	}
	if err := parallel(fns...); err != nil {
		return nil, err
	}
	v.Total, v.TotalCapped, v.Suggestion = res.Total, res.TotalCapped, res.Suggestion
	for _, it := range res.Items {
		l, _ := localListing(it.Listing, v.lang)
		v.Listings = append(v.Listings, newListingCard(l, it.DistanceKM))
	}
	if f.Base == "/board" {
		v.Facets = append(v.Facets, typeFacet(f, facets.Types))
	} else {
		v.Tabs = tabs(f, directory.FacetCount{Count: ents.Total, AtLeast: ents.TotalCapped}, facets.Types)
		// The tab of the results shows their total, counted as the heading's.
		for i := range v.Tabs {
			if v.Tabs[i].Current {
				v.Tabs[i].Count, v.Tabs[i].AtLeast = v.Total, v.TotalCapped
			}
		}
	}
	v.Facets = append(v.Facets, categoryFacet(f, facets.Categories))
	return func(origin string) (directory.FacetCount, error) {
		n, err := s.anyListings(ctx, origin)
		if err != nil || n == 0 || (q.Text == "" && q.Type == "" && len(q.Categories) == 0 && q.Geo == nil &&
			q.Enterprise == "" && q.Status == directory.StatusOpen) {
			return directory.FacetCount{Count: n}, err // none, or no other filter: that is the count
		}
		q := q // counters run at once
		q.Origin, q.Page, q.Sort = origin, directory.Page{Page: 1, PerPage: 1}, directory.SortNewest
		res, err := s.svc.SearchListings(ctx, q)
		if err != nil {
			return directory.FacetCount{}, err
		}
		return directory.FacetCount{Count: res.Total, AtLeast: res.TotalCapped}, nil
	}, nil
}

// parallel runs the independent queries of a page at once, each in its
// own read transaction as it would be one after the other, so that the
// page waits for the slowest rather than for their sum. It returns the
// first error.
func parallel(fns ...func() error) error {
	errs := make(chan error, len(fns))
	for _, fn := range fns {
		go func() { errs <- fn() }()
	}
	var first error
	for range fns {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// defaultSort is the order of a search: as asked; else nearest first for
// a distance search without words; else newest first on the board; else
// by relevance.
func defaultSort(f searchForm, geo *directory.Geo) string {
	switch {
	case f.Sort == directory.SortDistance && geo == nil && f.Near != "":
		// The place was not found: its filter, and so its order, is dropped.
		return ""
	case f.Sort != "":
		return f.Sort
	case geo != nil && f.Q == "":
		return directory.SortDistance
	case f.Base == "/board":
		return directory.SortNewest
	}
	return ""
}

// explain turns the error of a search that cannot run into messages: in
// the summary, and beside the form field it concerns.
func (v *searchView) explain(err error) {
	fields := directory.ErrorFields(err)
	var re *requestError
	if errors.As(err, &re) {
		fields = re.fields
	}
	if len(fields) == 0 {
		v.Problems = append(v.Problems, directory.ErrorMessage(err))
	}
	for _, fe := range fields {
		name := fe.Field
		switch name {
		case "type":
			if v.Form.Base != "/board" {
				name = "show"
			}
		case "per_page":
			name = "page"
		case "near":
			v.Near = nil // a point that is not one was not used
		}
		msg := fieldLabels[name] + " " + fe.Message
		if fieldLabels[name] == "" {
			msg = name + " " + fe.Message
		}
		v.Problems = append(v.Problems, msg)
		if _, ok := v.Errors[name]; !ok {
			v.Errors[name] = msg
		}
	}
}

// fieldLabels names the search parameters in messages.
var fieldLabels = map[string]string{
	"q": "Words:", "show": "Show:", "type": "Type:", "kind": "Kind:", "sector": "Sector:",
	"category": "Category:", "origin": "Origin:", "near": "Near:", "within_km": "Within:",
	"sort": "Sort:", "page": "Page:",
}

// pageLinks returns the paging of a result list of total matches. A
// capped total counts past the end of the page (directory.TotalLimit), so
// capped means that a next page follows; how many is not known.
func pageLinks(f searchForm, total int, capped bool, perPage int) pager {
	pg := pager{Page: max(f.Page, 1)}
	pg.Pages = min((total+perPage-1)/perPage, directory.MaxPage)
	if pg.Page > 1 {
		pg.PrevURL = f.At(min(pg.Page-1, max(pg.Pages, 1)))
	}
	if (pg.Page < pg.Pages || capped) && pg.Page < directory.MaxPage {
		pg.NextURL = f.At(pg.Page + 1)
	}
	if capped {
		pg.Pages = 0
	}
	return pg
}
