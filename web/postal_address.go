package web

import (
	"regexp"
	"strings"
	"sync"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// An enterprise's address is one free-text field. postalAddress reads the
// parts of it only where the text leaves no doubt, for schema.org's
// PostalAddress and the vCard's ADR; the text as written always goes along
// (schema.org name, vCard LABEL), so nothing is lost when a part is not
// recognised. Recognised:
//
//   - a trailing country written out in English ("…, France", "…, United
//     States"), or a few native names and "USA"/"UK";
//   - the US pattern "[street, ]city, ST[ 12345[-6789]]" with ST one of the
//     US states' or territories' codes; with a ZIP code the country is the
//     US. Without one it is not assumed (two capitals might also be a
//     country or a province: "Toronto, ON" stays without a country);
//   - "[street, ]12345 City[, country]" where a country is named (the
//     postcode-first form of much of Europe).
//
// Everything else keeps only the text. A lone word ("Milwaukee") is not
// read as a city: it could be a region or a country.

// postalAddress is the parts of an address; empty when not recognised.
type postalAddress struct {
	Text        string // as written
	Street      string
	Locality    string
	Region      string
	PostalCode  string
	CountryCode string // ISO 3166-1 alpha-2
}

// Country returns the English name of the address's country, or "".
func (a postalAddress) Country() string {
	if a.CountryCode == "" {
		return ""
	}
	return display.English.Regions().Name(language.MustParseRegion(a.CountryCode))
}

var (
	usStateZipRE   = regexp.MustCompile(`^([A-Z]{2})\s+(\d{5}(?:-\d{4})?)$`)
	usStateRE      = regexp.MustCompile(`^[A-Z]{2}$`)
	postcodeCityRE = regexp.MustCompile(`^(\d{4,5})\s+(\D+)$`)
	digitRE        = regexp.MustCompile(`\d`)
)

// parseAddress reads the parts of text that it can be sure of.
func parseAddress(text string) postalAddress {
	a := postalAddress{Text: text}
	parts := strings.Split(text, ",")
	if len(parts) < 2 || len(parts) > 6 || strings.ContainsAny(text, "\r\n") {
		return a
	}
	for i, p := range parts {
		if parts[i] = strings.Join(strings.Fields(p), " "); parts[i] == "" {
			return a
		}
	}
	if code := countryCode(parts[len(parts)-1]); code != "" {
		a.CountryCode, parts = code, parts[:len(parts)-1]
	}
	last := parts[len(parts)-1]
	switch {
	case a.CountryCode != "US" && a.CountryCode != "" && len(parts) >= 1 && postcodeCityRE.MatchString(last):
		m := postcodeCityRE.FindStringSubmatch(last)
		a.PostalCode, a.Locality = m[1], m[2]
	case a.CountryCode != "" && len(parts) == 1 && !digitRE.MatchString(last):
		a.Locality = last
		return a
	case (a.CountryCode == "" || a.CountryCode == "US") && len(parts) >= 2 && usStateZipRE.MatchString(last) && usStates[last[:2]]:
		m := usStateZipRE.FindStringSubmatch(last)
		a.Region, a.PostalCode, a.CountryCode = m[1], m[2], "US"
		parts = parts[:len(parts)-1]
		last = parts[len(parts)-1]
		if digitRE.MatchString(last) {
			return postalAddress{Text: text}
		}
		a.Locality = last
	case (a.CountryCode == "" || a.CountryCode == "US") && len(parts) >= 2 && usStateRE.MatchString(last) && usStates[last]:
		a.Region = last
		parts = parts[:len(parts)-1]
		last = parts[len(parts)-1]
		if digitRE.MatchString(last) {
			return postalAddress{Text: text}
		}
		a.Locality = last
	default:
		return a
	}
	if countryCode(a.Locality) != "" {
		return postalAddress{Text: text} // "…, France, WI": which is it?
	}
	a.Street = strings.Join(parts[:len(parts)-1], ", ")
	return a
}

// countryCode is the ISO code of a country written out, or "".
func countryCode(name string) string {
	return countryNames()[strings.ToLower(name)]
}

// countryNames maps the lowercase English name of every country, and a
// few other names, to its ISO 3166-1 alpha-2 code.
var countryNames = sync.OnceValue(func() map[string]string {
	names := map[string]string{
		"usa": "US", "u.s.a.": "US", "united states of america": "US", "uk": "GB", "england": "GB",
		"scotland": "GB", "wales": "GB", "northern ireland": "GB", "deutschland": "DE", "españa": "ES",
		"méxico": "MX", "brasil": "BR", "italia": "IT", "österreich": "AT", "schweiz": "CH", "suisse": "CH",
		"nederland": "NL", "belgique": "BE", "belgië": "BE", "sverige": "SE", "norge": "NO", "danmark": "DK",
		"suomi": "FI", "polska": "PL", "česko": "CZ", "éire": "IE", "ελλάδα": "GR", "россия": "RU",
	}
	regions := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() || r.Canonicalize().String() != string([]rune{a, b}) {
				continue
			}
			// The first code of a name wins: FR, not FX (metropolitan France).
			if n := strings.ToLower(regions.Name(r)); n != "" && names[n] == "" {
				names[n] = r.String()
			}
		}
	}
	return names
})

// usStates are the two-letter postal codes of the US states, the District
// of Columbia and the territories.
var usStates = map[string]bool{}

func init() {
	for _, s := range strings.Fields(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE
		NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI`) {
		usStates[s] = true
	}
}
