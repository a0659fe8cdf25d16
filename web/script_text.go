package web

import (
	"fmt"
	"path"
	"strings"
)

// scriptTexts are the texts our scripts (web/static/*.js) show, by
// script, as English formats whose %s the script fills in. A page hands
// those of its scripts over in the reader's language in a JSON island
// (#coopdir-text), which web/static/text.js reads; counts are formatted by
// the script, so they come in as %s.
var scriptTexts = map[string][]string{
	"follow.js": {msg("Copy"), msg("Copy the address %s"), msg("Copied %s"),
		msg("Press Ctrl+C (or ⌘C) to copy the selected address")},
	"geo.js": {msg("Finding your location…"), msg("Location filled in. Press Search to use it."),
		msg("Your browser did not share your location. Type a place instead."),
		msg("Your location could not be found. Type a place instead.")},
	"locate.js": {msg("The location"), msg("Latitude and longitude set from the map: %s, %s. Save to keep them.")},
	"map.js": {msg("Loading the places of the results…"),
		msg("The map could not load the places of the results. They are listed below."),
		msg("The map shows the newest %s results, not all: zoom in to see the others."),
		msg("The map shows the newest %s results in this part of the map, not all: zoom in to see the others."),
		msg("1 result has a place on the map."), msg("%s results have a place on the map."),
		msg("1 result has a place on the map in this part of the map."),
		msg("%s results have a place on the map in this part of the map.")},
}

// scriptText is the scriptTexts of scripts (the page's script
// addresses) in l, each %s of a format turned into {1}, {2}… in the order
// of the English arguments (a translation may move them), for text.js to
// fill in.
func (l *locale) scriptText(scripts []string) map[string]string {
	out := map[string]string{}
	for _, src := range scripts {
		for _, format := range scriptTexts[path.Base(src)] {
			n := strings.Count(format, "%s")
			args := make([]any, n)
			for i := range args {
				args[i] = fmt.Sprintf("{%d}", i+1)
			}
			out[format] = l.sprintf(format, args...)
		}
	}
	return out
}
