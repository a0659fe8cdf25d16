package federation

import (
	"context"
	"encoding/json"
	"net"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Partnerships between networks: our instance actor follows the partner's
// instance actor; the partner's admin approves (Accept) or rejects
// (Reject). A Follow of our instance actor is a request for our admin to
// approve. An active request of ours imports the partner's directory
// (backfill.go) and keeps it current from the partner's announces
// (partner_sync.go). See FEDERATION.md, "Partner networks".

// RequestPartnership looks instance (a host, host:port or URL) up through
// NodeInfo or WebFinger, stores the partner with Outgoing pending and the
// scope, and sends Follow from our instance actor to its instance actor.
// Admins only. EINVALID (malformed instance, field "instance", or scope,
// fields "scope.*"), ENOTFOUND (no coopdir instance there), ECONFLICT
// (already asked: Outgoing pending or active), EFORBIDDEN (a blocked
// domain, our own host, or not an admin), EUNAUTHORIZED.
func (ps *Partners) RequestPartnership(ctx context.Context, instance string, scope directory.Scope) (*directory.Partner, error) {
	if err := ps.opt.Service.RequireAdmin(ctx); err != nil {
		return nil, err
	}
	if err := scope.Validate(); err != nil {
		return nil, err
	}
	host, err := ps.instanceHost(ctx, instance)
	if err != nil {
		return nil, err
	}
	info, err := ps.lookupInstance(ctx, host)
	if err != nil {
		return nil, err
	}
	p, err := ps.opt.Service.AskPartner(ctx, info, scope, ps.opt.URLs.Activity("partner-"+randomHex()))
	if err != nil {
		return nil, err
	}
	follow, err := ap.Follow(ap.FollowRef{ID: p.OutgoingFollowID, Actor: ps.opt.URLs.Instance().ID, Object: p.ActorID})
	if err != nil {
		return nil, err
	}
	return p, ps.send(ctx, directory.ActorInstance, p.Inbox, follow)
}

// instanceError is a refusal about the instance field.
func instanceError(code, rule, msg string) error {
	return &directory.Error{Code: code, Message: msg,
		Fields: []directory.FieldError{{Field: "instance", Rule: rule, Message: msg}}}
}

// instanceHost reads a host, host:port or URL (see
// directory.CheckInstance) and refuses our own host and blocked domains.
func (ps *Partners) instanceHost(ctx context.Context, instance string) (string, error) {
	host, err := directory.CheckInstance(instance)
	if err != nil {
		return "", err
	}
	if host == ps.opt.URLs.Host() {
		return "", instanceError(directory.EFORBIDDEN, "local", "is this network; ask another one")
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	blocked, err := ps.blocked(ctx, name)
	if err != nil {
		return "", err
	}
	if blocked {
		return "", instanceError(directory.EFORBIDDEN, "allowed", name+" is blocked on this server")
	}
	return host, nil
}

// lookupInstance finds the coopdir instance actor of host (NodeInfo's
// link to it, as FEP-2677 describes, else WebFinger for instance@host) and
// describes the network as a Partner (not stored).
func (ps *Partners) lookupInstance(ctx context.Context, host string) (*directory.Partner, error) {
	var ni nodeInfoDoc
	actorID := ps.nodeInfo(ctx, host, &ni)
	if actorID == "" {
		id, err := ps.resolver.webFinger(ctx, Account{User: InstanceUsername, Host: host})
		if err != nil {
			return nil, instanceError(directory.ENOTFOUND, "exists", "no coopdir network answers at "+host)
		}
		actorID = id
	}
	p, err := ps.describeInstance(ctx, actorID)
	if err != nil {
		return nil, err
	}
	if ni.Metadata.NodeName != "" && (p.Name == "" || p.Name == p.Host) {
		p.Name = clip(plainText(ni.Metadata.NodeName), 200)
	}
	p.Enterprises, p.Listings = ni.size()
	return p, nil
}

// describeInstance fetches an instance actor and describes its network:
// it must be a coopdir Application (it names its network).
func (ps *Partners) describeInstance(ctx context.Context, actorID string) (*directory.Partner, error) {
	a, doc, err := ps.resolver.ActorDocument(ctx, actorID)
	if err != nil {
		return nil, instanceError(directory.ENOTFOUND, "exists", "the network's instance actor could not be read")
	}
	if a.Type != "Application" || !a.Peer {
		return nil, instanceError(directory.ENOTFOUND, "exists", "this server does not run a coopdir network")
	}
	host, err := Host(a.ID)
	if err != nil {
		return nil, err
	}
	p := &directory.Partner{Host: host, ActorID: a.ID, Inbox: a.Inbox, Name: clip(a.Name, 200), URL: a.URL}
	if a.SharedInbox != "" {
		p.Inbox = a.SharedInbox
	}
	// The network's Group actor names and describes the network.
	var inst struct {
		Network string `json:"network"`
	}
	if json.Unmarshal(doc, &inst) == nil && SameOrigin(inst.Network, a.ID) {
		if raw, _, err := ps.opt.Client.FetchDocument(ctx, inst.Network); err == nil {
			var d struct {
				Name    string `json:"name"`
				Summary string `json:"summary"`
				URL     any    `json:"url"`
			}
			if json.Unmarshal(raw, &d) == nil {
				p.Name = clip(plainText(d.Name), 200)
				p.Summary = clip(plainText(ps.opt.Sanitize(d.Summary)), 1000)
				if u := urlOf(d.URL); strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
					p.URL = u
				}
			}
		}
	}
	return p, nil
}

// nodeInfoDoc is what we read of a NodeInfo document.
type nodeInfoDoc struct {
	Usage struct {
		LocalPosts int `json:"localPosts"`
	} `json:"usage"`
	Metadata struct {
		NodeName    string `json:"nodeName"`
		Enterprises int    `json:"enterprises"`
		Listings    *int   `json:"listings"` // coopdir's open listings; older versions lack it
	} `json:"metadata"`
}

// size returns the enterprises and the listings a partner would import
// that ni reports (the local posts when it does not count listings).
func (ni *nodeInfoDoc) size() (enterprises, listings int) {
	listings = ni.Usage.LocalPosts
	if ni.Metadata.Listings != nil {
		listings = *ni.Metadata.Listings
	}
	return max(ni.Metadata.Enterprises, 0), max(listings, 0)
}

// nodeInfo reads host's NodeInfo into ni (best effort) and returns the
// instance actor it links, "" when none.
func (ps *Partners) nodeInfo(ctx context.Context, host string, ni *nodeInfoDoc) string {
	var links struct {
		Links []JRDLink `json:"links"`
	}
	schemes := []string{"https"}
	if ps.opt.AllowHTTP {
		schemes = append(schemes, "http")
	}
	for _, scheme := range schemes {
		body, err := ps.opt.Client.FetchJRD(ctx, scheme+"://"+host+"/.well-known/nodeinfo")
		if err != nil || json.Unmarshal(body, &links) != nil {
			continue
		}
		actor := ""
		for _, l := range links.Links {
			switch l.Rel {
			case applicationRel:
				actor = l.Href
			case nodeInfoSchema:
				if SameOrigin(l.Href, scheme+"://"+host+"/") {
					if body, err := ps.opt.Client.FetchJRD(ctx, l.Href); err == nil {
						_ = json.Unmarshal(body, ni)
					}
				}
			}
		}
		return actor
	}
	return ""
}

// plainText strips tags from sanitized HTML, for a one-paragraph
// description.
func plainText(html string) string {
	var b strings.Builder
	in := false
	for _, r := range html {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// ApprovePartner accepts partner id's request (Incoming pending or
// rejected becomes active): Accept is sent and the partner receives our
// entries from now on. Admins only. ENOTFOUND, ECONFLICT (no request).
func (ps *Partners) ApprovePartner(ctx context.Context, id int64) (*directory.Partner, error) {
	p, err := ps.opt.Service.Partner(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := p.HasRequest(); err != nil {
		return nil, err
	}
	a, err := ps.resolver.Actor(ctx, p.ActorID, false)
	if err != nil {
		return nil, err
	}
	if p, err = ps.opt.Service.ApprovePartner(ctx, id); err != nil {
		return nil, err // withdrawn meanwhile, or gone
	}
	err = ps.store.SaveFollower(ctx, &directory.Follower{Actor: directory.ActorInstance, FollowerID: p.ActorID,
		Inbox: a.Inbox, SharedInbox: a.SharedInbox, FollowID: p.IncomingFollowID, Peer: true, CreatedAt: ps.now()})
	if err != nil {
		return nil, err
	}
	// An Undo that came between the approval and the follower's row found
	// no follower to remove: the row goes now.
	if now, err := ps.store.FindPartner(ctx, id); err != nil || now.Incoming != directory.PartnerActive ||
		now.IncomingFollowID != p.IncomingFollowID {
		if err := ps.dropFollower(ctx, p); err != nil {
			return nil, err
		}
		return nil, directory.Errorf(directory.ECONFLICT, "%s withdrew its request meanwhile", p.DisplayName())
	}
	accept, err := AcceptAt(ps.opt.URLs, ps.incomingFollow(p), ps.now())
	if err != nil {
		return nil, err
	}
	return p, ps.send(ctx, directory.ActorInstance, p.Inbox, accept)
}

// incomingFollow is the partner's Follow of our instance actor.
func (ps *Partners) incomingFollow(p *directory.Partner) ap.FollowRef {
	return ap.FollowRef{ID: p.IncomingFollowID, Actor: p.ActorID, Object: ps.opt.URLs.Instance().ID}
}

// outgoingFollow is our instance actor's Follow of the partner.
func (ps *Partners) outgoingFollow(p *directory.Partner) ap.FollowRef {
	return ap.FollowRef{ID: p.OutgoingFollowID, Actor: ps.opt.URLs.Instance().ID, Object: p.ActorID}
}

// RejectPartner refuses partner id's request (Incoming pending or active
// becomes rejected): Reject is sent and deliveries to it stop. Admins
// only. ENOTFOUND, ECONFLICT (no request).
func (ps *Partners) RejectPartner(ctx context.Context, id int64) (*directory.Partner, error) {
	// Refusing a refused request again sends the Reject again (the first
	// may not have been queued).
	p, err := ps.opt.Service.RejectPartner(ctx, id)
	if err != nil {
		return nil, err
	}
	return p, ps.rejectIncoming(ctx, p)
}

// rejectIncoming stops our deliveries to the partner and sends the Reject
// of its Follow.
func (ps *Partners) rejectIncoming(ctx context.Context, p *directory.Partner) error {
	if err := ps.dropFollower(ctx, p); err != nil {
		return err
	}
	reject, err := RejectAt(ps.opt.URLs, ps.incomingFollow(p), ps.now())
	if err != nil {
		return err
	}
	return ps.send(ctx, directory.ActorInstance, p.Inbox, reject)
}

// SetPartnerScope changes what we import from partner id: the backfill
// runs again, and at its end the entries now out of scope are removed.
// Admins only. EINVALID, ENOTFOUND.
func (ps *Partners) SetPartnerScope(ctx context.Context, id int64, scope directory.Scope) (*directory.Partner, error) {
	p, err := ps.opt.Service.SetPartnerScope(ctx, id, scope)
	if err != nil || !p.Importing() {
		return p, err
	}
	// The directory is read again under the new scope: a wider one brings
	// what was left out, and the run's sweep removes what a narrower one
	// leaves out; until then the copies already here stay listed. A run
	// still going sees the new position and stops.
	return p, ps.startBackfill(ctx, p)
}

// EndPartnership ends both directions with partner id: Undo of our Follow,
// Reject of theirs, their entries removed here and the partner forgotten.
// Admins only. ENOTFOUND.
func (ps *Partners) EndPartnership(ctx context.Context, id int64) error {
	p, err := ps.opt.Service.Partner(ctx, id)
	if err != nil {
		return err
	}
	if p.Outgoing == directory.PartnerPending || p.Outgoing == directory.PartnerActive {
		undo, err := Undo(ps.outgoingFollow(p))
		if err != nil {
			return err
		}
		if err := ps.send(ctx, directory.ActorInstance, p.Inbox, undo); err != nil {
			return err
		}
	}
	if p.Incoming == directory.PartnerPending || p.Incoming == directory.PartnerActive {
		if err := ps.rejectIncoming(ctx, p); err != nil {
			return err
		}
	}
	return ps.opt.Service.RemovePartner(ctx, p.ID)
}

// partnerOf returns the partner whose instance actor is actorID, or nil.
func (ps *Partners) partnerOf(ctx context.Context, actorID string) (*directory.Partner, error) {
	host, err := Host(actorID)
	if err != nil {
		return nil, nil
	}
	p, err := ps.store.FindPartnerByHost(ctx, host)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil, nil
	}
	if err != nil || !sameDocument(p.ActorID, actorID) {
		return nil, err
	}
	return p, nil
}

// onPartnerFollow records a network's request to partner with ours, for
// our admin to approve; a request already approved is accepted again.
func (ps *Partners) onPartnerFollow(ctx context.Context, env *ap.Envelope) error {
	p, err := ps.partnerOf(ctx, env.Actor)
	if err != nil {
		return err
	}
	info := p
	if p == nil {
		if info, err = ps.describeInstance(ctx, env.Actor); directory.ErrorCode(err) == directory.ENOTFOUND {
			return nil // not a coopdir network: nothing to partner with
		} else if err != nil {
			return err
		}
		var ni nodeInfoDoc
		ps.nodeInfo(ctx, info.Host, &ni)
		info.Enterprises, info.Listings = ni.size()
	}
	p, active, err := ps.opt.Service.PartnerAsked(directory.AsSystem(ctx), info, env.ID)
	if err != nil || !active {
		return err
	}
	accept, err := AcceptAt(ps.opt.URLs, ps.incomingFollow(p), ps.now())
	if err != nil {
		return err
	}
	return ps.send(ctx, directory.ActorInstance, p.Inbox, accept)
}

// onPartnerUndo ends a partner's request: we stop sending it our entries.
func (ps *Partners) onPartnerUndo(ctx context.Context, env *ap.Envelope, followID string) error {
	p, err := ps.partnerOf(ctx, env.Actor)
	if err != nil || p == nil {
		return err
	}
	undone := false
	p, err = ps.store.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
		if followID != "" && followID != p.IncomingFollowID {
			return directory.ErrNoChange
		}
		undone = true
		p.Incoming, p.IncomingFollowID, p.UpdatedAt = directory.PartnerNone, "", ps.now()
		return nil
	})
	if err != nil {
		return ignoreNotFound(err)
	}
	// Also when the Undo was applied before: a retry of it finds the
	// request gone, and the follower row may not be.
	if undone || p.Incoming != directory.PartnerActive {
		return ps.dropFollower(ctx, p)
	}
	return nil
}

// dropFollower stops our deliveries to partner p: its instance actor is
// no follower of ours any more.
func (ps *Partners) dropFollower(ctx context.Context, p *directory.Partner) error {
	_, err := ps.store.DeleteFollower(ctx, directory.ActorInstance, p.ActorID)
	return err
}

// onPartnerAnswer applies the partner's Accept or Reject of our request:
// an Accept starts the backfill, a Reject (also of a request accepted
// before: the partner ended it) removes its entries. ok is false when the
// answer is not about a partnership.
func (ps *Partners) onPartnerAnswer(ctx context.Context, env *ap.Envelope, followID string, state directory.FollowState) (bool, error) {
	p, err := ps.partnerOf(ctx, env.Actor)
	if err != nil || p == nil || p.OutgoingFollowID == "" || followID != p.OutgoingFollowID {
		return false, err
	}
	changed := false
	p, err = ps.store.ChangePartner(ctx, p.ID, func(p *directory.Partner) error {
		switch {
		case followID != p.OutgoingFollowID: // asked again meanwhile
			return directory.ErrNoChange
		case state == directory.FollowAccepted && p.Outgoing == directory.PartnerActive:
			return directory.ErrNoChange
		case state == directory.FollowAccepted:
			p.Outgoing, p.Backfill = directory.PartnerActive, directory.Backfill{At: ps.now()}
		default:
			p.Outgoing = directory.PartnerRejected
		}
		changed, p.UpdatedAt = true, ps.now()
		return nil
	})
	if err != nil || !changed {
		return true, ignoreNotFound(err)
	}
	if state == directory.FollowAccepted {
		return true, ps.startBackfill(ctx, p)
	}
	_, err = ps.store.PurgeOrigin(ctx, p.Host)
	return true, err
}
