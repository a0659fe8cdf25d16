package places

import (
	"strings"
	"unicode/utf8"
)

// MaxChoices is the most candidates a lookup returns.
const MaxChoices = 10

// MaxQueryLength is the longest query looked up, in characters.
const MaxQueryLength = 200

// DominanceFactor decides when a name with several places means the
// biggest without asking: when it has at least this many times the
// population of the next ("Paris" is the French capital, not Paris, Texas;
// "Jackson" asks which).
const DominanceFactor = 10

// Result is what a lookup found.
type Result struct {
	Places []Place // the candidates, biggest first, at most MaxChoices
	Total  int     // how many places matched
	chosen bool
}

// Best returns the place the query means, if one stands out: the only
// match; the biggest, when it has DominanceFactor times the population of
// the next; or the biggest, when every match is in the same division of
// the same country (a query cannot say more than "Jackson, KY, US").
// Otherwise the caller should ask which of Places is meant.
func (r Result) Best() (Place, bool) {
	if !r.chosen {
		return Place{}, false
	}
	return r.Places[0], true
}

// Find looks a place up by name, case and accents aside ("bogota" finds
// Bogotá), optionally followed by its state or province and its country,
// after commas or not: "Chicago", "Jackson, MS", "Chicago, US", "Bologna,
// Italy", "Perth WA", "Springfield, Illinois, United States". The first
// call loads the gazetteer.
func Find(query string) Result {
	if utf8.RuneCountInString(query) > MaxQueryLength {
		return Result{}
	}
	return mustLoad().find(query)
}

func (g *gazetteer) find(query string) Result {
	ids := g.match(query)
	r := Result{Total: len(ids)}
	if len(ids) == 0 {
		return r
	}
	for _, id := range ids[:min(len(ids), MaxChoices)] {
		r.Places = append(r.Places, g.places[id])
	}
	r.chosen = len(ids) == 1 || r.Places[0].Population >= DominanceFactor*r.Places[1].Population || g.sameDivision(ids)
	return r
}

// match returns the places the query names, biggest first. Without a
// match for the whole first part, its last words may be a qualifier:
// "Chicago IL" is "Chicago, IL".
func (g *gazetteer) match(query string) []int32 {
	parts := strings.Split(query, ",")
	var quals []string
	for _, p := range parts[1:] {
		if f := fold(p); f != "" {
			quals = append(quals, f)
		}
	}
	name := fold(parts[0])
	if name == "" {
		return nil
	}
	if ids := g.filter(g.named(name), quals); len(ids) > 0 {
		return ids
	}
	words := strings.Fields(name)
	for k := 1; k <= 3 && k < len(words); k++ {
		n, q := strings.Join(words[:len(words)-k], " "), strings.Join(words[len(words)-k:], " ")
		if ids := g.filter(g.named(n), append([]string{q}, quals...)); len(ids) > 0 {
			return ids
		}
	}
	return nil
}

// filter keeps the places that every qualifier describes: by country
// code, name or alias, or by division code, name or abbreviation.
func (g *gazetteer) filter(ids []int32, quals []string) []int32 {
	if len(quals) == 0 {
		return ids
	}
	var out []int32
	for _, id := range ids {
		p := g.places[id]
		ok := true
		for _, q := range quals {
			ok = ok && g.describes(p, q)
		}
		if ok {
			out = append(out, id)
		}
	}
	return out
}

// describes reports whether the folded qualifier q names p's country or
// division.
func (g *gazetteer) describes(p Place, q string) bool {
	if code, ok := g.country[q]; ok && code == p.Country {
		return true
	}
	if code, ok := g.division[p.Country][q]; ok && code == p.Admin1 {
		return true
	}
	return p.Admin1 != "" && q == fold(p.Admin1)
}

func (g *gazetteer) sameDivision(ids []int32) bool {
	first := g.places[ids[0]]
	for _, id := range ids[1:] {
		if p := g.places[id]; p.Country != first.Country || p.Admin1 != first.Admin1 {
			return false
		}
	}
	return true
}
