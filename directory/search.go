package directory

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory/fulltext"
)

// Sort orders for searches.
const (
	SortRelevance = "relevance" // best text match first; newest first without text
	SortName      = "name"      // by name, A to Z
	SortNewest    = "newest"    // most recently created first
	SortDistance  = "distance"  // nearest to Near first; needs Near
)

// Origin filters.
const (
	OriginAll      = "all"      // every entry: local, partners', Murmurations' (the default)
	OriginLocal    = "local"    // only this instance's own entries
	OriginPartners = "partners" // only copies of partners' entries
	// OriginMurmurations (origin.go): only entries imported from
	// Murmurations indexes. Any other value is an exact Origin: a partner
	// host, or "murmurations:" and an index's host.
)

// Paging limits.
const (
	DefaultPerPage = 20
	MaxPerPage     = 100
	MaxPage        = 500 // deep paging is what search is for
	MaxQueryLength = 200
)

// Page selects a slice of the results, 1-based.
type Page struct {
	Page    int `json:"page"`
	PerPage int `json:"per_page"`
}

// Normal returns p as the engines read it: page 1 when none or a negative
// one is asked for, DefaultPerPage when PerPage is not set, and at most
// MaxPerPage, so that no caller can ask a store for an unbounded page.
func (p Page) Normal() Page {
	p.Page = max(p.Page, 1)
	if p.PerPage < 1 {
		p.PerPage = DefaultPerPage
	}
	p.PerPage = min(p.PerPage, MaxPerPage)
	return p
}

// Offset is the number of results before this page.
func (p Page) Offset() int { return (p.Page - 1) * p.PerPage }

// KnownTotal returns the total number of results when the n results of
// page p tell it, which saves a count: a page that is not full (and not
// past the end) is the last one. p.PerPage is at least 1.
func (p Page) KnownTotal(n int) (int, bool) {
	if n < p.PerPage && (n > 0 || p.Offset() == 0) {
		return p.Offset() + n, true
	}
	return 0, false
}

// Geo is a distance filter: entries within KM of Near (entries without
// coordinates never match).
type Geo struct {
	Near Point
	KM   float64
}

// EnterpriseQuery asks for enterprises.
type EnterpriseQuery struct {
	Text     string // full text over handle, name, summary, sectors, address
	Kinds    []Kind
	Sector   string
	Origin   string // OriginAll (default), OriginLocal, OriginPartners or a partner host
	Geo      *Geo
	Sort     string
	CountCap int    // above 0, bounds the counting of a text search: see DefaultCountCap
	Suggest  bool   // with text and few results, fill the page's Suggestion (see SuggestBelow)
	Language string // the reader's language: at equal relevance, entries in it come first
	Page
}

// ListingQuery asks for listings.
type ListingQuery struct {
	Text       string // full text over title, description, unit and category
	Type       ListingType
	Categories []Category
	Status     Status // "" any; StatusOpen excludes expired ones; StatusExpired
	Enterprise string // handle of the owning enterprise
	Origin     string
	Geo        *Geo
	Sort       string
	Today      string // YYYY-MM-DD, set by the Service: the cut-off for expiry
	CountCap   int    // above 0, bounds the counting of a text search: see DefaultCountCap
	Suggest    bool   // with text and few results, fill the page's Suggestion (see SuggestBelow)
	Language   string // the reader's language: at equal relevance, entries in it come first
	Page
}

// EnterpriseResult is one enterprise found, with its distance from Geo.Near
// when the query had a distance filter.
type EnterpriseResult struct {
	*Enterprise
	DistanceKM *float64 `json:"distance_km,omitempty"`
	// AlsoListedBy are the other entries of the same organisation, from
	// other origins (see MergeSameOrganisations).
	AlsoListedBy []AlsoListed `json:"also_listed_by,omitempty"`
}

// ListingResult is one listing found, with its distance when asked.
type ListingResult struct {
	*Listing
	DistanceKM *float64 `json:"distance_km,omitempty"`
}

// EnterprisePage is one page of an enterprise search. Total counts every
// match, unless TotalCapped: then the query's CountCap stopped the count
// and there are more than Total matches (see DefaultCountCap).
type EnterprisePage struct {
	Items       []EnterpriseResult `json:"items"`
	Total       int                `json:"total"`
	TotalCapped bool               `json:"total_capped,omitempty"`
	Suggestion  string             `json:"suggestion,omitempty"` // "Did you mean": see SuggestBelow
	Page
}

// ListingPage is one page of a listing search, counted as EnterprisePage is.
type ListingPage struct {
	Items       []ListingResult `json:"items"`
	Total       int             `json:"total"`
	TotalCapped bool            `json:"total_capped,omitempty"`
	Suggestion  string          `json:"suggestion,omitempty"` // "Did you mean": see SuggestBelow
	Page
}

func normalizeCap(fe *fieldErrors, countCap int) {
	if countCap < 0 {
		fe.add("count_cap", "range", "must be 0 (count every match) or more")
	}
}

func normalizePage(fe *fieldErrors, p *Page) {
	if p.Page == 0 {
		p.Page = 1
	}
	if p.PerPage == 0 {
		p.PerPage = DefaultPerPage
	}
	if p.Page < 1 || p.Page > MaxPage {
		fe.add("page", "range", "must be between 1 and %d", MaxPage)
	}
	if p.PerPage < 1 || p.PerPage > MaxPerPage {
		fe.add("per_page", "range", "must be between 1 and %d", MaxPerPage)
	}
}

// normalizeLanguage keeps the primary language of a reader's language
// tag ("es" of "es-MX"), which must be letters.
func normalizeLanguage(fe *fieldErrors, lang *string) {
	*lang = fulltext.Base(*lang)
	if len(*lang) > 8 || strings.IndexFunc(*lang, func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
		fe.add("lang", "pattern", "must be a language code such as es or pt-BR")
	}
}

func normalizeSearch(fe *fieldErrors, text *string, sort *string, origin *string, geo *Geo) {
	*text = cleanLine(*text)
	if !utf8.ValidString(*text) || utf8.RuneCountInString(*text) > MaxQueryLength {
		fe.add("q", "max_length", "must be valid text of at most %d characters", MaxQueryLength)
	}
	if *origin == "" {
		*origin = OriginAll
	}
	*origin = strings.ToLower(*origin)
	if geo != nil {
		if math.IsNaN(geo.Near.Lat) || geo.Near.Lat < -90 || geo.Near.Lat > 90 ||
			math.IsNaN(geo.Near.Lon) || geo.Near.Lon < -180 || geo.Near.Lon > 180 {
			fe.add("near", "range", "must be a latitude,longitude pair such as 43.04,-87.91")
		}
		if math.IsNaN(geo.KM) || geo.KM <= 0 || geo.KM > 20000 {
			fe.add("within_km", "range", "must be more than 0 and at most 20000")
		}
	}
	switch *sort {
	case "":
		*sort = SortRelevance
	case SortRelevance, SortName, SortNewest:
	case SortDistance:
		if geo == nil {
			fe.add("sort", "requires_near", "sorting by distance needs near and within_km")
		}
	default:
		fe.add("sort", "enum", "must be relevance, name, newest or distance")
	}
}

// Validate normalises q and checks it.
func (q *EnterpriseQuery) Validate() error {
	var fe fieldErrors
	normalizeSearch(&fe, &q.Text, &q.Sort, &q.Origin, q.Geo)
	normalizeLanguage(&fe, &q.Language)
	for _, k := range q.Kinds {
		if !k.Valid() {
			fe.add("kind", "enum", "must be one of %s", joinKinds())
			break
		}
	}
	q.Sector = strings.ToLower(cleanLine(q.Sector))
	normalizeCap(&fe, q.CountCap)
	normalizePage(&fe, &q.Page)
	return fe.err("query")
}

// Validate normalises q and checks it.
func (q *ListingQuery) Validate() error {
	var fe fieldErrors
	normalizeSearch(&fe, &q.Text, &q.Sort, &q.Origin, q.Geo)
	normalizeLanguage(&fe, &q.Language)
	if q.Type != "" && !q.Type.Valid() {
		fe.add("type", "enum", "must be need or offer")
	}
	for _, c := range q.Categories {
		if !c.Valid() {
			fe.add("category", "enum", "must be one of %s", joinCategories())
			break
		}
	}
	if q.Status != "" && !q.Status.Valid() && q.Status != StatusExpired {
		fe.add("status", "enum", "must be open, fulfilled, withdrawn or expired")
	}
	q.Enterprise = strings.TrimSpace(q.Enterprise)
	normalizeCap(&fe, q.CountCap)
	normalizePage(&fe, &q.Page)
	return fe.err("query")
}

// RankWindow bounds relevance ranking: a text search ranks only its newest
// RankWindow matches (by id), so a word found in most of the directory costs
// no more than a rare one. Results past the window follow in newest-first
// order; Total still counts every match (unless a CountCap stops it).
const RankWindow = 1000

// DefaultCountCap is the cap the directory's pages put on their counts.
//
// Counting every match of a common word costs more than finding a page of
// them, so a query may set CountCap: a search with words (full-text terms)
// then counts its matches up to a limit and no further, as search engines
// show "1,000+ results". Below the cap every count is exact. Above it:
//
//   - Total counts up to TotalLimit(CountCap, page): the cap, or the end of
//     the page when that is further. With more matches, Total is that limit
//     and TotalCapped is set: there are more than Total matches, so another
//     page follows whenever TotalCapped is set.
//   - The listing type facet (need, offer) counts each type up to CountCap:
//     a count is exact, or CountCap marked AtLeast.
//   - The other facets (kind, sector, category) count the newest CountCap
//     matches (by id, the order that relevance takes its RankWindow from) of
//     the query without the facet's own filter. When that query has more
//     matches, every count of the facet is marked AtLeast: so many of the
//     newest CountCap matches have the value, and older matches may have it
//     too. Such counts show how the matches divide, not how many there are.
//
// Searches without words are counted exactly whatever CountCap says: the
// engines keep summary tables that answer them at once. CountCap 0 counts
// every match.
const DefaultCountCap = 1000

// TotalLimit is how far a text search with this cap counts its total on
// page p: 0 (every match) without a cap, else the cap or the end of the
// page, whichever is further, so that a capped total still tells whether a
// page follows.
func TotalLimit(countCap int, p Page) int {
	if countCap <= 0 {
		return 0
	}
	return max(countCap, p.Offset()+p.PerPage)
}

// CappedCount turns n, a count that went on to limit+1 when it could (0
// limit: no cap), into the count to report and whether it is capped: more
// than limit matches report limit.
func CappedCount(n, limit int) (int, bool) {
	if limit > 0 && n > limit {
		return limit, true
	}
	return n, false
}
