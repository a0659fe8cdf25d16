package federation

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// URLs mints every ActivityPub id of this instance from its public base URL.
// Ids are derived from what they name (an enterprise handle, a listing id, an
// activity's object and time), never random, so that building a document twice
// gives the same ids and re-sending an activity is recognised as a duplicate.
//
// The layout, relative to Base:
//
//	/enterprises/{handle}            enterprise actor (Organization); also its HTML page
//	/enterprises/{handle}/inbox      and /outbox, /followers, /following, /featured
//	/network                         the network's Group actor (FEP-1b12)
//	/actor                           the instance's Application actor (FEP-2677)
//	/needs, /offers                  Service actors announcing every new need or offer
//	/topics/{handle}                 a topic (saved search): a Service announcing what it finds
//	/inbox                           shared inbox
//	/listings/{id}                   a listing as a Proposal (FEP-0837)
//	/listings/{id}/note              its readable companion Note
//	/announcements/{id}              an announcement (Note)
//	{object}/create                  the Create of an object
//	{object}/update/{unix ms}        an Update of an object at a time
//	{object}/delete                  the Delete of an object
//	{activity}/undo                  the Undo of one of our activities
//	/activities/{name}               other activities (Follow, Accept, Reject, Announce)
//
// The instance actor lives at /actor, where Mastodon, Mitra and Firefish keep
// theirs (FEP-2677 lists them), so operators and tools find it where they
// expect; its preferredUsername is "instance", a handle no enterprise may take.
type URLs struct{ Base *url.URL }

// NewURLs checks a public base URL (http or https, a host, no query or
// fragment) and returns the URLs minted from it.
func NewURLs(base string) (URLs, error) {
	b, err := url.Parse(strings.TrimSpace(base))
	if err != nil || (b.Scheme != "http" && b.Scheme != "https") || b.Host == "" || b.User != nil {
		return URLs{}, directory.Errorf(directory.EINVALID, "base URL %q must be an http or https address with a host", base)
	}
	if b.RawQuery != "" || b.Fragment != "" {
		return URLs{}, directory.Errorf(directory.EINVALID, "base URL %q must not have a query or fragment", base)
	}
	b.Path = strings.TrimSuffix(b.Path, "/")
	b.RawPath = ""
	return URLs{Base: b}, nil
}

// ActorURLs are the ids of one actor and of its collections and key.
type ActorURLs struct {
	ID        string
	Inbox     string
	Outbox    string
	Followers string
	Following string
	Featured  string
	KeyID     string
}

func actorURLs(id string) ActorURLs {
	return ActorURLs{
		ID:        id,
		Inbox:     id + "/inbox",
		Outbox:    id + "/outbox",
		Followers: id + "/followers",
		Following: id + "/following",
		Featured:  id + "/featured",
		KeyID:     id + "#main-key",
	}
}

// Names of the instance's own actors: their preferredUsername and the last
// segment of their id. Each is a reserved handle, so no enterprise can take it.
const (
	NetworkUsername  = "network"
	InstanceUsername = "instance"
	NeedsUsername    = "needs"
	OffersUsername   = "offers"
)

// instancePath is the path of the instance actor (see URLs).
const instancePath = "/actor"

// abs returns the absolute URL of a path on this instance.
func (u URLs) abs(path string) string {
	return strings.TrimSuffix(u.Base.String(), "/") + path
}

// Home is the instance's home page.
func (u URLs) Home() string { return u.abs("/") }

// DirectoryPage is the merged directory of the instance and its partners:
// the instance actor's profile page. Every actor has a url of its own,
// since servers such as GoToSocial keep one account per profile URL (the
// network has the home page).
func (u URLs) DirectoryPage() string { return u.abs("/directory") }

// Host is the host (with its port, when the base URL has one) that acct:
// addresses of this instance name, in lower case.
func (u URLs) Host() string { return strings.ToLower(u.Base.Host) }

// Enterprise returns the ids of an enterprise's actor.
func (u URLs) Enterprise(handle string) ActorURLs {
	return actorURLs(u.abs("/enterprises/" + url.PathEscape(handle)))
}

// Network returns the ids of the network's Group actor.
func (u URLs) Network() ActorURLs { return actorURLs(u.abs("/" + NetworkUsername)) }

// Instance returns the ids of the instance's Application actor.
func (u URLs) Instance() ActorURLs { return actorURLs(u.abs(instancePath)) }

// Listings returns the ids of the Service actor that announces every new
// listing of type t: /needs for needs, /offers for offers.
func (u URLs) Listings(t directory.ListingType) ActorURLs {
	return actorURLs(u.abs("/" + listingsUsername(t)))
}

func listingsUsername(t directory.ListingType) string {
	if t == directory.Need {
		return NeedsUsername
	}
	return OffersUsername
}

// SharedInbox is the inbox shared by every actor of the instance.
func (u URLs) SharedInbox() string { return u.abs("/inbox") }

// Listing is the id of a listing's Proposal (and the address of its page).
func (u URLs) Listing(id int64) string { return u.abs("/listings/" + strconv.FormatInt(id, 10)) }

// ListingNote is the id of a listing's readable companion Note.
func (u URLs) ListingNote(id int64) string { return u.Listing(id) + "/note" }

// Announcement is the id of an announcement's Note (and its page).
func (u URLs) Announcement(id int64) string {
	return u.abs("/announcements/" + strconv.FormatInt(id, 10))
}

// Activity is the id of an activity named name (a UUID or a derived name).
func (u URLs) Activity(name string) string { return u.abs("/activities/" + url.PathEscape(name)) }

// derivedActivity names an activity by a verb and a digest of what it is
// about, so the same Accept or Announce always gets the same id.
func (u URLs) derivedActivity(verb string, about ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(about, " ")))
	return u.Activity(verb + "-" + hex.EncodeToString(sum[:16]))
}

// AnnounceID is the id of actorID's Announce of objectID.
func (u URLs) AnnounceID(actorID, objectID string) string {
	return u.derivedActivity("announce", actorID, objectID)
}

// AcceptID is the id of our Accept of the Follow followID.
func (u URLs) AcceptID(followID string) string { return u.derivedActivity("accept", followID) }

// RejectID is the id of our Reject of the Follow followID.
func (u URLs) RejectID(followID string) string { return u.derivedActivity("reject", followID) }

// CreateID is the id of the Create of objectID.
func CreateID(objectID string) string { return objectID + "/create" }

// UpdateID is the id of the Update of objectID made at t. Milliseconds keep
// two quick edits apart, which receivers would otherwise drop as duplicates.
func UpdateID(objectID string, t time.Time) string {
	return objectID + "/update/" + strconv.FormatInt(t.UnixMilli(), 10)
}

// DeleteID is the id of the Delete of objectID.
func DeleteID(objectID string) string { return objectID + "/delete" }

// UndoID is the id of the Undo of our activity activityID.
func UndoID(activityID string) string { return activityID + "/undo" }

// EnterpriseSearch is the directory search for enterprises whose param
// (kind or sector) is value: where enterprise hashtags lead.
func (u URLs) EnterpriseSearch(param, value string) string {
	return u.abs("/directory?" + url.Values{param: {value}}.Encode())
}

// ListingSearch is the directory search for the needs (or offers) of one
// category: where a listing's category hashtag leads.
func (u URLs) ListingSearch(t directory.ListingType, category string) string {
	return u.abs("/directory?show=" + listingsUsername(t) + "&category=" + url.QueryEscape(category))
}

// Board is the board of open listings of type t (/board?type=need): where
// the #need and #offer hashtags lead.
func (u URLs) Board(t directory.ListingType) string {
	return u.abs("/board?" + url.Values{"type": {string(t)}}.Encode())
}

// Resolve turns a reference found in the directory (an absolute URL or a path
// on this instance, such as a logo) into an absolute URL; ok is false when it
// is neither.
func (u URLs) Resolve(ref string) (string, bool) {
	r, err := url.Parse(ref)
	if err != nil || ref == "" {
		return "", false
	}
	if r.IsAbs() {
		if r.Scheme != "http" && r.Scheme != "https" {
			return "", false
		}
		return r.String(), true
	}
	if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
		return "", false
	}
	return u.abs(r.String()), true
}

// ActorRef names one of this instance's actors.
type ActorRef struct {
	Kind   string // "enterprise", "network", "instance", "needs", "offers" or "topic"
	Handle string // the enterprise's or topic's handle, or the actor's username
}

// Actor kinds of ActorRef.
const (
	KindEnterprise = "enterprise"
	KindNetwork    = "network"
	KindInstance   = "instance"
	KindNeeds      = "needs"
	KindOffers     = "offers"
)

// ParseActorID tells which of our actors an absolute id names; ok is false
// when it names none (another host, another path, a malformed URL).
func (u URLs) ParseActorID(id string) (ActorRef, bool) {
	p, err := url.Parse(id)
	if err != nil || !strings.EqualFold(p.Scheme, u.Base.Scheme) || !strings.EqualFold(p.Host, u.Base.Host) ||
		p.RawQuery != "" || p.Fragment != "" {
		return ActorRef{}, false
	}
	rest, found := strings.CutPrefix(p.Path, u.Base.Path)
	if !found {
		return ActorRef{}, false
	}
	return parseActorPath(rest)
}

func parseActorPath(path string) (ActorRef, bool) {
	switch path {
	case "/" + NetworkUsername:
		return ActorRef{KindNetwork, NetworkUsername}, true
	case instancePath:
		return ActorRef{KindInstance, InstanceUsername}, true
	case "/" + NeedsUsername:
		return ActorRef{KindNeeds, NeedsUsername}, true
	case "/" + OffersUsername:
		return ActorRef{KindOffers, OffersUsername}, true
	}
	if ref, ok := parseTopicPath(path); ok {
		return ref, true
	}
	h, ok := strings.CutPrefix(path, "/enterprises/")
	if !ok || h == "" || strings.Contains(h, "/") {
		return ActorRef{}, false
	}
	return ActorRef{KindEnterprise, h}, true
}

// ActorIDOf returns the id of the actor ref names.
func (u URLs) ActorIDOf(ref ActorRef) string {
	switch ref.Kind {
	case KindNetwork:
		return u.Network().ID
	case KindInstance:
		return u.Instance().ID
	case KindNeeds:
		return u.Listings(directory.Need).ID
	case KindOffers:
		return u.Listings(directory.Offer).ID
	case KindTopic:
		return u.Topic(ref.Handle).ID
	}
	return u.Enterprise(ref.Handle).ID
}
