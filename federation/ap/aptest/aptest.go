// Package aptest holds what the tests of federation and federation/ap share:
// the fixed inputs the golden documents are built from, the golden file
// comparison with its -update flag, and the fuzz seeds taken from the golden
// documents. It imports neither federation nor ap, so that the internal
// tests of both can use it.
package aptest

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Golden compares got with the golden file at path, or rewrites the file
// when the test runs with -update.
func Golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the test with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is meant):\n%s", path, got)
	}
}

// AddDocumentSeeds seeds f with every golden document under dir and with
// hostile shapes: deep nesting, nulls, wrong types, strings in brackets.
func AddDocumentSeeds(f *testing.F, dir string) {
	f.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		f.Fatalf("no golden documents under %s: %v", dir, err)
	}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(raw)
	}
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"id":"x","type":"Follow","actor":null}`,
		`{"id":"https://a.example/1","type":"Create","actor":"https://a.example/u","object":{"id":7}}`,
		`{"id":"https://a.example/1","type":["Create"],"actor":["https://a.example/u"]}`,
		`{"id":"a","type":"b","actor":"c","x":"` + strings.Repeat("[", 100) + `"}`,
		strings.Repeat(`{"a":`, 200) + `1` + strings.Repeat(`}`, 200),
		`{"id":"https://a.example/u","type":"Person","inbox":"https://a.example/i","publicKey":[{"id":"https://a.example/u#k","owner":"https://a.example/u","publicKeyPem":"x"}]}`,
		`{"type":"Proposal","id":"https://a.example/l/1","attributedTo":"https://a.example/e","publishes":{"resourceQuantity":{"hasNumericalValue":"1e999"}}}`,
	} {
		f.Add([]byte(s))
	}
}

// Must returns a helper that fails the test when a builder fails and
// returns the document otherwise.
func Must(t testing.TB) func(map[string]any, error) map[string]any {
	return func(m map[string]any, err error) map[string]any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
}
