package web_test

import (
	"net/http"
	"slices"
	"testing"
)

func TestListingPage(t *testing.T) {
	e := newEnv(t)
	offer := e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Chair repair","category":"skills","description":"Any *wobbly* chair.","quantity":3,"unit":"chairs","valid_until":"2099-12-31"}`)
	need := e.createListing(`{"enterprise":"riverside","type":"need","title":"Ladders","category":"tools","location":{"address":"Chicago, IL"}}`)
	done := e.createListing(`{"enterprise":"riverside","type":"offer","title":"Old saws","category":"tools","status":"fulfilled"}`)

	t.Run("shows an offer with its enterprise and describes it as a schema.org Offer", func(t *testing.T) {
		page := e.page(t, "/listings/"+idText(offer.ID), http.StatusOK)
		contains(t, page, "<title>Offer: Chair repair · Cooperation Testville</title>", "<h1 id=\"title\">Chair repair</h1>",
			"<em>wobbly</em>", "3 chairs", "2099-12-31", `<a href="/enterprises/shakyhands">Shaky Hands Carpentry</a>`,
			`<link rel="canonical" href="`+e.srv.URL+`/listings/`+idText(offer.ID)+`">`, `<meta property="og:type" content="article">`)
		ld := jsonLD(t, page)
		graph, _ := ld["@graph"].([]any)
		if ld["@context"] != "https://schema.org" || len(graph) != 2 {
			t.Fatalf("JSON-LD %v", ld)
		}
		item, org := graph[0].(map[string]any), graph[1].(map[string]any)
		orgID := e.srv.URL + "/enterprises/shakyhands"
		if item["@type"] != "Offer" || item["name"] != "Chair repair" || item["validThrough"] != "2099-12-31" || item["category"] != "Skills" {
			t.Errorf("offer %v", item)
		}
		if by, _ := item["offeredBy"].(map[string]any); by["@id"] != orgID {
			t.Errorf("offeredBy %v", item["offeredBy"])
		}
		if org["@type"] != "Organization" || org["@id"] != orgID || org["name"] != "Shaky Hands Carpentry" || org["@context"] != nil {
			t.Errorf("organization %v", org)
		}
		if a, _ := org["address"].(map[string]any); a["@type"] != "PostalAddress" || a["addressLocality"] != "Milwaukee" {
			t.Errorf("the offering enterprise's address %v", org["address"])
		}
		if same, _ := org["sameAs"].([]any); !slices.Contains(same, any(orgID)) {
			t.Errorf("the offering enterprise's sameAs %v", org["sameAs"])
		}
	})
	t.Run("describes a need as a Demand that its enterprise seeks", func(t *testing.T) {
		graph := jsonLD(t, e.page(t, "/listings/"+idText(need.ID), http.StatusOK))["@graph"].([]any)
		item, org := graph[0].(map[string]any), graph[1].(map[string]any)
		if item["@type"] != "Demand" || item["offeredBy"] != nil || item["areaServed"] != "Chicago, IL" {
			t.Errorf("demand %v", item)
		}
		place, _ := item["availableAtOrFrom"].(map[string]any)
		if a, _ := place["address"].(map[string]any); place["@type"] != "Place" || a["@type"] != "PostalAddress" ||
			a["name"] != "Chicago, IL" || a["addressLocality"] != "Chicago" || a["addressRegion"] != "IL" {
			t.Errorf("availableAtOrFrom %v", item["availableAtOrFrom"])
		}
		seeks, _ := org["seeks"].([]any)
		if len(seeks) != 1 || seeks[0].(map[string]any)["@id"] != item["@id"] {
			t.Errorf("seeks %v", org["seeks"])
		}
	})
	t.Run("says when a listing is closed", func(t *testing.T) {
		page := e.page(t, "/listings/"+idText(done.ID), http.StatusOK)
		contains(t, page, "This offer has been fulfilled.", `name="robots" content="noindex"`)
	})
	t.Run("404 page for an unknown or malformed id", func(t *testing.T) {
		e.page(t, "/listings/9999", http.StatusNotFound)
		e.page(t, "/listings/abc", http.StatusNotFound)
	})
}
