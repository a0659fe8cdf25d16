package federation

import (
	"maps"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// The activities our actors send: ap builds them; here are their ids
// (URLs) and their addressing.

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
	return ap.Create(ap.Activity{ID: CreateID(id), Actor: actorID, To: to, CC: cc, Published: published}, object)
}

// Update publishes a changed object (or actorID's own actor document) at t:
// the object gets updated = t and the Update the id {object}/update/{ms}.
func Update(actorID string, object map[string]any, at time.Time) (map[string]any, error) {
	id, err := docID(object)
	if err != nil {
		return nil, err
	}
	changed := maps.Clone(object)
	changed["updated"] = preciseTime(at)
	to, cc := addressing(object, actorID)
	return ap.Update(ap.Activity{ID: UpdateID(id, at), Actor: actorID, To: to, CC: cc, Published: at}, changed)
}

// preciseTimeLayout writes times to the microsecond (what the stores keep;
// whole seconds are written without a fraction), so that a partner tells
// apart two changes made within one second.
const preciseTimeLayout = "2006-01-02T15:04:05.999999Z07:00"

func preciseTime(t time.Time) string { return t.UTC().Format(preciseTimeLayout) }

// Delete removes objectID, which was of type formerType (Note, Proposal,
// Organization…): Delete{Tombstone}, to Public, cc actorID's followers.
func Delete(actorID, objectID, formerType string, deleted time.Time) (map[string]any, error) {
	a := ap.Activity{ID: DeleteID(objectID), Actor: actorID, To: []string{ap.Public},
		CC: []string{followersOf(actorID)}, Published: deleted}
	return ap.Delete(a, ap.Tombstone{ID: objectID, FormerType: formerType, Deleted: deleted})
}

// AnnounceActivity is the full form of a Group's (or Service's) Announce:
// the whole activity inside, as FEP-1b12 describes and coopdir peers read.
func AnnounceActivity(u URLs, actorID string, activity map[string]any, at time.Time) (map[string]any, error) {
	id, err := docID(activity)
	if err != nil {
		return nil, err
	}
	return ap.Announce(announceBy(u, actorID, id, at), activity)
}

// AnnounceObject is the boost form of an Announce: the object by id only.
// Mastodon understands only this form (it ignores Announce{Create}), so its
// servers get this one, as Lemmy does.
func AnnounceObject(u URLs, actorID, objectID string, at time.Time) (map[string]any, error) {
	a := announceBy(u, actorID, objectID, at)
	a.Object = objectID
	return ap.Announce(a, nil)
}

// announceBy is the Announce by actorID of objectID at t: to Public, cc
// the actor's followers.
func announceBy(u URLs, actorID, objectID string, at time.Time) ap.Activity {
	return ap.Activity{ID: u.AnnounceID(actorID, objectID), Actor: actorID, To: []string{ap.Public},
		CC: []string{followersOf(actorID)}, Published: at}
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
		return []string{ap.Public}, []string{followersOf(actorID)}
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

// Accept accepts the Follow f (the Follow nested, as Mastodon requires).
func Accept(u URLs, f ap.FollowRef) (map[string]any, error) {
	return ap.Accept(u.AcceptID(f.ID), f)
}

// Reject refuses the Follow f.
func Reject(u URLs, f ap.FollowRef) (map[string]any, error) {
	return ap.Reject(u.RejectID(f.ID), f)
}

// AcceptAt is Accept with an id that also names the moment t of the
// answer, for a Follow that may be answered more than once (a partnership
// request approved after it was refused): each answer is a new activity,
// which the receiver does not drop as one it already has.
func AcceptAt(u URLs, f ap.FollowRef, t time.Time) (map[string]any, error) {
	return ap.Accept(u.derivedActivity("accept", f.ID, t.Format(time.RFC3339Nano)), f)
}

// RejectAt is Reject with an id that also names the moment t (see
// AcceptAt).
func RejectAt(u URLs, f ap.FollowRef, t time.Time) (map[string]any, error) {
	return ap.Reject(u.derivedActivity("reject", f.ID, t.Format(time.RFC3339Nano)), f)
}

// Undo withdraws our Follow f: Undo{Follow}, id {follow}/undo.
func Undo(f ap.FollowRef) (map[string]any, error) {
	return ap.Undo(UndoID(f.ID), f)
}
