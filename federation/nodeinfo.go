package federation

import (
	"net/http"
	"regexp"
)

// NodeInfo 2.1 (nodeinfo.diaspora.software): what software runs here and how
// much it holds, read by fediverse statistics sites and by other servers.
const (
	nodeInfoPath     = "/nodeinfo/2.1"
	nodeInfoSchema   = "http://nodeinfo.diaspora.software/ns/schema/2.1"
	nodeInfoType     = `application/json; profile="` + nodeInfoSchema + `#"`
	applicationRel   = "https://www.w3.org/ns/activitystreams#Application"
	defaultSoftware  = "coopdir"
	softwareHomepage = "https://github.com/coopdir/coopdir"
	unknownSWVersion = "unknown"
)

// softwareNameRE is the form NodeInfo requires of software names.
var softwareNameRE = regexp.MustCompile(`^[a-z0-9-]+$`)

// NodeInfoIndex answers /.well-known/nodeinfo: a link to the NodeInfo 2.1
// document and, as FEP-2677 asks, to the instance's Application actor.
func (d *Discovery) NodeInfoIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, "application/json", map[string]any{"links": []JRDLink{
		{Rel: nodeInfoSchema, Href: d.URLs.abs(nodeInfoPath)},
		{Rel: applicationRel, Href: d.URLs.Instance().ID},
	}})
}

// NodeInfo answers /nodeinfo/2.1.
func (d *Discovery) NodeInfo(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	var u NodeUsage
	if d.Usage != nil {
		var err error
		if u, err = d.Usage(r.Context()); err != nil {
			writeDiscoveryError(w, err)
			return
		}
	}
	writeJSON(w, nodeInfoType, d.nodeInfo(r, u))
}

// nodeInfo is the NodeInfo 2.1 document. Registrations are closed: admins
// invite the people who keep the directory. metadata names the network and
// links its Group and Application actors.
func (d *Discovery) nodeInfo(r *http.Request, u NodeUsage) map[string]any {
	name := ""
	if d.NetworkName != nil {
		name = d.NetworkName(r.Context())
	}
	return map[string]any{
		"version": "2.1",
		"software": map[string]any{
			"name": d.softwareName(), "version": d.softwareVersion(),
			"repository": softwareHomepage, "homepage": softwareHomepage,
		},
		"protocols":         []string{"activitypub"},
		"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
		"openRegistrations": false,
		"usage": map[string]any{
			"users":      map[string]any{"total": u.Users},
			"localPosts": u.LocalPosts,
		},
		"metadata": map[string]any{
			"nodeName":      name,
			"enterprises":   u.Enterprises,
			"listings":      u.Listings,
			"instanceActor": d.URLs.Instance().ID,
			"networkActor":  d.URLs.Network().ID,
		},
	}
}

func (d *Discovery) softwareName() string {
	if softwareNameRE.MatchString(d.Software) {
		return d.Software
	}
	return defaultSoftware
}

func (d *Discovery) softwareVersion() string {
	if d.Version == "" {
		return unknownSWVersion
	}
	return d.Version
}
