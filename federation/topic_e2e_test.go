package federation_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// A topic (saved search) on A is followed by a server of another kind; a
// partner B posts a matching offer: A's topic announces it to the
// follower, as a boost of B's Note. A listing the search does not find is
// not announced; a local matching listing is; a deleted topic sends Delete
// and announces nothing more.

func TestTopicsSQLite(t *testing.T) {
	testTopics(t, func() string { return tempDB(t) })
}

func TestTopicsPostgres(t *testing.T) {
	u := postgresURL(t)
	testTopics(t, func() string { return freshPostgres(t, u) })
}

// drillsTopic is a saved search of drills offered within 200 km of
// Milwaukee (Chicago is about 130 km away).
func drillsTopic(handle string) *directory.SavedSearch {
	return &directory.SavedSearch{Handle: handle, Name: "Drills near Milwaukee", Text: "drill", Type: directory.Offer,
		Categories: []directory.Category{"tools"}, NearLabel: "Milwaukee",
		Geo: &directory.Geo{Near: directory.Point{Lat: 43.0389, Lon: -87.9065}, KM: 200}}
}

// announced returns the objects of the Announces by actor that m received.
func (m *remoteServer) announced(actor string) []string {
	var out []string
	for _, a := range m.received("Announce") {
		if a["actor"] == actor {
			if s, ok := a["object"].(string); ok {
				out = append(out, s)
			}
		}
	}
	return out
}

func testTopics(t *testing.T, newDB func() string) {
	testTopicsOn(t, startInstance(t, "127.0.0.1:0", newDB()), startInstance(t, "127.0.0.1:0", newDB()))
}

// TestTopicsTLS runs the topic's story between instances over HTTPS at
// localhost, as the interop tests do.
func TestTopicsTLS(t *testing.T) { testTopicsOn(t, startTLSInstance(t), startTLSInstance(t)) }

func testTopicsOn(t *testing.T, a, b *coop) {
	a.addEnterprise("shakyhands", "Shaky Hands", directory.KindWorkerCoop, milwaukee)
	b.addEnterprise("chitools", "Chicago Tool Library", directory.KindToolLibrary, chicago)
	b.addListing("chitools", directory.Offer, "Old drill from before", "tools")
	partnerWith(t, a, b, directory.Scope{})
	if err := a.Service().CreateSavedSearch(sys, drillsTopic("drills")); err != nil {
		t.Fatal(err)
	}
	topic := a.URLOf("/topics/drills")
	m := newRemoteServer(t)

	t.Run("WebFinger finds the topic, whose actor is a Service", func(t *testing.T) {
		resp, err := http.Get(a.URLOf("/.well-known/webfinger?" + url.Values{"resource": {"acct:" + a.Account("drills")}}.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		var jrd struct{ Links []struct{ Rel, Href string } }
		err = json.NewDecoder(resp.Body).Decode(&jrd)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || len(jrd.Links) == 0 || jrd.Links[0].Href != topic {
			t.Fatalf("WebFinger: %d %v %+v", resp.StatusCode, err, jrd)
		}
		req, _ := http.NewRequest("GET", topic, nil)
		req.Header.Set("Accept", "application/activity+json")
		resp, err = http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		err = json.NewDecoder(resp.Body).Decode(&doc)
		resp.Body.Close()
		if err != nil || doc["type"] != "Service" || doc["preferredUsername"] != "drills" || doc["inbox"] != topic+"/inbox" {
			t.Fatalf("actor: %v %v", err, doc)
		}
	})

	t.Run("a follow is accepted", func(t *testing.T) {
		m.follow(a, "/topics/drills", 1)
		eventually(t, "the Accept", func() bool { return len(m.received("Accept")) == 1 })
		eventually(t, "the topic has one follower", func() bool { return collectionTotal(t, topic+"/followers") == 1 })
	})

	t.Run("an Undo drops the follower, and a new Follow brings it back", func(t *testing.T) {
		first := m.srv.URL + "/follows/1"
		undo := map[string]any{"id": first + "/undo", "type": "Undo", "actor": m.actor(),
			"object": map[string]any{"id": first, "type": "Follow", "actor": m.actor(), "object": topic}}
		if st := m.send(topic+"/inbox", undo); st != http.StatusAccepted {
			t.Fatalf("undo: %d", st)
		}
		eventually(t, "the topic has no follower", func() bool { return collectionTotal(t, topic+"/followers") == 0 })
		m.follow(a, "/topics/drills", 2)
		eventually(t, "the topic has its follower again", func() bool { return collectionTotal(t, topic+"/followers") == 1 })
	})

	bHost := b.Host()
	t.Run("a partner's matching offer is announced, what the search does not find is not", func(t *testing.T) {
		b.addListing("chitools", directory.Offer, "Sanding block", "tools")
		b.addListing("chitools", directory.Need, "A drill for the weekend", "tools")
		drill := b.addListing("chitools", directory.Offer, "Cordless drill", "tools")
		want := b.URLOf(fmt.Sprintf("/listings/%d/note", drill))
		eventually(t, "the topic announced B's drill", func() bool { return slices.Contains(m.announced(topic), want) })
		eventually(t, "A has B's three new listings", func() bool { return len(a.openListings(bHost)) == 4 })
		published(t, a)
		settled(t, a)
		if got := m.announced(topic); len(got) != 1 {
			t.Fatalf("the topic announced %q, want only B's drill", got)
		}
	})

	t.Run("a local matching offer is announced too", func(t *testing.T) {
		id := a.addListing("shakyhands", directory.Offer, "Drill press", "tools")
		want := a.URLOf(fmt.Sprintf("/listings/%d/note", id))
		eventually(t, "the topic announced A's drill press", func() bool { return slices.Contains(m.announced(topic), want) })
	})

	t.Run("a deleted topic sends Delete and announces no more", func(t *testing.T) {
		if err := a.Service().DeleteSavedSearch(sys, "drills"); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the Delete of the topic", func() bool {
			for _, d := range m.received("Delete") {
				if d["actor"] == topic {
					return true
				}
			}
			return false
		})
		before := len(m.announced(topic))
		b.addListing("chitools", directory.Offer, "Hammer drill", "tools")
		eventually(t, "A has B's hammer drill", func() bool { return slices.Contains(a.openListings(bHost), "Hammer drill") })
		published(t, a)
		settled(t, a)
		if got := m.announced(topic); len(got) != before {
			t.Fatalf("the deleted topic announced %q", got[before:])
		}
		for _, c := range []struct {
			url, accept string
			want        int
		}{
			{topic, "application/activity+json", http.StatusGone},
			{topic + "/followers", "application/activity+json", http.StatusNotFound},
			{a.URLOf("/.well-known/webfinger?" + url.Values{"resource": {"acct:" + a.Account("drills")}}.Encode()), "", http.StatusNotFound},
		} {
			req, _ := http.NewRequest("GET", c.url, nil)
			req.Header.Set("Accept", c.accept)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != c.want {
				t.Errorf("GET %s after the deletion: %d, want %d", c.url, resp.StatusCode, c.want)
			}
		}
	})
}
