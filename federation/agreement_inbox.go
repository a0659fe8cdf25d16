package federation

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// onOffer receives an Offer{Agreement} about one of our listings: its
// primary Commitment must satisfy the listing's Intent, name the Offer's
// actor as the responding party (provider of a need, receiver of an offer)
// and, when it names the other party, the listing's enterprise; the
// quantity must be in the listing's unit, above 0 and at most the
// listing's. Anything else is refused and nothing kept. Offers of other
// objects are ignored.
func (in *Inbox) onOffer(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	obj, ok := m["object"].(map[string]any)
	if !ok || str(obj["type"]) != "Agreement" {
		return nil
	}
	c, ok := obj["stipulates"].(map[string]any)
	if !ok || str(c["type"]) != "Commitment" {
		return directory.Errorf(directory.EINVALID, "the agreement stipulates no commitment")
	}
	l, err := in.satisfiedListing(ctx, str(c["satisfies"]))
	if err != nil {
		return err
	}
	owner := in.opt.URLs.Enterprise(l.EnterpriseHandle).ID
	want := agreementParties(l.Type, env.Actor, owner)
	for role, actor := range want {
		if got := ap.IDOf(c[role]); got != actor && (got != "" || actor == env.Actor) {
			return &directory.Error{Code: directory.EFORBIDDEN, Message: "the offer's actor is not the party the agreement stipulates"}
		}
	}
	qty, err := commitmentQuantity(c, l)
	if err != nil {
		return err
	}
	responder, err := in.resolver.Actor(ctx, env.Actor, false)
	if err != nil {
		return err
	}
	name := responder.Name
	if name == "" {
		name = responder.Username
	}
	a := &directory.Agreement{ListingID: l.ID, ResponderID: responder.ID, ResponderName: name,
		ResponderInbox: responder.Inbox, ResponderURL: responder.URL, OfferID: env.ID, Quantity: qty,
		Message: clip(strings.TrimSpace(plainText(in.postHTML(m))), directory.MaxAgreementMessage)}
	// The responder's own listing goes with the answer when it is the
	// responder's server's.
	if own := ap.IDOf(m["instrument"]); own != "" && SameOrigin(own, env.Actor) && len(own) <= 2000 {
		a.ResponderListingURI = own
	}
	return in.opt.Service.ReceiveAgreement(ctx, a)
}

// satisfiedListing is the local listing whose primary Intent id names.
func (in *Inbox) satisfiedListing(ctx context.Context, id string) (*directory.Listing, error) {
	proposal, ok := strings.CutSuffix(id, "#primary")
	kind, num, parsed := in.parseObject(proposal)
	if !ok || !parsed || kind != "listing" || strings.HasSuffix(proposal, "/note") {
		return nil, directory.Errorf(directory.EINVALID, "the commitment satisfies no intent of a listing here")
	}
	l, err := in.opt.Service.Listing(ctx, num)
	if err != nil {
		return nil, err
	}
	if l.Origin != "" {
		return nil, directory.Errorf(directory.EINVALID, "the commitment satisfies no intent of a listing here")
	}
	return l, nil
}

// commitmentQuantity reads the commitment's resourceQuantity: none, or a
// number (written as a string, as FEP-0837 does, or as a number) in the
// listing's unit ("one" for a listing without one). A commitment of one
// "one" about a listing without a quantity agrees to it all.
func commitmentQuantity(c map[string]any, l *directory.Listing) (*float64, error) {
	q, ok := c["resourceQuantity"].(map[string]any)
	if !ok {
		return nil, nil
	}
	unit := l.Unit
	if unit == "" {
		unit = unitOne
	}
	if got := str(q["hasUnit"]); got != unit {
		return nil, directory.Errorf(directory.EINVALID, "the quantity is in %q, the listing in %q", clip(got, 40), unit)
	}
	var v float64
	switch x := q["hasNumericalValue"].(type) {
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err != nil {
			return nil, directory.Errorf(directory.EINVALID, "the quantity is not a number")
		}
		v = f
	case json.Number:
		f, err := x.Float64()
		if err != nil {
			return nil, directory.Errorf(directory.EINVALID, "the quantity is not a number")
		}
		v = f
	case float64:
		v = x
	default:
		return nil, directory.Errorf(directory.EINVALID, "the quantity is not a number")
	}
	if l.Quantity == nil && l.Unit == "" && v == 1 {
		return nil, nil
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil, directory.Errorf(directory.EINVALID, "the quantity is not a number")
	}
	return &v, directory.CheckAgreementQuantity(&v, l)
}

// onAgreementAnswer applies an Accept or a Reject of one of our Offers: only
// the actor it was sent to may answer, and only once. It reports false for
// answers to anything else.
func (in *Inbox) onAgreementAnswer(ctx context.Context, env *ap.Envelope, m map[string]any, accept bool) (bool, error) {
	offer := ap.IDOf(m["object"])
	res, _ := m["result"].(map[string]any)
	if !in.opt.URLs.isOfferID(offer) {
		if str(res["type"]) == "Agreement" {
			return true, directory.Errorf(directory.ENOTFOUND, "no agreement of ours was offered as %s", clip(offer, 200))
		}
		return false, nil
	}
	uri := ""
	if SameOrigin(str(res["id"]), env.Actor) {
		uri = str(res["id"])
	}
	reason := strings.TrimSpace(plainText(in.postHTML(m)))
	_, err := in.opt.Service.AnswerAgreement(ctx, offer, env.Actor, accept, uri, reason)
	return true, err
}

// agreementRefusal turns the refusals of an agreement activity into what
// the inbox answers: 403 for the wrong actor, 409 for an offer or an answer
// received already (so that the sender does not retry them).
func agreementRefusal(err error) error {
	switch directory.ErrorCode(err) {
	case directory.EFORBIDDEN:
		return &SignatureError{Status: http.StatusForbidden, Reason: directory.ErrorMessage(err), Err: err}
	case directory.ECONFLICT:
		return &SignatureError{Status: http.StatusConflict, Reason: directory.ErrorMessage(err), Err: err}
	}
	return err
}

// agreementActivity reports whether env is an Offer, or an answer to one
// of ours: go-fed knows no Agreement, so these are read plainly.
func (in *Inbox) agreementActivity(env *ap.Envelope) bool {
	switch env.Type {
	case "Offer":
		return true
	case "Accept", "Reject":
		return in.opt.URLs.isOfferID(env.ObjectID)
	}
	return false
}
