package markdown

import (
	"strings"
	"testing"
)

func TestRenderKeepsFormatting(t *testing.T) {
	got := New().Render("**Union** painters — see https://example.org and [site](https://flora.example)")
	for _, want := range []string{"<strong>Union</strong>", `<a href="https://example.org" rel="nofollow">`, `href="https://flora.example"`} {
		if !strings.Contains(got, want) {
			t.Errorf("Render lost %q: %s", want, got)
		}
	}
}

func TestRenderRemovesInjection(t *testing.T) {
	r := New()
	for name, src := range map[string]string{
		"script tag":         "hi <script>alert(1)</script>",
		"event handler":      `<img src=x onerror="alert(1)">`,
		"javascript link":    "[click](javascript:alert(1))",
		"javascript html":    `<a href="javascript:alert(1)">x</a>`,
		"style injection":    `<p style="background:url(javascript:alert(1))">x</p><style>body{display:none}</style>`,
		"iframe":             `<iframe src="https://evil.example"></iframe>`,
		"data uri link":      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"entity obfuscation": `[x](&#106;avascript:alert(1))`,
	} {
		t.Run(name, func(t *testing.T) {
			got := strings.ToLower(r.Render(src))
			for _, bad := range []string{"<script", "onerror", "javascript:", "<style", "style=", "<iframe", "data:text"} {
				if strings.Contains(got, bad) {
					t.Errorf("Render(%q) = %q contains %q", src, got, bad)
				}
			}
		})
	}
}
