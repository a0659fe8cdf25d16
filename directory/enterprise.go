package directory

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind is the kind of an enterprise, from a fixed vocabulary.
type Kind string

// The kinds of enterprise coopdir knows.
const (
	KindWorkerCoop           Kind = "worker_coop"
	KindConsumerCoop         Kind = "consumer_coop"
	KindProducerCoop         Kind = "producer_coop"
	KindHousingCoop          Kind = "housing_coop"
	KindMultiStakeholderCoop Kind = "multi_stakeholder_coop"
	KindCreditUnion          Kind = "credit_union"
	KindLandTrust            Kind = "land_trust"
	KindMutualAid            Kind = "mutual_aid"
	KindTimeBank             Kind = "time_bank"
	KindToolLibrary          Kind = "tool_library"
	KindCommunityNetwork     Kind = "community_network"
	KindUnion                Kind = "union"
	KindFoodSovereignty      Kind = "food_sovereignty"
	KindAssembly             Kind = "assembly"
	KindOther                Kind = "other"
)

// Kinds lists every kind in display order.
var Kinds = []Kind{
	KindWorkerCoop, KindConsumerCoop, KindProducerCoop, KindHousingCoop,
	KindMultiStakeholderCoop, KindCreditUnion, KindLandTrust, KindMutualAid,
	KindTimeBank, KindToolLibrary, KindCommunityNetwork, KindUnion,
	KindFoodSovereignty, KindAssembly, KindOther,
}

var kindLabels = map[Kind]string{
	KindWorkerCoop: "Worker co-op", KindConsumerCoop: "Consumer co-op",
	KindProducerCoop: "Producer co-op", KindHousingCoop: "Housing co-op",
	KindMultiStakeholderCoop: "Multi-stakeholder co-op", KindCreditUnion: "Credit union",
	KindLandTrust: "Community land trust", KindMutualAid: "Mutual aid",
	KindTimeBank: "Time bank", KindToolLibrary: "Tool library",
	KindCommunityNetwork: "Community network", KindUnion: "Union",
	KindFoodSovereignty: "Food sovereignty", KindAssembly: "Assembly", KindOther: "Other",
}

// Valid reports whether k is in the vocabulary.
func (k Kind) Valid() bool { _, ok := kindLabels[k]; return ok }

// Label is the human name of the kind.
func (k Kind) Label() string {
	if l, ok := kindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Membership says whether an enterprise takes new members.
type Membership string

// Membership values; the empty value means unknown.
const (
	MembershipOpen   Membership = "open"
	MembershipClosed Membership = "closed"
)

// Enterprise is one co-op, mutual-aid group, tool library… of the directory.
// Local enterprises have an empty Origin; copies of a partner's entries carry
// the partner's host in Origin and their canonical ids in RemoteID/RemoteURL.
type Enterprise struct {
	ID          int64      `json:"-"`
	Handle      string     `json:"handle"`
	Name        string     `json:"name"`
	Kind        Kind       `json:"kind"`
	Sectors     []string   `json:"sectors"`
	Summary     string     `json:"summary,omitempty"`      // Markdown as written
	SummaryHTML string     `json:"summary_html,omitempty"` // sanitized HTML rendered from Summary
	Website     string     `json:"website,omitempty"`
	Email       string     `json:"email,omitempty"`
	Phone       string     `json:"phone,omitempty"`
	Location    Location   `json:"location"`
	Founded     int        `json:"founded,omitempty"` // year; 0 = unknown
	Governance  string     `json:"governance,omitempty"`
	Membership  Membership `json:"membership,omitempty"`
	Languages   []string   `json:"languages"` // the first is the main language
	// Translations are the name and summary in other languages.
	Translations Translations `json:"translations,omitempty"`
	Logo         string       `json:"logo,omitempty"` // URL, or a path on this instance
	Demo         bool         `json:"demo,omitempty"` // demo content, not a real entry
	Origin       string       `json:"origin,omitempty"`
	RemoteID     string       `json:"remote_id,omitempty"`
	RemoteURL    string       `json:"remote_url,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
}

// IsLocal reports whether the enterprise belongs to this instance.
func (e *Enterprise) IsLocal() bool { return e.Origin == "" }

// EnterpriseUpdate holds the fields to change; nil means keep. The handle is
// fixed for life: it is the enterprise's fediverse address.
type EnterpriseUpdate struct {
	Name       *string     `json:"name"`
	Kind       *Kind       `json:"kind"`
	Sectors    *[]string   `json:"sectors"`
	Summary    *string     `json:"summary"`
	Website    *string     `json:"website"`
	Email      *string     `json:"email"`
	Phone      *string     `json:"phone"`
	Location   *Location   `json:"location"`
	Founded    *int        `json:"founded"`
	Governance *string     `json:"governance"`
	Membership *Membership `json:"membership"`
	Languages  *[]string   `json:"languages"`
	Logo       *string     `json:"logo"`
}

// Apply copies the set fields of u onto e.
func (u EnterpriseUpdate) Apply(e *Enterprise) {
	setIf(&e.Name, u.Name)
	setIf(&e.Kind, u.Kind)
	setIf(&e.Sectors, u.Sectors)
	setIf(&e.Summary, u.Summary)
	setIf(&e.Website, u.Website)
	setIf(&e.Email, u.Email)
	setIf(&e.Phone, u.Phone)
	setIf(&e.Location, u.Location)
	setIf(&e.Founded, u.Founded)
	setIf(&e.Governance, u.Governance)
	setIf(&e.Membership, u.Membership)
	setIf(&e.Languages, u.Languages)
	setIf(&e.Logo, u.Logo)
}

func setIf[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

var (
	handleRE   = regexp.MustCompile(`^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$`)
	languageRE = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	phoneRE    = regexp.MustCompile(`^\+?[0-9 ().-]{3,40}$`)
)

// ReservedHandles cannot be taken by an enterprise: they name the instance's
// own actors and pages.
var ReservedHandles = []string{
	"admin", "api", "instance", "network", "needs", "offers", "root", "system",
	"www", "coopdir", "static", "feeds", "search", "map", "login", "logout",
	"new", "actor", "directory", "board", "media", "invitations", "inbox",
}

// ValidateHandle checks a handle against the rules of the directory.
func ValidateHandle(h string) *FieldError {
	switch {
	case h == "":
		return &FieldError{"handle", "required", "is required"}
	case len(h) > 30:
		return &FieldError{"handle", "max_length", "must be at most 30 characters"}
	case !handleRE.MatchString(h) || strings.Contains(h, ".."):
		return &FieldError{"handle", "pattern", "may contain only lowercase letters, digits and _, with . or - inside"}
	case slices.Contains(ReservedHandles, h):
		return &FieldError{"handle", "reserved", "is reserved for the instance"}
	}
	return nil
}

// Validate normalises e (trims text, lowercases and de-duplicates tags) and
// checks every field. now bounds the founding year. It returns an EINVALID
// *Error listing every broken rule.
func (e *Enterprise) Validate(now time.Time) error {
	var fe fieldErrors
	e.Handle = strings.TrimSpace(e.Handle)
	if f := ValidateHandle(e.Handle); f != nil {
		fe = append(fe, *f)
	}
	e.Name = cleanLine(e.Name)
	requireText(&fe, "name", e.Name, 100)
	if !e.Kind.Valid() {
		fe.add("kind", "enum", "must be one of %s", joinKinds())
	}
	e.Sectors = validateTags(&fe, "sectors", e.Sectors, 20, 40)
	e.Summary = strings.TrimSpace(e.Summary)
	maxText(&fe, "summary", e.Summary, 5000)
	e.Website = strings.TrimSpace(e.Website)
	validateURL(&fe, "website", e.Website)
	e.Email = strings.TrimSpace(e.Email)
	validateEmail(&fe, "email", e.Email)
	e.Phone = strings.TrimSpace(e.Phone)
	if e.Phone != "" && !phoneRE.MatchString(e.Phone) {
		fe.add("phone", "pattern", "may contain only digits, spaces, + ( ) . and -")
	}
	validateLocation(&fe, "location", &e.Location)
	if e.Founded != 0 && (e.Founded < 1700 || e.Founded > now.Year()) {
		fe.add("founded", "range", "must be a year between 1700 and %s", strconv.Itoa(now.Year())) // a string: no thousands separator in any language
	}
	e.Governance = strings.TrimSpace(e.Governance)
	maxText(&fe, "governance", e.Governance, 1000)
	switch e.Membership {
	case "", MembershipOpen, MembershipClosed:
	default:
		fe.add("membership", "enum", "must be open or closed")
	}
	e.Languages = validateLanguages(&fe, e.Languages)
	e.Translations = validateTranslations(&fe, "translations", e.Translations, "", EnterpriseTranslationLimits)
	e.Logo = strings.TrimSpace(e.Logo)
	switch {
	case e.Logo == "":
	case strings.HasPrefix(e.Logo, "//"), strings.ContainsAny(e.Logo, "\\ \"<>"):
		// "//host/x" is another site's address in disguise.
		fe.add("logo", "url", "must be an http or https address or a path on this instance")
	case !strings.HasPrefix(e.Logo, "/"):
		validateURL(&fe, "logo", e.Logo)
	case len(e.Logo) > 500:
		fe.add("logo", "max_length", "must be at most 500 characters")
	}
	return fe.err("enterprise")
}

func joinKinds() string { return joinValues(Kinds) }

// joinValues lists a vocabulary for an error message.
func joinValues[T ~string](vs []T) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

func validateLanguages(fe *fieldErrors, langs []string) []string {
	out := make([]string, 0, len(langs))
	for _, l := range langs {
		l = strings.TrimSpace(l)
		if l == "" || slices.Contains(out, l) {
			continue
		}
		if !languageRE.MatchString(l) {
			fe.add("languages", "pattern", "%q is not a language tag such as en, es or hmn", truncate(l, 20))
			continue
		}
		out = append(out, l)
	}
	if len(out) > 20 {
		fe.add("languages", "max_items", "at most 20 languages")
	}
	return out
}
