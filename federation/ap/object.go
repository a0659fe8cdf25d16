package ap

import (
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/coopdir/coopdir/directory"
)

// Object is a Note, or a plain Object. A type go-fed v1.0.0 has no words
// for (a FEP-0837 Proposal) is built as an Object whose Extra sets its type.
type Object struct {
	Type         string // Note or Object
	ID           string
	AttributedTo string
	To, CC       []string
	Name         string  // left out when empty
	Content      *string // the HTML text; nil: left out
	URL          string
	Published    time.Time
	Updated      time.Time          // zero: left out
	EndTime      time.Time          // zero: left out
	Location     directory.Location // left out when empty
	// Extra holds the properties go-fed has no types for, merged over the
	// document as plain JSON values.
	Extra map[string]any
}

// objectType is what the object types we build have in common.
type objectType interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsAttributedTo(vocab.ActivityStreamsAttributedToProperty)
	SetActivityStreamsTo(vocab.ActivityStreamsToProperty)
	SetActivityStreamsCc(vocab.ActivityStreamsCcProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsContent(vocab.ActivityStreamsContentProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsUpdated(vocab.ActivityStreamsUpdatedProperty)
	SetActivityStreamsEndTime(vocab.ActivityStreamsEndTimeProperty)
	SetActivityStreamsLocation(vocab.ActivityStreamsLocationProperty)
}

// Document returns the object's document. A URL that is not absolute is
// EINVALID.
func (o Object) Document() (map[string]any, error) {
	var t objectType
	switch o.Type {
	case "Note":
		t = streams.NewActivityStreamsNote()
	case "Object":
		t = streams.NewActivityStreamsObject()
	default:
		return nil, directory.Errorf(directory.EINVALID, "%q is not an object type", o.Type)
	}
	var p iriParser
	t.SetJSONLDId(idProperty(p.get(o.ID)))
	t.SetActivityStreamsAttributedTo(attributedToProperty(p.get(o.AttributedTo)))
	if len(o.To) > 0 {
		t.SetActivityStreamsTo(toProperty(p.all(o.To)...))
	}
	if len(o.CC) > 0 {
		t.SetActivityStreamsCc(ccProperty(p.all(o.CC)...))
	}
	if o.Name != "" {
		t.SetActivityStreamsName(nameProperty(o.Name))
	}
	if o.Content != nil {
		t.SetActivityStreamsContent(contentProperty(*o.Content))
	}
	t.SetActivityStreamsUrl(urlProperty(p.get(o.URL)))
	t.SetActivityStreamsPublished(publishedProperty(o.Published))
	if !o.Updated.IsZero() {
		t.SetActivityStreamsUpdated(updatedProperty(o.Updated))
	}
	if loc := place(o.Location); loc != nil {
		t.SetActivityStreamsLocation(loc)
	}
	if !o.EndTime.IsZero() {
		et := streams.NewActivityStreamsEndTimeProperty()
		et.Set(o.EndTime)
		t.SetActivityStreamsEndTime(et)
	}
	if p.err != nil {
		return nil, p.err
	}
	return document(t, o.Extra)
}
