package federation

import (
	"html"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"
)

// actorType is what the four actor types we publish (Organization, Group,
// Application, Service) have in common.
type actorType interface {
	vocab.Type
	SetJSONLDId(vocab.JSONLDIdProperty)
	SetActivityStreamsPreferredUsername(vocab.ActivityStreamsPreferredUsernameProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsInbox(vocab.ActivityStreamsInboxProperty)
	SetActivityStreamsOutbox(vocab.ActivityStreamsOutboxProperty)
	SetActivityStreamsFollowers(vocab.ActivityStreamsFollowersProperty)
	SetActivityStreamsFollowing(vocab.ActivityStreamsFollowingProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetActivityStreamsUpdated(vocab.ActivityStreamsUpdatedProperty)
	SetActivityStreamsIcon(vocab.ActivityStreamsIconProperty)
	SetActivityStreamsLocation(vocab.ActivityStreamsLocationProperty)
	SetTootDiscoverable(vocab.TootDiscoverableProperty)
	SetTootFeatured(vocab.TootFeaturedProperty)
	SetW3IDSecurityV1PublicKey(vocab.W3IDSecurityV1PublicKeyProperty)
}

// actorInfo is what every actor document says.
type actorInfo struct {
	urls         ActorURLs
	sharedInbox  string
	username     string
	name         string
	summaryHTML  string
	page         string // the HTML page, for url
	publicKeyPEM string
	published    time.Time
	updated      time.Time // zero: not said
	manual       bool      // manuallyApprovesFollowers
	discoverable bool
	network      string // id of the network's Group actor (coopdir:network)
}

// fillActor sets the common properties on t and returns the extension
// properties to merge after serialisation.
func fillActor(t actorType, a actorInfo) (map[string]any, error) {
	if a.publicKeyPEM == "" {
		return nil, directory.Errorf(directory.EINVALID, "actor %s needs a public key", a.urls.ID)
	}
	var p iriParser
	id := p.get(a.urls.ID)
	t.SetJSONLDId(idProperty(id))
	un := streams.NewActivityStreamsPreferredUsernameProperty()
	un.SetXMLSchemaString(a.username)
	t.SetActivityStreamsPreferredUsername(un)
	t.SetActivityStreamsName(nameProperty(a.name))
	if a.summaryHTML != "" {
		t.SetActivityStreamsSummary(summaryProperty(a.summaryHTML))
	}
	t.SetActivityStreamsUrl(urlProperty(p.get(a.page)))
	setCollections(t, &p, a)
	t.SetActivityStreamsPublished(publishedProperty(a.published))
	if !a.updated.IsZero() {
		t.SetActivityStreamsUpdated(updatedProperty(a.updated))
	}
	disc := streams.NewTootDiscoverableProperty()
	disc.Set(a.discoverable)
	t.SetTootDiscoverable(disc)
	t.SetW3IDSecurityV1PublicKey(publicKey(&p, a))
	if p.err != nil {
		return nil, p.err
	}
	// indexable (Mastodon 4.2) lets servers find the posts of a
	// discoverable actor in full-text search: the point of a directory.
	return map[string]any{
		"manuallyApprovesFollowers": a.manual,
		"indexable":                 a.discoverable,
		"endpoints":                 map[string]any{"sharedInbox": a.sharedInbox},
		// network names the coopdir network the actor belongs to; it also
		// tells a coopdir server that the actor runs coopdir (a peer).
		"network": a.network,
		// FEP-2c59: the address WebFinger resolves, which Mastodon 4.6
		// reads before preferredUsername.
		"webfinger": a.username + "@" + hostOf(a.urls.ID),
	}, nil
}

func setCollections(t actorType, p *iriParser, a actorInfo) {
	in := streams.NewActivityStreamsInboxProperty()
	in.SetIRI(p.get(a.urls.Inbox))
	t.SetActivityStreamsInbox(in)
	out := streams.NewActivityStreamsOutboxProperty()
	out.SetIRI(p.get(a.urls.Outbox))
	t.SetActivityStreamsOutbox(out)
	fers := streams.NewActivityStreamsFollowersProperty()
	fers.SetIRI(p.get(a.urls.Followers))
	t.SetActivityStreamsFollowers(fers)
	fing := streams.NewActivityStreamsFollowingProperty()
	fing.SetIRI(p.get(a.urls.Following))
	t.SetActivityStreamsFollowing(fing)
	// Every actor has featured (pinned posts): GoToSocial logs an error
	// for an actor without one.
	f := streams.NewTootFeaturedProperty()
	f.SetIRI(p.get(a.urls.Featured))
	t.SetTootFeatured(f)
}

// hostOf is the host (with its port) of an id of ours, in lower case.
func hostOf(id string) string {
	u, err := url.Parse(id)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}

// publicKey is the actor's RSA key: {id: actor#main-key, owner, publicKeyPem}.
func publicKey(p *iriParser, a actorInfo) vocab.W3IDSecurityV1PublicKeyProperty {
	k := streams.NewW3IDSecurityV1PublicKey()
	k.SetJSONLDId(idProperty(p.get(a.urls.KeyID)))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.Set(p.get(a.urls.ID))
	k.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set(a.publicKeyPEM)
	k.SetW3IDSecurityV1PublicKeyPem(pem)
	prop := streams.NewW3IDSecurityV1PublicKeyProperty()
	prop.AppendW3IDSecurityV1PublicKey(k)
	return prop
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
	o := streams.NewActivityStreamsOrganization()
	extra, err := fillActor(o, actorInfo{
		network: u.Network().ID,
		urls:    urls, sharedInbox: u.SharedInbox(), username: e.Handle, name: e.Name,
		summaryHTML: e.SummaryHTML, page: urls.ID, publicKeyPEM: publicKeyPEM,
		published: e.CreatedAt, updated: e.UpdatedAt, discoverable: true,
	})
	if err != nil {
		return nil, err
	}
	if icon := logoIcon(u, e.Logo); icon != nil {
		o.SetActivityStreamsIcon(icon)
	}
	if loc := place(e.Location); loc != nil {
		o.SetActivityStreamsLocation(loc)
	}
	extra["attachment"] = profileFields(u, e)
	extra["tag"] = enterpriseTags(u, e)
	// The entry's terms, so that a partner reads the enterprise from its
	// actor too (see EnterpriseEntry).
	for k, v := range enterpriseTerms(e) {
		extra[k] = v
	}
	return document(o, extra)
}

// logoIcon is the enterprise's logo as an Image, or nil without one.
func logoIcon(u URLs, logo string) vocab.ActivityStreamsIconProperty {
	abs, ok := u.Resolve(logo)
	if !ok {
		return nil
	}
	var p iriParser
	img := streams.NewActivityStreamsImage()
	img.SetActivityStreamsUrl(urlProperty(p.get(abs)))
	if p.err != nil {
		return nil
	}
	if mt := imageMediaType(abs); mt != "" {
		m := streams.NewActivityStreamsMediaTypeProperty()
		m.Set(mt)
		img.SetActivityStreamsMediaType(m)
	}
	icon := streams.NewActivityStreamsIconProperty()
	icon.AppendActivityStreamsImage(img)
	return icon
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
