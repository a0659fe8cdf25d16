package ap

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/coopdir/coopdir/directory"
)

func TestParseActivityReadsMastodon(t *testing.T) {
	for _, c := range []struct {
		name, raw, typ, actor, object string
		check                         func(t *testing.T, v vocab.Type)
	}{
		{"a Follow", mastodonFollow, "Follow", "https://mastodon.example/users/alice",
			"https://coop.example/enterprises/shakyhands", nil},
		{"an Undo of a Follow", mastodonUndoFollow, "Undo", "https://mastodon.example/users/alice",
			"https://mastodon.example/4f1c2a8e-6b7d-4f5e-9a0b-1c2d3e4f5a6b", checkUndoHoldsFollow},
		{"an Accept of our Follow", mastodonAccept, "Accept", "https://mastodon.example/users/alice",
			"https://coop.example/activities/follow-8d5e5f8a", nil},
		{"a Create of a Note with a mention and a hashtag", mastodonCreateNote, "Create",
			"https://mastodon.example/users/alice", "https://mastodon.example/users/alice/statuses/112233445566778899",
			checkCreateNote},
		{"an Update of a Person", mastodonUpdatePerson, "Update", "https://mastodon.example/users/alice",
			"https://mastodon.example/users/alice", checkUpdatePerson},
		{"a Delete of a Tombstone", mastodonDeleteNote, "Delete", "https://mastodon.example/users/alice",
			"https://mastodon.example/users/alice/statuses/112233445566778899", nil},
		{"a Delete of an account", mastodonDeleteAccount, "Delete", "https://mastodon.example/users/alice",
			"https://mastodon.example/users/alice", nil},
		{"a boost", mastodonBoost, "Announce", "https://mastodon.example/users/alice",
			"https://coop.example/announcements/7", nil},
		{"a Create with an integrity proof", proofCreateNote, "Create", "https://mitra.example/users/bob",
			"https://mitra.example/objects/0190d1a2", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			env, _, err := CheckActivity([]byte(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if env.Type != c.typ || env.Actor != c.actor || env.ObjectID != c.object {
				t.Errorf("envelope %+v", env)
			}
			v, err := ParseActivity(context.Background(), []byte(c.raw))
			if err != nil {
				t.Fatal(err)
			}
			if v.GetTypeName() != c.typ {
				t.Errorf("type %q, want %q", v.GetTypeName(), c.typ)
			}
			if c.check != nil {
				c.check(t, v)
			}
		})
	}
}

func checkUndoHoldsFollow(t *testing.T, v vocab.Type) {
	obj := v.(vocab.ActivityStreamsUndo).GetActivityStreamsObject()
	if obj.Len() != 1 || !obj.At(0).IsActivityStreamsFollow() {
		t.Fatal("the Undo does not hold the Follow")
	}
	f := obj.At(0).GetActivityStreamsFollow()
	if f.GetActivityStreamsObject().At(0).GetIRI().String() != "https://coop.example/enterprises/shakyhands" {
		t.Error("the Follow's object is lost")
	}
}

func checkCreateNote(t *testing.T, v vocab.Type) {
	obj := v.(vocab.ActivityStreamsCreate).GetActivityStreamsObject()
	if obj.Len() != 1 || !obj.At(0).IsActivityStreamsNote() {
		t.Fatal("the Create does not hold a Note")
	}
	n := obj.At(0).GetActivityStreamsNote()
	if !strings.Contains(n.GetActivityStreamsContent().At(0).GetXMLSchemaString(), "can I book the oven?") {
		t.Error("the content is lost")
	}
	tags := n.GetActivityStreamsTag()
	if tags.Len() != 2 || !tags.At(0).IsActivityStreamsMention() {
		t.Errorf("tags: %d, the mention first", tags.Len())
	}
	if n.GetActivityStreamsSummary() != nil || n.GetActivityStreamsInReplyTo() != nil {
		t.Error("null summary and inReplyTo should read as absent")
	}
}

func checkUpdatePerson(t *testing.T, v vocab.Type) {
	obj := v.(vocab.ActivityStreamsUpdate).GetActivityStreamsObject()
	if obj.Len() != 1 || !obj.At(0).IsActivityStreamsPerson() {
		t.Fatal("the Update does not hold a Person")
	}
	p := obj.At(0).GetActivityStreamsPerson()
	pk := p.GetW3IDSecurityV1PublicKey()
	if pk.Len() != 1 || pk.At(0).Get().GetW3IDSecurityV1PublicKeyPem().Get() == "" {
		t.Error("the public key is lost")
	}
	if p.GetActivityStreamsPreferredUsername().GetXMLSchemaString() != "alice" {
		t.Error("preferredUsername is lost")
	}
}

func TestParseActivityRefuses(t *testing.T) {
	deep := strings.Repeat(`{"a":`, MaxDocumentDepth) + `1` + strings.Repeat(`}`, MaxDocumentDepth)
	deepActivity := `{"id":"https://a.example/1","type":"Create","actor":"https://a.example/u","object":` + deep + `}`
	for _, c := range []struct {
		name, raw, code string
	}{
		{"a document over the size limit", `{"id":"` + strings.Repeat("x", MaxDocumentSize) + `"}`, directory.ETOOLARGE},
		{"text that is not JSON", `{"id": "x",`, directory.EINVALID},
		{"a JSON array", `[{"id":"https://a.example/1"}]`, directory.EINVALID},
		{"nesting deeper than the limit", deepActivity, directory.EINVALID},
		{"an activity without id", `{"type":"Follow","actor":"https://a.example/u","object":"https://b.example/v"}`, directory.EINVALID},
		{"an activity without type", `{"id":"https://a.example/1","actor":"https://a.example/u"}`, directory.EINVALID},
		{"an activity without actor", `{"id":"https://a.example/1","type":"Follow","object":"https://b.example/v"}`, directory.EINVALID},
		{"an actor that is not a string", `{"id":"https://a.example/1","type":"Follow","actor":7}`, directory.EINVALID},
		{"an id that is not a string", `{"id":["https://a.example/1"],"type":"Follow","actor":"https://a.example/u"}`, directory.EINVALID},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParseActivity(context.Background(), []byte(c.raw))
			if got := directory.ErrorCode(err); got != c.code {
				t.Errorf("error %v (%s), want %s", err, got, c.code)
			}
		})
	}
}

func TestParseActivityTellsUnknownTypes(t *testing.T) {
	raw := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://misskey.example/r/1",
		"type":"EmojiReact","actor":"https://misskey.example/users/1","object":"https://coop.example/announcements/7"}`
	_, err := ParseActivity(context.Background(), []byte(raw))
	if directory.ErrorCode(err) != directory.EINVALID {
		t.Fatalf("error %v, want EINVALID", err)
	}
	var e *directory.Error
	if !errors.As(err, &e) || !streams.IsUnmatchedErr(e.Err) {
		t.Errorf("cause %v is not go-fed's unmatched-type error", err)
	}
}

func TestJSONDepthIgnoresBracketsInStrings(t *testing.T) {
	for raw, want := range map[string]int{
		`{}`:                      1,
		`{"a":[{"b":1}]}`:         3,
		`{"a":"[[[[{{{{"}`:        1,
		`{"a":"\"[[","b":[1]}`:    2,
		`{"a":"\\","b":{"c":{}}}`: 3,
	} {
		if got := Depth([]byte(raw)); got != want {
			t.Errorf("Depth(%s) = %d, want %d", raw, got, want)
		}
	}
}

func TestParseDocumentReadsActorsWithoutActorProperty(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "golden", "actor-enterprise.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := ParseDocument(context.Background(), raw)
	if err != nil {
		t.Fatal(err)
	}
	if v.GetTypeName() != "Organization" {
		t.Errorf("type %q", v.GetTypeName())
	}
	if _, err := ParseActivity(context.Background(), raw); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("an actor document is no activity: %v", err)
	}
}
