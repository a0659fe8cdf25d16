package ap

import (
	"net/url"
	"strings"
	"time"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"github.com/coopdir/coopdir/directory"
)

// Profile is what an actor document says about who the actor is. On its own
// (Profile.Document) it describes an organisation without its endpoints and
// key, as a directory entry does.
type Profile struct {
	Type        string // Organization, Group, Application or Service
	ID          string
	Username    string // preferredUsername
	Name        string // written even when empty
	SummaryHTML string // left out when empty
	URL         string // the HTML page
	Published   time.Time
	Updated     time.Time          // zero: left out
	Icon        *Image             // nil: none
	Location    directory.Location // left out when empty
	// Extra holds the properties go-fed has no types for, merged over the
	// document as plain JSON values.
	Extra map[string]any
}

// Image is an icon: its URL and, when known, its media type. An Image whose
// URL is not absolute is left out.
type Image struct {
	URL       string
	MediaType string
}

// Actor is an actor document: its profile, its collections and inboxes,
// its public key, and how it takes follows.
type Actor struct {
	Profile      Profile
	Inbox        string
	SharedInbox  string // endpoints.sharedInbox
	Outbox       string
	Followers    string
	Following    string
	Featured     string // the pinned posts (toot:featured)
	KeyID        string
	PublicKeyPEM string
	// ManuallyApprovesFollowers says that follows wait for an answer.
	ManuallyApprovesFollowers bool
	// Discoverable lets servers list the actor and (as indexable) find its
	// posts in full-text search.
	Discoverable bool
	// Network is the id of the coopdir network's Group actor that the actor
	// belongs to (coopdir:network).
	Network string
}

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

// newActorType returns an empty go-fed actor of the type named typ.
func newActorType(typ string) (actorType, error) {
	switch typ {
	case "Organization":
		return streams.NewActivityStreamsOrganization(), nil
	case "Group":
		return streams.NewActivityStreamsGroup(), nil
	case "Application":
		return streams.NewActivityStreamsApplication(), nil
	case "Service":
		return streams.NewActivityStreamsService(), nil
	}
	return nil, directory.Errorf(directory.EINVALID, "%q is not an actor type", typ)
}

// Document returns the profile as a document of its own.
func (pr Profile) Document() (map[string]any, error) {
	t, err := newActorType(pr.Type)
	if err != nil {
		return nil, err
	}
	var p iriParser
	pr.fill(t, &p)
	if p.err != nil {
		return nil, p.err
	}
	return document(t, pr.Extra)
}

// fill sets the profile's properties on t.
func (pr Profile) fill(t actorType, p *iriParser) {
	t.SetJSONLDId(idProperty(p.get(pr.ID)))
	un := streams.NewActivityStreamsPreferredUsernameProperty()
	un.SetXMLSchemaString(pr.Username)
	t.SetActivityStreamsPreferredUsername(un)
	t.SetActivityStreamsName(nameProperty(pr.Name))
	if pr.SummaryHTML != "" {
		t.SetActivityStreamsSummary(summaryProperty(pr.SummaryHTML))
	}
	t.SetActivityStreamsUrl(urlProperty(p.get(pr.URL)))
	t.SetActivityStreamsPublished(publishedProperty(pr.Published))
	if !pr.Updated.IsZero() {
		t.SetActivityStreamsUpdated(updatedProperty(pr.Updated))
	}
	if icon := pr.Icon.property(); icon != nil {
		t.SetActivityStreamsIcon(icon)
	}
	if loc := place(pr.Location); loc != nil {
		t.SetActivityStreamsLocation(loc)
	}
}

// property is the icon as an Image, or nil.
func (img *Image) property() vocab.ActivityStreamsIconProperty {
	if img == nil {
		return nil
	}
	var p iriParser
	i := streams.NewActivityStreamsImage()
	i.SetActivityStreamsUrl(urlProperty(p.get(img.URL)))
	if p.err != nil {
		return nil
	}
	if img.MediaType != "" {
		m := streams.NewActivityStreamsMediaTypeProperty()
		m.Set(img.MediaType)
		i.SetActivityStreamsMediaType(m)
	}
	icon := streams.NewActivityStreamsIconProperty()
	icon.AppendActivityStreamsImage(i)
	return icon
}

// Document returns the actor document. An actor needs a public key: without
// one the error is EINVALID, as it is for a URL that is not absolute.
func (a Actor) Document() (map[string]any, error) {
	if a.PublicKeyPEM == "" {
		return nil, directory.Errorf(directory.EINVALID, "actor %s needs a public key", a.Profile.ID)
	}
	t, err := newActorType(a.Profile.Type)
	if err != nil {
		return nil, err
	}
	var p iriParser
	a.Profile.fill(t, &p)
	a.setCollections(t, &p)
	disc := streams.NewTootDiscoverableProperty()
	disc.Set(a.Discoverable)
	t.SetTootDiscoverable(disc)
	t.SetW3IDSecurityV1PublicKey(a.publicKey(&p))
	if p.err != nil {
		return nil, p.err
	}
	// indexable (Mastodon 4.2) lets servers find the posts of a
	// discoverable actor in full-text search: the point of a directory.
	extra := map[string]any{
		"manuallyApprovesFollowers": a.ManuallyApprovesFollowers,
		"indexable":                 a.Discoverable,
		"endpoints":                 map[string]any{"sharedInbox": a.SharedInbox},
		// network names the coopdir network the actor belongs to; it also
		// tells a coopdir server that the actor runs coopdir (a peer).
		"network": a.Network,
		// FEP-2c59: the address WebFinger resolves, which Mastodon 4.6
		// reads before preferredUsername.
		"webfinger": a.Profile.Username + "@" + hostOf(a.Profile.ID),
	}
	for k, v := range a.Profile.Extra {
		extra[k] = v
	}
	return document(t, extra)
}

func (a Actor) setCollections(t actorType, p *iriParser) {
	in := streams.NewActivityStreamsInboxProperty()
	in.SetIRI(p.get(a.Inbox))
	t.SetActivityStreamsInbox(in)
	out := streams.NewActivityStreamsOutboxProperty()
	out.SetIRI(p.get(a.Outbox))
	t.SetActivityStreamsOutbox(out)
	fers := streams.NewActivityStreamsFollowersProperty()
	fers.SetIRI(p.get(a.Followers))
	t.SetActivityStreamsFollowers(fers)
	fing := streams.NewActivityStreamsFollowingProperty()
	fing.SetIRI(p.get(a.Following))
	t.SetActivityStreamsFollowing(fing)
	// Every actor has featured (pinned posts): GoToSocial logs an error
	// for an actor without one.
	f := streams.NewTootFeaturedProperty()
	f.SetIRI(p.get(a.Featured))
	t.SetTootFeatured(f)
}

// publicKey is the actor's RSA key: {id: KeyID, owner, publicKeyPem}.
func (a Actor) publicKey(p *iriParser) vocab.W3IDSecurityV1PublicKeyProperty {
	k := streams.NewW3IDSecurityV1PublicKey()
	k.SetJSONLDId(idProperty(p.get(a.KeyID)))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.Set(p.get(a.Profile.ID))
	k.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set(a.PublicKeyPEM)
	k.SetW3IDSecurityV1PublicKeyPem(pem)
	prop := streams.NewW3IDSecurityV1PublicKeyProperty()
	prop.AppendW3IDSecurityV1PublicKey(k)
	return prop
}

// hostOf is the host (with its port) of an id, in lower case.
func hostOf(id string) string {
	u, err := url.Parse(id)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Host)
}
