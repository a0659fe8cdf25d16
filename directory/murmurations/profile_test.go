package murmurations_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/directory/murmurations/murmurationstest"
)

var site = murmurations.Site{Abs: func(p string) string { return "https://coop.example" + p }}

func ptr[T any](v T) *T { return &v }

// edgeEnterprises are enterprises at the edges of what the schemas allow:
// nothing optional, unicode everywhere, a logo on this instance.
func edgeEnterprises() []*directory.Enterprise {
	return []*directory.Enterprise{
		{Handle: "bare", Name: "Bare", Kind: directory.KindOther},
		{Handle: "unicode", Name: "Kooperative Größe — 協同組合 🌱", Kind: directory.KindWorkerCoop,
			Sectors: []string{"café", "Café", "ökologie"}, Summary: "Ünïcödé *Markdown*",
			Location: directory.Location{Address: "Straße 1, Zürich"}, Email: "ö@example.org"},
		{Handle: "full", Name: "Full", Kind: directory.KindHousingCoop, Sectors: []string{"housing"},
			Website: "https://full.example/", Email: "hi@full.example", Phone: "+1 414 555 0100",
			Location: directory.Location{Address: "Milwaukee", Lat: ptr(-90.0), Lon: ptr(180.0), RadiusKM: ptr(5000.0)},
			Founded:  1901, Logo: "/media/3"},
	}
}

func TestEnterpriseProfilesValidate(t *testing.T) {
	var all []*directory.Enterprise
	for _, e := range demo.Entries() {
		all = append(all, e.Enterprise)
	}
	for _, e := range append(all, edgeEnterprises()...) {
		t.Run(e.Handle, func(t *testing.T) {
			body, err := json.Marshal(murmurations.EnterpriseProfile(site, e))
			if err != nil {
				t.Fatal(err)
			}
			if err := murmurationstest.Validate(murmurations.OrganizationsSchema, body); err != nil {
				t.Fatalf("%s\n%s", err, body)
			}
		})
	}
}

func TestListingProfilesValidate(t *testing.T) {
	owner := &directory.Enterprise{Handle: "x", Name: "X", Kind: directory.KindOther}
	var all []*directory.Listing
	for _, e := range demo.Entries() {
		all = append(all, e.Listings...)
	}
	all = append(all,
		&directory.Listing{ID: 7, Type: directory.Need, Title: "Ünïcödé 🌱 need", Category: "money"},
		&directory.Listing{ID: 8, Type: directory.Offer, Title: "Far", Category: "tools", ValidUntil: "2030-01-31",
			Location: directory.Location{Lat: ptr(1.5), Lon: ptr(2.5), RadiusKM: ptr(300.0)}})
	for i, l := range all {
		l.ID = int64(i + 1)
		t.Run(l.Title, func(t *testing.T) {
			body, err := json.Marshal(murmurations.ListingProfile(site, l, owner))
			if err != nil {
				t.Fatal(err)
			}
			if err := murmurationstest.Validate(murmurations.OffersWantsSchema, body); err != nil {
				t.Fatalf("%s\n%s", err, body)
			}
		})
	}
}

func TestValidatorRejectsBadProfiles(t *testing.T) {
	for name, body := range map[string]string{
		"no name":          `{"linked_schemas":["organizations_schema-v1.0.0"]}`,
		"bad url":          `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"x","primary_url":"ftp://x"}`,
		"latitude too big": `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"x","geolocation":{"lat":91,"lon":0}}`,
		"empty tags":       `{"linked_schemas":["organizations_schema-v1.0.0"],"name":"x","tags":[]}`,
	} {
		if err := murmurationstest.Validate(murmurations.OrganizationsSchema, []byte(body)); err == nil {
			t.Errorf("%s: valid, want invalid", name)
		}
	}
	if err := murmurationstest.Validate(murmurations.OffersWantsSchema, []byte(`{"linked_schemas":["offers_wants_schema-v0.1.0"],"exchange_type":"swap"}`)); err == nil || !strings.Contains(err.Error(), "exchange_type") {
		t.Errorf("offer with a bad exchange type: %v", err)
	}
}

func TestEnterpriseProfileFields(t *testing.T) {
	e := edgeEnterprises()[2]
	p := murmurations.EnterpriseProfile(site, e)
	if p.PrimaryURL != "https://full.example/" || p.Image != "https://coop.example/media/3" ||
		p.Geolocation == nil || p.Geolocation.Lat != -90 || p.StartsAt != -2177452800 {
		t.Errorf("profile = %+v", p)
	}
	bare := murmurations.EnterpriseProfile(site, edgeEnterprises()[0])
	if bare.PrimaryURL != "https://coop.example/enterprises/bare" || bare.Geolocation != nil || bare.ContactDetails != nil {
		t.Errorf("bare profile = %+v", bare)
	}
}
