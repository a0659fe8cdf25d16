package exchange

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
)

// blockTags end a paragraph when HTML turns into text.
var blockTags = map[string]bool{"p": true, "div": true, "li": true, "ul": true, "ol": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true}

var blankLines = regexp.MustCompile(`\n[ \t]*\n(\s*\n)*`)

// htmlText turns a SEA Description, an HTML fragment, into the plain
// text our summaries start from: tags dropped (a paragraph or a line
// break becomes one), entities decoded, the content of script and style
// left out. Text without "<" or "&" is returned as it is.
func htmlText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			out := strings.TrimSpace(blankLines.ReplaceAllString(b.String(), "\n\n"))
			if !strings.Contains(s, "\uFFFD") {
				// A bad character reference (&#0;) decodes to U+FFFD,
				// which the file never held.
				out = strings.ReplaceAll(out, "\uFFFD", "")
			}
			return out
		case html.TextToken:
			if skip == 0 {
				b.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch tag := string(name); {
			case tag == "script" || tag == "style":
				if tt == html.StartTagToken {
					skip++
				} else if tt == html.EndTagToken && skip > 0 {
					skip--
				}
			case tag == "br":
				b.WriteString("\n")
			case blockTags[tag]:
				b.WriteString("\n\n")
			}
		}
	}
}
