// Package enginetest checks that the two storage engines keep the same
// shape: the same exported methods, and the same file names for the code
// both have. Behaviour is checked by directory/storetest, which both pass.
package enginetest

import (
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory/postgres"
	"github.com/coopdir/coopdir/directory/sqlite"
)

// Deliberate differences: the methods one engine has and the other lacks,
// each with the reason. None today.
var (
	onlySQLite   = map[string]string{}
	onlyPostgres = map[string]string{}
)

// methods returns the exported methods of t by name, each as its
// signature without the receiver.
func methods(t reflect.Type) map[string]string {
	out := make(map[string]string, t.NumMethod())
	for i := range t.NumMethod() {
		m := t.Method(i)
		var in, res []string
		for j := 1; j < m.Type.NumIn(); j++ { // 0 is the receiver
			in = append(in, m.Type.In(j).String())
		}
		if m.Type.IsVariadic() {
			in[len(in)-1] = "..." + strings.TrimPrefix(in[len(in)-1], "[]")
		}
		for j := range m.Type.NumOut() {
			res = append(res, m.Type.Out(j).String())
		}
		out[m.Name] = "(" + strings.Join(in, ", ") + ") (" + strings.Join(res, ", ") + ")"
	}
	return out
}

func TestEnginesHaveTheSameMethods(t *testing.T) {
	lite := methods(reflect.TypeOf((*sqlite.DB)(nil)))
	pg := methods(reflect.TypeOf((*postgres.DB)(nil)))
	if len(lite) < 50 {
		t.Fatalf("*sqlite.DB has %d exported methods: is this the store?", len(lite))
	}
	for name, sig := range lite {
		other, ok := pg[name]
		switch {
		case !ok && onlySQLite[name] == "":
			t.Errorf("*sqlite.DB has %s%s, *postgres.DB does not (add it, or say why in onlySQLite)", name, sig)
		case ok && onlySQLite[name] != "":
			t.Errorf("%s is listed in onlySQLite but both engines have it", name)
		case ok && other != sig:
			t.Errorf("%s: *sqlite.DB has %s, *postgres.DB %s", name, sig, other)
		}
	}
	for name, sig := range pg {
		_, ok := lite[name]
		switch {
		case !ok && onlyPostgres[name] == "":
			t.Errorf("*postgres.DB has %s%s, *sqlite.DB does not (add it, or say why in onlyPostgres)", name, sig)
		case ok && onlyPostgres[name] != "":
			t.Errorf("%s is listed in onlyPostgres but both engines have it", name)
		}
	}
	for name := range onlySQLite {
		if _, ok := lite[name]; !ok {
			t.Errorf("onlySQLite lists %s, which *sqlite.DB does not have", name)
		}
	}
	for name := range onlyPostgres {
		if _, ok := pg[name]; !ok {
			t.Errorf("onlyPostgres lists %s, which *postgres.DB does not have", name)
		}
	}
}

// sharedFiles returns the .go files (tests included) of the engine folder
// dir whose names do not start with prefix, the mark of a file that holds
// code only that engine has.
func sharedFiles(t *testing.T, dir, prefix string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasPrefix(name, prefix) {
			continue
		}
		out = append(out, name)
	}
	return out
}

func TestEnginesHaveTheSameFileNames(t *testing.T) {
	// Code both engines have lives under the same name in both (enterprise.go,
	// search_text.go, partner_import.go...); a file of one engine's own
	// code is named for its engine (sqlite_prepared.go,
	// postgres_search_window.go).
	lite := sharedFiles(t, "../sqlite", "sqlite_")
	pg := sharedFiles(t, "../postgres", "postgres_")
	if len(lite) < 10 {
		t.Fatalf("../sqlite has %d shared files: is this the engine's folder?", len(lite))
	}
	for _, name := range lite {
		if !slices.Contains(pg, name) {
			t.Errorf("directory/sqlite/%s has no directory/postgres/%s: give the PostgreSQL code its name, or name the file sqlite_%s if the code is SQLite's own", name, name, name)
		}
	}
	for _, name := range pg {
		if !slices.Contains(lite, name) {
			t.Errorf("directory/postgres/%s has no directory/sqlite/%s: give the SQLite code its name, or name the file postgres_%s if the code is PostgreSQL's own", name, name, name)
		}
	}
}
