package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// checkUTF8Body refuses a body that is not valid UTF-8, naming the member
// that holds the first bad byte (encoding/json would store U+FFFD).
func checkUTF8Body(body []byte) error {
	off := directory.FirstInvalidUTF8(body)
	if off < 0 {
		return nil
	}
	msg := fmt.Sprintf("the request body is not valid UTF-8 (byte %d)", off)
	field := utf8Member(body, off)
	if field == "" {
		return badRequest(msg)
	}
	return badRequest(fmt.Sprintf("field %q is not valid UTF-8", field),
		directory.FieldError{Field: field, Rule: "utf8", Message: "must be valid UTF-8 text"})
}

// jsonFrame is an object or array being read by utf8Member.
type jsonFrame struct {
	object  bool
	key     string
	index   int
	wantKey bool
}

// utf8Member returns the path (location.address, sectors[1]) of the
// member whose key or value holds byte off of body, or "" when it cannot
// tell (malformed JSON, or the byte lies outside any member).
func utf8Member(body []byte, off int) string {
	dec := json.NewDecoder(bytes.NewReader(body))
	var stack []*jsonFrame
	path := func() string {
		var b strings.Builder
		for i, f := range stack {
			switch {
			case !f.object:
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			case i > 0:
				b.WriteString("." + f.key)
			default:
				b.WriteString(f.key)
			}
		}
		return b.String()
	}
	done := func() { // a value of the innermost frame ended
		if n := len(stack); n > 0 {
			if top := stack[n-1]; top.object {
				top.wantKey = true
			} else {
				top.index++
			}
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return ""
		}
		end := int(dec.InputOffset())
		var top *jsonFrame
		if n := len(stack); n > 0 {
			top = stack[n-1]
		}
		if s, ok := tok.(string); ok && top != nil && top.object && top.wantKey {
			top.key, top.wantKey = s, false
			if end > off {
				return path()
			}
			continue
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			stack = append(stack, &jsonFrame{object: tok == json.Delim('{'), wantKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if end > off {
			return path()
		}
		done()
	}
}
