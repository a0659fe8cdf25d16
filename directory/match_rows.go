package directory

import "time"

// MatchRow is a stored match as an engine reads it, before its listings
// are loaded (see AssembleMatches).
type MatchRow struct {
	ID, NeedID, OfferID int64
	Score               float64
	Reasons             string
	NeedSeen, OfferSeen bool
	Dismissed           bool
	CreatedAt           time.Time
	UpdatedAt           time.Time
}

// ListingIDs returns the ids of the listings of rows, each once.
func ListingIDs(rows []MatchRow) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, r := range rows {
		for _, id := range []int64{r.NeedID, r.OfferID} {
			if !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

// AssembleMatches turns rows into matches with their listings (rows whose
// listings are missing are left out). New is set from the seen mark of
// enterprise viewer's side (0: no viewer).
func AssembleMatches(rows []MatchRow, listings map[int64]*Listing, viewer int64) []*Match {
	out := make([]*Match, 0, len(rows))
	for _, r := range rows {
		need, offer := listings[r.NeedID], listings[r.OfferID]
		if need == nil || offer == nil {
			continue
		}
		m := &Match{ID: r.ID, Need: need, Offer: offer, Score: r.Score, Reasons: SplitReasons(r.Reasons),
			Dismissed: r.Dismissed, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
		switch viewer {
		case 0:
		case need.EnterpriseID:
			m.New = !r.NeedSeen
		case offer.EnterpriseID:
			m.New = !r.OfferSeen
		}
		out = append(out, m)
	}
	return out
}

// MatchPair orders a listing and a candidate of the other type as (need,
// offer).
func MatchPair(l *Listing, candidateID int64) (needID, offerID int64) {
	if l.Type == Need {
		return l.ID, candidateID
	}
	return candidateID, l.ID
}

// StaleMatches returns the ids of the stored matches of a listing (by the
// other listing's id, dismissed ones left out by the caller) that found
// no longer holds.
func StaleMatches(stored map[int64]int64, found []ScoredMatch) []int64 {
	keep := make(map[int64]bool, len(found))
	for _, f := range found {
		keep[f.CandidateID] = true
	}
	var out []int64
	for other, id := range stored {
		if !keep[other] {
			out = append(out, id)
		}
	}
	return out
}

// OneMatch returns the match a read of one match by id found: ENOTFOUND
// when it found none, err when the read failed.
func OneMatch(ms []*Match, err error) (*Match, error) {
	if err == nil && len(ms) == 0 {
		err = Errorf(ENOTFOUND, "match not found")
	}
	if err != nil {
		return nil, err
	}
	return ms[0], nil
}
