package federation

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Remote actor cache limits.
const (
	// actorTTL is how long a fetched actor document is used before it is
	// fetched again (keys are re-fetched sooner when a signature fails).
	actorTTL = 24 * time.Hour
	// keyRefreshEvery bounds how often one key id is re-fetched because a
	// signature did not verify, so bad signatures cannot make us fetch
	// without end.
	keyRefreshEvery = time.Minute
	// maxActorSize caps an actor document (Mastodon's are 3–10 KB).
	maxActorSize = 256 << 10
	// keyFetches bounds the key lookups running at once, and
	// keyFetchesPerHost those to one host: a key id can name any host, so
	// signed requests with unknown keys must not make us hammer one.
	// Each lookup mostly waits on the network; a flood of follows from
	// many servers (each with a new actor) is taken in as fast as the
	// lookups allow, about keyFetches per round trip.
	keyFetches        = 64
	keyFetchesPerHost = 4
)

// actorTypes are the ActivityStreams actor types we deal with.
var actorTypes = map[string]bool{"Person": true, "Organization": true, "Group": true, "Application": true, "Service": true}

// Resolver finds remote actors and their keys: from the cache in the
// database, else by fetching them (signed as the instance actor) through the
// Client. It implements KeyResolver for the inbox's Verifier.
type Resolver struct {
	client    *Client
	store     directory.FederationStore
	urls      URLs
	now       func() time.Time
	allowHTTP bool
	log       *slog.Logger

	fetching chan struct{} // slots for key fetches (see keyFetches)
	hosts    hostLimiter   // slots per host (see keyFetchesPerHost)

	mu        sync.Mutex
	refreshed map[string]time.Time // key id -> last refresh
	failures  map[string]time.Time // key id -> last failed fetch
}

var _ KeyResolver = (*Resolver)(nil)

// Actor returns the remote actor id: the cached copy when it is fresh and
// refresh is false, else the document fetched from its origin. EINVALID for
// an id on our own host or a document that is not a usable actor.
func (r *Resolver) Actor(ctx context.Context, id string, refresh bool) (*directory.RemoteActor, error) {
	id, err := r.remoteID(id)
	if err != nil {
		return nil, err
	}
	if !refresh {
		a, err := r.store.FindRemoteActor(ctx, id)
		if err == nil && r.now().Sub(a.FetchedAt) < actorTTL {
			return a, nil
		}
	}
	a, _, err := r.fetchActor(ctx, id)
	return a, err
}

// ActorDocument fetches the actor id as Actor does with refresh, and also
// returns the document as read, for terms the stored actor does not keep.
func (r *Resolver) ActorDocument(ctx context.Context, id string) (*directory.RemoteActor, []byte, error) {
	id, err := r.remoteID(id)
	if err != nil {
		return nil, nil, err
	}
	return r.fetchActor(ctx, id)
}

// remoteID normalizes id, refusing (EINVALID) one on our own host.
func (r *Resolver) remoteID(id string) (string, error) {
	id, err := NormalizeID(id)
	if err != nil {
		return "", err
	}
	if r.isLocal(id) {
		return "", directory.Errorf(directory.EINVALID, "%s is an actor of this server, not a remote one", id)
	}
	return id, nil
}

// fetchActor fetches and stores the remote actor id (normalized).
func (r *Resolver) fetchActor(ctx context.Context, id string) (*directory.RemoteActor, []byte, error) {
	body, final, err := r.client.FetchDocument(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	a, err := decodeActor(body, final.String())
	if err != nil {
		return nil, nil, err
	}
	a.FetchedAt = r.now().UTC()
	if err := r.store.SaveRemoteActor(ctx, a); err != nil {
		return nil, nil, err
	}
	return a, body, nil
}

// isLocal reports whether id lies on our own host.
func (r *Resolver) isLocal(id string) bool {
	return SameOrigin(id, r.urls.Home())
}

// PublicKey returns the key keyID and its owner, for signature checks.
func (r *Resolver) PublicKey(ctx context.Context, keyID string, refresh bool) (string, *rsa.PublicKey, error) {
	if r.isLocal(keyID) {
		return "", nil, directory.Errorf(directory.EINVALID, "key %s claims to be one of ours", keyID)
	}
	if !refresh {
		if a, err := r.store.FindRemoteActorByKey(ctx, keyID); err == nil {
			return remoteKey(a)
		}
	} else if !r.mayRefresh(keyID) {
		return "", nil, directory.Errorf(directory.EINVALID, "key %s was fetched moments ago", keyID)
	}
	if !r.mayFetch(keyID) {
		return "", nil, directory.Errorf(directory.EINVALID, "key %s could not be fetched moments ago", keyID)
	}
	if r.fetching != nil {
		// The host's slot first, so that lookups waiting on one host do
		// not hold the slots others could use.
		if host, err := Host(keyID); err == nil {
			release, err := r.hosts.acquire(ctx, host)
			if err != nil {
				return "", nil, err
			}
			defer release()
		}
		select {
		case r.fetching <- struct{}{}:
			defer func() { <-r.fetching }()
		case <-ctx.Done():
			return "", nil, ctx.Err()
		}
	}
	owner, key, err := r.fetchKey(ctx, keyID)
	if err != nil {
		r.failed(keyID)
	}
	return owner, key, err
}

// fetchKey fetches the document of keyID: its actor, or a document at the
// key's own URL that names the actor (a key document, or a stub actor as
// GoToSocial serves). Either way the key is trusted only as its actor,
// fetched at its own id, publishes it.
func (r *Resolver) fetchKey(ctx context.Context, keyID string) (string, *rsa.PublicKey, error) {
	doc, _, _ := strings.Cut(keyID, "#")
	a, err := r.Actor(ctx, doc, true)
	if err != nil {
		owner, ownerErr := r.keyOwner(ctx, keyID)
		if ownerErr != nil {
			return "", nil, err
		}
		if a, err = r.Actor(ctx, owner, true); err != nil {
			return "", nil, err
		}
	}
	if a.KeyID != keyID {
		return "", nil, directory.Errorf(directory.EINVALID, "actor %s does not publish key %s", a.ID, keyID)
	}
	return remoteKey(a)
}

// keyOwner fetches the document at keyID's URL when it is not the actor
// itself, and returns the actor that it says owns the key: the owner of a
// key document ({id, owner, publicKeyPem}), or the publicKey.owner of a
// stub actor whose publicKey is keyID (GoToSocial answers a fragmentless
// key id with {id: actor, publicKey: {id, owner, publicKeyPem}}). The owner
// must share the key's origin; nothing of the document is trusted beyond
// that name.
func (r *Resolver) keyOwner(ctx context.Context, keyID string) (string, error) {
	keyURL, _, _ := strings.Cut(keyID, "#")
	body, final, ctype, err := r.client.get(ctx, keyURL, acceptActivity)
	if err != nil {
		return "", err
	}
	if !isActivityType(ctype) || len(body) > maxActorSize {
		return "", directory.Errorf(directory.EINVALID, "key document %s is not an ActivityPub document", keyURL)
	}
	owner := keyDocOwner(body, keyID)
	if owner == "" || !SameOrigin(owner, keyID) || !SameOrigin(owner, final.String()) {
		return "", directory.Errorf(directory.EINVALID, "key document %s names no owner of %s on its own host", keyURL, keyID)
	}
	return owner, nil
}

// keyDocOwner reads the owner of keyID from a key document or a stub
// actor, or "" when the document names none.
func keyDocOwner(body []byte, keyID string) string {
	var d struct {
		keyDoc
		PublicKey json.RawMessage `json:"publicKey"`
	}
	if json.Unmarshal(body, &d) != nil {
		return ""
	}
	if d.Owner != "" && sameDocument(d.ID, keyID) {
		return d.Owner
	}
	var k keyDoc
	if decodeOne(d.PublicKey, &k) == nil && k.ID == keyID && k.Owner != "" {
		return k.Owner
	}
	return ""
}

// mayFetch reports whether keyID did not fail to fetch within the last
// keyRefreshEvery.
func (r *Resolver) mayFetch(keyID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	t, ok := r.failures[keyID]
	return !ok || r.now().Sub(t) >= keyRefreshEvery
}

// failed remembers that keyID could not be fetched.
func (r *Resolver) failed(keyID string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failures == nil || len(r.failures) > 10000 {
		r.failures = map[string]time.Time{}
	}
	r.failures[keyID] = r.now()
}

func (r *Resolver) mayRefresh(keyID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refreshed == nil {
		r.refreshed = map[string]time.Time{}
	}
	now := r.now()
	if last, ok := r.refreshed[keyID]; ok && now.Sub(last) < keyRefreshEvery {
		return false
	}
	if len(r.refreshed) > 10000 {
		clear(r.refreshed)
	}
	r.refreshed[keyID] = now
	return true
}

func remoteKey(a *directory.RemoteActor) (string, *rsa.PublicKey, error) {
	key, err := ParsePublicKeyPEM(a.PublicKeyPEM)
	if err != nil {
		return "", nil, err
	}
	return a.ID, key, nil
}

// actorDoc is the part of an actor document we read, decoded plainly.
type actorDoc struct {
	ID                string          `json:"id"`
	Type              json.RawMessage `json:"type"`
	PreferredUsername string          `json:"preferredUsername"`
	Name              string          `json:"name"`
	URL               json.RawMessage `json:"url"`
	Inbox             string          `json:"inbox"`
	Endpoints         struct {
		SharedInbox string `json:"sharedInbox"`
	} `json:"endpoints"`
	PublicKey json.RawMessage `json:"publicKey"`
	Network   string          `json:"network"`
}

type keyDoc struct {
	ID           string `json:"id"`
	Owner        string `json:"owner"`
	PublicKeyPem string `json:"publicKeyPem"`
}

// decodeActor reads an actor document fetched from final. Its inboxes and
// key must live on its own host, and the key must be owned by it.
// It decodes plainly (no full ActivityStreams parse): anyone can make us
// fetch a key, so reading one must cost little.
func decodeActor(body []byte, final string) (*directory.RemoteActor, error) {
	if len(body) > maxActorSize {
		return nil, directory.Errorf(directory.EINVALID, "actor document %s is over %d bytes", final, maxActorSize)
	}
	if _, err := ap.CheckDocument(body, "actor"); err != nil {
		return nil, err
	}
	var d actorDoc
	if err := json.Unmarshal(body, &d); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "actor document does not decode: %v", err)
	}
	typ := firstString(d.Type)
	if !actorTypes[typ] {
		return nil, directory.Errorf(directory.EINVALID, "%s is a %q, not an actor", final, typ)
	}
	if !sameDocument(d.ID, final) {
		return nil, directory.Errorf(directory.EINVALID, "actor id %s is not where it was fetched from (%s)", d.ID, final)
	}
	a := &directory.RemoteActor{ID: d.ID, Type: typ, Username: d.PreferredUsername, Name: d.Name,
		URL: firstURL(d.URL), Inbox: d.Inbox, SharedInbox: d.Endpoints.SharedInbox}
	if !SameOrigin(a.Inbox, a.ID) {
		return nil, directory.Errorf(directory.EINVALID, "actor %s has no inbox on its own host", a.ID)
	}
	if a.SharedInbox != "" && !SameOrigin(a.SharedInbox, a.ID) {
		a.SharedInbox = ""
	}
	if a.URL != "" && !strings.HasPrefix(a.URL, "https://") && !strings.HasPrefix(a.URL, "http://") {
		a.URL = ""
	}
	var k keyDoc
	if err := decodeOne(d.PublicKey, &k); err != nil || k.PublicKeyPem == "" {
		return nil, directory.Errorf(directory.EINVALID, "actor %s has no public key", a.ID)
	}
	if !sameDocument(k.Owner, a.ID) || !SameOrigin(k.ID, a.ID) {
		return nil, directory.Errorf(directory.EINVALID, "the key of actor %s is not its own", a.ID)
	}
	if _, err := ParsePublicKeyPEM(k.PublicKeyPem); err != nil {
		return nil, err
	}
	a.KeyID, a.PublicKeyPEM = k.ID, k.PublicKeyPem
	a.Peer = d.Network != "" && bytes.Contains(body, []byte(ap.Namespace))
	return a, nil
}

// decodeOne decodes a value that may be one object or an array of them
// (the first is taken).
func decodeOne(raw json.RawMessage, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '[' {
		var list []json.RawMessage
		if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
			return directory.Errorf(directory.EINVALID, "empty list")
		}
		raw = list[0]
	}
	return json.Unmarshal(raw, v)
}

// firstString reads a string or the first string of an array.
func firstString(raw json.RawMessage) string {
	var s string
	if decodeOne(raw, &s) == nil {
		return s
	}
	return ""
}

// firstURL reads a url property (see urlOf) from its raw JSON.
func firstURL(raw json.RawMessage) string {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	return urlOf(v)
}

// Account is a parsed fediverse address.
type Account struct {
	User, Host string
}

// String writes the account as user@host.
func (a Account) String() string { return a.User + "@" + a.Host }

// ParseAccount reads name@host, @name@host or acct:name@host. EINVALID
// otherwise.
func ParseAccount(s string) (Account, error) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "acct:"), "@")
	user, host, ok := strings.Cut(s, "@")
	bad := !ok || user == "" || host == "" || strings.ContainsAny(user, "/?#:@ \t") || strings.ContainsAny(host, "/?#@ \t")
	if !bad {
		if _, err := Host("https://" + host + "/"); err != nil {
			bad = true
		}
	}
	if bad {
		return Account{}, &directory.Error{Code: directory.EINVALID, Message: "not a fediverse address: " + s,
			Fields: []directory.FieldError{{Field: "account", Rule: "format", Message: "must be an address like name@coop.example"}}}
	}
	return Account{User: user, Host: strings.ToLower(host)}, nil
}

// Lookup finds the actor of an account address (name@host and its
// variants) through WebFinger, or of an actor URL directly. It returns the
// actor and its address. ENOTFOUND when nothing answers for it.
func (r *Resolver) Lookup(ctx context.Context, account string) (*directory.RemoteActor, string, error) {
	account = strings.TrimSpace(account)
	if strings.HasPrefix(account, "https://") || strings.HasPrefix(account, "http://") {
		a, err := r.Actor(ctx, account, true)
		if err != nil {
			return nil, "", lookupFailed(err, "no actor at "+account)
		}
		host, _ := Host(a.ID)
		return a, a.Username + "@" + host, nil
	}
	acct, err := ParseAccount(account)
	if err != nil {
		return nil, "", err
	}
	if strings.EqualFold(acct.Host, r.urls.Host()) {
		return nil, "", &directory.Error{Code: directory.EINVALID, Message: acct.String() + " is on this server",
			Fields: []directory.FieldError{{Field: "account", Rule: "local", Message: "is an account of this server; follow accounts of other servers"}}}
	}
	href, err := r.webFinger(ctx, acct)
	if err != nil {
		return nil, "", lookupFailed(err, "no account "+acct.String()+" was found")
	}
	a, err := r.Actor(ctx, href, true)
	if err != nil {
		return nil, "", lookupFailed(err, "the account "+acct.String()+" could not be read")
	}
	return a, acct.String(), nil
}

// webFinger asks acct's host for the actor id of acct: over https, and over
// http too when AllowHTTP is set and https does not answer.
func (r *Resolver) webFinger(ctx context.Context, acct Account) (string, error) {
	q := url.Values{"resource": {"acct:" + acct.String()}}.Encode()
	body, err := r.client.FetchJRD(ctx, "https://"+acct.Host+"/.well-known/webfinger?"+q)
	if err != nil && r.allowHTTP {
		body, err = r.client.FetchJRD(ctx, "http://"+acct.Host+"/.well-known/webfinger?"+q)
	}
	if err != nil {
		return "", err
	}
	var jrd struct {
		Links []struct {
			Rel, Type, Href string
		} `json:"links"`
	}
	if err := json.Unmarshal(body, &jrd); err != nil {
		return "", directory.Errorf(directory.EINVALID, "webfinger answer does not decode")
	}
	for _, l := range jrd.Links {
		if l.Rel == "self" && (strings.HasPrefix(l.Type, mediaActivityJSON) || strings.HasPrefix(l.Type, "application/ld+json")) {
			return l.Href, nil
		}
	}
	return "", directory.Errorf(directory.ENOTFOUND, "webfinger answer has no ActivityPub actor")
}

// lookupFailed turns a failed lookup into ENOTFOUND with a safe message, keeping
// the cause for logs; an EINVALID input error passes through.
func lookupFailed(err error, msg string) error {
	if directory.ErrorCode(err) == directory.EINVALID && strings.HasPrefix(directory.ErrorMessage(err), "not a fediverse") {
		return err
	}
	return &directory.Error{Code: directory.ENOTFOUND, Message: msg, Err: err}
}
