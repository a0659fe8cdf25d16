package exchange

import "github.com/coopdir/coopdir/directory"

// The ESSGlobal SKOS vocabularies the SEA CSV uses, as published by
// Digital Commons Co-op (formerly the Solidarity Economy Association) in
// github.com/DigitalCommons/map-sse, vocabs/standard/phrasetabs/*.tsv at
// commit 0d7ab5a26a4f5c0df00e86b154b1f86148468a41 (2025-01-21), ESSGlobal
// version 2.1 as served under ESSGlobalBase. docs/SEA.md has the tables.

// ESSGlobalBase is where export writes the terms: the production base the
// SEA's open-data pipelines use (lod.coop/essglobal/2.1). Import accepts
// any host and version before "standard/SCHEME/CODE".
const ESSGlobalBase = "https://lod.coop/essglobal/2.1/standard/"

// The concept schemes (the path segment after "standard/").
const (
	schemeStructure  = "organisational-structure"
	schemeActivities = "activities-modified"
	schemeICA        = "activities-ica"
	schemeQualifiers = "qualifiers"
	schemeMembership = "base-membership-type"
)

// Term is one concept of an ESSGlobal scheme: its code (the last segment
// of its URI), its English preferred label and the sector tag coopdir
// gives it. Aliases are other sectors export writes as this term.
type Term struct {
	Scheme  string
	Code    string
	Label   string
	Tag     string
	Aliases []string
}

// URI is the term's identifier as export writes it.
func (t *Term) URI() string { return ESSGlobalBase + t.Scheme + "/" + t.Code }

func terms(scheme string, rows ...Term) []*Term {
	out := make([]*Term, len(rows))
	for i := range rows {
		rows[i].Scheme = scheme
		out[i] = &rows[i]
	}
	return out
}

// structures is the organisational-structure scheme (OS codes).
var structures = terms(schemeStructure,
	Term{Code: "OS10", Label: "Community group (formal or informal)", Tag: "community group"},
	Term{Code: "OS20", Label: "Not-for-profit organisation", Tag: "not-for-profit"},
	Term{Code: "OS30", Label: "Social enterprise", Tag: "social enterprise"},
	Term{Code: "OS40", Label: "Charity", Tag: "charity"},
	Term{Code: "OS50", Label: "Company (Other)", Tag: "company"},
	Term{Code: "OS60", Label: "Workers cooperative", Tag: "worker co-op"},
	Term{Code: "OS70", Label: "Housing cooperative", Tag: "housing co-op"},
	Term{Code: "OS80", Label: "Consumer/User coops", Tag: "consumer co-op"},
	Term{Code: "OS90", Label: "Producer cooperative", Tag: "producer co-op"},
	Term{Code: "OS100", Label: "Multi-stakeholder cooperative", Tag: "multi-stakeholder co-op"},
	Term{Code: "OS110", Label: "Secondary cooperative", Tag: "secondary co-op"},
	Term{Code: "OS115", Label: "Cooperative", Tag: "co-op"},
	Term{Code: "OS120", Label: "Community Interest Company (CIC)", Tag: "community interest company"},
	Term{Code: "OS130", Label: "Community Benefit Society / Industrial and Provident Society (IPS)", Tag: "community benefit society"},
	Term{Code: "OS140", Label: "Employee trust", Tag: "employee trust"},
	Term{Code: "OS150", Label: "Self-employed", Tag: "self-employed"},
	Term{Code: "OS160", Label: "Unincorporated", Tag: "unincorporated"},
	Term{Code: "OS170", Label: "Mutual", Tag: "mutual"},
	Term{Code: "OS180", Label: "National apex", Tag: "national apex"},
	Term{Code: "OS190", Label: "National sectoral federation or union", Tag: "sectoral federation"},
	Term{Code: "OS200", Label: "Regional, state or provincial level federation or union", Tag: "regional federation"},
	Term{Code: "OS210", Label: "Cooperative group", Tag: "co-op group"},
	Term{Code: "OS220", Label: "Government agency/body", Tag: "government agency"},
	Term{Code: "OS230", Label: "Supranational", Tag: "supranational"},
	Term{Code: "OS240", Label: "Cooperative of cooperatives / mutuals", Tag: "co-op of co-ops"},
)

// activities is the activities-modified scheme (AM codes): the one export
// writes in Primary Activity and Activities.
var activities = terms(schemeActivities,
	Term{Code: "AM10", Label: "Arts, Media, Culture & Leisure", Tag: "arts and culture",
		Aliases: []string{"arts", "art", "culture", "media", "music", "theatre", "film", "leisure", "sport", "recreation", "publishing"}},
	Term{Code: "AM20", Label: "Campaigning, Activism & Advocacy", Tag: "campaigning",
		Aliases: []string{"activism", "advocacy", "organising", "organizing"}},
	Term{Code: "AM30", Label: "Community & Collective Spaces", Tag: "community spaces",
		Aliases: []string{"community space", "community centre", "community center", "coworking", "social centre"}},
	Term{Code: "AM40", Label: "Education", Tag: "education", Aliases: []string{"training", "learning", "school"}},
	Term{Code: "AM50", Label: "Energy", Tag: "energy", Aliases: []string{"renewable energy", "solar"}},
	Term{Code: "AM60", Label: "Food", Tag: "food",
		Aliases: []string{"groceries", "grocery", "bakery", "cafe", "restaurant", "catering", "food bank"}},
	Term{Code: "AM70", Label: "Goods & Services", Tag: "goods and services",
		Aliases: []string{"goods", "services", "retail", "shop", "construction", "apparel", "clothing", "cleaning", "printing", "screen printing", "crafts"}},
	Term{Code: "AM80", Label: "Health, Social Care & Wellbeing", Tag: "health and care",
		Aliases: []string{"health", "care", "social care", "wellbeing", "childcare", "elder care", "mental health"}},
	Term{Code: "AM90", Label: "Housing", Tag: "housing", Aliases: []string{"tenancy"}},
	Term{Code: "AM100", Label: "Money & Finance", Tag: "finance",
		Aliases: []string{"money", "banking", "credit", "insurance", "financial services", "investment"}},
	Term{Code: "AM110", Label: "Nature, Conservation & Environment", Tag: "environment",
		Aliases: []string{"nature", "conservation", "ecology", "climate"}},
	Term{Code: "AM120", Label: "Reduce, Reuse, Repair & Recycle", Tag: "repair and reuse",
		Aliases: []string{"repair", "reuse", "recycling", "sharing", "tools", "tool library", "upcycling", "zero waste"}},
	Term{Code: "AM130", Label: "Agriculture", Tag: "agriculture",
		Aliases: []string{"farming", "farm", "gardening", "urban farming", "forestry", "fishing", "dairy"}},
	Term{Code: "AM140", Label: "Industry", Tag: "industry", Aliases: []string{"manufacturing", "production"}},
	Term{Code: "AM150", Label: "Utilities", Tag: "utilities",
		Aliases: []string{"internet", "telecommunications", "broadband", "mesh networking", "water"}},
	Term{Code: "AM160", Label: "Transport", Tag: "transport",
		Aliases: []string{"transportation", "cycling", "delivery", "courier"}},
)

// icaActivities is the activities-ica scheme (ICA codes), which the ICA's
// and Co-operatives UK's datasets use; import reads it, export does not
// write it.
var icaActivities = terms(schemeICA,
	Term{Code: "ICA10", Label: "Agriculture", Tag: "agriculture"},
	Term{Code: "ICA20", Label: "Dairy", Tag: "dairy"},
	Term{Code: "ICA30", Label: "Forestry", Tag: "forestry"},
	Term{Code: "ICA40", Label: "Irrigation", Tag: "irrigation"},
	Term{Code: "ICA50", Label: "Fishing", Tag: "fishing"},
	Term{Code: "ICA60", Label: "Artisans", Tag: "artisans"},
	Term{Code: "ICA70", Label: "Construction", Tag: "construction"},
	Term{Code: "ICA80", Label: "Industry", Tag: "industry"},
	Term{Code: "ICA90", Label: "Manufacturing", Tag: "manufacturing"},
	Term{Code: "ICA100", Label: "Mining", Tag: "mining"},
	Term{Code: "ICA110", Label: "Professional", Tag: "professional services"},
	Term{Code: "ICA120", Label: "Service", Tag: "services"},
	Term{Code: "ICA130", Label: "Tourism", Tag: "tourism"},
	Term{Code: "ICA140", Label: "Financial Services", Tag: "financial services"},
	Term{Code: "ICA150", Label: "Insurance", Tag: "insurance"},
	Term{Code: "ICA160", Label: "Education", Tag: "education"},
	Term{Code: "ICA170", Label: "Health", Tag: "health"},
	Term{Code: "ICA180", Label: "Community", Tag: "community"},
	Term{Code: "ICA190", Label: "Social", Tag: "social"},
	Term{Code: "ICA200", Label: "Social Service", Tag: "social services"},
	Term{Code: "ICA210", Label: "Housing", Tag: "housing"},
	Term{Code: "ICA220", Label: "Transport", Tag: "transport"},
	Term{Code: "ICA230", Label: "Utilities", Tag: "utilities"},
	Term{Code: "ICA240", Label: "Retail", Tag: "retail"},
	Term{Code: "ICA250", Label: "Production", Tag: "production"},
	Term{Code: "ICA260", Label: "Wholesale and retail trade", Tag: "wholesale and retail trade"},
	Term{Code: "ICA270", Label: "Education / health / social work", Tag: "education health social work"},
	Term{Code: "ICA280", Label: "Other Services", Tag: "other services"},
	Term{Code: "ICA290", Label: "All (Services)", Tag: "all services"},
)

// qualifiers is the qualifiers scheme: export writes a sector that is a
// qualifier's tag in Qualifiers.
var qualifiers = terms(schemeQualifiers,
	Term{Code: "q01", Label: "Ecologically or Environmentally Sustainable", Tag: "environmentally sustainable"},
	Term{Code: "q02", Label: "Democratic and decent working conditions", Tag: "decent work"},
	Term{Code: "q03", Label: "Socially fair", Tag: "socially fair"},
	Term{Code: "q04", Label: "Economically democratic and sovereign", Tag: "economic democracy"},
	Term{Code: "q05", Label: "Gender Equity", Tag: "gender equity"},
	Term{Code: "q06", Label: "From original / indigenous people or traditional communities", Tag: "traditional communities"},
	Term{Code: "q07", Label: "Commons and free knowledge/free culture", Tag: "commons"},
	Term{Code: "q08", Label: "Handicraft", Tag: "handicraft"},
	Term{Code: "q09", Label: "Coop Promoter/Supporter", Tag: "co-op promoter"},
	Term{Code: "Agroecological", Label: "Agroecological", Tag: "agroecological"},
	Term{Code: "Agroextrativism", Label: "Agroextrativism", Tag: "agroextractivism"},
	Term{Code: "Animalwelfare", Label: "Animal Welfare", Tag: "animal welfare"},
	Term{Code: "Fairtrade", Label: "Fair trade", Tag: "fair trade"},
	Term{Code: "FreeCulture", Label: "Free Culture", Tag: "free culture"},
	Term{Code: "FreeKnowledgeorSoftware", Label: "Free Knowledge or Software", Tag: "free software"},
	Term{Code: "FromOriginalorIndigenousPeople", Label: "From Original or Indigenous People", Tag: "indigenous people"},
	Term{Code: "LocalorFromCommunity", Label: "Local or From Community", Tag: "local"},
	Term{Code: "Madefromrecycledorrecoveredmaterial", Label: "Made from Recycled or Recovered Material", Tag: "recycled material"},
	Term{Code: "Naturalcosmeticsandherbalmedicines", Label: "Natural Cosmetics and Herbal Medicines", Tag: "natural cosmetics"},
	Term{Code: "Organic", Label: "Organic", Tag: "organic"},
	Term{Code: "PeasantorFamilyAgriculture", Label: "Peasant or Family Agriculture", Tag: "family farming"},
	Term{Code: "Selfmanagement", Label: "Self-management", Tag: "self-management"},
	Term{Code: "Socialinsertioninitiatives", Label: "Social insertion initiatives", Tag: "social insertion"},
)

// memberships is the base-membership-type scheme (BMT codes).
var memberships = terms(schemeMembership,
	Term{Code: "BMT10", Label: "Consumer/Users", Tag: "consumer members"},
	Term{Code: "BMT20", Label: "Producers", Tag: "producer members"},
	Term{Code: "BMT30", Label: "Workers", Tag: "worker members"},
	Term{Code: "BMT40", Label: "Multi-stakeholders", Tag: "multi-stakeholder members"},
	Term{Code: "BMT50", Label: "Residents", Tag: "resident members"},
	Term{Code: "BMT60", Label: "Others", Tag: "other members"},
)

// kindTerms is the crosswalk of our kinds: the Organisational Structure,
// Membership Type and default Primary Activity (when no sector names one)
// export writes. KindOther has none.
var kindTerms = map[directory.Kind]struct{ Structure, Membership, Activity string }{
	directory.KindWorkerCoop:           {"OS60", "BMT30", ""},
	directory.KindConsumerCoop:         {"OS80", "BMT10", ""},
	directory.KindProducerCoop:         {"OS90", "BMT20", ""},
	directory.KindHousingCoop:          {"OS70", "BMT50", "AM90"},
	directory.KindMultiStakeholderCoop: {"OS100", "BMT40", ""},
	directory.KindCreditUnion:          {"OS115", "BMT10", "AM100"},
	directory.KindLandTrust:            {"OS20", "", "AM90"},
	directory.KindMutualAid:            {"OS10", "", ""},
	directory.KindTimeBank:             {"OS10", "", ""},
	directory.KindToolLibrary:          {"OS10", "", "AM120"},
	directory.KindCommunityNetwork:     {"OS10", "", "AM150"},
	directory.KindUnion:                {"OS20", "", ""},
	directory.KindFoodSovereignty:      {"OS10", "", "AM60"},
	directory.KindAssembly:             {"OS10", "", ""},
}

// structureKinds is the way back: the structures that name one of our
// kinds. OS115 (Cooperative) takes its kind from the Membership Type
// (membershipKinds); every other structure imports as KindOther with its
// tag among the sectors.
var structureKinds = map[string]directory.Kind{
	"OS60": directory.KindWorkerCoop, "OS70": directory.KindHousingCoop, "OS80": directory.KindConsumerCoop,
	"OS90": directory.KindProducerCoop, "OS100": directory.KindMultiStakeholderCoop,
}

var membershipKinds = map[string]directory.Kind{
	"BMT10": directory.KindConsumerCoop, "BMT20": directory.KindProducerCoop, "BMT30": directory.KindWorkerCoop,
	"BMT40": directory.KindMultiStakeholderCoop, "BMT50": directory.KindHousingCoop,
}
