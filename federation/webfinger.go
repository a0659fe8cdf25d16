package federation

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// Discovery answers the well-known discovery endpoints: WebFinger (acct:
// addresses to actors and back), host-meta and NodeInfo.
type Discovery struct {
	URLs URLs
	// Lookup reports whether a local enterprise has the handle.
	Lookup func(ctx context.Context, handle string) (exists bool, err error)
	// LookupTopic reports whether a live saved search has the handle.
	LookupTopic func(ctx context.Context, handle string) (exists bool, err error)
	// Software and Version name the running program in NodeInfo.
	Software, Version string
	// NetworkName is the name of the network, NodeInfo's nodeName.
	NetworkName func(ctx context.Context) string
	// Usage counts what NodeInfo reports.
	Usage func(ctx context.Context) (NodeUsage, error)
}

// NodeUsage is what NodeInfo counts: accounts with a login, local
// enterprises, local open listings (metadata.listings, what a partner
// imports) and local posts (announcements and listings of any state).
type NodeUsage struct {
	Users, Enterprises, Listings, LocalPosts int
}

// Routes serves the discovery endpoints (GET and HEAD):
//
//	/.well-known/webfinger?resource=acct:handle@host (or an actor URL)
//	/.well-known/host-meta and /.well-known/host-meta.json
//	/.well-known/nodeinfo and /nodeinfo/2.1
func (d *Discovery) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/webfinger", d.WebFinger)
	mux.HandleFunc("GET /.well-known/host-meta", d.HostMeta)
	mux.HandleFunc("GET /.well-known/host-meta.json", d.HostMetaJSON)
	mux.HandleFunc("GET /.well-known/nodeinfo", d.NodeInfoIndex)
	mux.HandleFunc("GET "+nodeInfoPath, d.NodeInfo)
	return mux
}

// JRD is a JSON Resource Descriptor (RFC 7033), WebFinger's answer.
type JRD struct {
	Subject string    `json:"subject"`
	Aliases []string  `json:"aliases,omitempty"`
	Links   []JRDLink `json:"links"`
}

// JRDLink is one link of a JRD.
type JRDLink struct {
	Rel      string `json:"rel"`
	Type     string `json:"type,omitempty"`
	Href     string `json:"href,omitempty"`
	Template string `json:"template,omitempty"`
}

// WebFinger answers /.well-known/webfinger. The resource is acct:user@host
// (the host compared without regard to case, with the port when our base URL
// has one) or the URL of one of our actors; user is an enterprise's or a
// topic's handle, or network, instance, needs or offers. Unknown resources and other hosts get
// 404, a missing or malformed resource 400.
func (d *Discovery) WebFinger(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Access-Control-Allow-Origin", "*")
	resource := r.URL.Query().Get("resource")
	ref, err := d.resolve(r.Context(), resource)
	if err != nil {
		writeDiscoveryError(w, err)
		return
	}
	writeJSON(w, "application/jrd+json", d.jrd(ref))
}

// jrd describes one of our actors.
func (d *Discovery) jrd(ref ActorRef) JRD {
	id := d.URLs.ActorIDOf(ref)
	return JRD{
		Subject: "acct:" + ref.Handle + "@" + d.URLs.Host(),
		Aliases: []string{id},
		Links: []JRDLink{
			{Rel: "self", Type: "application/activity+json", Href: id},
			{Rel: "http://webfinger.net/rel/profile-page", Type: "text/html", Href: d.URLs.pageOf(ref)},
		},
	}
}

// pageOf is the HTML page of an actor: the enterprise's page, the home page
// for the network and instance, the board for needs and offers.
func (u URLs) pageOf(ref ActorRef) string {
	if ref.Kind == KindNetwork || ref.Kind == KindInstance {
		return u.Home()
	}
	return u.ActorIDOf(ref)
}

// resolve finds the actor a WebFinger resource names.
func (d *Discovery) resolve(ctx context.Context, resource string) (ActorRef, error) {
	if resource == "" {
		return ActorRef{}, directory.Errorf(directory.EINVALID, "the resource parameter is required")
	}
	lower := strings.ToLower(resource)
	switch {
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		ref, ok := d.URLs.ParseActorID(resource)
		if !ok {
			return ActorRef{}, notFound()
		}
		return d.check(ctx, ref)
	case strings.HasPrefix(lower, "acct:"):
		return d.resolveAcct(ctx, resource[len("acct:"):])
	case !strings.Contains(resource, ":") && strings.Contains(resource, "@"):
		// Some servers send user@host without the scheme.
		return d.resolveAcct(ctx, resource)
	case strings.Contains(resource, ":"):
		return ActorRef{}, notFound() // another scheme (mailto:…) names nothing here
	}
	return ActorRef{}, directory.Errorf(directory.EINVALID, "the resource must be acct:user@host or an actor URL")
}

// resolveAcct resolves the part of an acct: URI after the scheme.
func (d *Discovery) resolveAcct(ctx context.Context, acct string) (ActorRef, error) {
	acct = strings.TrimPrefix(acct, "@")
	i := strings.LastIndex(acct, "@")
	if i <= 0 || i == len(acct)-1 {
		return ActorRef{}, directory.Errorf(directory.EINVALID, "the resource must be acct:user@host")
	}
	user, err := url.PathUnescape(acct[:i])
	if err != nil {
		return ActorRef{}, directory.Errorf(directory.EINVALID, "the user part of the resource is malformed")
	}
	if !strings.EqualFold(acct[i+1:], d.URLs.Host()) {
		return ActorRef{}, notFound()
	}
	user = strings.ToLower(user)
	if ref, ok := instanceActorNamed(user); ok {
		return ref, nil
	}
	ref, err := d.check(ctx, ActorRef{Kind: KindEnterprise, Handle: user})
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return d.check(ctx, ActorRef{Kind: KindTopic, Handle: user})
	}
	return ref, err
}

// instanceActorNamed finds an instance actor by its username.
func instanceActorNamed(user string) (ActorRef, bool) {
	switch user {
	case NetworkUsername:
		return ActorRef{KindNetwork, user}, true
	case InstanceUsername:
		return ActorRef{KindInstance, user}, true
	case NeedsUsername:
		return ActorRef{KindNeeds, user}, true
	case OffersUsername:
		return ActorRef{KindOffers, user}, true
	}
	return ActorRef{}, false
}

// check confirms that an enterprise's or a topic's actor exists.
func (d *Discovery) check(ctx context.Context, ref ActorRef) (ActorRef, error) {
	lookup := d.Lookup
	switch ref.Kind {
	case KindEnterprise:
	case KindTopic:
		lookup = d.LookupTopic
	default:
		return ref, nil
	}
	if directory.ValidateHandle(ref.Handle) != nil || lookup == nil {
		return ActorRef{}, notFound()
	}
	ok, err := lookup(ctx, ref.Handle)
	if err != nil {
		return ActorRef{}, err
	}
	if !ok {
		return ActorRef{}, notFound()
	}
	return ref, nil
}

func notFound() error {
	return directory.Errorf(directory.ENOTFOUND, "no such account here")
}

// writeDiscoveryError answers 400, 404 or 500 in plain text; an unexpected
// cause is not shown.
func writeDiscoveryError(w http.ResponseWriter, err error) {
	switch directory.ErrorCode(err) {
	case directory.EINVALID:
		http.Error(w, err.Error(), http.StatusBadRequest)
	case directory.ENOTFOUND:
		http.Error(w, err.Error(), http.StatusNotFound)
	default:
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// writeJSON writes v as indented JSON with the content type ctype.
func writeJSON(w http.ResponseWriter, ctype string, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", ctype)
	_, _ = w.Write(append(body, '\n'))
}
