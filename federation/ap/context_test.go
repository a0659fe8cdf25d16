package ap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// asTerms are the ActivityStreams and security terms our documents use; the
// published contexts define them, so no inline definition is needed.
var asTerms = map[string]bool{
	"@context": true, "id": true, "type": true, "actor": true, "object": true, "to": true, "cc": true,
	"published": true, "updated": true, "attributedTo": true, "content": true, "source": true,
	"mediaType": true, "url": true, "name": true, "summary": true, "preferredUsername": true,
	"inbox": true, "outbox": true, "followers": true, "following": true, "endpoints": true,
	"sharedInbox": true, "icon": true, "location": true, "latitude": true, "longitude": true,
	"radius": true, "units": true, "attachment": true, "tag": true, "href": true, "publicKey": true,
	"owner": true, "publicKeyPem": true, "endTime": true, "deleted": true, "formerType": true,
	"first": true, "last": true, "next": true, "prev": true, "partOf": true, "totalItems": true,
	"orderedItems": true, "nameMap": true, "summaryMap": true, "contentMap": true,
	"Organization": true, "Group": true, "Application": true, "Service": true, "Note": true,
	"Create": true, "Update": true, "Delete": true, "Tombstone": true, "Announce": true,
	"Follow": true, "Accept": true, "Reject": true, "Undo": true, "OrderedCollection": true,
	"OrderedCollectionPage": true, "Place": true, "Image": true, "Object": true, "Link": true, "rel": true,
	"Offer": true, "target": true, "result": true, "Mention": true, "instrument": true,
}

// TestEveryTermIsDefined: every golden document defines in its @context
// exactly the extension terms it uses.
func TestEveryTermIsDefined(t *testing.T) {
	for name, doc := range goldenDocuments(t, "*.json") {
		used := map[string]bool{}
		collectTerms(doc, used)
		ctx := doc["@context"]
		var inline map[string]any
		if list, ok := ctx.([]any); ok {
			inline, _ = list[len(list)-1].(map[string]any)
		}
		for term := range used {
			if asTerms[term] {
				continue
			}
			if _, ok := inline[term]; !ok {
				t.Errorf("%s: %q is used but not defined in the @context", name, term)
			}
		}
		for term := range inline {
			if _, isPrefix := prefixes[term]; !isPrefix && !used[term] {
				t.Errorf("%s: %q is defined but not used", name, term)
			}
		}
	}
}

// goldenDocuments decodes the golden documents whose names match pattern,
// by file name; their bytes are what the builders return (TestGoldenDocuments).
func goldenDocuments(t *testing.T, pattern string) map[string]map[string]any {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "golden", pattern))
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden documents %s: %v", pattern, err)
	}
	docs := map[string]map[string]any{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]any
		if err := json.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs[filepath.Base(f)] = doc
	}
	return docs
}
