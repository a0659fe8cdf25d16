package ap

import (
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// Activity is the part of an activity around its object: its id, who does
// it, to whom and when. The builders that take a whole object nest it; given
// nil instead, they name the object by Object, its id.
type Activity struct {
	ID        string
	Actor     string
	To, CC    []string
	Published time.Time // zero: not said
	Object    string    // the object's id, when it is not nested
}

// activityType is what the activities we build have in common.
type activityType interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsActor(vocab.ActivityStreamsActorProperty)
	SetActivityStreamsObject(vocab.ActivityStreamsObjectProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
}

// fill sets a on t.
func (a Activity) fill(t activityType) error {
	var p iriParser
	t.SetJSONLDId(idProperty(p.get(a.ID)))
	t.SetActivityStreamsActor(actorProperty(p.get(a.Actor)))
	if len(a.To) > 0 {
		t.SetActivityStreamsTo(toProperty(p.all(a.To)...))
	}
	if len(a.CC) > 0 {
		t.SetActivityStreamsCc(ccProperty(p.all(a.CC)...))
	}
	if !a.Published.IsZero() {
		t.SetActivityStreamsPublished(publishedProperty(a.Published))
	}
	if a.Object != "" {
		t.SetActivityStreamsObject(objectIRIProperty(p.get(a.Object)))
	}
	return p.err
}

// wrap builds the activity t around object: the envelope through go-fed,
// the object (which may hold terms go-fed lacks, such as a Proposal) nested
// as it was built, without its @context. A nil object is a.Object by id.
func wrap(t activityType, a Activity, object map[string]any) (map[string]any, error) {
	var extra map[string]any
	if object != nil {
		a.Object = ""
		extra = map[string]any{"object": embedded(object)}
	}
	if err := a.fill(t); err != nil {
		return nil, err
	}
	return document(t, extra)
}

// Create is the Create a of object.
func Create(a Activity, object map[string]any) (map[string]any, error) {
	return wrap(streams.NewActivityStreamsCreate(), a, object)
}

// Update is the Update a of object, which the caller has marked updated.
func Update(a Activity, object map[string]any) (map[string]any, error) {
	return wrap(streams.NewActivityStreamsUpdate(), a, object)
}

// Announce is the Announce a of object: a whole activity nested, as
// FEP-1b12 describes, or (object nil) a boost of a.Object.
func Announce(a Activity, object map[string]any) (map[string]any, error) {
	return wrap(streams.NewActivityStreamsAnnounce(), a, object)
}

// Tombstone is what is left of a deleted object.
type Tombstone struct {
	ID         string    // the object's id
	FormerType string    // its type: Note, Proposal, Organization…
	Deleted    time.Time // when it was deleted
}

// Delete is the Delete a of the object t stands for, with the Tombstone
// nested (a.Object is not used).
func Delete(a Activity, t Tombstone) (map[string]any, error) {
	var p iriParser
	ts := streams.NewActivityStreamsTombstone()
	ts.SetJSONLDId(idProperty(p.get(t.ID)))
	ft := streams.NewActivityStreamsFormerTypeProperty()
	ft.AppendXMLSchemaString(t.FormerType)
	ts.SetActivityStreamsFormerType(ft)
	del := streams.NewActivityStreamsDeletedProperty()
	del.Set(t.Deleted.UTC())
	ts.SetActivityStreamsDeleted(del)
	if p.err != nil {
		return nil, p.err
	}
	d := streams.NewActivityStreamsDelete()
	a.Object = ""
	if err := a.fill(d); err != nil {
		return nil, err
	}
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsTombstone(ts)
	d.SetActivityStreamsObject(obj)
	return document(d, nil)
}

// FollowRef names a Follow: its id, the follower and the followed actor.
// Remote Follows are answered from these three stored fields.
type FollowRef struct {
	ID     string // the Follow's id
	Actor  string // who follows
	Object string // whom they follow
}

// followType is the Follow itself, for sending or for nesting.
func (f FollowRef) followType() (vocab.ActivityStreamsFollow, error) {
	fo := streams.NewActivityStreamsFollow()
	err := Activity{ID: f.ID, Actor: f.Actor, Object: f.Object}.fill(fo)
	return fo, err
}

// Follow is the Follow by f.Actor of f.Object, with f.ID as its id.
func Follow(f FollowRef) (map[string]any, error) {
	fo, err := f.followType()
	if err != nil {
		return nil, err
	}
	return document(fo, nil)
}

// nestFollow builds the activity t, with id and sent by actor to to, around
// the Follow f.
func nestFollow(t activityType, id, actor, to string, f FollowRef) (map[string]any, error) {
	fo, err := f.followType()
	if err != nil {
		return nil, err
	}
	if err := (Activity{ID: id, Actor: actor, To: []string{to}}).fill(t); err != nil {
		return nil, err
	}
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsFollow(fo)
	t.SetActivityStreamsObject(obj)
	return document(t, nil)
}

// Accept is the followed actor's Accept, with id id, of the Follow f, sent
// to the follower with the Follow nested (as Mastodon requires).
func Accept(id string, f FollowRef) (map[string]any, error) {
	return nestFollow(streams.NewActivityStreamsAccept(), id, f.Object, f.Actor, f)
}

// Reject is the followed actor's refusal, with id id, of the Follow f.
func Reject(id string, f FollowRef) (map[string]any, error) {
	return nestFollow(streams.NewActivityStreamsReject(), id, f.Object, f.Actor, f)
}

// Undo is the follower's withdrawal, with id id, of the Follow f: an
// Undo{Follow} sent to the followed actor.
func Undo(id string, f FollowRef) (map[string]any, error) {
	return nestFollow(streams.NewActivityStreamsUndo(), id, f.Actor, f.Object, f)
}
