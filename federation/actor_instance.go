package federation

import (
	"html"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
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
	a := ourActor(u, u.Network(), ap.Profile{
		Type: "Group", Username: NetworkUsername, Name: n.Name, SummaryHTML: paragraph(n.Description),
		URL: u.Home(), Published: n.Published,
	}, publicKeyPEM)
	a.Discoverable = true
	return a.Document()
}

// InstanceActor is the instance's Application actor (FEP-2677, linked from
// NodeInfo). It signs fetches that belong to no enterprise and is the actor of
// partnerships between networks: its follow requests wait for an admin's
// approval, so it says manuallyApprovesFollowers.
func InstanceActor(u URLs, n NetworkInfo, publicKeyPEM string) (map[string]any, error) {
	a := ourActor(u, u.Instance(), ap.Profile{
		Type: "Application", Username: InstanceUsername, Name: u.Host(),
		SummaryHTML: paragraph("The coopdir instance of " + n.Name +
			". It speaks for the network in partnerships with other networks."),
		URL: u.DirectoryPage(), Published: n.Published,
	}, publicKeyPEM)
	a.ManuallyApprovesFollowers = true
	return a.Document()
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
	urls := u.Listings(t)
	a := ourActor(u, urls, ap.Profile{
		Type: "Service", Username: listingsUsername(t), Name: label + " · " + n.Name,
		SummaryHTML: paragraph("Every new " + plural + " posted on " + n.Name +
			". Follow this account to see them all."),
		URL: urls.ID, Published: n.Published,
	}, publicKeyPEM)
	a.Discoverable = true
	return a.Document()
}

// paragraph is plain text as one escaped HTML paragraph ("" stays "").
func paragraph(s string) string {
	if s == "" {
		return ""
	}
	return "<p>" + html.EscapeString(s) + "</p>"
}
