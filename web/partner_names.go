package web

import (
	"context"
	"html/template"
	"log/slog"
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Entries from partner networks name their network: the "from …" labels of
// the cards and pages show the partner's name, not its host. The pages
// call the template function network with an entry's Origin.

// networkNamesTTL is how long the partners' names are used between two
// reads of them. A search page reads them afresh for its origin facet, and
// so labels its cards with the names of that request.
const networkNamesTTL = 10 * time.Second

// networkNamesTimeout bounds a read of the names made while a page renders.
const networkNamesTimeout = 3 * time.Second

func init() {
	// Pages parsed without a server (template tests) show the host.
	templateFuncs["network"] = func(origin string) string { return murmurationsName(origin) }
}

// networkNames keeps the partner networks whose entries the directory
// shows, and their names by host.
type networkNames struct {
	svc *directory.Service
	log *slog.Logger

	mu     sync.Mutex
	byHost map[string]string
	at     time.Time // of the last read, successful or not
}

// bindNetworkNames gives the server's pages a network function that
// answers from the server's names.
func (s *server) bindNetworkNames() {
	s.networks = &networkNames{svc: s.svc, log: s.log}
	funcs := template.FuncMap{"network": s.networks.name}
	for _, t := range s.pages {
		t.Funcs(funcs)
	}
	// The pages of each language get it as the server copies them (page).
}

// partnerNetworks reads the partner networks afresh (and keeps them for
// the labels of this page).
func (s *server) partnerNetworks(ctx context.Context) ([]directory.PartnerNetwork, error) {
	if s.networks == nil {
		return s.svc.PartnerNetworks(ctx)
	}
	return s.networks.load(ctx)
}

// networkName names the partner network of origin (its host when unknown).
func (s *server) networkName(origin string) string {
	if s.networks == nil {
		return origin
	}
	return s.networks.name(origin)
}

// forgetNetworkNames drops the names, after a change to the partnerships made here.
func (s *server) forgetNetworkNames() {
	if s.networks != nil {
		s.networks.mu.Lock()
		s.networks.byHost, s.networks.at = nil, time.Time{}
		s.networks.mu.Unlock()
	}
}

// load reads the partner networks and keeps them.
func (n *networkNames) load(ctx context.Context) ([]directory.PartnerNetwork, error) {
	list, err := n.svc.PartnerNetworks(ctx)
	n.mu.Lock()
	defer n.mu.Unlock()
	n.at = n.svc.Now()
	if err != nil {
		return nil, err
	}
	n.byHost = make(map[string]string, len(list))
	for _, p := range list {
		n.byHost[p.Host] = p.Name
	}
	return list, nil
}

// name is the name of the partner network whose entries have origin, or
// origin itself when it is no partner of ours (any more) or the names
// cannot be read.
func (n *networkNames) name(origin string) string {
	n.mu.Lock()
	names := n.byHost
	stale := n.at.IsZero() || n.svc.Now().Sub(n.at) >= networkNamesTTL
	n.mu.Unlock()
	if stale {
		ctx, cancel := context.WithTimeout(context.Background(), networkNamesTimeout)
		defer cancel()
		if _, err := n.load(ctx); err != nil {
			// The label falls back to the host; the page is not failed for it.
			n.log.Error("read partner networks", "err", err)
		}
		n.mu.Lock()
		names = n.byHost
		n.mu.Unlock()
	}
	if name, ok := names[origin]; ok && name != "" {
		return name
	}
	return murmurationsName(origin)
}

// murmurationsName names the origin of the entries imported from a
// Murmurations index by the index's host; any other origin as it is.
func murmurationsName(origin string) string {
	if directory.IsMurmurationsOrigin(origin) {
		return "Murmurations (" + directory.OriginHost(origin) + ")"
	}
	return origin
}
