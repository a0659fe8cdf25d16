package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/coopdir/coopdir/directory"
)

// The catalogs' keys are found where the messages are written: the t and
// th calls of the templates, the translate and msg calls and the labels
// (fields named …Label, Hint, Heading, Question, Yes, Effect) of the Go
// files of web, the directory's validation messages, and the labels of
// the kinds and categories.

// templateFiles are the template files, by name.
func templateFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, glob := range []string{"templates/*.html", "templates/admin/*.html"} {
		names, err := fs.Glob(templateFS, glob)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(glob, "admin/") {
			names, _ = fs.Glob(adminPartsFS, glob)
		}
		for _, name := range names {
			var b []byte
			if strings.Contains(name, "admin/") {
				b, err = adminPartsFS.ReadFile(name)
			} else {
				b, err = templateFS.ReadFile(name)
			}
			if err != nil {
				t.Fatal(err)
			}
			files[name] = string(b)
		}
	}
	return files
}

// parseTemplateFile parses one file into its trees.
func parseTemplateFile(t *testing.T, name, text string) map[string]*parse.Tree {
	t.Helper()
	funcs := map[string]any{}
	for k, v := range templateFuncs {
		funcs[k] = v
	}
	builtins := map[string]any{}
	for _, b := range strings.Fields("and or not eq ne lt le gt ge len index slice print printf println call html js urlquery") {
		builtins[b] = true
	}
	trees, err := parse.Parse(name, text, "{{", "}}", funcs, builtins)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return trees
}

// walkNodes calls visit on every node under n.
func walkNodes(n parse.Node, visit func(parse.Node)) {
	if n == nil {
		return
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walkNodes(c, visit)
			}
		}
	case *parse.ActionNode:
		walkNodes(n.Pipe, visit)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walkNodes(c, visit)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walkNodes(a, visit)
		}
	case *parse.IfNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.RangeNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.WithNode:
		walkBranch(&n.BranchNode, visit)
	case *parse.TemplateNode:
		walkNodes(n.Pipe, visit)
	}
}

func walkBranch(b *parse.BranchNode, visit func(parse.Node)) {
	walkNodes(b.Pipe, visit)
	if b.List != nil {
		walkNodes(b.List, visit)
	}
	if b.ElseList != nil {
		walkNodes(b.ElseList, visit)
	}
}

// templateKeys returns the keys of the templates' t and th calls, with
// the files that use them.
func templateKeys(t *testing.T) map[string][]string {
	t.Helper()
	keys := map[string][]string{}
	for name, text := range templateFiles(t) {
		for _, tree := range parseTemplateFile(t, name, text) {
			walkNodes(tree.Root, func(n parse.Node) {
				c, ok := n.(*parse.CommandNode)
				if !ok || len(c.Args) < 2 {
					return
				}
				id, ok := c.Args[0].(*parse.IdentifierNode)
				if !ok || (id.Ident != "t" && id.Ident != "th") {
					return
				}
				if s, ok := c.Args[1].(*parse.StringNode); ok {
					keys[s.Text] = append(keys[s.Text], name)
				}
			})
		}
	}
	return keys
}

// labelField names the fields of composite literals that hold a label to
// translate where it is shown.
var labelField = regexp.MustCompile(`^(\w*Label|Hint|Heading|Question|Yes|Effect)$`)

// goKeys returns the keys written in the Go files of dir (not tests):
// translate(r, "…"), msg("…"), the titles of s.layout and s.adminPage,
// the messages of renderError, badRequest, addError and p.fail, and labels; with directory, the validation
// messages of the directory package too.
func goKeys(t *testing.T, dir string, directoryRules bool) map[string][]string {
	t.Helper()
	keys := map[string][]string{}
	fset := token.NewFileSet()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	add := func(e ast.Expr, prefix string) {
		if s, ok := constString(e); ok && hasLetter.MatchString(catalogVerb.ReplaceAllString(s, "")) {
			keys[prefix+s] = append(keys[prefix+s], fset.Position(e.Pos()).String())
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				name := callName(n.Fun)
				switch {
				case name == "translate" && len(n.Args) >= 2:
					add(n.Args[1], "")
				case name == "msg" && len(n.Args) == 1:
					add(n.Args[0], "")
				case name == "layout" && len(n.Args) == 2, name == "addError" && len(n.Args) == 2:
					add(n.Args[1], "")
				case name == "adminPage" && len(n.Args) == 3:
					add(n.Args[2], "")
				case name == "renderError" && len(n.Args) == 4:
					add(n.Args[3], "")
				case name == "badRequest" && len(n.Args) >= 1:
					add(n.Args[0], "")
				case name == "fail" && len(n.Args) >= 3: // a query parser's p.fail(field, rule, format, …)
					add(n.Args[2], "")
				case directoryRules && name == "add" && len(n.Args) >= 3:
					add(n.Args[2], "")
				case directoryRules && name == "Errorf" && len(n.Args) >= 2:
					add(n.Args[1], "")
				case directoryRules && name == "err" && len(n.Args) == 1:
					add(n.Args[0], "invalid ")
				}
			case *ast.CompositeLit:
				// FieldError{"field", "rule", "message"} written unkeyed.
				if directoryRules && callName(n.Type) == "FieldError" && len(n.Elts) == 3 {
					add(n.Elts[2], "")
				}
			case *ast.KeyValueExpr:
				if k, ok := n.Key.(*ast.Ident); ok && labelField.MatchString(k.Name) {
					add(n.Value, "")
				}
				if k, ok := n.Key.(*ast.Ident); ok && directoryRules && k.Name == "Message" {
					add(n.Value, "")
				}
			}
			return true
		})
	}
	return keys
}

// constString is the value of a string literal, or of a sum of them.
func constString(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, ok1 := constString(e.X)
			b, ok2 := constString(e.Y)
			return a + b, ok1 && ok2
		}
	case *ast.ParenExpr:
		return constString(e.X)
	}
	return "", false
}

// callName is the name of a called function or method.
func callName(fun ast.Expr) string {
	switch f := fun.(type) {
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return f.Sel.Name
	}
	return ""
}

// allKeys gathers every key the interface uses.
func allKeys(t *testing.T) map[string][]string {
	t.Helper()
	keys := templateKeys(t)
	merge := func(m map[string][]string) {
		for k, v := range m {
			keys[k] = append(keys[k], v...)
		}
	}
	merge(goKeys(t, ".", true))
	merge(goKeys(t, filepath.Join("..", "directory"), true))
	for _, k := range directory.Kinds {
		keys[k.Label()] = append(keys[k.Label()], "directory.Kinds")
	}
	for _, c := range directory.Categories {
		keys[c.Label()] = append(keys[c.Label()], "directory.Categories")
	}
	delete(keys, "internal error") // never translated away: logs and tests look for it
	return keys
}

// TestCatalogsComplete fails when a message of the interface lacks a
// translation in a language, and lists what each language lacks.
func TestCatalogsComplete(t *testing.T) {
	keys := allKeys(t)
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the extraction is broken", len(keys))
	}
	for _, l := range locales[1:] {
		entries, err := readCatalog(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		for k := range keys {
			if _, ok := entries[k]; !ok {
				missing = append(missing, k)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			var b strings.Builder
			for _, k := range missing {
				b.WriteString("\n  " + strconv.Quote(k) + "  (" + keys[k][0] + ")")
			}
			t.Errorf("locales/%s.json lacks %d of %d messages:%s", l.Code, len(missing), len(keys), b.String())
		}
	}
}

// catalogVerb finds the fmt verbs of a message, positions aside.
var catalogVerb = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z]`)

// verbsOf lists the verbs of s, sorted, without argument positions.
func verbsOf(s string) []string {
	var vs []string
	for _, v := range catalogVerb.FindAllString(s, -1) {
		vs = append(vs, regexp.MustCompile(`\[\d+\]`).ReplaceAllString(v, ""))
	}
	sort.Strings(vs)
	return vs
}

// TestCatalogsKeepTheArguments fails when a translation drops, adds or
// changes a verb of its key: its arguments would print as %!v(MISSING).
// Plural forms may leave the count out ("this filter").
func TestCatalogsKeepTheArguments(t *testing.T) {
	for _, l := range locales {
		entries, err := readCatalog(l.Code)
		if err != nil {
			t.Fatal(err)
		}
		for key, e := range entries {
			want := strings.Join(verbsOf(key), " ")
			if e.Plural == nil {
				if got := strings.Join(verbsOf(e.Text), " "); got != want {
					t.Errorf("locales/%s.json: %q has verbs %q, its key %q", l.Code, e.Text, got, want)
				}
				continue
			}
			for sel, text := range e.Plural {
				if len(verbsOf(text)) > len(verbsOf(key)) {
					t.Errorf("locales/%s.json: %q (%s) has more verbs than its key", l.Code, key, sel)
				}
			}
		}
	}
}
