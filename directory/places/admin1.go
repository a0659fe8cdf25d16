package places

// division names a first-level division (a state, province or nation):
// its GeoNames admin1 code within its country, its name, and its usual
// abbreviation when that is not the code.
type division struct {
	Name, Abbr string
}

// divisions are the first-level divisions named in labels and understood
// after a comma ("Jackson, MS", "Springfield, Illinois", "Perth, WA"), by
// country and GeoNames admin1 code. Elsewhere a place is qualified by its
// country only.
var divisions = map[string]map[string]division{
	"US": {
		"AL": {Name: "Alabama"}, "AK": {Name: "Alaska"}, "AZ": {Name: "Arizona"}, "AR": {Name: "Arkansas"},
		"CA": {Name: "California"}, "CO": {Name: "Colorado"}, "CT": {Name: "Connecticut"}, "DE": {Name: "Delaware"},
		"DC": {Name: "District of Columbia"}, "FL": {Name: "Florida"}, "GA": {Name: "Georgia"}, "HI": {Name: "Hawaii"},
		"ID": {Name: "Idaho"}, "IL": {Name: "Illinois"}, "IN": {Name: "Indiana"}, "IA": {Name: "Iowa"},
		"KS": {Name: "Kansas"}, "KY": {Name: "Kentucky"}, "LA": {Name: "Louisiana"}, "ME": {Name: "Maine"},
		"MD": {Name: "Maryland"}, "MA": {Name: "Massachusetts"}, "MI": {Name: "Michigan"}, "MN": {Name: "Minnesota"},
		"MS": {Name: "Mississippi"}, "MO": {Name: "Missouri"}, "MT": {Name: "Montana"}, "NE": {Name: "Nebraska"},
		"NV": {Name: "Nevada"}, "NH": {Name: "New Hampshire"}, "NJ": {Name: "New Jersey"}, "NM": {Name: "New Mexico"},
		"NY": {Name: "New York"}, "NC": {Name: "North Carolina"}, "ND": {Name: "North Dakota"}, "OH": {Name: "Ohio"},
		"OK": {Name: "Oklahoma"}, "OR": {Name: "Oregon"}, "PA": {Name: "Pennsylvania"}, "RI": {Name: "Rhode Island"},
		"SC": {Name: "South Carolina"}, "SD": {Name: "South Dakota"}, "TN": {Name: "Tennessee"}, "TX": {Name: "Texas"},
		"UT": {Name: "Utah"}, "VT": {Name: "Vermont"}, "VA": {Name: "Virginia"}, "WA": {Name: "Washington"},
		"WV": {Name: "West Virginia"}, "WI": {Name: "Wisconsin"}, "WY": {Name: "Wyoming"},
	},
	"CA": {
		"01": {Name: "Alberta", Abbr: "AB"}, "02": {Name: "British Columbia", Abbr: "BC"},
		"03": {Name: "Manitoba", Abbr: "MB"}, "04": {Name: "New Brunswick", Abbr: "NB"},
		"05": {Name: "Newfoundland and Labrador", Abbr: "NL"}, "07": {Name: "Nova Scotia", Abbr: "NS"},
		"08": {Name: "Ontario", Abbr: "ON"}, "09": {Name: "Prince Edward Island", Abbr: "PE"},
		"10": {Name: "Quebec", Abbr: "QC"}, "11": {Name: "Saskatchewan", Abbr: "SK"},
		"12": {Name: "Yukon", Abbr: "YT"}, "13": {Name: "Northwest Territories", Abbr: "NT"},
		"14": {Name: "Nunavut", Abbr: "NU"},
	},
	"AU": {
		"01": {Name: "Australian Capital Territory", Abbr: "ACT"}, "02": {Name: "New South Wales", Abbr: "NSW"},
		"03": {Name: "Northern Territory", Abbr: "NT"}, "04": {Name: "Queensland", Abbr: "QLD"},
		"05": {Name: "South Australia", Abbr: "SA"}, "06": {Name: "Tasmania", Abbr: "TAS"},
		"07": {Name: "Victoria", Abbr: "VIC"}, "08": {Name: "Western Australia", Abbr: "WA"},
	},
	"GB": {
		"ENG": {Name: "England"}, "NIR": {Name: "Northern Ireland"}, "SCT": {Name: "Scotland"}, "WLS": {Name: "Wales"},
	},
}

// countryAliases are other names people give a country, by code, beside
// its code and its name in data/countries.tsv.
var countryAliases = map[string][]string{
	"US": {"USA", "U.S.A.", "U.S.", "United States of America", "America"},
	"GB": {"UK", "U.K.", "Great Britain", "Britain"},
	"RU": {"Russian Federation"},
	"KR": {"Korea"},
	"CZ": {"Czech Republic"},
	"NL": {"Holland", "The Netherlands"},
	"CD": {"Democratic Republic of the Congo"},
	"CI": {"Ivory Coast"},
	"TR": {"Turkey"},
}
