package federation

import (
	"html"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-fed/activity/streams"
)

// NetworkInfo describes the network an instance lists, for the instance's
// own actors.
type NetworkInfo struct {
	Name        string    // e.g. "Cooperation Springfield"
	Description string    // one plain-text sentence
	Published   time.Time // when the instance started: the actors' published date
}

// NetworkActor is the network's Group actor (FEP-1b12). It announces every
// public activity of the network's enterprises to its followers, so that
// following @network@host follows the whole network. It accepts follows by
// itself.
func NetworkActor(u URLs, n NetworkInfo, publicKeyPEM string) (map[string]any, error) {
	g := streams.NewActivityStreamsGroup()
	extra, err := fillActor(g, actorInfo{
		network: u.Network().ID,
		urls:    u.Network(), sharedInbox: u.SharedInbox(), username: NetworkUsername,
		name: n.Name, summaryHTML: paragraph(n.Description), page: u.Home(),
		publicKeyPEM: publicKeyPEM, published: n.Published, discoverable: true,
	})
	if err != nil {
		return nil, err
	}
	return document(g, extra)
}

// InstanceActor is the instance's Application actor (FEP-2677, linked from
// NodeInfo). It signs fetches that belong to no enterprise and is the actor of
// partnerships between networks: its follow requests wait for an admin's
// approval, so it says manuallyApprovesFollowers.
func InstanceActor(u URLs, n NetworkInfo, publicKeyPEM string) (map[string]any, error) {
	a := streams.NewActivityStreamsApplication()
	extra, err := fillActor(a, actorInfo{
		network: u.Network().ID,
		urls:    u.Instance(), sharedInbox: u.SharedInbox(), username: InstanceUsername,
		name: u.Host(),
		summaryHTML: paragraph("The coopdir instance of " + n.Name +
			". It speaks for the network in partnerships with other networks."),
		page: u.DirectoryPage(), publicKeyPEM: publicKeyPEM, published: n.Published, manual: true,
	})
	if err != nil {
		return nil, err
	}
	return document(a, extra)
}

// ListingsActor is the Service actor that announces every new listing of
// type t on the instance: @needs@host for needs, @offers@host for offers.
func ListingsActor(u URLs, t directory.ListingType, n NetworkInfo, publicKeyPEM string) (map[string]any, error) {
	if !t.Valid() {
		return nil, directory.Errorf(directory.EINVALID, "listing type must be need or offer")
	}
	label, plural := "Needs", "need"
	if t == directory.Offer {
		label, plural = "Offers", "offer"
	}
	s := streams.NewActivityStreamsService()
	urls := u.Listings(t)
	extra, err := fillActor(s, actorInfo{
		network: u.Network().ID,
		urls:    urls, sharedInbox: u.SharedInbox(), username: listingsUsername(t),
		name: label + " · " + n.Name,
		summaryHTML: paragraph("Every new " + plural + " posted on " + n.Name +
			". Follow this account to see them all."),
		page: urls.ID, publicKeyPEM: publicKeyPEM, published: n.Published, discoverable: true,
	})
	if err != nil {
		return nil, err
	}
	return document(s, extra)
}

// paragraph is plain text as one escaped HTML paragraph ("" stays "").
func paragraph(s string) string {
	if s == "" {
		return ""
	}
	return "<p>" + html.EscapeString(s) + "</p>"
}
