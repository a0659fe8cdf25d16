package ap

import (
	"reflect"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestBuildersRefuse(t *testing.T) {
	actor := Actor{Profile: Profile{Type: "Organization", ID: "https://coop.example/e/a", URL: "https://coop.example/e/a"},
		Inbox: "https://coop.example/e/a/inbox", Outbox: "https://coop.example/e/a/outbox",
		Followers: "https://coop.example/e/a/followers", Following: "https://coop.example/e/a/following",
		Featured: "https://coop.example/e/a/featured", KeyID: "https://coop.example/e/a#main-key", PublicKeyPEM: "PEM"}
	noKey, person, relative := actor, actor, actor
	noKey.PublicKeyPEM = ""
	person.Profile.Type = "Person"
	relative.Inbox = "/e/a/inbox"
	for name, err := range map[string]error{
		"an actor without a public key":   errOf(noKey.Document()),
		"an actor of a type we never use": errOf(person.Document()),
		"an actor with a relative inbox":  errOf(relative.Document()),
		"a profile without a type":        errOf(Profile{ID: "https://coop.example/e/a"}.Document()),
		"an object of a type go-fed lacks": errOf(Object{Type: "Proposal", ID: "https://coop.example/l/1",
			AttributedTo: "https://coop.example/e/a", URL: "https://coop.example/l/1"}.Document()),
		"an activity by an actor that is no URL": errOf(Create(Activity{ID: "https://coop.example/c", Actor: "alice"},
			map[string]any{"id": "https://coop.example/n"})),
		"a Tombstone of something that is no URL": errOf(Delete(Activity{ID: "https://coop.example/d",
			Actor: "https://coop.example/e/a"}, Tombstone{ID: "listing 3", FormerType: "Note"})),
		"an Accept to a follower that is no URL": errOf(Accept("https://coop.example/a",
			FollowRef{ID: "https://m.example/f", Actor: "alice", Object: "https://coop.example/e/a"})),
	} {
		if code := directory.ErrorCode(err); code != directory.EINVALID {
			t.Errorf("%s: %v, want EINVALID", name, err)
		}
	}
	if doc := aptest.Must(t)(actor.Document()); doc["id"] != actor.Profile.ID {
		t.Errorf("the valid actor reads %v", doc["id"])
	}
}

func TestObjectLeavesOutWhatIsNotSaid(t *testing.T) {
	o := Object{Type: "Note", ID: "https://coop.example/n/1", AttributedTo: "https://coop.example/e/a",
		URL: "https://coop.example/n/1", Published: aptest.Created}
	doc := aptest.Must(t)(o.Document())
	for _, absent := range []string{"name", "content", "to", "cc", "updated", "endTime", "location"} {
		if _, ok := doc[absent]; ok {
			t.Errorf("%s is set: %v", absent, doc[absent])
		}
	}
	empty := ""
	o.Content = &empty
	if got, ok := aptest.Must(t)(o.Document())["content"]; !ok || got != "" {
		t.Errorf("an empty content given: %v %v", got, ok)
	}
}

func TestProfileLeavesOutAnIconThatIsNoURL(t *testing.T) {
	p := Profile{Type: "Organization", ID: "https://coop.example/e/a", URL: "https://coop.example/e/a",
		Published: aptest.Created, Icon: &Image{URL: "/media/logo.png", MediaType: "image/png"}}
	if icon, ok := aptest.Must(t)(p.Document())["icon"]; ok {
		t.Errorf("icon %v", icon)
	}
}

func TestActivitiesNameOrNestTheirObject(t *testing.T) {
	a := Activity{ID: "https://coop.example/b/1", Actor: "https://coop.example/network", To: []string{Public},
		Published: aptest.Later, Object: "https://coop.example/n/1"}
	boost := aptest.Must(t)(Announce(a, nil))
	if boost["object"] != "https://coop.example/n/1" {
		t.Errorf("the boost's object %v", boost["object"])
	}
	// go-fed writes a single address as a string; we write an array.
	if !reflect.DeepEqual(boost["to"], []any{Public}) {
		t.Errorf("to %#v", boost["to"])
	}
	note := map[string]any{"@context": ActivityStreamsContext, "id": "https://coop.example/n/2", "type": "Note"}
	nested := aptest.Must(t)(Announce(a, note))["object"].(map[string]any)
	if nested["id"] != "https://coop.example/n/2" {
		t.Errorf("nested %v, want the note instead of the id", nested)
	}
	if _, ok := nested["@context"]; ok {
		t.Error("the nested object keeps its @context")
	}
	if _, ok := note["@context"]; !ok {
		t.Error("nesting changed the caller's document")
	}
	if got := aptest.Must(t)(Create(Activity{ID: a.ID, Actor: a.Actor}, note))["published"]; got != nil {
		t.Errorf("a Create without a time says published %v", got)
	}
}

func errOf(_ map[string]any, err error) error { return err }
