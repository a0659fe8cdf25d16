package web

import (
	"fmt"
	"net/http"
)

// Every text a visitor reads goes through t (in templates) or translate (in
// handlers), written as an English fmt format: {{t "%d results" .Count}}.
// The English format is the message's key in the catalogs. t is in the
// templateFuncs literal: the admin parts are parsed when the package's
// variables are set, before any init function runs.
func templateT(format string, args ...any) string { return translate(nil, format, args...) }

// translate gives the message format, filled with args, in the language of
// request r.
func translate(r *http.Request, format string, args ...any) string {
	_ = r
	if len(args) == 0 {
		return format
	}
	return fmt.Sprintf(format, args...)
}

// readerLanguage is the language the visitor of r reads (a BCP 47 tag such
// as "es"), to pick an entry's translation; "" until the catalogs land.
func readerLanguage(r *http.Request) string {
	_ = r
	return ""
}
