package ap

import (
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
	"orderedItems": true,
	"Organization": true, "Group": true, "Application": true, "Service": true, "Note": true,
	"Create": true, "Update": true, "Delete": true, "Tombstone": true, "Announce": true,
	"Follow": true, "Accept": true, "Reject": true, "Undo": true, "OrderedCollection": true,
	"OrderedCollectionPage": true, "Place": true, "Image": true, "Object": true,
}

func TestEveryTermIsDefined(t *testing.T) {
	u := fixtureURLs(t)
	for _, g := range goldenDocs() {
		doc := mustDoc(t)(g.build(t, u))
		used := map[string]bool{}
		collectTerms(doc, used)
		ctx := doc["@context"]
		var inline map[string]any
		if list, ok := ctx.([]any); ok {
			inline, _ = list[len(list)-1].(map[string]any)
		}
		for name := range used {
			if asTerms[name] {
				continue
			}
			if _, ok := inline[name]; !ok {
				t.Errorf("%s: %q is used but not defined in the @context", g.name, name)
			}
		}
		for name := range inline {
			if _, isPrefix := prefixes[name]; !isPrefix && !used[name] {
				t.Errorf("%s: %q is defined but not used", g.name, name)
			}
		}
	}
}
