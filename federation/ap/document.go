package ap

import (
	"bytes"
	"encoding/json"
	"net/url"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/coopdir/coopdir/directory"
)

// Every document we publish is built the same way: the ActivityStreams part
// with go-fed's streams types, serialised by streams.Serialize; then the
// properties go-fed v1.0.0 has no types for (Mastodon's PropertyValue,
// Hashtag, endpoints and manuallyApprovesFollowers; FEP-0837's Proposal and
// Intent; our own terms) merged into the JSON as plain values; then the
// @context replaced by ContextFor, which defines every extension term inline.

// document serialises t, merges extra over it and sets the final @context.
func document(t vocab.Type, extra map[string]any) (map[string]any, error) {
	m, err := streams.Serialize(t)
	if err != nil {
		return nil, directory.Internal(err, "serialise "+t.GetTypeName())
	}
	for k, v := range extra {
		m[k] = v
	}
	audienceAsArrays(m)
	m["@context"] = ContextFor(m)
	return m, nil
}

// audienceAsArrays writes every to and cc as an array, as Mastodon does:
// go-fed writes a single address as a bare string, which some servers
// do not expect.
func audienceAsArrays(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && (k == "to" || k == "cc") {
				x[k] = []any{s}
				continue
			}
			audienceAsArrays(e)
		}
	case []any:
		for _, e := range x {
			audienceAsArrays(e)
		}
	}
}

// Marshal encodes a document for sending or serving: compact JSON with <, >
// and & left as they are (HTML in content stays readable; JSON does not
// need them escaped).
func Marshal(doc map[string]any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return nil, directory.Internal(err, "encode document")
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// embedded returns a shallow copy of doc without its @context, for nesting
// inside another document (whose @context then covers it).
func embedded(doc map[string]any) map[string]any {
	out := make(map[string]any, len(doc))
	for k, v := range doc {
		if k != "@context" {
			out[k] = v
		}
	}
	return out
}

// MarkdownSource is the source property holding the Markdown a text was
// rendered from, so that partners keep the author's own words. It is an
// untyped object, as Mastodon, Misskey and Pleroma write it: Fedify reads
// source with its own vocabulary and refuses the whole activity when source
// is typed Object.
func MarkdownSource(md string) map[string]any {
	return map[string]any{"content": md, "mediaType": "text/markdown"}
}

// iriParser parses the URLs a builder needs and keeps the first failure, so a
// builder checks once at the end instead of after every URL.
type iriParser struct{ err error }

// get parses raw as an absolute URL; on failure it records an EINVALID error
// and returns an empty URL.
func (p *iriParser) get(raw string) *url.URL {
	u, err := url.Parse(raw)
	if err == nil && u.IsAbs() && u.Host != "" {
		return u
	}
	if p.err == nil {
		p.err = directory.Errorf(directory.EINVALID, "%q is not an absolute URL", raw)
	}
	return &url.URL{}
}

// all parses every URL of raw.
func (p *iriParser) all(raw []string) []*url.URL {
	out := make([]*url.URL, len(raw))
	for i, r := range raw {
		out[i] = p.get(r)
	}
	return out
}

func idProperty(u *url.URL) vocab.JSONLDIdProperty {
	p := streams.NewJSONLDIdProperty()
	p.Set(u)
	return p
}

func toProperty(us ...*url.URL) vocab.ActivityStreamsToProperty {
	p := streams.NewActivityStreamsToProperty()
	for _, u := range us {
		p.AppendIRI(u)
	}
	return p
}

func ccProperty(us ...*url.URL) vocab.ActivityStreamsCcProperty {
	p := streams.NewActivityStreamsCcProperty()
	for _, u := range us {
		p.AppendIRI(u)
	}
	return p
}

func actorProperty(u *url.URL) vocab.ActivityStreamsActorProperty {
	p := streams.NewActivityStreamsActorProperty()
	p.AppendIRI(u)
	return p
}

func attributedToProperty(u *url.URL) vocab.ActivityStreamsAttributedToProperty {
	p := streams.NewActivityStreamsAttributedToProperty()
	p.AppendIRI(u)
	return p
}

func objectIRIProperty(u *url.URL) vocab.ActivityStreamsObjectProperty {
	p := streams.NewActivityStreamsObjectProperty()
	p.AppendIRI(u)
	return p
}

func urlProperty(u *url.URL) vocab.ActivityStreamsUrlProperty {
	p := streams.NewActivityStreamsUrlProperty()
	p.AppendIRI(u)
	return p
}

func nameProperty(s string) vocab.ActivityStreamsNameProperty {
	p := streams.NewActivityStreamsNameProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func summaryProperty(s string) vocab.ActivityStreamsSummaryProperty {
	p := streams.NewActivityStreamsSummaryProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func contentProperty(s string) vocab.ActivityStreamsContentProperty {
	p := streams.NewActivityStreamsContentProperty()
	p.AppendXMLSchemaString(s)
	return p
}

func publishedProperty(t time.Time) vocab.ActivityStreamsPublishedProperty {
	p := streams.NewActivityStreamsPublishedProperty()
	p.Set(t.UTC())
	return p
}

func updatedProperty(t time.Time) vocab.ActivityStreamsUpdatedProperty {
	p := streams.NewActivityStreamsUpdatedProperty()
	p.Set(t.UTC())
	return p
}

// place is a location as an ActivityStreams Place (name = the address text,
// latitude/longitude, radius in km), or nil when the location is empty.
func place(l directory.Location) vocab.ActivityStreamsLocationProperty {
	if l.Address == "" && !l.HasPoint() {
		return nil
	}
	pl := streams.NewActivityStreamsPlace()
	if l.Address != "" {
		pl.SetActivityStreamsName(nameProperty(l.Address))
	}
	if l.HasPoint() {
		lat := streams.NewActivityStreamsLatitudeProperty()
		lat.Set(*l.Lat)
		pl.SetActivityStreamsLatitude(lat)
		lon := streams.NewActivityStreamsLongitudeProperty()
		lon.Set(*l.Lon)
		pl.SetActivityStreamsLongitude(lon)
	}
	if l.RadiusKM != nil {
		r := streams.NewActivityStreamsRadiusProperty()
		r.Set(*l.RadiusKM)
		pl.SetActivityStreamsRadius(r)
		units := streams.NewActivityStreamsUnitsProperty()
		units.SetXMLSchemaString("km")
		pl.SetActivityStreamsUnits(units)
	}
	p := streams.NewActivityStreamsLocationProperty()
	p.AppendActivityStreamsPlace(pl)
	return p
}
