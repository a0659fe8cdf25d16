package federation

import (
	"net/url"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

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

// envelope is the part of an activity around its object.
type envelope struct {
	id, actor string
	to, cc    []string
	published time.Time // zero: not said
	objectID  string    // the object by id; "" when the caller sets the object
}

// fillActivity sets the envelope on t.
func fillActivity(t activityType, e envelope) error {
	var p iriParser
	t.SetJSONLDId(idProperty(p.get(e.id)))
	t.SetActivityStreamsActor(actorProperty(p.get(e.actor)))
	if len(e.to) > 0 {
		t.SetActivityStreamsTo(toProperty(parseAll(&p, e.to)...))
	}
	if len(e.cc) > 0 {
		t.SetActivityStreamsCc(ccProperty(parseAll(&p, e.cc)...))
	}
	if !e.published.IsZero() {
		t.SetActivityStreamsPublished(publishedProperty(e.published))
	}
	if e.objectID != "" {
		t.SetActivityStreamsObject(objectIRIProperty(p.get(e.objectID)))
	}
	return p.err
}

func parseAll(p *iriParser, raw []string) []*url.URL {
	out := make([]*url.URL, len(raw))
	for i, r := range raw {
		out[i] = p.get(r)
	}
	return out
}

// wrap builds the activity t around a whole object document: the envelope
// through go-fed, the object (which may hold terms go-fed lacks, such as a
// Proposal) nested as it was built.
func wrap(t activityType, e envelope, object map[string]any) (map[string]any, error) {
	e.objectID = ""
	if err := fillActivity(t, e); err != nil {
		return nil, err
	}
	return document(t, map[string]any{"object": embedded(object)})
}

// Create publishes a new object by actorID. It takes the object's id, its
// addressing and its published time, as Mastodon expects; its id is
// {object}/create.
func Create(actorID string, object map[string]any) (map[string]any, error) {
	id, err := docID(object)
	if err != nil {
		return nil, err
	}
	to, cc := addressing(object, actorID)
	published, _ := time.Parse(time.RFC3339, str(object["published"]))
	e := envelope{id: CreateID(id), actor: actorID, to: to, cc: cc, published: published}
	return wrap(streams.NewActivityStreamsCreate(), e, object)
}

// Update publishes a changed object (or actorID's own actor document) at t:
// the object gets updated = t and the Update the id {object}/update/{ms}.
func Update(actorID string, object map[string]any, at time.Time) (map[string]any, error) {
	id, err := docID(object)
	if err != nil {
		return nil, err
	}
	changed := embedded(object)
	changed["updated"] = preciseTime(at)
	to, cc := addressing(object, actorID)
	e := envelope{id: UpdateID(id, at), actor: actorID, to: to, cc: cc, published: at}
	return wrap(streams.NewActivityStreamsUpdate(), e, changed)
}

// preciseTimeLayout writes times to the microsecond (what the stores keep;
// whole seconds are written without a fraction), so that a partner tells
// apart two changes made within one second.
const preciseTimeLayout = "2006-01-02T15:04:05.999999Z07:00"

func preciseTime(t time.Time) string { return t.UTC().Format(preciseTimeLayout) }

// Delete removes objectID, which was of type formerType (Note, Proposal,
// Organization…): Delete{Tombstone}, to Public, cc actorID's followers.
func Delete(actorID, objectID, formerType string, deleted time.Time) (map[string]any, error) {
	var p iriParser
	ts := streams.NewActivityStreamsTombstone()
	ts.SetJSONLDId(idProperty(p.get(objectID)))
	ft := streams.NewActivityStreamsFormerTypeProperty()
	ft.AppendXMLSchemaString(formerType)
	ts.SetActivityStreamsFormerType(ft)
	del := streams.NewActivityStreamsDeletedProperty()
	del.Set(deleted.UTC())
	ts.SetActivityStreamsDeleted(del)
	if p.err != nil {
		return nil, p.err
	}
	d := streams.NewActivityStreamsDelete()
	e := envelope{id: DeleteID(objectID), actor: actorID, to: []string{Public},
		cc: []string{followersOf(actorID)}, published: deleted}
	if err := fillActivity(d, e); err != nil {
		return nil, err
	}
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsTombstone(ts)
	d.SetActivityStreamsObject(obj)
	return document(d, nil)
}

// AnnounceActivity is the full form of a Group's (or Service's) Announce:
// the whole activity inside, as FEP-1b12 describes and coopdir peers read.
func AnnounceActivity(u URLs, actorID string, activity map[string]any, at time.Time) (map[string]any, error) {
	id, err := docID(activity)
	if err != nil {
		return nil, err
	}
	e := envelope{id: u.AnnounceID(actorID, id), actor: actorID, to: []string{Public},
		cc: []string{followersOf(actorID)}, published: at}
	return wrap(streams.NewActivityStreamsAnnounce(), e, activity)
}

// AnnounceObject is the boost form of an Announce: the object by id only.
// Mastodon understands only this form (it ignores Announce{Create}), so its
// servers get this one, as Lemmy does.
func AnnounceObject(u URLs, actorID, objectID string, at time.Time) (map[string]any, error) {
	a := streams.NewActivityStreamsAnnounce()
	e := envelope{id: u.AnnounceID(actorID, objectID), actor: actorID, to: []string{Public},
		cc: []string{followersOf(actorID)}, published: at, objectID: objectID}
	if err := fillActivity(a, e); err != nil {
		return nil, err
	}
	return document(a, nil)
}

// followersOf is the followers collection of one of our actors: every actor
// id we mint has it at {id}/followers (see URLs).
func followersOf(actorID string) string { return actorID + "/followers" }

// docID returns a document's id, which every object we publish must have.
func docID(doc map[string]any) (string, error) {
	id := str(doc["id"])
	if id == "" {
		return "", directory.Errorf(directory.EINVALID, "the object has no id")
	}
	return id, nil
}

// addressing returns a document's to and cc; a document without any (an
// actor) is addressed to Public with actorID's followers in cc.
func addressing(doc map[string]any, actorID string) (to, cc []string) {
	to, cc = strs(doc["to"]), strs(doc["cc"])
	if len(to) == 0 && len(cc) == 0 {
		return []string{Public}, []string{followersOf(actorID)}
	}
	return to, cc
}

// str returns v when it is a string, else "".
func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs returns the strings of a JSON value that is a string or an array.
func strs(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		out := make([]string, 0, len(x))
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	case []string:
		return x
	}
	return nil
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
	err := fillActivity(fo, envelope{id: f.ID, actor: f.Actor, objectID: f.Object})
	return fo, err
}

// Follow is the Follow by f.Actor of f.Object. Its id is the caller's: a new
// one for each follow (u.Activity with a UUID), since receivers remember ids
// and would drop a follow that reuses the id of an undone one.
func Follow(f FollowRef) (map[string]any, error) {
	fo, err := f.followType()
	if err != nil {
		return nil, err
	}
	return document(fo, nil)
}

// respond builds our answer to the Follow f, with the Follow nested: sent by
// the followed actor to the follower.
func respond(t activityType, id string, f FollowRef) (map[string]any, error) {
	fo, err := f.followType()
	if err != nil {
		return nil, err
	}
	if err := fillActivity(t, envelope{id: id, actor: f.Object, to: []string{f.Actor}}); err != nil {
		return nil, err
	}
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsFollow(fo)
	t.SetActivityStreamsObject(obj)
	return document(t, nil)
}

// Accept accepts the Follow f (the Follow nested, as Mastodon requires).
func Accept(u URLs, f FollowRef) (map[string]any, error) {
	return respond(streams.NewActivityStreamsAccept(), u.AcceptID(f.ID), f)
}

// Reject refuses the Follow f.
func Reject(u URLs, f FollowRef) (map[string]any, error) {
	return respond(streams.NewActivityStreamsReject(), u.RejectID(f.ID), f)
}

// AcceptAt is Accept with an id that also names the moment t of the
// answer, for a Follow that may be answered more than once (a partnership
// request approved after it was refused): each answer is a new activity,
// which the receiver does not drop as one it already has.
func AcceptAt(u URLs, f FollowRef, t time.Time) (map[string]any, error) {
	return respond(streams.NewActivityStreamsAccept(), u.derivedActivity("accept", f.ID, t.Format(time.RFC3339Nano)), f)
}

// RejectAt is Reject with an id that also names the moment t (see
// AcceptAt).
func RejectAt(u URLs, f FollowRef, t time.Time) (map[string]any, error) {
	return respond(streams.NewActivityStreamsReject(), u.derivedActivity("reject", f.ID, t.Format(time.RFC3339Nano)), f)
}

// Undo withdraws our Follow f: Undo{Follow}, id {follow}/undo.
func Undo(f FollowRef) (map[string]any, error) {
	fo, err := f.followType()
	if err != nil {
		return nil, err
	}
	un := streams.NewActivityStreamsUndo()
	if err := fillActivity(un, envelope{id: UndoID(f.ID), actor: f.Actor, to: []string{f.Object}}); err != nil {
		return nil, err
	}
	obj := streams.NewActivityStreamsObjectProperty()
	obj.AppendActivityStreamsFollow(fo)
	un.SetActivityStreamsObject(obj)
	return document(un, nil)
}
