package ap

import (
	"bytes"
	"encoding/json"
)

// langMaps are the ActivityStreams natural-language maps.
var langMaps = map[string]bool{"nameMap": true, "summaryMap": true, "contentMap": true}

// LangText is one language's text of a natural-language map.
type LangText struct {
	Lang, Text string
}

// LangMap is an ActivityStreams natural-language map (nameMap, summaryMap,
// contentMap): a BCP 47 tag to the text in that language. It is written in
// its own order, the main language first: Mastodon takes the first key of
// contentMap as a post's language.
type LangMap []LangText

// MarshalJSON writes the map as a JSON object in the order of m.
func (m LangMap) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, lt := range m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(lt.Lang)
		if err != nil {
			return nil, err
		}
		v, err := marshalText(lt.Text)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshalText encodes a string as Marshal does: <, > and & left as they are.
func marshalText(s string) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}
