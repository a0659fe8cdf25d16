package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/directory/murmurations/murmurationstest"
)

// profile GETs a Murmurations profile, checks that it is JSON and valid
// against the schema it should link, and returns it decoded.
func (e *env) profile(t *testing.T, path, schema string) map[string]any {
	t.Helper()
	r := e.get(path).want(t, 200)
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	if err := murmurationstest.Validate(schema, r.Body); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, r.Body)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(m["linked_schemas"]); got != "["+schema+"]" {
		t.Errorf("%s: linked_schemas %s", path, got)
	}
	return m
}

func TestMurmurationsProfilesServed(t *testing.T) {
	e := newDemoEnv(t)
	ctx := directory.AsSystem(context.Background())
	// Edge cases beside the demo data: no website, no location, unicode.
	for _, ent := range []*directory.Enterprise{
		{Handle: "bare", Name: "Bare", Kind: directory.KindOther},
		{Handle: "uni.code", Name: "Größe — 協同組合 🌱", Kind: directory.KindWorkerCoop, Sectors: []string{"café"},
			Summary: "Ünïcödé", Website: "https://größe.example/", Email: "info@example.org"},
	} {
		if err := e.svc.CreateEnterprise(ctx, ent); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.svc.CreateListing(ctx, "uni.code", &directory.Listing{Type: directory.Need, Title: "Ärger 🌱", Category: "money"}); err != nil {
		t.Fatal(err)
	}
	ents, err := e.svc.SearchEnterprises(ctx, directory.EnterpriseQuery{Origin: directory.OriginLocal, Page: directory.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ents.Items) < 7 {
		t.Fatalf("%d enterprises", len(ents.Items))
	}
	for _, it := range ents.Items {
		path := murmurations.EnterprisePathPrefix + it.Handle + ".json"
		p := e.profile(t, path, murmurations.OrganizationsSchema)
		if p["name"] != it.Name {
			t.Errorf("%s: name %v", path, p["name"])
		}
		page := e.page(t, "/enterprises/"+it.Handle, 200)
		contains(t, page, `<link rel="alternate" type="application/json"`, `href="`+path+`"`)
	}
	ls, err := e.svc.SearchListings(ctx, directory.ListingQuery{Origin: directory.OriginLocal, Status: directory.StatusOpen, Page: directory.Page{PerPage: 100}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Items) < 9 {
		t.Fatalf("%d listings", len(ls.Items))
	}
	for _, it := range ls.Items {
		path := fmt.Sprintf("%s%d.json", murmurations.ListingPathPrefix, it.ID)
		p := e.profile(t, path, murmurations.OffersWantsSchema)
		want := map[directory.ListingType]string{directory.Need: "want", directory.Offer: "offer"}[it.Type]
		if p["exchange_type"] != want || p["title"] != it.Title {
			t.Errorf("%s: %v %v", path, p["exchange_type"], p["title"])
		}
		contains(t, e.page(t, fmt.Sprintf("/listings/%d", it.ID), 200), `href="`+path+`"`)
	}

	t.Run("a closed listing has no profile", func(t *testing.T) {
		id := ls.Items[0].ID
		st := directory.StatusFulfilled
		if _, err := e.svc.UpdateListing(ctx, id, directory.ListingUpdate{Status: &st}); err != nil {
			t.Fatal(err)
		}
		e.get(fmt.Sprintf("%s%d.json", murmurations.ListingPathPrefix, id)).want(t, 404)
		if page := e.page(t, fmt.Sprintf("/listings/%d", id), 200); strings.Contains(page, murmurations.ListingPathPrefix) {
			t.Error("the page of a closed listing links a profile")
		}
	})
	t.Run("a partner's enterprise has no profile here", func(t *testing.T) {
		e.seedRemote("partnerco", "partner.example")
		e.get(murmurations.EnterprisePathPrefix+"partnerco.json").want(t, 404)
	})
	t.Run("unknown and malformed addresses are not found", func(t *testing.T) {
		for _, p := range []string{murmurations.EnterprisePathPrefix + "nobody.json", murmurations.EnterprisePathPrefix + "bare",
			murmurations.ListingPathPrefix + "x.json", murmurations.ListingPathPrefix + "-1.json", murmurations.ListingPathPrefix + "999999.json"} {
			e.get(p).want(t, 404)
		}
	})
}
