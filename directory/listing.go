package directory

import (
	"math"
	"strings"
	"time"
)

// ListingType says whether a listing is a need or an offer.
type ListingType string

// The two listing types.
const (
	Need  ListingType = "need"
	Offer ListingType = "offer"
)

// Valid reports whether t is need or offer.
func (t ListingType) Valid() bool { return t == Need || t == Offer }

// Category is the subject of a listing, from a fixed vocabulary.
type Category string

// Categories lists every listing category in display order.
var Categories = []Category{
	"food", "housing", "goods", "tools", "skills", "labor", "space", "transport",
	"money", "care", "health", "legal", "tech", "other",
}

// Valid reports whether c is in the vocabulary.
func (c Category) Valid() bool {
	for _, k := range Categories {
		if k == c {
			return true
		}
	}
	return false
}

// Label is the human name of the category.
func (c Category) Label() string {
	if c == "" {
		return ""
	}
	return strings.ToUpper(string(c[:1])) + string(c[1:])
}

// Status is the state of a listing. Expired is not stored: an open listing
// whose ValidUntil has passed is expired, and queries can ask for it by name.
type Status string

// Listing states.
const (
	StatusOpen      Status = "open"
	StatusFulfilled Status = "fulfilled"
	StatusWithdrawn Status = "withdrawn"
	StatusExpired   Status = "expired" // derived, only in queries and EffectiveStatus
)

// Valid reports whether s is a status that can be stored.
func (s Status) Valid() bool {
	return s == StatusOpen || s == StatusFulfilled || s == StatusWithdrawn
}

// DateLayout is the format of listing dates (valid until).
const DateLayout = "2006-01-02"

// ValidDay reports whether day is a date in DateLayout (YYYY-MM-DD).
func ValidDay(day string) bool {
	_, err := time.Parse(DateLayout, day)
	return err == nil
}

// Listing is a need or an offer of one enterprise.
type Listing struct {
	ID               int64  `json:"id"`
	EnterpriseID     int64  `json:"-"`
	EnterpriseHandle string `json:"enterprise"`                // filled by the store on read
	EnterpriseName   string `json:"enterprise_name,omitempty"` // filled by the store on read
	// Language is the enterprise's first listed language, the listing's
	// main one ("" when it lists none); filled by the store on read.
	Language        string      `json:"-"`
	Type            ListingType `json:"type"`
	Title           string      `json:"title"`
	Description     string      `json:"description,omitempty"`      // Markdown
	DescriptionHTML string      `json:"description_html,omitempty"` // sanitized HTML
	Category        Category    `json:"category"`
	Quantity        *float64    `json:"quantity,omitempty"`
	Unit            string      `json:"unit,omitempty"`
	Location        Location    `json:"location"`
	ValidUntil      string      `json:"valid_until,omitempty"` // YYYY-MM-DD, inclusive
	Status          Status      `json:"status"`
	// Translations are the title and description in other languages than
	// the enterprise's main one.
	Translations Translations `json:"translations,omitempty"`
	Demo         bool         `json:"demo,omitempty"`
	Origin       string       `json:"origin,omitempty"`
	RemoteID     string       `json:"remote_id,omitempty"`
	RemoteURL    string       `json:"remote_url,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    time.Time    `json:"updated_at"`
	// Key names a local listing within its enterprise in exports and
	// imports; only the export and import reads fill it.
	Key string `json:"-"`
}

// EffectiveStatus is Status, or expired when the listing is open and its
// valid-until date lies before today (in UTC).
func (l *Listing) EffectiveStatus(now time.Time) Status {
	if l.Status == StatusOpen && l.ValidUntil != "" && l.ValidUntil < now.UTC().Format(DateLayout) {
		return StatusExpired
	}
	return l.Status
}

// ListingUpdate holds the fields to change; nil means keep. Type and owner are
// fixed. Status may change with the other fields in one update (e.g. renew:
// a new valid-until date and open again).
type ListingUpdate struct {
	Title       *string   `json:"title"`
	Description *string   `json:"description"`
	Category    *Category `json:"category"`
	Quantity    **float64 `json:"quantity"`
	Unit        *string   `json:"unit"`
	Location    *Location `json:"location"`
	ValidUntil  *string   `json:"valid_until"`
	Status      *Status   `json:"status"`
}

// Apply copies the set fields of u onto l.
func (u ListingUpdate) Apply(l *Listing) {
	setIf(&l.Title, u.Title)
	setIf(&l.Description, u.Description)
	setIf(&l.Category, u.Category)
	setIf(&l.Quantity, u.Quantity)
	setIf(&l.Unit, u.Unit)
	setIf(&l.Location, u.Location)
	setIf(&l.ValidUntil, u.ValidUntil)
	setIf(&l.Status, u.Status)
}

// Validate normalises l and checks every field; it returns an EINVALID *Error
// listing every broken rule.
func (l *Listing) Validate() error {
	var fe fieldErrors
	if !l.Type.Valid() {
		fe.add("type", "enum", "must be need or offer")
	}
	l.Title = cleanLine(l.Title)
	requireText(&fe, "title", l.Title, 140)
	l.Description = strings.TrimSpace(l.Description)
	maxText(&fe, "description", l.Description, 5000)
	l.Translations = validateTranslations(&fe, "translations", l.Translations, "", ListingTranslationLimits)
	if !l.Category.Valid() {
		fe.add("category", "enum", "must be one of %s", joinCategories())
	}
	if l.Quantity != nil && (math.IsNaN(*l.Quantity) || math.IsInf(*l.Quantity, 0) || *l.Quantity <= 0 || *l.Quantity > 1e9) {
		fe.add("quantity", "range", "must be a number more than 0 and at most 1000000000")
	}
	l.Unit = cleanLine(l.Unit)
	maxText(&fe, "unit", l.Unit, 30)
	if l.Unit != "" && l.Quantity == nil {
		fe.add("unit", "requires_quantity", "a unit needs a quantity")
	}
	validateLocation(&fe, "location", &l.Location)
	l.ValidUntil = strings.TrimSpace(l.ValidUntil)
	if l.ValidUntil != "" {
		if d, err := time.Parse(DateLayout, l.ValidUntil); err != nil || d.Year() < 2000 || d.Year() > 9999 {
			fe.add("valid_until", "date", "must be a date such as 2026-12-31")
		}
	}
	if l.Status == "" {
		l.Status = StatusOpen
	}
	if !l.Status.Valid() {
		fe.add("status", "enum", "must be open, fulfilled or withdrawn")
	}
	return fe.err("listing")
}

// ValidateAt is Validate, and refuses as well a valid-until date before
// today (in UTC, as EffectiveStatus reads it) at now, since such a listing
// would be expired at once. A date that equals previous, the one the listing
// already had, passes: editing an expired listing need not renew it.
func (l *Listing) ValidateAt(now time.Time, previous string) error {
	err := l.Validate()
	var fe fieldErrors
	if err != nil {
		fe = ErrorFields(err)
	}
	if today := now.UTC().Format(DateLayout); l.ValidUntil != "" && l.ValidUntil != previous &&
		!fe.has("valid_until") && l.ValidUntil < today {
		fe.add("valid_until", "past", "must be today (%s) or later: a listing with a date in the past expires at once", today)
	}
	return fe.err("listing")
}

func joinCategories() string { return joinValues(Categories) }
