package web_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"testing"
)

// jsonLD returns the JSON-LD of a page, decoded.
func jsonLD(t *testing.T, page string) map[string]any {
	t.Helper()
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no JSON-LD in:\n%s", page)
	}
	var v map[string]any
	if err := json.Unmarshal([]byte(m[1]), &v); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	return v
}

func TestEnterprisePage(t *testing.T) {
	e := newEnv(t)
	offer := e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Chair repair","category":"skills","description":"Any *wobbly* chair.","location":{"address":"Milwaukee, WI","lat":43.04,"lon":-87.91,"radius_km":15}}`)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Walnut","category":"goods","valid_until":"2099-12-31"}`)
	e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Old need","category":"goods","status":"withdrawn"}`)
	e.send(http.MethodPost, "/api/v1/enterprises/shakyhands/announcements", e.editor, `{"content":"Workshop **Saturday**"}`).want(t, http.StatusCreated)
	e.send(http.MethodPatch, "/api/v1/enterprises/shakyhands", e.admin, `{"logo":"https://shaky.example/logo.png","phone":"+1 414 555 0100"}`).want(t, http.StatusOK)

	page := e.page(t, "/enterprises/shakyhands", http.StatusOK)
	t.Run("shows profile, contact, location, open listings and announcements", func(t *testing.T) {
		contains(t, page, "<title>Shaky Hands Carpentry · Cooperation Testville</title>",
			"<strong>sturdy</strong>", `href="https://shaky.example"`, `href="mailto:hello@shaky.example"`, `href="tel:&#43;1%20414%20555%200100"`,
			`<img class="logo" src="https://shaky.example/logo.png"`, "What we offer", "Chair repair", "<em>wobbly</em>", `href="/listings/`+idText(offer.ID)+`"`,
			"What we need", "Walnut", "Workshop <strong>Saturday</strong>", "On the map, with its neighbours")
		lacks(t, page, "Old need")
	})
	t.Run("has a canonical address, OpenGraph tags with the logo, and its feeds", func(t *testing.T) {
		contains(t, page, `<link rel="canonical" href="`+e.srv.URL+`/enterprises/shakyhands">`,
			`<meta property="og:title" content="Shaky Hands Carpentry">`, `<meta property="og:type" content="profile">`,
			`<meta property="og:image" content="https://shaky.example/logo.png">`, `<meta property="og:site_name" content="Cooperation Testville">`,
			`<meta name="description" content="We build sturdy things.">`,
			`<link rel="alternate" type="application/atom+xml" title="Shaky Hands Carpentry: announcements" href="/enterprises/shakyhands/feeds/announcements.atom">`,
			`href="/enterprises/shakyhands/feeds/offers.atom"`)
	})
	t.Run("describes the enterprise and its listings in schema.org JSON-LD", func(t *testing.T) {
		ld := jsonLD(t, page)
		self := e.srv.URL + "/enterprises/shakyhands"
		if ld["@context"] != "https://schema.org" || ld["@type"] != "Organization" || ld["name"] != "Shaky Hands Carpentry" ||
			ld["url"] != self || ld["email"] != "hello@shaky.example" || ld["telephone"] != "+1 414 555 0100" ||
			ld["logo"] != "https://shaky.example/logo.png" {
			t.Fatalf("organization %v", ld)
		}
		if a, _ := ld["address"].(map[string]any); a["@type"] != "PostalAddress" || a["name"] != "Milwaukee, WI" ||
			a["addressLocality"] != "Milwaukee" || a["addressRegion"] != "WI" || a["streetAddress"] != nil || a["addressCountry"] != nil {
			t.Errorf("address %v", ld["address"])
		}
		if same, _ := ld["sameAs"].([]any); len(same) != 3 || same[0] != "https://shaky.example" || same[1] != self ||
			same[2] != e.srv.URL+"/murmurations/enterprises/shakyhands.json" {
			t.Errorf("sameAs %v, want the website, the actor and the Murmurations profile", ld["sameAs"])
		}
		if geo, _ := ld["geo"].(map[string]any); geo["@type"] != "GeoCoordinates" || geo["latitude"] != 43.04 {
			t.Errorf("geo %v", ld["geo"])
		}
		offers, _ := ld["makesOffer"].([]any)
		seeks, _ := ld["seeks"].([]any)
		if len(offers) != 1 || len(seeks) != 1 {
			t.Fatalf("makesOffer %v, seeks %v", offers, seeks)
		}
		o := offers[0].(map[string]any)
		if o["@type"] != "Offer" || o["name"] != "Chair repair" || o["category"] != "Skills" || o["description"] != "Any wobbly chair." {
			t.Errorf("offer %v", o)
		}
		if by, _ := o["offeredBy"].(map[string]any); by["@id"] != self {
			t.Errorf("offeredBy %v", o["offeredBy"])
		}
		if area, _ := o["areaServed"].(map[string]any); area["@type"] != "GeoCircle" || area["geoRadius"] != "15000" {
			t.Errorf("areaServed %v", o["areaServed"])
		}
		if d := seeks[0].(map[string]any); d["@type"] != "Demand" || d["validThrough"] != "2099-12-31" {
			t.Errorf("demand %v", d)
		}
	})
	t.Run("404 page for an unknown enterprise", func(t *testing.T) {
		e.page(t, "/enterprises/nobody", http.StatusNotFound)
	})
}

func TestEnterprisePagePostalAddress(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, address string
		want          map[string]any
	}{
		{"reads the parts of a European address", "Hauptstraße 5, 10115 Berlin, Deutschland", map[string]any{
			"streetAddress": "Hauptstraße 5", "postalCode": "10115", "addressLocality": "Berlin", "addressCountry": "DE"}},
		{"reads a US street address", "1 Main St, Milwaukee, WI 53202", map[string]any{
			"streetAddress": "1 Main St", "addressLocality": "Milwaukee", "addressRegion": "WI", "postalCode": "53202", "addressCountry": "US"}},
		{"keeps an address it cannot read as text only", "Behind the old mill; ask for Jo", map[string]any{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.send(http.MethodPatch, "/api/v1/enterprises/riverside", e.admin, `{"location":{"address":"`+tc.address+`"}}`).want(t, http.StatusOK)
			a, _ := jsonLD(t, e.page(t, "/enterprises/riverside", http.StatusOK))["address"].(map[string]any)
			tc.want["@type"], tc.want["name"] = "PostalAddress", tc.address
			if len(a) != len(tc.want) {
				t.Errorf("address %v, want %v", a, tc.want)
			}
			for k, v := range tc.want {
				if a[k] != v {
					t.Errorf("%s = %v, want %v", k, a[k], v)
				}
			}
		})
	}
	t.Run("lists the actor and the Murmurations profile in sameAs without a website", func(t *testing.T) {
		same, _ := jsonLD(t, e.page(t, "/enterprises/riverside", http.StatusOK))["sameAs"].([]any)
		if len(same) != 2 || same[0] != e.srv.URL+"/enterprises/riverside" || same[1] != e.srv.URL+"/murmurations/enterprises/riverside.json" {
			t.Errorf("sameAs %v", same)
		}
	})
}
