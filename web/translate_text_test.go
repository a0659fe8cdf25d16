package web

import (
	"html"
	"regexp"
	"sort"
	"strings"
	"testing"
	"text/template/parse"
)

// placeholder stands for an action in the text of a template.
const placeholder = "\x00"

var (
	htmlComment  = regexp.MustCompile(`(?s)<!--.*?-->`)
	htmlTag      = regexp.MustCompile(`(?s)<[^>]*>`)
	visibleAttr  = regexp.MustCompile(`\b(aria-label|alt|placeholder|title|data-label)="([^"]*)"`)
	htmlEntity   = regexp.MustCompile(`&#?\w+;`)
	hasLetter    = regexp.MustCompile(`\p{L}`)
	untranslated = map[string]bool{"vCard": true, "km": true}
)

// attributeParts are the templates that write attributes, not text.
var attributeParts = map[string]bool{"fieldAria": true}

// templateText flattens the text nodes of a tree, actions as placeholders.
func templateText(tree *parse.Tree) string {
	var b strings.Builder
	walkNodes(tree.Root, func(n parse.Node) {
		switch n := n.(type) {
		case *parse.TextNode:
			b.Write(n.Text)
		case *parse.ActionNode, *parse.TemplateNode:
			b.WriteString(placeholder)
		}
	})
	return b.String()
}

// unwrappedText lists the visible words of text that no t call wraps.
func unwrappedText(text string) []string {
	text = htmlComment.ReplaceAllString(text, "")
	var found []string
	check := func(s string) {
		for _, chunk := range strings.Split(s, placeholder) {
			chunk = strings.TrimSpace(htmlEntity.ReplaceAllString(html.UnescapeString(chunk), " "))
			if hasLetter.MatchString(chunk) && !untranslated[chunk] {
				found = append(found, chunk)
			}
		}
	}
	for _, tag := range htmlTag.FindAllString(text, -1) {
		for _, m := range visibleAttr.FindAllStringSubmatch(tag, -1) {
			check(m[2])
		}
	}
	check(htmlTag.ReplaceAllString(text, placeholder))
	return found
}

// TestTemplatesWrapText fails on visible text of a template that does not
// go through t: it would stay English in every language.
func TestTemplatesWrapText(t *testing.T) {
	for name, text := range templateFiles(t) {
		var found []string
		for tname, tree := range parseTemplateFile(t, name, text) {
			if attributeParts[tname] {
				continue
			}
			found = append(found, unwrappedText(templateText(tree))...)
		}
		sort.Strings(found)
		for _, f := range found {
			t.Errorf("%s: text not wrapped in t: %q", name, f)
		}
	}
}

func TestUnwrappedTextFinds(t *testing.T) {
	for in, want := range map[string]int{
		`<p>Hello</p>`: 1, `<p>` + placeholder + `</p>`: 0, `<img alt="A logo">`: 1,
		`<p>&amp; · — ` + placeholder + `</p>`: 0, `<a title="` + placeholder + `">x</a>`: 1,
		`<!-- a comment -->`: 0, `<p class="meta">` + placeholder + ` km</p>`: 0,
	} {
		if got := unwrappedText(in); len(got) != want {
			t.Errorf("unwrappedText(%q) = %q, want %d", in, got, want)
		}
	}
}
