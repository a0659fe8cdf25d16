package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// Cache lifetimes of successful responses.
const (
	cachePublic  = "public, max-age=60" // public reads: a minute of staleness is fine
	cachePrivate = "no-store"           // writes and errors
)

// writeJSON writes v as the JSON body of a response with status.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, status int, cache string, v any) {
	body, err := marshalJSON(v)
	if err != nil {
		s.fail(w, r, directory.Internal(err, "encode response"))
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", cache)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshalJSON encodes v followed by a newline, leaving <, > and & as they
// are: API responses are never embedded in HTML.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeJSON reads the request body into dst: it must be a single JSON
// object of at most maxBody bytes, sent as application/json, whose members
// are all fields of dst with the right JSON types.
func (s *server) decodeJSON(w http.ResponseWriter, r *http.Request, dst any) error {
	_, err := s.readJSON(w, r, dst, "application/json")
	return err
}

// decodePatch reads a merge-patch body (RFC 7396 style) into dst, a struct
// of pointer fields: an absent member leaves its field nil (keep), a member
// set to null sets the field to a pointer to the zero value (clear, which
// for **float64 fields means a pointer to nil). Objects such as location
// are replaced whole, not merged. It accepts application/json and
// application/merge-patch+json.
func (s *server) decodePatch(w http.ResponseWriter, r *http.Request, dst any) error {
	body, err := s.readJSON(w, r, dst, "application/json", "application/merge-patch+json")
	if err != nil {
		return err
	}
	var members map[string]json.RawMessage
	if err := json.Unmarshal(body, &members); err != nil {
		return badRequest("request body must be a JSON object")
	}
	clearNulls(reflect.ValueOf(dst).Elem(), members)
	return nil
}

// readJSON checks the content type, reads the capped body and decodes it
// into dst, rejecting unknown members. It returns the raw body.
func (s *server) readJSON(w http.ResponseWriter, r *http.Request, dst any, types ...string) ([]byte, error) {
	if err := checkContentType(r, types); err != nil {
		return nil, err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, directory.Errorf(directory.ETOOLARGE, "the request body must be at most %s", byteSize(s.maxBody))
		}
		return nil, badRequest("could not read the request body")
	}
	if err := checkUTF8Body(body); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return nil, jsonError(err, dst)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("the request body must hold one JSON object and nothing after it")
	}
	return body, nil
}

// byteSize writes n bytes for people: 64 KiB, 100 bytes.
func byteSize(n int64) string {
	if n >= 1<<10 && n%(1<<10) == 0 {
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// checkContentType accepts a request whose Content-Type is one of types,
// with no charset or UTF-8.
func checkContentType(r *http.Request, types []string) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	ok := err == nil
	for _, t := range types {
		if ok && mt == t {
			if cs, has := params["charset"]; has && !strings.EqualFold(cs, "utf-8") {
				break
			}
			return nil
		}
	}
	return &requestError{
		status: http.StatusUnsupportedMediaType,
		detail: "the request body must be UTF-8 JSON sent with Content-Type " + strings.Join(types, " or "),
	}
}

// jsonError explains a decoding failure of dst in terms of the request body.
func jsonError(err error, dst any) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return badRequest("the request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return badRequest("malformed JSON: the body ends in the middle of a value")
	case errors.As(err, &syntax):
		return badRequest(fmt.Sprintf("malformed JSON at byte %d: %s", syntax.Offset, strings.TrimPrefix(syntax.Error(), "json: ")))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("the request body must be a JSON object, not " + jsonValue(typ.Value))
		}
		field := memberPath(typ.Field, reflect.TypeOf(dst))
		msg := "must be " + jsonKind(typ.Type)
		return badRequest(fmt.Sprintf("field %q %s, not %s", field, msg, jsonValue(typ.Value)),
			directory.FieldError{Field: field, Rule: "type", Message: msg})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// encoding/json has no typed error for this; the name is quoted in the message.
		name, uerr := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		if uerr != nil {
			name = strings.TrimPrefix(err.Error(), "json: unknown field ")
		}
		return badRequest(fmt.Sprintf("unknown field %q", name),
			directory.FieldError{Field: name, Rule: "unknown", Message: "is not a field of this resource"})
	}
	return badRequest("malformed JSON: " + strings.TrimPrefix(err.Error(), "json: "))
}

// memberPath turns the path encoding/json reports for a type error into
// the member path of the body: encoding/json puts the Go names of embedded
// structs in it (ListingUpdate.quantity), which the body does not have.
func memberPath(path string, t reflect.Type) string {
	embedded := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.Anonymous {
				embedded[f.Name] = true
				walk(f.Type)
			}
		}
	}
	walk(t)
	var parts []string
	for p := range strings.SplitSeq(path, ".") {
		if !embedded[p] {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ".")
}

// jsonKind names the JSON type that decodes into t.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a different type"
}

// jsonValue names the JSON value encoding/json describes as v ("string",
// "number -5", "array"…).
func jsonValue(v string) string {
	kind, rest, _ := strings.Cut(v, " ")
	switch {
	case kind == "array" || kind == "object":
		return "an " + kind
	case kind == "bool":
		return "a boolean"
	case kind == "number" && rest != "":
		return "the number " + rest
	}
	return "a " + kind
}

// clearNulls sets every pointer field of v whose member in members is null
// to a pointer to its zero value. Embedded structs are walked too.
func clearNulls(v reflect.Value, members map[string]json.RawMessage) {
	t := v.Type()
	for i := range t.NumField() {
		f, fv := t.Field(i), v.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			clearNulls(fv, members)
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "" || name == "-" || f.Type.Kind() != reflect.Pointer {
			continue
		}
		for k, raw := range members {
			// encoding/json matches member names case-insensitively; so do we.
			if strings.EqualFold(k, name) && string(bytes.TrimSpace(raw)) == "null" {
				fv.Set(reflect.New(f.Type.Elem()))
			}
		}
	}
}
