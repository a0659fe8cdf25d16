package federation

import (
	"context"
	"html"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Agreements (FEP-0837). An enterprise answers a listing on a coopdir peer
// with an Offer{Agreement} to the listing's enterprise: its primary
// Commitment satisfies the listing's Intent (the Proposal's id + "#primary"),
// names the responder as provider (of a need) or receiver (of an offer) and
// the quantity in the listing's unit ("one" when it has none). The listing's
// enterprise answers Accept{Offer} (with the finalized Agreement as result)
// or Reject{Offer}. Servers that do not run coopdir get a direct Note
// instead, which people read.

// offerPrefix starts the id of every Offer we send, so that an answer to
// one is told from an answer to a follow without a read.
const offerPrefix = "offer-"

// OfferID returns a new id for an Offer.
func (u URLs) OfferID() string { return u.Activity(offerPrefix + randomHex()) }

// isOfferID reports whether id names an Offer of ours.
func (u URLs) isOfferID(id string) bool { return strings.HasPrefix(id, u.Activity(offerPrefix)) }

// AgreementURI is the id of the finalized agreement id.
func (u URLs) AgreementURI(id int64) string { return u.abs("/agreements/" + strconv.FormatInt(id, 10)) }

// intentID is the id of a listing's primary Intent.
func intentID(proposalID string) string { return proposalID + "#primary" }

// agreementParties are the Commitment's parties: the responder provides what
// a need asks for, and receives what an offer gives.
func agreementParties(t directory.ListingType, responder, owner string) map[string]any {
	if t == directory.Need {
		return map[string]any{"provider": responder, "receiver": owner}
	}
	return map[string]any{"provider": owner, "receiver": responder}
}

// commitment is the primary Commitment of agreement a about the listing
// whose Proposal is proposalID.
func commitment(a *directory.Agreement, t directory.ListingType, proposalID, responder, owner, id string) map[string]any {
	c := agreementParties(t, responder, owner)
	c["type"] = "Commitment"
	c["satisfies"] = intentID(proposalID)
	if id != "" {
		c["id"] = id + "#primary"
	}
	qty := map[string]any{"hasUnit": unitOne}
	if a.Unit != "" {
		qty["hasUnit"] = a.Unit
	}
	if a.Quantity != nil {
		qty["hasNumericalValue"] = formatQuantity(*a.Quantity)
	} else {
		qty["hasNumericalValue"] = "1"
	}
	c["resourceQuantity"] = qty
	return c
}

// AgreementOffer is the Offer{Agreement} that responder sends to owner
// about the listing whose Proposal is proposalID.
func AgreementOffer(a *directory.Agreement, t directory.ListingType, proposalID, responder, owner string) map[string]any {
	doc := map[string]any{
		"id": a.OfferID, "type": "Offer", "actor": responder, "to": []any{owner},
		"object": map[string]any{"type": "Agreement", "stipulates": commitment(a, t, proposalID, responder, owner, "")},
		"target": proposalID, "published": a.CreatedAt.UTC().Format(time.RFC3339),
	}
	if a.Message != "" {
		doc["content"] = "<p>" + html.EscapeString(a.Message) + "</p>"
	}
	if a.ResponderListingURI != "" {
		doc["instrument"] = a.ResponderListingURI
	}
	doc["@context"] = ap.ContextFor(doc)
	return doc
}

// AgreementAnswer is the Accept{Offer} (with the finalized Agreement) or the
// Reject{Offer} that owner sends to the responder.
func AgreementAnswer(u URLs, a *directory.Agreement, proposalID, owner string) map[string]any {
	typ, verb := "Reject", "reject"
	if a.State == directory.AgreementAccepted {
		typ, verb = "Accept", "accept"
	}
	doc := map[string]any{"id": u.derivedActivity(verb, a.OfferID), "type": typ, "actor": owner,
		"object": a.OfferID, "to": []any{a.ResponderID}}
	if a.State == directory.AgreementAccepted {
		doc["result"] = map[string]any{"id": a.URI, "type": "Agreement",
			"stipulates": commitment(a, a.Listing.Type, proposalID, a.ResponderID, owner, a.URI)}
	} else if a.Reason != "" {
		doc["content"] = html.EscapeString(a.Reason)
	}
	doc["@context"] = ap.ContextFor(doc)
	return doc
}

// AgreementNote is the readable form of an offer for servers that do not
// run coopdir: a Note addressed to the owner alone, mentioning it.
func AgreementNote(a *directory.Agreement, l *directory.Listing, responder string, owner *directory.RemoteActor) map[string]any {
	verb := "can meet your need"
	if l.Type == directory.Offer {
		verb = "would take up your offer"
	}
	mention := "@" + owner.Username
	if host, err := Host(owner.ID); err == nil && owner.Username != "" {
		mention += "@" + host
	}
	text := `<p><span class="h-card"><a href="` + html.EscapeString(owner.URL) + `" class="u-url mention">` +
		html.EscapeString(mention) + `</a></span> ` + html.EscapeString(a.ResponderName) + " " + verb + " " +
		html.EscapeString("“"+l.Title+"”")
	if a.Quantity != nil {
		text += html.EscapeString(" (" + strings.TrimSpace(formatQuantity(*a.Quantity)+" "+a.Unit) + ")")
	}
	text += ".</p>"
	if a.Message != "" {
		text += "<p>" + html.EscapeString(a.Message) + "</p>"
	}
	if a.ResponderListing != nil {
		text += "<p>" + html.EscapeString(a.ResponderListing.Title) + ": " + html.EscapeString(a.ResponderListingURI) + "</p>"
	}
	if l.RemoteURL != "" {
		text += `<p><a href="` + html.EscapeString(l.RemoteURL) + `">` + html.EscapeString(l.RemoteURL) + `</a></p>`
	}
	note := map[string]any{
		"id": a.OfferID + "/note", "type": "Note", "attributedTo": responder, "to": []any{owner.ID},
		"content": text, "published": a.CreatedAt.UTC().Format(time.RFC3339),
		"tag": []any{map[string]any{"type": "Mention", "href": owner.ID, "name": mention}},
	}
	doc := map[string]any{"id": CreateID(a.OfferID + "/note"), "type": "Create", "actor": responder,
		"to": []any{owner.ID}, "published": a.CreatedAt.UTC().Format(time.RFC3339), "object": note}
	doc["@context"] = ap.ContextFor(doc)
	return doc
}

// OfferAgreement answers listing id for the local enterprise handle with
// terms (see directory.Service.OfferAgreement). A listing here is answered
// at once; a partner's is sent an Offer{Agreement} (a direct Note when its
// enterprise's server does not run coopdir), and the agreement waits for
// the answer. When the offer cannot be queued, nothing is kept.
func (n *Node) OfferAgreement(ctx context.Context, handle string, id int64, terms directory.AgreementTerms) (*directory.Agreement, error) {
	a, err := n.opt.Service.OfferAgreement(ctx, handle, id, terms, n.opt.URLs.OfferID())
	if err != nil || a.ProposerID == "" {
		return a, err
	}
	if err := n.sendOffer(ctx, a); err != nil {
		if derr := n.opt.Service.WithdrawAgreement(context.WithoutCancel(ctx), a.ID); derr != nil {
			n.log.ErrorContext(ctx, "withdraw agreement", "id", a.ID, "err", derr)
		}
		return nil, err
	}
	return a, nil
}

// sendOffer queues the Offer (or the Note) of agreement a to the actor of
// its listing's enterprise.
func (n *Node) sendOffer(ctx context.Context, a *directory.Agreement) error {
	owner, err := n.resolver.Actor(ctx, a.ProposerID, false)
	if err != nil {
		return err
	}
	responder := n.opt.URLs.Enterprise(a.ResponderHandle).ID
	if a.ResponderListingID != 0 {
		a.ResponderListingURI = n.opt.URLs.Listing(a.ResponderListingID)
	}
	doc := AgreementNote(a, a.Listing, responder, owner)
	if owner.Peer {
		doc = AgreementOffer(a, a.Listing.Type, a.Listing.RemoteID, responder, owner.ID)
	}
	inbox := owner.Inbox
	if owner.SharedInbox != "" {
		inbox = owner.SharedInbox
	}
	return n.send(ctx, directory.EnterpriseActorKey(a.ResponderHandle), inbox, doc)
}

// DecideAgreement accepts or rejects agreement id about one of our
// listings (see directory.Service.DecideAgreement) and, when the responder
// is on another server, queues the Accept or Reject to it.
func (n *Node) DecideAgreement(ctx context.Context, id int64, accept bool, reason string) (*directory.Agreement, error) {
	a, err := n.opt.Service.DecideAgreement(ctx, id, accept, n.opt.URLs.AgreementURI(id), reason)
	if err != nil || a.ResponderInbox == "" {
		return a, err
	}
	owner := n.opt.URLs.Enterprise(a.Listing.EnterpriseHandle).ID
	doc := AgreementAnswer(n.opt.URLs, a, n.opt.URLs.Listing(a.ListingID), owner)
	return a, n.send(ctx, directory.EnterpriseActorKey(a.Listing.EnterpriseHandle), a.ResponderInbox, doc)
}
