package ap

import (
	"context"
	"encoding/json"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/coopdir/coopdir/directory"
)

// Limits on documents we read from other servers. go-fed's full parse costs
// about 0.3 ms and 300 KB per 2 KB document, so these run first.
const (
	// MaxDocumentSize is the largest document we read, in bytes.
	MaxDocumentSize = 1 << 20
	// MaxDocumentDepth is the deepest nesting of objects and arrays we
	// accept; an Announce{Create{Note{replies{first{items}}}}} is 6.
	MaxDocumentDepth = 16
)

// Envelope is what the cheap checks learn of an incoming activity: enough to
// check its origin and drop duplicates before the full parse.
type Envelope struct {
	ID       string
	Type     string
	Actor    string
	ObjectID string // the object's id, given by id or embedded; "" when neither
}

// CheckActivity runs the cheap checks on an incoming activity: at most
// MaxDocumentSize bytes, valid JSON, an object, nested at most
// MaxDocumentDepth deep, with id, type and actor strings. It returns the
// envelope and the decoded JSON. Errors are ETOOLARGE or EINVALID.
func CheckActivity(raw []byte) (*Envelope, map[string]any, error) {
	m, err := CheckDocument(raw, "activity")
	if err != nil {
		return nil, nil, err
	}
	env := &Envelope{ID: str(m["id"]), Type: str(m["type"]), Actor: str(m["actor"]), ObjectID: IDOf(m["object"])}
	if env.Actor == "" {
		return nil, nil, directory.Errorf(directory.EINVALID, "an activity needs an actor, given as a string")
	}
	return env, m, nil
}

// CheckDocument runs the cheap checks every document we read gets: at most
// MaxDocumentSize bytes, nested at most MaxDocumentDepth deep, a JSON object
// with id and type strings. It returns the decoded object; what names the
// document in errors, which are ETOOLARGE or EINVALID.
func CheckDocument(raw []byte, what string) (map[string]any, error) {
	if len(raw) > MaxDocumentSize {
		return nil, directory.Errorf(directory.ETOOLARGE, "the %s is larger than %d bytes", what, MaxDocumentSize)
	}
	if Depth(raw) > MaxDocumentDepth {
		return nil, directory.Errorf(directory.EINVALID, "the %s is nested deeper than %d levels", what, MaxDocumentDepth)
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "the %s is not valid JSON", what)
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, directory.Errorf(directory.EINVALID, "the %s is not a JSON object", what)
	}
	if str(m["id"]) == "" || str(m["type"]) == "" {
		return nil, directory.Errorf(directory.EINVALID, "the %s needs an id and a type, each a string", what)
	}
	return m, nil
}

// IDOf is the id of a JSON value that names an object: the value itself when
// it is a string, the object's id when it is embedded, else "".
func IDOf(v any) string {
	if m, ok := v.(map[string]any); ok {
		return str(m["id"])
	}
	return str(v)
}

// Depth returns the deepest nesting of objects and arrays in raw, without
// decoding it. Brackets inside strings do not count.
func Depth(raw []byte) int {
	depth, deepest := 0, 0
	inString, escaped := false, false
	for _, c := range raw {
		switch {
		case escaped:
			escaped = false
		case inString:
			escaped = c == '\\'
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// ParseActivity checks an incoming activity (CheckActivity) and then parses
// it with go-fed into its ActivityStreams type. Properties go-fed does not
// know (proof, signature, Mastodon's and others' extensions) are kept aside,
// not refused; JSON nulls, which mean "not set", are dropped first. Errors are
// ETOOLARGE or EINVALID; the go-fed cause is wrapped, so
// streams.IsUnmatchedErr tells a type go-fed does not know.
func ParseActivity(ctx context.Context, raw []byte) (vocab.Type, error) {
	_, m, err := CheckActivity(raw)
	if err != nil {
		return nil, err
	}
	return toType(ctx, m, "activity")
}

// ParseDocument is ParseActivity for any fetched document (an actor, a Note,
// a collection): the same checks (CheckDocument) except that no actor is
// required.
func ParseDocument(ctx context.Context, raw []byte) (vocab.Type, error) {
	m, err := CheckDocument(raw, "document")
	if err != nil {
		return nil, err
	}
	return toType(ctx, m, "document")
}

func toType(ctx context.Context, m map[string]any, what string) (vocab.Type, error) {
	dropNulls(m)
	t, err := streams.ToType(ctx, m)
	if err != nil {
		return nil, &directory.Error{Code: directory.EINVALID, Message: "the " + what + " could not be read", Err: err}
	}
	return t, nil
}

// dropNulls removes null members from every object in v. JSON-LD reads a
// null as "absent" (Mastodon sends summary: null, inReplyTo: null); go-fed
// would keep it as a property holding an unknown value, so it would look set.
func dropNulls(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			dropNulls(e)
		}
	case []any:
		for _, e := range x {
			dropNulls(e)
		}
	}
}

// str returns v when it is a string, else "".
func str(v any) string {
	s, _ := v.(string)
	return s
}
