package murmurations

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
)

// orgProfile is what an import reads of an organizations_schema-v1.0.0
// profile; other fields are ignored.
type orgProfile struct {
	LinkedSchemas []string `json:"linked_schemas"`
	Name          string   `json:"name"`
	PrimaryURL    string   `json:"primary_url"`
	Tags          []string `json:"tags"`
	Description   string   `json:"description"`
	FullAddress   string   `json:"full_address"`
	Geolocation   *struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
	Image          string `json:"image"`
	StartsAt       int64  `json:"starts_at"`
	Telephone      string `json:"telephone"`
	ContactDetails struct {
		Email string `json:"email"`
	} `json:"contact_details"`
}

// EnterpriseFromProfile reads an organizations_schema-v1.0.0 profile
// (the body served at profileURL) as an entry of origin, updated at
// updated (the node's last_updated). It refuses a body that is not UTF-8
// JSON, a profile that does not link the schema, and one whose entry
// fails the directory's validation; the error says why.
func EnterpriseFromProfile(body []byte, profileURL, origin string, updated, now time.Time) (*directory.Enterprise, error) {
	if !utf8.Valid(body) {
		return nil, errors.New("profile is not UTF-8")
	}
	var p orgProfile
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile is not a JSON object of the schema: %v", err)
	}
	if dec.More() {
		return nil, errors.New("profile has data after its JSON object")
	}
	if !slices.Contains(p.LinkedSchemas, OrganizationsSchema) {
		return nil, fmt.Errorf("profile does not link %s", OrganizationsSchema)
	}
	e := &directory.Enterprise{
		Handle: importHandle(p.Name, profileURL), Name: p.Name, Summary: truncate(strings.TrimSpace(p.Description), 5000),
		Website: webAddress(p.PrimaryURL), Email: p.ContactDetails.Email, Phone: p.Telephone,
		Location: directory.Location{Address: truncate(strings.TrimSpace(p.FullAddress), 300)},
		Origin:   origin, RemoteID: profileURL, CreatedAt: updated, UpdatedAt: updated,
		Languages: []string{},
	}
	e.Kind, e.Sectors = kindAndSectors(p.Tags)
	if g := p.Geolocation; g != nil {
		e.Location.Lat, e.Location.Lon = &g.Lat, &g.Lon
	}
	if strings.HasPrefix(p.Image, "https://") || strings.HasPrefix(p.Image, "http://") {
		e.Logo = p.Image
	}
	if p.StartsAt > 0 {
		e.Founded = time.Unix(p.StartsAt, 0).UTC().Year()
	}
	e.RemoteURL = e.Website
	if e.RemoteURL == "" {
		e.RemoteURL = profileURL
	}
	if err := e.Validate(now); err != nil {
		return nil, err
	}
	return e, nil
}

// webAddress reads a primary_url, which profiles often write without a
// scheme ("example.org"), as an address; "" when it is none.
func webAddress(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
		return ""
	}
	return s
}

// kindAndSectors takes the first tag naming one of our kinds as the kind
// (other when none does) and the other tags, lower case, as sectors (at
// most 20, each at most 40 characters).
func kindAndSectors(tags []string) (directory.Kind, []string) {
	kind := directory.KindOther
	found := false
	var sectors []string
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if k, ok := kindOf(t); ok && !found {
			kind, found = k, true
			continue
		}
		t = strings.ToLower(t)
		if t != "" && utf8.RuneCountInString(t) <= 40 && len(sectors) < 20 && !slices.Contains(sectors, t) {
			sectors = append(sectors, t)
		}
	}
	return kind, sectors
}

func kindOf(tag string) (directory.Kind, bool) {
	for _, k := range directory.Kinds {
		if strings.EqualFold(tag, string(k)) || strings.EqualFold(tag, k.Label()) {
			return k, true
		}
	}
	return "", false
}

// importHandle makes the handle of an imported entry: a slug of its name
// and a part of its node id, so that it is unique within the index's
// origin and the same on every run.
func importHandle(name, profileURL string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case b.Len() >= 20:
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	slug := strings.Trim(b.String(), "-")
	if slug == "" {
		slug = "node"
	}
	return slug + "-" + NodeID(profileURL)[:8]
}
