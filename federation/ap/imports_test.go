package ap

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// goFed is the import path prefix of the vocabulary library.
const goFed = "github.com/go-fed/activity"

// TestOnlyAPImportsGoFed: no package but this one (with aptest) imports
// go-fed, test files included, so that swapping the vocabulary library
// changes federation/ap alone.
func TestOnlyAPImportsGoFed(t *testing.T) {
	root := moduleRoot(t)
	allowed := filepath.Join(root, "federation", "ap")
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			// Go ignores testdata and the folders whose name starts with
			// . or _; so does this test.
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") {
			return nil
		}
		files++
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		dir := filepath.Dir(path)
		if dir == allowed || strings.HasPrefix(dir, allowed+string(filepath.Separator)) {
			return nil
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if p == goFed || strings.HasPrefix(p, goFed+"/") {
				rel, _ := filepath.Rel(root, path)
				t.Errorf("%s imports %s: only federation/ap may", rel, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 100 {
		t.Fatalf("read %d Go files under %s: not the whole module", files, root)
	}
}

// moduleRoot is the folder of the go.mod above the test's directory.
func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
