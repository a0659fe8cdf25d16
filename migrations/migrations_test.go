package migrations

import (
	"io/fs"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// history is every migration up to lastDivergent, by engine. Until then
// the engines numbered their changes apart (SQLite's 00003 has no
// PostgreSQL twin, PostgreSQL's 00005 and 00008 no SQLite one, and the
// federation state is 00005 on one and 00006 on the other). Deployed
// databases record those numbers, so they stay; the list pins them.
var history = map[string][]string{
	"sqlite": {
		"00001_init.sql",
		"00002_web.sql",
		"00003_expiry_counts.sql",
		"00004_federation.sql",
		"00005_federation_state.sql",
		"00006_id_floors.sql",
		"00007_partners.sql",
	},
	"postgres": {
		"00001_init.sql",
		"00002_web.sql",
		"00004_federation.sql",
		"00005_facet_indexes.sql",
		"00006_federation_state.sql",
		"00007_partners.sql",
		"00008_search_indexes.sql",
	},
}

// lastDivergent is the last number the engines may use apart. From the
// next one on, a change has the same number and name on both engines: a
// change only one engine needs still takes its number on the other, as a
// migration with no statements (goose records it like any other).
const lastDivergent = 8

// files returns the migration file names of an engine's folder.
func files(t *testing.T, fsys fs.FS, dir string) []string {
	t.Helper()
	names, err := fs.Glob(fsys, dir+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range names {
		names[i] = strings.TrimPrefix(n, dir+"/")
	}
	return names
}

// number returns the version of a migration file name, as goose reads
// it: the digits before the first underscore.
func number(t *testing.T, name string) int {
	t.Helper()
	digits, _, ok := strings.Cut(name, "_")
	n, err := strconv.Atoi(digits)
	if !ok || err != nil || n <= 0 {
		t.Fatalf("%s: not a numbered migration (00009_what.sql)", name)
	}
	return n
}

func TestEnginesNumberChangesAlike(t *testing.T) {
	byEngine := map[string][]string{
		"sqlite":   files(t, SQLite, "sqlite"),
		"postgres": files(t, Postgres, "postgres"),
	}
	later := map[string]map[int]string{} // engine -> number -> name, from lastDivergent+1
	for engine, names := range byEngine {
		later[engine] = map[int]string{}
		var early []string
		seen := map[int]string{}
		for _, name := range names {
			n := number(t, name)
			if other, ok := seen[n]; ok {
				t.Errorf("%s: %s and %s have the same number", engine, other, name)
			}
			seen[n] = name
			if n <= lastDivergent {
				early = append(early, name)
			} else {
				later[engine][n] = name
			}
		}
		if !slices.Equal(early, history[engine]) {
			t.Errorf("%s: migrations up to %05d are %v, want %v: applied migrations are never renumbered, renamed, added or removed",
				engine, lastDivergent, early, history[engine])
		}
	}
	numbers := slices.Sorted(maps.Keys(later["sqlite"]))
	for n := range later["postgres"] {
		if _, ok := later["sqlite"][n]; !ok {
			numbers = append(numbers, n)
		}
	}
	for _, n := range numbers {
		lite, pg := later["sqlite"][n], later["postgres"][n]
		switch {
		case lite == "":
			t.Errorf("postgres/%s has no sqlite twin: the same change has the same number on both engines", pg)
		case pg == "":
			t.Errorf("sqlite/%s has no postgres twin: the same change has the same number on both engines", lite)
		case lite != pg:
			t.Errorf("%05d is sqlite/%s but postgres/%s: one change, one name", n, lite, pg)
		}
	}
}
