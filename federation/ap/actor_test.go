package ap

import "testing"

// TestActorPagesDiffer: every actor has a profile url of its own, since
// GoToSocial keeps one account per url and refused the second actor (the
// instance actor after the network, both at the home page).
func TestActorPagesDiffer(t *testing.T) {
	docs := goldenDocuments(t, "actor-*.json")
	if len(docs) < 5 {
		t.Fatalf("%d golden actors, want 5", len(docs))
	}
	seen := map[string]string{}
	for name, a := range docs {
		id, url := str(a["id"]), str(a["url"])
		if url == "" {
			t.Fatalf("%s has no url", name)
		}
		if other, dup := seen[url]; dup && other != id {
			t.Errorf("%s and %s share the url %s", other, id, url)
		}
		seen[url] = id
	}
}
