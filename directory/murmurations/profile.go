// Package murmurations speaks Murmurations (murmurations.network), the
// solidarity economy's network of profiles and indexes: it builds the
// profiles of our enterprises (organizations_schema-v1.0.0) and open
// listings (offers_wants_schema-v0.1.0), and talks to an index (register,
// remove, query). Schemas and fields are those of the
// MurmurationsNetwork/MurmurationsLibrary repository; testdata/schemas
// keeps the resolved copies the tests validate against.
package murmurations

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// The schemas our profiles follow, as named in linked_schemas.
const (
	OrganizationsSchema = "organizations_schema-v1.0.0"
	OffersWantsSchema   = "offers_wants_schema-v0.1.0"
)

// Paths of the profiles on an instance, below its base URL.
const (
	EnterprisePathPrefix = "/murmurations/enterprises/"
	ListingPathPrefix    = "/murmurations/listings/"
)

// Site gives the absolute addresses a profile links to.
type Site struct {
	// Abs makes a path on this instance absolute.
	Abs func(path string) string
}

// EnterpriseProfileURL is the address of an enterprise's profile.
func (s Site) EnterpriseProfileURL(handle string) string {
	return s.Abs(EnterprisePathPrefix + handle + ".json")
}

// ListingProfileURL is the address of a listing's profile.
func (s Site) ListingProfileURL(id int64) string {
	return s.Abs(ListingPathPrefix + strconv.FormatInt(id, 10) + ".json")
}

func (s Site) enterprisePage(handle string) string { return s.Abs("/enterprises/" + handle) }
func (s Site) listingPage(id int64) string         { return s.Abs("/listings/" + strconv.FormatInt(id, 10)) }

// absLink makes a link of the directory (a path here or an address
// elsewhere) absolute; "" when it is neither.
func (s Site) absLink(link string) string {
	switch {
	case strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//"):
		return s.Abs(link)
	case strings.HasPrefix(link, "https://"), strings.HasPrefix(link, "http://"):
		return link
	}
	return ""
}

// Organization is an organizations_schema-v1.0.0 profile. Optional fields
// are left out when empty: the schema has no null values.
type Organization struct {
	LinkedSchemas  []string     `json:"linked_schemas"`
	Name           string       `json:"name"`
	Nickname       string       `json:"nickname,omitempty"`
	PrimaryURL     string       `json:"primary_url"`
	Tags           []string     `json:"tags"`
	URLs           []NamedURL   `json:"urls,omitempty"`
	Description    string       `json:"description,omitempty"`
	Status         string       `json:"status"`
	FullAddress    string       `json:"full_address,omitempty"`
	Geolocation    *Geolocation `json:"geolocation,omitempty"`
	Image          string       `json:"image,omitempty"`
	RSS            string       `json:"rss,omitempty"`
	StartsAt       int64        `json:"starts_at,omitempty"`
	ContactDetails *Contact     `json:"contact_details,omitempty"`
	Telephone      string       `json:"telephone,omitempty"`
}

// OfferWant is an offers_wants_schema-v0.1.0 profile.
type OfferWant struct {
	LinkedSchemas   []string     `json:"linked_schemas"`
	ExchangeType    string       `json:"exchange_type"`
	ItemType        string       `json:"item_type,omitempty"`
	TransactionType []string     `json:"transaction_type"`
	Tags            []string     `json:"tags"`
	Title           string       `json:"title"`
	Description     string       `json:"description"`
	DetailsURL      string       `json:"details_url"`
	Geolocation     *Geolocation `json:"geolocation,omitempty"`
	GeographicScope string       `json:"geographic_scope"`
	ContactDetails  Contact      `json:"contact_details"`
	ExpiresAt       int64        `json:"expires_at,omitempty"`
}

// NamedURL is one entry of urls.
type NamedURL struct {
	Name string `json:"name,omitempty"`
	URL  string `json:"url"`
}

// Geolocation is a point in decimal degrees.
type Geolocation struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Contact is contact_details: an address, a page with a contact form, or both.
type Contact struct {
	Email       string `json:"email,omitempty"`
	ContactForm string `json:"contact_form,omitempty"`
}

// EnterpriseProfile is the profile of a local enterprise. Its primary_url
// is its website, or its page here when it has none; tags are its kind
// and sectors; urls link its page, its fediverse actor (the same address,
// served as ActivityPub to ActivityPub clients) and its website.
func EnterpriseProfile(s Site, e *directory.Enterprise) *Organization {
	page := s.enterprisePage(e.Handle)
	p := &Organization{
		LinkedSchemas: []string{OrganizationsSchema},
		Name:          e.Name,
		Nickname:      e.Handle,
		PrimaryURL:    page,
		Tags:          uniqueTags(append([]string{e.Kind.Label()}, e.Sectors...)),
		Description:   e.Summary,
		Status:        "active",
		FullAddress:   e.Location.Address,
		Geolocation:   geolocation(e.Location),
		Image:         s.absLink(e.Logo),
		RSS:           page + "/feeds/announcements.atom",
		Telephone:     e.Phone,
	}
	p.URLs = []NamedURL{{Name: "Directory page", URL: page}}
	if w := s.absLink(e.Website); w != "" {
		p.PrimaryURL = w
		p.URLs = append(p.URLs, NamedURL{Name: "Website", URL: w})
	}
	if e.Founded > 0 {
		p.StartsAt = time.Date(e.Founded, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	}
	if e.Email != "" {
		p.ContactDetails = &Contact{Email: e.Email}
	}
	return p
}

// ListingProfile is the profile of an open local listing of e. A need is
// a want. The contact form is the listing's page (which links its
// enterprise); the geographic scope is local unless the listing names a
// wider service area.
func ListingProfile(s Site, l *directory.Listing, e *directory.Enterprise) *OfferWant {
	p := &OfferWant{
		LinkedSchemas: []string{OffersWantsSchema},
		ExchangeType:  "offer",
		ItemType:      itemTypes[l.Category],
		// We do not record on what basis a listing is exchanged: the
		// schema requires the field, and an empty list says "not given".
		TransactionType: []string{},
		Tags:            uniqueTags([]string{l.Category.Label(), string(l.Type)}),
		Title:           l.Title,
		Description:     l.Description,
		DetailsURL:      s.listingPage(l.ID),
		Geolocation:     geolocation(l.Location),
		GeographicScope: scope(l.Location),
		ContactDetails:  Contact{Email: e.Email, ContactForm: s.listingPage(l.ID)},
	}
	if l.Type == directory.Need {
		p.ExchangeType = "want"
	}
	if p.Description == "" {
		p.Description = l.Title
	}
	if t, err := time.Parse(directory.DateLayout, l.ValidUntil); err == nil {
		// Valid until is inclusive: the listing expires at the day's end.
		p.ExpiresAt = t.AddDate(0, 0, 1).Unix()
	}
	return p
}

// itemTypes says which categories are goods and which services; the
// others (money, other) have no item type.
var itemTypes = map[directory.Category]string{
	"food": "good", "housing": "good", "goods": "good", "tools": "good", "space": "good",
	"skills": "service", "labor": "service", "transport": "service", "care": "service",
	"health": "service", "legal": "service", "tech": "service",
}

// scope maps a service radius onto geographic_scope.
func scope(l directory.Location) string {
	switch r := l.RadiusKM; {
	case r == nil || *r <= 50:
		return "local"
	case *r <= 500:
		return "regional"
	case *r <= 2000:
		return "national"
	}
	return "international"
}

func geolocation(l directory.Location) *Geolocation {
	if !l.HasPoint() {
		return nil
	}
	return &Geolocation{Lat: *l.Lat, Lon: *l.Lon}
}

// uniqueTags drops empty and repeated tags (tags must be unique, at most
// 100 of at most 100 characters).
func uniqueTags(tags []string) []string {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if t != "" && len(t) <= 100 && !slices.Contains(out, t) && len(out) < 100 {
			out = append(out, t)
		}
	}
	return out
}
