package federation

import (
	"reflect"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestActivitiesAreIdempotent(t *testing.T) {
	u := fixtureURLs(t)
	build := func() map[string]any {
		return mustDoc(t)(Update(u.Enterprise("shakyhands").ID, mustDoc(t)(ListingNote(u, fixtureNeed())), fixtureLater))
	}
	a, b := build(), build()
	if a["id"] != b["id"] {
		t.Errorf("the same Update got the ids %v and %v", a["id"], b["id"])
	}
	later := mustDoc(t)(Update(u.Enterprise("shakyhands").ID, mustDoc(t)(ListingNote(u, fixtureNeed())), fixtureLater.Add(1e6)))
	if later["id"] == a["id"] {
		t.Error("two Updates a millisecond apart share an id")
	}
}

func TestUpdateMarksTheObjectUpdated(t *testing.T) {
	u := fixtureURLs(t)
	note := mustDoc(t)(ListingNote(u, fixtureNeed()))
	upd := mustDoc(t)(Update(u.Enterprise("shakyhands").ID, note, fixtureLater))
	obj := upd["object"].(map[string]any)
	if obj["updated"] != "2026-03-14T15:09:26Z" || upd["published"] != "2026-03-14T15:09:26Z" {
		t.Errorf("updated %v, published %v", obj["updated"], upd["published"])
	}
	if note["updated"] != "2026-02-01T12:30:00Z" {
		t.Error("Update changed the caller's document")
	}
	if _, ok := obj["@context"]; ok {
		t.Error("the nested object keeps its own @context")
	}
}

func TestUpdateOfAnActorGoesToItsFollowers(t *testing.T) {
	u := fixtureURLs(t)
	actor := mustDoc(t)(EnterpriseActor(u, fixtureEnterprise(), fixturePublicKeyPEM))
	upd := mustDoc(t)(Update(u.Enterprise("shakyhands").ID, actor, fixtureLater))
	if !reflect.DeepEqual(upd["to"], []any{Public}) || !reflect.DeepEqual(upd["cc"], []any{u.Enterprise("shakyhands").Followers}) {
		t.Errorf("to %v cc %v", upd["to"], upd["cc"])
	}
}

func TestActivitiesRefuse(t *testing.T) {
	u := fixtureURLs(t)
	for name, err := range map[string]error{
		"a Create of an object without id": errOf(Create(u.Network().ID, map[string]any{"type": "Note"})),
		"a Follow of something that is no URL": errOf(Follow(FollowRef{
			ID: u.Activity("f"), Actor: u.Instance().ID, Object: "partner.example"})),
		"an Accept to an actor that is no URL": errOf(Accept(u, FollowRef{
			ID: "https://m.example/f", Actor: "alice", Object: u.Network().ID})),
		"a Delete of something that is no URL": errOf(Delete(u.Network().ID, "listing 3", "Proposal", fixtureLater)),
		"a note of a partner's listing": errOf(ListingNote(u, func() *directory.Listing {
			l := fixtureNeed()
			l.Origin = "partner.example"
			return l
		}())),
	} {
		if code := directory.ErrorCode(err); code != directory.EINVALID && code != directory.ENOTFOUND {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func errOf(_ map[string]any, err error) error { return err }
