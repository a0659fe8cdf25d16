// Package markdown renders the Markdown people write in summaries, listing
// descriptions and announcements to HTML that is safe to embed in our pages
// and in the ActivityPub documents we publish.
package markdown

import (
	"bytes"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Renderer turns Markdown into sanitized HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New returns a Renderer with GitHub-flavoured extras (links, strikethrough,
// tables) and a user-content sanitizing policy: no scripts, event handlers,
// styles, iframes or javascript: URLs; links get rel="nofollow noopener".
func New() *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(false)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.AllowURLSchemes("http", "https", "mailto", "tel")
	return &Renderer{
		// Raw HTML in the source is escaped by goldmark (no html.WithUnsafe);
		// the sanitizer is the second line of defence.
		md:     goldmark.New(goldmark.WithExtensions(extension.Linkify, extension.Strikethrough, extension.Table)),
		policy: p,
	}
}

// Render returns sanitized HTML for src; on a (theoretical) rendering
// failure it returns the escaped source.
func (r *Renderer) Render(src string) string {
	var buf bytes.Buffer
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return r.policy.Sanitize("<p>" + bluemonday.StrictPolicy().Sanitize(src) + "</p>")
	}
	return string(r.policy.SanitizeBytes(buf.Bytes()))
}

// Sanitize cleans HTML written elsewhere (a post from another server) with
// the same policy as rendered Markdown.
func (r *Renderer) Sanitize(html string) string {
	return r.policy.Sanitize(html)
}
