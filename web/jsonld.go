package web

import (
	"html"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

// The schema.org data of the enterprise and listing pages, built from
// structs and encoded by encoding/json. html/template writes a value in a
// <script type="application/ld+json"> element as JSON with <, > and &
// escaped, so no text of the directory can end the element.

const schemaContext = "https://schema.org"

// ldOrganization is a schema.org Organization: an enterprise.
type ldOrganization struct {
	Context       string      `json:"@context,omitempty"`
	Type          string      `json:"@type"`
	ID            string      `json:"@id,omitempty"`
	Name          string      `json:"name"`
	Description   string      `json:"description,omitempty"`
	URL           string      `json:"url,omitempty"`
	Logo          string      `json:"logo,omitempty"`
	Email         string      `json:"email,omitempty"`
	Telephone     string      `json:"telephone,omitempty"`
	SameAs        []string    `json:"sameAs,omitempty"`
	Address       *ldAddress  `json:"address,omitempty"`
	Geo           *ldGeo      `json:"geo,omitempty"`
	FoundingDate  string      `json:"foundingDate,omitempty"`
	KnowsLanguage []string    `json:"knowsLanguage,omitempty"`
	Keywords      string      `json:"keywords,omitempty"`
	MakesOffer    []ldListing `json:"makesOffer,omitempty"`
	Seeks         []ldListing `json:"seeks,omitempty"`
}

// ldListing is a schema.org Offer (an offer) or Demand (a need).
type ldListing struct {
	Context           string   `json:"@context,omitempty"`
	Type              string   `json:"@type"`
	ID                string   `json:"@id,omitempty"`
	Name              string   `json:"name"`
	Description       string   `json:"description,omitempty"`
	Category          string   `json:"category,omitempty"`
	URL               string   `json:"url,omitempty"`
	AvailableAtOrFrom *ldPlace `json:"availableAtOrFrom,omitempty"`
	AreaServed        any      `json:"areaServed,omitempty"`
	ValidThrough      string   `json:"validThrough,omitempty"`
	OfferedBy         *ldRef   `json:"offeredBy,omitempty"`
}

// ldGraph holds several linked nodes: a listing and its enterprise.
type ldGraph struct {
	Context string `json:"@context"`
	Graph   []any  `json:"@graph"`
}

// ldRef names a node described elsewhere.
type ldRef struct {
	Type string `json:"@type,omitempty"`
	ID   string `json:"@id"`
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
}

// ldGeo is a point.
type ldGeo struct {
	Type      string  `json:"@type"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
}

// ldPlace is a place with an address and a point.
type ldPlace struct {
	Type    string     `json:"@type"`
	Address *ldAddress `json:"address,omitempty"`
	Geo     *ldGeo     `json:"geo,omitempty"`
}

// ldAddress is a schema.org PostalAddress: the text as written in name,
// and the parts that parseAddress is sure of.
type ldAddress struct {
	Type            string `json:"@type"`
	Name            string `json:"name"`
	StreetAddress   string `json:"streetAddress,omitempty"`
	AddressLocality string `json:"addressLocality,omitempty"`
	AddressRegion   string `json:"addressRegion,omitempty"`
	PostalCode      string `json:"postalCode,omitempty"`
	AddressCountry  string `json:"addressCountry,omitempty"`
}

// addressLD is the PostalAddress of an address text, or nil for none.
func addressLD(text string) *ldAddress {
	if text == "" {
		return nil
	}
	a := parseAddress(text)
	return &ldAddress{Type: "PostalAddress", Name: text, StreetAddress: a.Street, AddressLocality: a.Locality,
		AddressRegion: a.Region, PostalCode: a.PostalCode, AddressCountry: a.CountryCode}
}

// murmurationsProfilePath is the Murmurations profile of a local
// enterprise, linked in its sameAs (see docs/MURMURATIONS.md).
func murmurationsProfilePath(handle string) string {
	return murmurations.EnterprisePathPrefix + handle + ".json"
}

// ldGeoCircle is the area within a radius (in metres) of a point.
type ldGeoCircle struct {
	Type        string `json:"@type"`
	GeoMidpoint ldGeo  `json:"geoMidpoint"`
	GeoRadius   string `json:"geoRadius"`
}

func geoOf(l directory.Location) *ldGeo {
	if !l.HasPoint() {
		return nil
	}
	return &ldGeo{Type: "GeoCoordinates", Latitude: *l.Lat, Longitude: *l.Lon}
}

// organizationLD describes enterprise e, found at pageURL, with its open
// listings.
func (s *server) organizationLD(e *directory.Enterprise, pageURL string, listings []*directory.Listing) ldOrganization {
	o := ldOrganization{
		Context: schemaContext, Type: "Organization", ID: pageURL, Name: e.Name,
		Description: plainText(e.SummaryHTML, 500), URL: pageURL, Email: e.Email, Telephone: e.Phone,
		Address: addressLD(e.Location.Address), Geo: geoOf(e.Location), KnowsLanguage: e.Languages,
		Keywords: strings.Join(append([]string{e.Kind.Label()}, e.Sectors...), ", "),
	}
	if e.Logo != "" {
		o.Logo = s.absURL(e.Logo)
	}
	o.SameAs = s.sameAs(e, pageURL)
	if e.Founded > 0 {
		o.FoundingDate = strconv.Itoa(e.Founded)
	}
	for _, l := range listings {
		item := s.listingLD(l, &ldRef{ID: pageURL})
		if l.Type == directory.Need {
			item.OfferedBy = nil
			o.Seeks = append(o.Seeks, item)
		} else {
			o.MakesOffer = append(o.MakesOffer, item)
		}
	}
	return o
}

// sameAs lists the other addresses of enterprise e: its website, its
// ActivityPub actor (on this instance the same URL as its page, pageURL;
// listed so that readers of sameAs alone find it) and its Murmurations
// profile.
func (s *server) sameAs(e *directory.Enterprise, pageURL string) []string {
	var same []string
	if e.Website != "" {
		same = append(same, e.Website)
	}
	same = append(same, pageURL)
	if p := murmurationsProfilePath(e.Handle); p != "" {
		same = append(same, s.url(p))
	}
	return same
}

// listingLD describes listing l; an offer names its enterprise org.
func (s *server) listingLD(l *directory.Listing, org *ldRef) ldListing {
	item := ldListing{
		Type: "Offer", ID: s.url(listingPath(l.ID)), Name: l.Title, Description: plainText(l.DescriptionHTML, 500),
		Category: l.Category.Label(), URL: s.url(listingPath(l.ID)), ValidThrough: l.ValidUntil, OfferedBy: org,
	}
	if l.Type == directory.Need {
		item.Type, item.OfferedBy = "Demand", nil
	}
	loc := l.Location
	if loc.Address != "" || loc.HasPoint() {
		item.AvailableAtOrFrom = &ldPlace{Type: "Place", Address: addressLD(loc.Address), Geo: geoOf(loc)}
	}
	if loc.HasPoint() && loc.RadiusKM != nil {
		item.AreaServed = ldGeoCircle{Type: "GeoCircle", GeoMidpoint: *geoOf(loc),
			GeoRadius: strconv.FormatFloat(*loc.RadiusKM*1000, 'f', 0, 64)}
	} else if loc.Address != "" {
		item.AreaServed = loc.Address
	}
	return item
}

// listingPageLD describes a listing and the enterprise e behind it (its
// address, point and sameAs too, so that a reader of the listing alone
// knows whom to contact): an offer points to the enterprise (offeredBy),
// the enterprise to a need (seeks). Without e, the enterprise node has
// its name only.
func (s *server) listingPageLD(l *directory.Listing, e *directory.Enterprise, orgURL string) ldGraph {
	org := ldOrganization{Type: "Organization", ID: orgURL, Name: l.EnterpriseName, URL: orgURL}
	if e != nil {
		org = s.organizationLD(e, orgURL, nil)
		org.Context = ""
	}
	item := s.listingLD(l, &ldRef{ID: orgURL})
	if l.Type == directory.Need {
		org.Seeks = []ldListing{{Type: "Demand", ID: item.ID, Name: item.Name}}
	}
	return ldGraph{Context: schemaContext, Graph: []any{item, org}}
}

// plainText turns sanitized HTML into text of at most n characters: tags
// dropped (block tags leave a space), entities decoded, white space
// collapsed.
func plainText(h string, n int) string {
	var b, tag strings.Builder
	inTag := false
	for _, r := range h {
		switch {
		case r == '<':
			inTag = true
			tag.Reset()
		case r == '>' && inTag:
			inTag = false
			if blockTags[tagName(tag.String())] {
				b.WriteByte(' ')
			}
		case inTag:
			tag.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	text := strings.Join(strings.Fields(html.UnescapeString(b.String())), " ")
	return truncate(text, n)
}

// blockTags are the elements that separate words.
var blockTags = map[string]bool{
	"p": true, "br": true, "li": true, "ul": true, "ol": true, "div": true, "blockquote": true, "pre": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "hr": true, "tr": true, "td": true, "th": true,
}

// tagName is the lowercase name of the element of a tag's inside text.
func tagName(inside string) string {
	name, _, _ := strings.Cut(strings.TrimPrefix(inside, "/"), " ")
	return strings.ToLower(strings.TrimSuffix(name, "/"))
}
