package directory

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory/fulltext"
)

// Matching brings a need to the offers that could meet it, and an offer to
// the needs it could meet. A listing is matched when it is written locally
// or arrives from a partner: the store queues it in the same transaction
// (MatchStore.MatchPending works the queue). Its candidates are the open,
// unexpired listings of the other type in the same category, of another
// enterprise, whose title or description holds a word of its title (the
// engine's text index finds them); each is then scored here, in Go, so
// both engines agree: text similarity and distance against the two
// service areas.

// Match is a need and an offer that could meet, with why.
type Match struct {
	ID      int64    `json:"id"`
	Need    *Listing `json:"need"`
	Offer   *Listing `json:"offer"`
	Score   float64  `json:"score"`   // 0 to 1, higher is better
	Reasons []string `json:"reasons"` // e.g. "same category Food", "both mention van"
	// New is set for the enterprise whose matches were asked for when it
	// has not seen the match yet (EnterpriseMatches, NewMatches).
	New       bool      `json:"new,omitempty"`
	Dismissed bool      `json:"dismissed,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Other returns the listing of the match that is not listing id.
func (m *Match) Other(id int64) *Listing {
	if m.Need != nil && m.Need.ID == id {
		return m.Offer
	}
	return m.Need
}

// Of returns the listing of the match that belongs to enterprise id (the
// need when both do).
func (m *Match) Of(enterpriseID int64) *Listing {
	if m.Need != nil && m.Need.EnterpriseID == enterpriseID {
		return m.Need
	}
	return m.Offer
}

// Matching limits.
const (
	// MatchCandidates is the most candidates one listing's matching reads
	// (the newest that share a word).
	MatchCandidates = 500
	// MatchesKept is the most matches one listing's matching keeps.
	MatchesKept = 50
	// MatchTermsMax is the most title words a candidate search uses.
	MatchTermsMax = 8
	// DefaultMatchRadiusKM is the reach of two listings that both have a
	// point and neither a service radius.
	DefaultMatchRadiusKM = 50
)

// matchStopWords are words too common to make two listings alike.
var matchStopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an and are as at be by can for from has have in is it its
		of on or our that the their this to us we with need needs needed offer offers offering want
		looking some any all your you who will would please help available free`) {
		matchStopWords[w] = true
	}
}

// matchWords returns the distinct folded words of s worth comparing: not
// stop words, not the category's own name, at least 2 characters.
func matchWords(s string, c Category) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.Fields(fulltext.Fold(s)) {
		if seen[w] || matchStopWords[w] || w == string(c) || utf8.RuneCountInString(w) < 2 {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// MatchTerms are the words of l's title that its candidates must share
// (one of them, in their title or description): at most MatchTermsMax,
// longest first (a longer word is usually a rarer one).
func MatchTerms(l *Listing) []fulltext.Term {
	words := matchWords(l.Title, l.Category)
	sort.SliceStable(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	if len(words) > MatchTermsMax {
		words = words[:MatchTermsMax]
	}
	terms := make([]fulltext.Term, len(words))
	for i, w := range words {
		terms[i] = fulltext.Term{Word: w}
	}
	return terms
}

// Matchable reports whether l takes part in matching on today
// (YYYY-MM-DD): open, not expired, with a word to match on.
func Matchable(l *Listing, today string) bool {
	return l.Status == StatusOpen && (l.ValidUntil == "" || l.ValidUntil >= today) && len(MatchTerms(l)) > 0
}

// MatchCandidate is what the engine reads of a candidate listing.
type MatchCandidate struct {
	ID           int64
	EnterpriseID int64
	Title        string
	Description  string
	Location     Location
}

// ScoredMatch is a candidate that matches, with its score and reasons.
type ScoredMatch struct {
	CandidateID int64
	Score       float64
	Reasons     []string
}

// BestMatches scores the candidates against l and returns those that
// match, best first (ties: the newer, higher id, first), at most
// MatchesKept. Candidates of l's own enterprise, or l itself, never match.
func BestMatches(l *Listing, cands []MatchCandidate) []ScoredMatch {
	mine := newWordWeights(l.Title, l.Description, l.Category)
	var out []ScoredMatch
	for i := range cands {
		c := &cands[i]
		if c.ID == l.ID || c.EnterpriseID == l.EnterpriseID {
			continue
		}
		if m, ok := scoreMatch(l, mine, c); ok {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].CandidateID > out[j].CandidateID
	})
	if len(out) > MatchesKept {
		out = out[:MatchesKept]
	}
	return out
}

// wordWeights weighs a listing's words: 2 for a title word, 1 for one of
// the description only.
type wordWeights struct {
	w     map[string]float64
	order []string // title words first, as written
	norm  float64
}

func newWordWeights(title, description string, c Category) wordWeights {
	ww := wordWeights{w: map[string]float64{}}
	for _, w := range matchWords(title, c) {
		ww.w[w] = 2
		ww.order = append(ww.order, w)
	}
	for _, w := range matchWords(description, c) {
		if _, ok := ww.w[w]; !ok {
			ww.w[w] = 1
			ww.order = append(ww.order, w)
		}
	}
	for _, v := range ww.w {
		ww.norm += v * v
	}
	ww.norm = math.Sqrt(ww.norm)
	return ww
}

// scoreMatch scores candidate c against l (whose words are mine): the
// cosine of their weighted words (70%) and their nearness against their
// reach (30%; half of it when a point is missing). Candidates out of
// reach, or sharing no word, do not match.
func scoreMatch(l *Listing, mine wordWeights, c *MatchCandidate) (ScoredMatch, bool) {
	theirs := newWordWeights(c.Title, c.Description, l.Category)
	var dot float64
	var shared []string
	for _, w := range mine.order {
		if v, ok := theirs.w[w]; ok {
			dot += mine.w[w] * v
			shared = append(shared, w)
		}
	}
	if len(shared) == 0 || mine.norm == 0 || theirs.norm == 0 {
		return ScoredMatch{}, false
	}
	text := dot / (mine.norm * theirs.norm)
	near, where, ok := matchDistance(l.Location, c.Location)
	if !ok {
		return ScoredMatch{}, false
	}
	if len(shared) > 3 {
		shared = shared[:3]
	}
	score := math.Round((0.7*text+0.3*near)*1e6) / 1e6
	reasons := []string{"same category " + l.Category.Label(), "both mention " + strings.Join(shared, ", "), where}
	return ScoredMatch{CandidateID: c.ID, Score: score, Reasons: reasons}, true
}

// matchDistance compares two locations: a nearness from 0 (at the edge of
// their reach) to 1 (same place), a reason, and whether they are within
// reach. The reach is the larger of the two service radii (or
// DefaultMatchRadiusKM when neither has one). Without both points the
// distance is unknown: nearness 0.5, within reach.
func matchDistance(a, b Location) (float64, string, bool) {
	if !a.HasPoint() || !b.HasPoint() {
		return 0.5, "distance unknown (no map point)", true
	}
	reach := 0.0
	for _, r := range []*float64{a.RadiusKM, b.RadiusKM} {
		if r != nil && *r > reach {
			reach = *r
		}
	}
	if reach == 0 {
		reach = DefaultMatchRadiusKM
	}
	d := DistanceKM(Point{Lat: *a.Lat, Lon: *a.Lon}, Point{Lat: *b.Lat, Lon: *b.Lon})
	if d > reach {
		return 0, "", false
	}
	return 1 - d/reach, fmt.Sprintf("%s km apart, within %s km", formatKM(d), formatKM(reach)), true
}

func formatKM(km float64) string {
	if km < 10 {
		return strings.TrimSuffix(fmt.Sprintf("%.1f", km), ".0")
	}
	return fmt.Sprintf("%.0f", km)
}

// JoinReasons and SplitReasons store a match's reasons in one text column.
func JoinReasons(r []string) string { return strings.Join(r, "\n") }

// SplitReasons is the inverse of JoinReasons.
func SplitReasons(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// MatchStore keeps the matches between needs and offers and the queue of
// listings waiting to be matched. Listings join the queue in the
// transaction that writes them (CreateListing, UpdateListing,
// ImportRemote); deleting a listing removes its matches.
type MatchStore interface {
	// MatchPending matches up to limit queued listings, oldest first,
	// against the listings stored, with today (YYYY-MM-DD) as the expiry
	// cut-off, and takes them off the queue. A listing's matches are
	// replaced by the ones found (BestMatches), those of an unmatchable
	// listing removed; dismissed matches stay dismissed, never found
	// again. A match kept keeps its creation time and seen marks. It
	// returns how many listings it matched.
	MatchPending(ctx context.Context, limit int, today string, at time.Time) (int, error)
	// MatchListing matches listing id at once, as MatchPending matches a
	// queued one, and takes it off the queue. ENOTFOUND.
	MatchListing(ctx context.Context, id int64, today string, at time.Time) error
	// ListingMatches returns up to limit matches of listing id that are
	// not dismissed and whose listings are both open and unexpired on
	// today, best first.
	ListingMatches(ctx context.Context, listingID int64, today string, limit int) ([]*Match, error)
	// EnterpriseMatches returns a page of the matches of enterprise id's
	// listings, as ListingMatches filters them, best first, with New set
	// for those it has not seen, and their total.
	EnterpriseMatches(ctx context.Context, enterpriseID int64, today string, p Page) ([]*Match, int, error)
	// NewMatches counts the matches EnterpriseMatches returns with New set.
	NewMatches(ctx context.Context, enterpriseID int64, today string) (int, error)
	// MarkMatchesSeen marks every match of enterprise id's listings seen
	// by it.
	MarkMatchesSeen(ctx context.Context, enterpriseID int64) error
	// FindMatch returns match id, dismissed or not. ENOTFOUND.
	FindMatch(ctx context.Context, id int64) (*Match, error)
	// DismissMatch marks match id dismissed at at. ENOTFOUND.
	DismissMatch(ctx context.Context, id int64, at time.Time) error
	// MatchesToNotify returns up to limit matches, as ListingMatches
	// filters them, whose editors were not told yet (MarkMatchesNotified),
	// oldest first.
	MatchesToNotify(ctx context.Context, today string, limit int) ([]*Match, error)
	// MarkMatchesNotified records that the editors of matches ids were
	// told at at; ids of matches that are gone are skipped.
	MarkMatchesNotified(ctx context.Context, ids []int64, at time.Time) error
}
