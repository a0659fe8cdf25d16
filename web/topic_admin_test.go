package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// topicForm is a valid new topic: drills offered near Milwaukee.
func topicForm(handle string) url.Values {
	return url.Values{"handle": {handle}, "name": {"Drills near Milwaukee"}, "summary": {"Every drill nearby"},
		"q": {"drill"}, "type": {"offer"}, "category": {"tools"}, "near": {"43.04,-87.91"}, "within_km": {"30"}}
}

func TestAdminTopics(t *testing.T) {
	e := newEnv(t)
	sys := directory.AsSystem(context.Background())
	for _, l := range []*directory.Listing{
		{Type: directory.Offer, Title: "Cordless drill", Category: "tools"},
		{Type: directory.Offer, Title: "Sanding block", Category: "tools"},
		{Type: directory.Need, Title: "A drill for a weekend", Category: "tools"},
	} {
		if err := e.svc.CreateListing(sys, "shakyhands", l); err != nil {
			t.Fatal(err)
		}
	}
	ad := e.browser().signIn("admin@test.example")
	const path = "/admin/topics"

	t.Run("an admin saves a search as a topic, listed on the Follow a topic page", func(t *testing.T) {
		r := ad.post(path, topicForm("drills-mke"))
		ad.follow(r, path).want(t, http.StatusOK).has(t, "The topic is saved", `href="/topics/drills-mke"`)
		e.get("/topics").want(t, http.StatusOK).has(t, "Follow a topic", "Drills near Milwaukee", "@drills-mke", "/topics/drills-mke/feed.atom")
	})
	t.Run("its page shows what the search finds, and a follow box", func(t *testing.T) {
		e.get("/topics/drills-mke").want(t, http.StatusOK).
			has(t, "Cordless drill", "@drills-mke@", "Follow on the fediverse").
			lacks(t, "Sanding block", "A drill for a weekend")
	})
	t.Run("its feed and GeoJSON hold the same listings", func(t *testing.T) {
		feed := e.get("/topics/drills-mke/feed.atom").want(t, http.StatusOK)
		if !strings.Contains(string(feed.Body), "Cordless drill") || strings.Contains(string(feed.Body), "Sanding block") {
			t.Fatalf("feed: %s", feed.Body)
		}
		geo := e.get("/topics/drills-mke?format=geojson").want(t, http.StatusOK)
		if ct := geo.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/geo+json") {
			t.Fatalf("content type %q", ct)
		}
		if !strings.Contains(string(geo.Body), "Cordless drill") || strings.Contains(string(geo.Body), "Sanding block") {
			t.Fatalf("geojson: %s", geo.Body)
		}
	})

	long := strings.Repeat("drill ", 50)
	for _, tt := range []struct {
		name, field, value, message string
	}{
		{"a handle with spaces", "handle", "Bad Handle!", "lowercase letters"},
		{"a reserved handle", "handle", "needs", "reserved"},
		{"an enterprise's handle", "handle", "shakyhands", "already taken"},
		{"the handle of a topic", "handle", "drills-mke", "already taken"},
		{"no name", "name", "", "required"},
		{"huge words", "q", long, "at most 200 characters"},
		{"a radius that is no number", "within_km", "far", "distance in kilometres"},
		{"a radius of zero", "within_km", "0", "more than 0"},
		{"a radius past the Earth", "within_km", "99999", "at most 20000"},
		{"a negative radius", "within_km", "-5", "more than 0"},
		{"a place that is no place", "near", "!!!", "place name"},
		{"an unknown type", "type", "gift", "need or offer"},
		{"an unknown category", "category", "spaceships", "must be one of"},
	} {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			before, _ := e.svc.SavedSearches(context.Background())
			f := topicForm("new-topic")
			f.Set(tt.field, tt.value)
			r := ad.post(path, f)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusConflict && r.Status != http.StatusBadRequest {
				t.Fatalf("status %d", r.Status)
			}
			r.has(t, "There is a problem", tt.message)
			after, _ := e.svc.SavedSearches(context.Background())
			if len(after) != len(before) {
				t.Fatalf("a refused topic was stored: %d topics, then %d", len(before), len(after))
			}
		})
	}
	t.Run("refuses a radius without a place", func(t *testing.T) {
		f := topicForm("new-topic")
		f.Del("near")
		ad.post(path, f).has(t, "needs a place")
	})

	t.Run("no enterprise may take a topic's handle", func(t *testing.T) {
		err := e.svc.CreateEnterprise(sys, &directory.Enterprise{Handle: "drills-mke", Name: "Squatter", Kind: directory.KindWorkerCoop})
		if directory.ErrorCode(err) != directory.ECONFLICT {
			t.Fatalf("an enterprise took a topic's handle: %v", err)
		}
	})

	t.Run("an edit keeps the handle and changes the search", func(t *testing.T) {
		f := topicForm("ignored")
		f.Set("name", "Sanding near Milwaukee")
		f.Set("q", "sanding")
		r := ad.post(path+"/drills-mke", f)
		ad.follow(r, path).want(t, http.StatusOK).has(t, "Sanding near Milwaukee")
		e.get("/topics/drills-mke").want(t, http.StatusOK).has(t, "Sanding block").lacks(t, "Cordless drill")
		if _, err := e.svc.SavedSearch(context.Background(), "ignored"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("the edit changed the handle: %v", err)
		}
	})

	t.Run("an editor may not save topics until the settings allow it", func(t *testing.T) {
		ed := e.browser().signIn("editor@test.example")
		ed.get(path).want(t, http.StatusForbidden)
		ed.post(path, topicForm("editor-topic")).want(t, http.StatusForbidden)
		ad.post("/admin/settings", url.Values{"network_name": {"Cooperation Test"}, "editors_save_searches": {"yes"}})
		ed.get(path).want(t, http.StatusOK)
		r := ed.post(path, topicForm("editor-topic"))
		ed.follow(r, path).want(t, http.StatusOK).has(t, "The topic is saved")
	})

	t.Run("a deleted topic is gone, and its handle stays taken", func(t *testing.T) {
		r := ad.post(path+"/drills-mke/delete", nil)
		ad.follow(r, path).want(t, http.StatusOK).has(t, "The topic is deleted")
		e.get("/topics/drills-mke").want(t, http.StatusNotFound)
		e.get("/topics").want(t, http.StatusOK).lacks(t, "@drills-mke")
		ad.post(path, topicForm("drills-mke")).want(t, http.StatusConflict).has(t, "already taken")
	})
}
