package federation

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// ServeInbox answers a POST to the shared inbox or to one of our actors'
// inboxes. The checks run cheapest first: size and JSON shape, the actor's
// origin and domain blocks, the HTTP signature (and that the signer is the
// actor), and only then go-fed's full parse. An activity whose signer is not
// its actor (forwarded, or carrying only a Linked Data signature) is
// fetched again from its origin and used only if it is there. Each activity
// id is applied once; one another request is applying is answered 503;
// unknown types are accepted and ignored.
func (in *Inbox) ServeInbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if !isInboxType(r.Header.Get("Content-Type")) {
		w.Header().Set("Accept-Post", mediaActivityJSON+`, application/ld+json; profile="`+asNamespace+`"`)
		http.Error(w, "an inbox takes application/activity+json or application/ld+json", http.StatusUnsupportedMediaType)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, ap.MaxDocumentSize+1))
	if err != nil {
		http.Error(w, "cannot read the request body", http.StatusBadRequest)
		return
	}
	if len(body) > ap.MaxDocumentSize {
		http.Error(w, "activity too large", http.StatusRequestEntityTooLarge)
		return
	}
	env, m, err := ap.CheckActivity(body)
	if err == nil {
		err = in.checkOrigin(env)
	}
	if err != nil {
		in.refuse(w, r, err)
		return
	}
	host, _ := Host(env.Actor)
	blocked, err := in.blocked(ctx, host)
	if err != nil {
		in.refuse(w, r, err)
		return
	}
	if blocked && env.Type != "Follow" {
		w.WriteHeader(http.StatusAccepted) // dropped: the domain is blocked
		return
	}
	// A signature covers the Host header it was made for: one made for
	// another server cannot be replayed here.
	if !strings.EqualFold(r.Host, in.opt.URLs.Base.Host) {
		in.refuse(w, r, &SignatureError{Status: http.StatusUnauthorized, Reason: "the request is for host " + r.Host + ", not this server"})
		return
	}
	if env, m, err = in.authenticate(r, body, env, m); err != nil {
		in.refuse(w, r, err)
		return
	}
	// It talks to us, so it is up: deliveries to it resume. Most hosts
	// have no record to clear; reading first spares the single writer.
	if rec, err := in.store.FindDeliveryHost(ctx, host); err != nil || *rec != (directory.DeliveryHost{Host: host}) {
		if err := in.store.DeliverySucceeded(ctx, host); err != nil {
			in.log.WarnContext(ctx, "host record", "host", host, "err", err)
		}
	}
	// Types we do not act on are accepted and ignored, before the full
	// parse (which refuses types go-fed does not know, such as Misskey's).
	if !handled[env.Type] {
		w.WriteHeader(http.StatusAccepted)
		return
	}
	// go-fed knows no FEP-044f types: a QuoteRequest is read plainly.
	if env.Type != "QuoteRequest" && !in.agreementActivity(env) {
		if _, err := ap.ParseActivity(ctx, body); err != nil {
			in.refuse(w, r, err)
			return
		}
	}
	// Once claimed, the activity is applied even if the sender hangs up,
	// and released if applying fails, so that the sender's retry counts.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), applyTimeout)
	defer cancel()
	now := in.now()
	claim, err := in.store.ClaimActivity(actx, env.ID, now, now.Add(claimLease))
	if err != nil {
		in.refuse(w, r, err)
		return
	}
	switch claim {
	case directory.ClaimBusy:
		// Another request is applying it; if its process died, the
		// lease runs out and the retry is applied.
		w.Header().Set("Retry-After", strconv.Itoa(int(claimLease/time.Second)))
		http.Error(w, "this activity is being applied; try again later", http.StatusServiceUnavailable)
		return
	case directory.ClaimNew:
		if err := in.apply(actx, env, m, blocked); err != nil {
			if rerr := in.store.ReleaseActivity(context.WithoutCancel(ctx), env.ID); rerr != nil {
				in.log.ErrorContext(ctx, "release activity", "id", env.ID, "err", rerr)
			}
			in.refuse(w, r, err)
			return
		}
		in.applied(ctx, env.ID)
	}
	w.WriteHeader(http.StatusAccepted)
}

// applied marks the activity id applied. When that fails the answer is
// still 202 (the activity was applied), and the claim's lease runs out: a
// copy of the activity that arrives after that is applied again. Applying
// one activity twice in a row is harmless: its writes are upserts, deletes
// and state changes a second run leaves as they are, and the answers it
// sends (Accept{Follow}, a QuoteRequest's answer) repeat their ids. Applied
// again after later activities about the same object it is not: it undoes
// them (a Create, an Announce or an Update of a reply after the Delete
// brings the post back; an Update after a later Update restores the older
// text). That takes a failed write here and a sender that resends what we
// answered 202, which senders do not do.
func (in *Inbox) applied(ctx context.Context, id string) {
	if err := in.store.ActivityApplied(context.WithoutCancel(ctx), id); err != nil {
		in.log.ErrorContext(ctx, "mark activity applied", "id", id, "err", err)
	}
}

// isInboxType accepts the ActivityPub media types: application/activity+json
// and application/ld+json (with the ActivityStreams profile, or none: some
// servers leave it out). Anything else, text/plain and application/json
// included, is refused, as GoToSocial and Mastodon do.
func isInboxType(ctype string) bool {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return false
	}
	if mt == "application/ld+json" && params["profile"] == "" {
		return true
	}
	return isActivityType(ctype)
}

// applyTimeout bounds the work of applying one activity.
const applyTimeout = 30 * time.Second

// claimLease is how long a claim of an activity id holds while it is
// applied: longer than applying may take, so that only a claim whose
// process died (kill -9, a power cut) runs out, and the sender's retry
// after that is applied. Until then a retry is answered 503.
const claimLease = applyTimeout + 30*time.Second

// handled are the activity types the inbox acts on.
var handled = map[string]bool{"Follow": true, "Undo": true, "Accept": true, "Reject": true, "Create": true,
	"Update": true, "Delete": true, "Announce": true, "Flag": true, "QuoteRequest": true, "Offer": true}

// checkOrigin refuses activities that claim our host, or whose id is not on
// their actor's host.
func (in *Inbox) checkOrigin(env *ap.Envelope) error {
	if _, err := Host(env.Actor); err != nil {
		return directory.Errorf(directory.EINVALID, "the actor is not an http(s) URL")
	}
	if SameOrigin(env.Actor, in.opt.URLs.Home()) || SameOrigin(env.ID, in.opt.URLs.Home()) {
		return &SignatureError{Status: http.StatusForbidden, Reason: "the activity claims an id on this server"}
	}
	if env.ID == "" || !SameOrigin(env.ID, env.Actor) {
		return directory.Errorf(directory.EINVALID, "the activity's id must be on its actor's host")
	}
	return nil
}

// authenticate verifies the signature. When the signer is not the
// activity's actor, the activity is fetched from its origin instead.
func (in *Inbox) authenticate(r *http.Request, body []byte, env *ap.Envelope, m map[string]any) (*ap.Envelope, map[string]any, error) {
	verified, err := in.verifier.Verify(r, body)
	if err != nil {
		return nil, nil, err
	}
	if err := in.verifier.CheckActor(verified, env.Actor); err == nil {
		return env, m, nil
	}
	raw, _, ferr := in.opt.Client.FetchDocument(r.Context(), env.ID)
	if ferr != nil {
		return nil, nil, &SignatureError{Status: http.StatusForbidden,
			Reason: "the signer is not the actor, and the activity is not at its id", Err: ferr}
	}
	env2, m2, err := ap.CheckActivity(raw)
	if err != nil {
		return nil, nil, err
	}
	if !sameDocument(env2.Actor, env.Actor) || !sameDocument(env2.ID, env.ID) || env2.Type != env.Type {
		return nil, nil, &SignatureError{Status: http.StatusForbidden, Reason: "the activity at its id differs from the one sent"}
	}
	if err := in.checkOrigin(env2); err != nil {
		return nil, nil, err
	}
	return env2, m2, nil
}

// refuse answers an inbox error: signature errors with their status,
// EINVALID 400, ETOOLARGE 413, anything else 500 (logged; the sender
// retries).
func (in *Inbox) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var se *SignatureError
	var fe *FetchError
	switch {
	case errors.As(err, &se):
		http.Error(w, se.Reason, se.Status)
	case directory.ErrorCode(err) == directory.EINVALID, directory.ErrorCode(err) == directory.ENOTFOUND:
		http.Error(w, directory.ErrorMessage(err), http.StatusBadRequest)
	case directory.ErrorCode(err) == directory.ETOOLARGE:
		http.Error(w, directory.ErrorMessage(err), http.StatusRequestEntityTooLarge)
	case errors.As(err, &fe) && !fe.Temporary():
		http.Error(w, "a document this activity needs could not be fetched: "+fe.Reason, http.StatusBadRequest)
	default:
		in.log.ErrorContext(r.Context(), "inbox", "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// apply carries out one verified activity.
func (in *Inbox) apply(ctx context.Context, env *ap.Envelope, m map[string]any, blocked bool) error {
	if err := in.partners.guardPartnerEntries(ctx, env, m); err != nil {
		return err
	}
	switch env.Type {
	case "Follow":
		return in.onFollow(ctx, env, blocked)
	case "Undo":
		return in.onUndo(ctx, env, m)
	case "Accept", "Reject":
		if ok, err := in.onAgreementAnswer(ctx, env, m, env.Type == "Accept"); ok {
			return agreementRefusal(err)
		}
		state := directory.FollowAccepted
		if env.Type == "Reject" {
			state = directory.FollowRejected
		}
		return in.onFollowAnswer(ctx, env, m, state)
	case "Offer":
		return agreementRefusal(in.onOffer(ctx, env, m))
	case "Create", "Update":
		return in.onCreateOrUpdate(ctx, env, m)
	case "Delete":
		return in.onDelete(ctx, env)
	case "Announce":
		return in.onAnnounce(ctx, env, m)
	case "Flag":
		return in.onFlag(ctx, env, m)
	case "QuoteRequest":
		return in.onQuoteRequest(ctx, env, m)
	}
	return nil
}

// localActor returns the key name of one of our actors by id; ok is false
// when the id names none (or an enterprise that is not here).
func (in *Inbox) localActor(ctx context.Context, id string) (string, bool) {
	ref, ok := in.opt.URLs.ParseActorID(id)
	if !ok {
		return "", false
	}
	if ref.Kind == KindEnterprise {
		e, err := in.opt.Service.Enterprise(ctx, ref.Handle)
		if err != nil || !e.IsLocal() {
			return "", false
		}
	}
	if ref.Kind == KindTopic {
		if _, err := in.opt.Service.SavedSearch(ctx, ref.Handle); err != nil {
			return "", false
		}
	}
	return ActorKeyName(ref), true
}

// onFollow stores a follower of one of our actors and accepts, or rejects
// a follower from a blocked domain. Follows of the instance actor are
// partnership requests, for an admin to approve.
func (in *Inbox) onFollow(ctx context.Context, env *ap.Envelope, blocked bool) error {
	name, ok := in.localActor(ctx, env.ObjectID)
	if !ok {
		return nil
	}
	if name == directory.ActorInstance && !blocked {
		return in.partners.onPartnerFollow(ctx, env)
	}
	follower, err := in.resolver.Actor(ctx, env.Actor, false)
	if err != nil {
		return err
	}
	f := ap.FollowRef{ID: env.ID, Actor: follower.ID, Object: in.opt.URLs.ActorIDOf(actorRef(name))}
	if blocked {
		reject, err := Reject(in.opt.URLs, f)
		if err != nil {
			return err
		}
		return in.enqueue(ctx, map[string][]outgoing{follower.Inbox: {{actor: name, activity: reject, toBlocked: true}}})
	}
	err = in.store.SaveFollower(ctx, &directory.Follower{Actor: name, FollowerID: follower.ID, Inbox: follower.Inbox,
		SharedInbox: follower.SharedInbox, FollowID: env.ID, Peer: follower.Peer, CreatedAt: in.now()})
	if err != nil {
		return err
	}
	accept, err := Accept(in.opt.URLs, f)
	if err != nil {
		return err
	}
	return in.send(ctx, name, follower.Inbox, accept)
}

// onUndo removes a follower on Undo{Follow}; other undos are ignored.
func (in *Inbox) onUndo(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	inner, ok := m["object"].(map[string]any)
	if !ok || str(inner["type"]) != "Follow" || !sameDocument(str(inner["actor"]), env.Actor) {
		return nil
	}
	name, ok := in.localActor(ctx, ap.IDOf(inner["object"]))
	if !ok {
		return nil
	}
	if name == directory.ActorInstance {
		return in.partners.onPartnerUndo(ctx, env, str(inner["id"]))
	}
	_, err := in.store.DeleteFollower(ctx, name, env.Actor)
	return err
}

// onFollowAnswer records the answer to one of our follows; only the
// followed actor may answer.
func (in *Inbox) onFollowAnswer(ctx context.Context, env *ap.Envelope, m map[string]any, state directory.FollowState) error {
	if ok, err := in.partners.onPartnerAnswer(ctx, env, ap.IDOf(m["object"]), state); ok || err != nil {
		return err
	}
	f, err := in.store.FindFollowingByFollowID(ctx, ap.IDOf(m["object"]))
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	if !sameDocument(f.TargetID, env.Actor) {
		return &SignatureError{Status: http.StatusForbidden, Reason: "only the followed actor may answer a follow"}
	}
	return in.store.SetFollowingState(ctx, f.ID, state, in.now())
}
