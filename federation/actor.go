package federation

import (
	"html"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
	"github.com/coopdir/coopdir/federation/ap"
)

// ourActor is the actor of profile at urls, with the shared inbox and the
// network every actor of ours has.
func ourActor(u URLs, urls ActorURLs, profile ap.Profile, publicKeyPEM string) ap.Actor {
	profile.ID = urls.ID
	return ap.Actor{
		Profile: profile, Inbox: urls.Inbox, SharedInbox: u.SharedInbox(), Outbox: urls.Outbox,
		Followers: urls.Followers, Following: urls.Following, Featured: urls.Featured,
		KeyID: urls.KeyID, PublicKeyPEM: publicKeyPEM, Network: u.Network().ID,
	}
}

// EnterpriseActor is the Organization actor of a local enterprise: what
// Mastodon shows as the account @handle@host. It auto-accepts follows, is
// discoverable, pins posts in featured, and lists its website, email, kind
// and network as profile fields and its kind and sectors as hashtags.
func EnterpriseActor(u URLs, e *directory.Enterprise, publicKeyPEM string) (map[string]any, error) {
	if err := onlyLocal(e.Origin, "enterprise "+e.Handle); err != nil {
		return nil, err
	}
	urls := u.Enterprise(e.Handle)
	a := ourActor(u, urls, ap.Profile{
		Type: "Organization", Username: e.Handle, Name: e.Name, SummaryHTML: e.SummaryHTML, URL: urls.ID,
		Published: e.CreatedAt, Updated: e.UpdatedAt, Icon: logoIcon(u, e.Logo), Location: e.Location,
		// The entry's terms, so that a partner reads the enterprise from its
		// actor too (see EnterpriseEntry).
		Extra: enterpriseTerms(e),
	}, publicKeyPEM)
	a.Discoverable = true
	a.Profile.Extra["attachment"] = append(profileFields(u, e), murmurationsLink(u, e.Handle))
	a.Profile.Extra["tag"] = enterpriseTags(u, e)
	return a.Document()
}

// logoIcon is the enterprise's logo as an Image, or nil without one.
func logoIcon(u URLs, logo string) *ap.Image {
	abs, ok := u.Resolve(logo)
	if !ok {
		return nil
	}
	return &ap.Image{URL: abs, MediaType: imageMediaType(abs)}
}

// imageMediaType guesses an image type from the file extension, from a fixed
// table so that documents do not depend on the machine's MIME database.
func imageMediaType(ref string) string {
	ext := strings.ToLower(path.Ext(strings.SplitN(ref, "?", 2)[0]))
	return map[string]string{
		".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
		".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml", ".avif": "image/avif",
	}[ext]
}

// profileFields are the enterprise's profile fields as Mastodon
// PropertyValues: name and an HTML value.
func profileFields(u URLs, e *directory.Enterprise) []any {
	var fields []any
	add := func(name, valueHTML string) {
		fields = append(fields, map[string]any{"type": "PropertyValue", "name": name, "value": valueHTML})
	}
	if e.Website != "" {
		add("Website", linkHTML(e.Website, strings.TrimPrefix(strings.TrimPrefix(e.Website, "https://"), "http://"), "me "))
	}
	if e.Email != "" {
		add("Email", linkHTML("mailto:"+e.Email, e.Email, ""))
	}
	add("Kind", html.EscapeString(e.Kind.Label()))
	add("Network", linkHTML(u.Home(), u.Host(), ""))
	return fields
}

// murmurationsLink links the enterprise's Murmurations profile: a Link
// with rel alternate among the attachments. Mastodon and GoToSocial make
// profile fields only of the PropertyValue attachments and pass over
// other types, so it shows nowhere; a reader that knows Murmurations finds
// the profile from the actor.
func murmurationsLink(u URLs, handle string) map[string]any {
	return map[string]any{"type": "Link", "rel": "alternate", "mediaType": "application/json",
		"name": "Murmurations profile", "href": murmurations.Site{Abs: u.abs}.EnterpriseProfileURL(handle)}
}

// linkHTML is an escaped link that opens elsewhere; rel "me " marks a link
// back to the enterprise's own site, which Mastodon can verify.
func linkHTML(href, text, relMe string) string {
	return `<a href="` + html.EscapeString(href) + `" rel="` + relMe + `nofollow noopener noreferrer" target="_blank">` +
		html.EscapeString(text) + `</a>`
}

// enterpriseTags are the kind and the sectors as Hashtags, each leading to the
// directory search for enterprises of that kind or sector.
func enterpriseTags(u URLs, e *directory.Enterprise) []any {
	tags := []any{}
	if e.Kind != "" {
		tags = appendHashtag(tags, string(e.Kind), u.EnterpriseSearch("kind", string(e.Kind)))
	}
	for _, s := range e.Sectors {
		tags = appendHashtag(tags, s, u.EnterpriseSearch("sector", s))
	}
	return tags
}

// appendHashtag adds a Mastodon Hashtag ({type, href, name: "#Tag"}) unless
// the text makes no tag.
func appendHashtag(tags []any, text, href string) []any {
	name := hashtagName(text)
	if name == "" {
		return tags
	}
	return append(tags, map[string]any{"type": "Hashtag", "href": href, "name": "#" + name})
}

// hashtagName turns a tag into hashtag text: one word stays as it is
// ("tools"), several are joined with capitals ("worker_coop" -> "WorkerCoop",
// "bike repair" -> "BikeRepair") so that screen readers can say them.
func hashtagName(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	if len(words) == 1 {
		return words[0]
	}
	var b strings.Builder
	for _, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(w[n:])
	}
	return b.String()
}
