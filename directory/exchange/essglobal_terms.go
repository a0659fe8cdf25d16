package exchange

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
)

var schemeTerms = map[string][]*Term{
	schemeStructure: structures, schemeActivities: activities, schemeICA: icaActivities,
	schemeQualifiers: qualifiers, schemeMembership: memberships,
}

// activityBySector and qualifierBySector say which term export writes for
// a sector: a term's tag or one of its aliases.
var activityBySector, qualifierBySector = bySector(activities), bySector(qualifiers)

func bySector(ts []*Term) map[string]*Term {
	m := map[string]*Term{}
	for _, t := range ts {
		m[t.Tag] = t
		for _, a := range t.Aliases {
			m[a] = t
		}
	}
	return m
}

// termByCode finds the term of scheme with code (any case), or nil.
func termByCode(scheme, code string) *Term {
	for _, t := range schemeTerms[scheme] {
		if strings.EqualFold(t.Code, code) {
			return t
		}
	}
	return nil
}

// resolveTerm reads one value of a term column: a term URI of any host and
// version (…/standard/SCHEME/CODE), or, within schemes, a code, a label (as
// SEA's tools match them: any case, spaces ignored) or our tag. A value
// that names no term is returned as the sector it becomes instead
// (sectorTag of a URI's last segment, or of the value).
func resolveTerm(value string, schemes ...string) (*Term, string) {
	v := strings.TrimSpace(value)
	if strings.Contains(v, "://") {
		segs := strings.Split(strings.TrimRight(v, "/"), "/")
		code := segs[len(segs)-1]
		if len(segs) >= 2 {
			if t := termByCode(segs[len(segs)-2], code); t != nil {
				return t, ""
			}
		}
		return nil, sectorTag(code)
	}
	for _, s := range schemes {
		names := termNames[s]
		for _, key := range []string{"code:" + strings.ToUpper(v), "label:" + labelKey(v), "tag:" + strings.ToLower(v)} {
			if t := names[key]; t != nil {
				return t, ""
			}
		}
	}
	return nil, sectorTag(v)
}

// termNames finds the terms of each scheme by code, label and tag (the
// keys resolveTerm makes).
var termNames = func() map[string]map[string]*Term {
	out := map[string]map[string]*Term{}
	for scheme, ts := range schemeTerms {
		m := map[string]*Term{}
		for _, t := range ts {
			m["code:"+strings.ToUpper(t.Code)] = t
			m["label:"+labelKey(t.Label)] = t
			m["tag:"+t.Tag] = t
		}
		out[scheme] = m
	}
	return out
}()

func labelKey(s string) string { return strings.ToUpper(strings.ReplaceAll(s, " ", "")) }

// sectorTag turns a word from another vocabulary into a sector: lower
// case, every character a sector may not hold made a space, at most the
// 40 characters a sector may have.
func sectorTag(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' {
			return unicode.ToLower(r)
		}
		return ' '
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	// Cut at the last space within 40 characters, unless a word ends
	// right at the 40th.
	r := []rune(s)[:41]
	cut := string(r[:40])
	if i := strings.LastIndexByte(cut, ' '); r[40] != ' ' && i > 0 {
		cut = cut[:i]
	}
	return strings.TrimSpace(cut)
}

// seaTerms are the terms of one enterprise as export writes them.
type seaTerms struct {
	structure, membership *Term
	activities            []*Term // the first is the Primary Activity
	qualifiers            []*Term
}

// termsOf crosswalks e's kind and sectors to ESSGlobal terms (see
// kindTerms, activityBySector, qualifierBySector).
func termsOf(e *directory.Enterprise) seaTerms {
	kt := kindTerms[e.Kind]
	st := seaTerms{structure: termByCode(schemeStructure, kt.Structure), membership: termByCode(schemeMembership, kt.Membership)}
	add := func(list []*Term, t *Term) []*Term {
		for _, have := range list {
			if have == t {
				return list
			}
		}
		return append(list, t)
	}
	for _, s := range e.Sectors {
		if t := activityBySector[s]; t != nil {
			st.activities = add(st.activities, t)
		}
		if t := qualifierBySector[s]; t != nil {
			st.qualifiers = add(st.qualifiers, t)
		}
	}
	if t := termByCode(schemeActivities, kt.Activity); len(st.activities) == 0 && t != nil {
		st.activities = []*Term{t}
	}
	return st
}

// has reports whether export would write t for the enterprise.
func (st seaTerms) has(t *Term) bool {
	if t == st.structure || t == st.membership {
		return true
	}
	for _, list := range [][]*Term{st.activities, st.qualifiers} {
		for _, have := range list {
			if have == t {
				return true
			}
		}
	}
	return false
}

// cell writes terms as one cell, their URIs separated by ";".
func cell(ts ...*Term) string {
	uris := make([]string, 0, len(ts))
	for _, t := range ts {
		if t != nil {
			uris = append(uris, t.URI())
		}
	}
	return strings.Join(uris, ";")
}

// kindFromTerms is the kind that imported structures (and, for a plain
// Cooperative, membership types) name, with the terms that named it; nil
// terms and KindOther when none does.
func kindFromTerms(structures, memberships []*Term) (directory.Kind, []*Term) {
	for _, s := range structures {
		if k, ok := structureKinds[s.Code]; ok {
			return k, []*Term{s}
		}
		if s.Code != "OS115" {
			continue
		}
		for _, m := range memberships {
			if k, ok := membershipKinds[m.Code]; ok {
				return k, []*Term{s, m}
			}
		}
	}
	return directory.KindOther, nil
}
