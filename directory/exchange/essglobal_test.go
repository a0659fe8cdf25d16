package exchange

import (
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// TestCrosswalkData checks the vocabulary tables: every code the
// crosswalk names exists, every tag and alias is a sector the directory
// accepts as it is, and no sector names two terms.
func TestCrosswalkData(t *testing.T) {
	for k, kt := range kindTerms {
		if !k.Valid() {
			t.Errorf("kind %q", k)
		}
		for scheme, code := range map[string]string{schemeStructure: kt.Structure, schemeMembership: kt.Membership, schemeActivities: kt.Activity} {
			if code != "" && termByCode(scheme, code) == nil {
				t.Errorf("%s: no %s %s", k, scheme, code)
			}
		}
	}
	for code := range structureKinds {
		if termByCode(schemeStructure, code) == nil {
			t.Errorf("no structure %s", code)
		}
	}
	for scheme, ts := range schemeTerms {
		seen := map[string]string{}
		for _, term := range ts {
			for _, s := range append([]string{term.Tag}, term.Aliases...) {
				e := &directory.Enterprise{Handle: "x", Name: "X", Kind: directory.KindOther, Sectors: []string{s}}
				if err := e.Validate(time.Now()); err != nil || e.Sectors[0] != s {
					t.Errorf("%s %s: sector %q: %v", scheme, term.Code, s, err)
				}
				if other, ok := seen[s]; ok {
					t.Errorf("%s: %q names %s and %s", scheme, s, other, term.Code)
				}
				seen[s] = term.Code
			}
		}
	}
}

func TestResolveTerm(t *testing.T) {
	for _, tc := range []struct {
		value   string
		schemes []string
		code    string // "" when the value is no term
		tag     string
	}{
		{"https://dev.lod.coop/essglobal/2.1/standard/activities-ica/ICA140", nil, "ICA140", ""},
		{"http://purl.org/essglobal/standard/organisational-structure/OS60/", nil, "OS60", ""},
		{"https://lod.coop/essglobal/V2a/standard/qualifiers/Selfmanagement", nil, "Selfmanagement", ""},
		{"https://lod.coop/essglobal/2.1/standard/activities-ica/ICA999", nil, "", "ica999"},
		{"https://example.org/terms/Worker Owned", nil, "", "worker owned"},
		{" os60 ", []string{schemeStructure}, "OS60", ""},
		{"housingcooperative", []string{schemeStructure}, "OS70", ""},
		{"Money & Finance", []string{schemeActivities, schemeICA}, "AM100", ""},
		{"financial services", []string{schemeActivities, schemeICA}, "ICA140", ""},
		{"OS60", []string{schemeActivities}, "", "os60"},
		{"Bicycle repair & more!", []string{schemeActivities}, "", "bicycle repair more"},
		{"Community Benefit Society / Industrial and Provident Society (IPS)", []string{schemeActivities}, "", "community benefit society industrial and"},
	} {
		term, tag := resolveTerm(tc.value, tc.schemes...)
		code := ""
		if term != nil {
			code = term.Code
		}
		if code != tc.code || tag != tc.tag {
			t.Errorf("%q: term %q, sector %q; want %q, %q", tc.value, code, tag, tc.code, tc.tag)
		}
	}
}

func TestSEAHandle(t *testing.T) {
	for _, tc := range []struct{ id, name, want string }{
		{"R006884", "Maesteg Club", "r006884"},
		{"bristol-bike-project", "The Bristol Bike Project", "bristol-bike-project"},
		{"Coop#11/ä", "Café", "coop-11-a"},
		{"12", "Coop. CASMUL", "coop-casmul-12"},
		{"admin", "Radical Routes", "radical-routes-admin"},
		{"", "Café Ñandú, Montevideo", "cafe-nandu-montevideo"},
		{"0", "Agricultores Federados Argentinos S.C.L.", "agricultores-federados-argen-0"},
		{"https://example.org/initiatives/4471-a-very-long-identifier", "Long", "long-1jkrr61"},
		{"12345678901234567890", "", "sea-bcm2u5"},
		{"", "", ""},
	} {
		got := seaHandle(tc.id, tc.name)
		if got != tc.want {
			t.Errorf("seaHandle(%q, %q) = %q, want %q", tc.id, tc.name, got, tc.want)
		}
		if got != "" && directory.ValidateHandle(got) != nil {
			t.Errorf("%q is not a handle: %v", got, directory.ValidateHandle(got))
		}
	}
}

func TestHTMLText(t *testing.T) {
	for in, want := range map[string]string{
		"Plain text, with 2 < 3 and **Markdown**":                                             "Plain text, with 2 < 3 and **Markdown**",
		"<p>Heating oil, bought <b>together</b>.</p><p>Members &amp; friends<br>save 20%</p>": "Heating oil, bought together.\n\nMembers & friends\nsave 20%",
		"<script>alert(1)</script>Safe<style>p{}</style>":                                     "Safe",
		"Bad &#0; reference":                "Bad  reference",
		"<ul><li>one</li><li>two</li></ul>": "one\n\ntwo",
	} {
		if got := htmlText(in); got != want {
			t.Errorf("htmlText(%q) = %q, want %q", in, got, want)
		}
	}
}
