package federation

import (
	"reflect"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestActivitiesAreIdempotent(t *testing.T) {
	u := fixtureURLs(t)
	build := func() map[string]any {
		return aptest.Must(t)(Update(u.Enterprise("shakyhands").ID, aptest.Must(t)(ListingNote(u, aptest.Need())), aptest.Later))
	}
	a, b := build(), build()
	if a["id"] != b["id"] {
		t.Errorf("the same Update got the ids %v and %v", a["id"], b["id"])
	}
	later := aptest.Must(t)(Update(u.Enterprise("shakyhands").ID, aptest.Must(t)(ListingNote(u, aptest.Need())), aptest.Later.Add(1e6)))
	if later["id"] == a["id"] {
		t.Error("two Updates a millisecond apart share an id")
	}
}

func TestUpdateMarksTheObjectUpdated(t *testing.T) {
	u := fixtureURLs(t)
	note := aptest.Must(t)(ListingNote(u, aptest.Need()))
	upd := aptest.Must(t)(Update(u.Enterprise("shakyhands").ID, note, aptest.Later))
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
	actor := aptest.Must(t)(EnterpriseActor(u, aptest.Enterprise(), aptest.PublicKeyPEM))
	upd := aptest.Must(t)(Update(u.Enterprise("shakyhands").ID, actor, aptest.Later))
	if !reflect.DeepEqual(upd["to"], []any{ap.Public}) || !reflect.DeepEqual(upd["cc"], []any{u.Enterprise("shakyhands").Followers}) {
		t.Errorf("to %v cc %v", upd["to"], upd["cc"])
	}
}

func TestActivitiesRefuse(t *testing.T) {
	u := fixtureURLs(t)
	for name, err := range map[string]error{
		"a Create of an object without id": errOf(Create(u.Network().ID, map[string]any{"type": "Note"})),
		"a Follow of something that is no URL": errOf(ap.Follow(ap.FollowRef{
			ID: u.Activity("f"), Actor: u.Instance().ID, Object: "partner.example"})),
		"an Accept to an actor that is no URL": errOf(Accept(u, ap.FollowRef{
			ID: "https://m.example/f", Actor: "alice", Object: u.Network().ID})),
		"a Delete of something that is no URL": errOf(Delete(u.Network().ID, "listing 3", "Proposal", aptest.Later)),
		"a note of a partner's listing": errOf(ListingNote(u, func() *directory.Listing {
			l := aptest.Need()
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
