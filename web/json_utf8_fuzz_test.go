package web

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzCheckUTF8Body: a body is refused exactly when it is not valid UTF-8,
// and a member named in the refusal is one whose key the body spells out.
func FuzzCheckUTF8Body(f *testing.F) {
	for _, s := range []string{
		`{"name":"ok"}`, "{\"name\":\"Caf\xe9\"}", "{\"location\":{\"address\":\"\xff\"}}", "{\"sectors\":[\"a\",\"\xc3\"]}",
		"{\"k\xe9y\":1}", "[\xff]", "{\"a\":", "\xef\xbb\xbf{}", "{\"a\":[[[[\"\xff\"]]]]}", "{\"a\":1}\xff",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := checkUTF8Body(body)
		if (err == nil) != utf8.Valid(body) {
			t.Fatalf("checkUTF8Body(%q) = %v", body, err)
		}
		if err == nil {
			return
		}
		re, ok := err.(*requestError)
		if !ok {
			t.Fatalf("error %T", err)
		}
		for _, fe := range re.fields {
			last := strings.TrimRight(fe.Field, "[]0123456789") // the member key before any index
			if i := strings.LastIndexAny(last, ".]"); i >= 0 {
				last = last[i+1:]
			}
			if last != "" && !strings.Contains(strings.ToValidUTF8(string(body), "\uFFFD"), last) && !strings.Contains(string(body), `\`) {
				t.Fatalf("field %q named for %q", fe.Field, body)
			}
		}
	})
}
