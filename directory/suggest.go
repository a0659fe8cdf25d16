package directory

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory/fulltext"
)

// Suggestions ("Did you mean"): a search that asks for one (Suggest) and
// finds fewer than SuggestBelow results looks at each of its rare words
// (found in fewer than SuggestBelow entries) and replaces it with the
// closest word of the vocabulary (SearchWordStore) that the search finds
// more often: within one edit (insertion, deletion, substitution or the
// swap of two neighbours) for words of up to 5 letters, two for longer
// ones, with the same first letter. The corrected search is suggested when
// it finds more than the search did. Both engines hold the same vocabulary
// and count the same matches, so they suggest the same.
const (
	// SuggestBelow is the number of results under which a search suggests.
	SuggestBelow = 3
	// suggestMinLength is the shortest word corrected.
	suggestMinLength = 4
	// suggestWords bounds the vocabulary read for one word.
	suggestWords = 2000
	// suggestTries is how many close words of one word are counted.
	suggestTries = 5
	// suggestTerms is how many words of a search are corrected at most.
	suggestTerms = 3
	// suggestCountCap bounds the count of each search a suggestion runs.
	suggestCountCap = 100
)

// counter returns how many results the search gives with text instead of
// its own (counted up to suggestCountCap).
type counter func(ctx context.Context, text string) (int, error)

// suggest returns the corrected text of a search that found total
// results, or "" when there is nothing better to suggest.
func (s *Service) suggest(ctx context.Context, text string, total int, count counter) (string, error) {
	if total >= SuggestBelow {
		return "", nil
	}
	terms := fulltext.Terms(text)
	words := make([]string, len(terms))
	changed, tried := false, 0
	for i, t := range terms {
		words[i] = t.Word
		if utf8.RuneCountInString(t.Word) < suggestMinLength || tried == suggestTerms {
			continue
		}
		n, err := count(ctx, t.Word)
		if err != nil || n >= SuggestBelow {
			if err != nil {
				return "", err
			}
			continue
		}
		tried++
		best, err := s.closestWord(ctx, t, n, count)
		if err != nil {
			return "", err
		}
		if best != "" {
			words[i], changed = best, true
		}
	}
	if !changed {
		return "", nil
	}
	corrected := strings.Join(words, " ")
	n, err := count(ctx, corrected)
	if err != nil || n <= total {
		return "", err
	}
	return corrected, nil
}

// closestWord returns the vocabulary word closest to t that the search
// finds more often than the n times it finds t, or "".
func (s *Service) closestWord(ctx context.Context, t fulltext.Term, n int, count counter) (string, error) {
	size := utf8.RuneCountInString(t.Word)
	maxEdits := 1
	if size > 5 {
		maxEdits = 2
	}
	head, _ := utf8.DecodeRuneInString(t.Word)
	vocab, err := s.store.SearchWords(ctx, string(head), size-maxEdits, size+maxEdits, suggestWords)
	if err != nil {
		return "", err
	}
	type candidate struct {
		word  string
		edits int
	}
	var near []candidate
	for _, w := range vocab {
		if t.Matches(w) {
			continue // the search finds it already
		}
		if d := editDistance(t.Word, w, maxEdits); d <= maxEdits {
			near = append(near, candidate{w, d})
		}
	}
	slices.SortFunc(near, func(a, b candidate) int {
		if a.edits != b.edits {
			return a.edits - b.edits
		}
		return strings.Compare(a.word, b.word)
	})
	best, bestN := "", n
	for i, c := range near {
		if i == suggestTries || (best != "" && c.edits > near[0].edits) {
			break
		}
		m, err := count(ctx, c.word)
		if err != nil {
			return "", err
		}
		if m > bestN {
			best, bestN = c.word, m
		}
	}
	return best, nil
}

// editDistance returns the optimal string alignment distance of a and b
// (insertions, deletions, substitutions and swaps of neighbours, in
// runes), or limit+1 once it is sure to be more than limit.
func editDistance(a, b string, limit int) int {
	x, y := []rune(a), []rune(b)
	if d := len(x) - len(y); d > limit || -d > limit {
		return limit + 1
	}
	prev2, prev, cur := make([]int, len(y)+1), make([]int, len(y)+1), make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		lowest := cur[0]
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			lowest = min(lowest, cur[j])
		}
		if lowest > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(y)], limit+1)
}
