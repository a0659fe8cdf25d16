package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// ActorKeyName is the name under which the key of one of our actors is
// stored: "enterprise:{handle}" for an enterprise, "topic:{handle}" for a
// topic, else the actor's kind
// ("network", "instance", "needs" or "offers").
func ActorKeyName(ref ActorRef) string {
	if ref.Kind == KindEnterprise {
		return directory.EnterpriseActorKey(ref.Handle)
	}
	if ref.Kind == KindTopic {
		return directory.SavedSearchActorKey(ref.Handle)
	}
	return ref.Kind
}

// Keys keeps the signing keys of the instance's actors: one RSA-2048 key per
// actor, made on first need and stored with its private part sealed under
// the instance secret (SealPrivateKey). It is safe for concurrent use: when
// several requests need a missing key at once, one key is made, also across
// processes sharing the database (a process that loses the race reads the
// winner's key).
type Keys struct {
	store  directory.ActorKeyStore
	secret []byte

	// Now is the clock for the keys' creation times; Generate makes a new
	// private key; Random supplies the salt and nonce of sealing. NewKeys
	// sets the real ones; tests may replace them before first use.
	Now      func() time.Time
	Generate func() (*rsa.PrivateKey, error)
	Random   io.Reader

	locks  keyLocks
	mu     sync.Mutex
	opened map[string]openedKey // by actor: the last private key opened
}

// openedKey is a private key opened from its sealed form, kept so that
// signing does not decrypt and parse the key every time.
type openedKey struct {
	sealed string
	key    *rsa.PrivateKey
}

// NewKeys returns the keys stored in store, sealed with secret (at least 16
// bytes: else EINVALID).
func NewKeys(store directory.ActorKeyStore, secret []byte) (*Keys, error) {
	if len(secret) < minSecretSize {
		return nil, directory.Errorf(directory.EINVALID, "instance secret must be at least %d bytes", minSecretSize)
	}
	return &Keys{
		store: store, secret: secret,
		Now:      time.Now,
		Generate: func() (*rsa.PrivateKey, error) { return GenerateKey(rand.Reader) },
		Random:   rand.Reader,
		opened:   map[string]openedKey{},
	}, nil
}

// Key returns the key of actor (see ActorKeyName), making and storing one
// when it has none. A stored key created before notBefore belonged to an
// earlier holder of the name (an enterprise deleted, then created again
// with the same handle) and is replaced by a new one; the zero time keeps
// any stored key.
func (k *Keys) Key(ctx context.Context, actor string, notBefore time.Time) (*directory.ActorKey, error) {
	stored, err := k.current(ctx, actor, notBefore)
	if err != nil || stored != nil {
		return stored, err
	}
	unlock := k.locks.lock(actor)
	defer unlock()
	// Another request may have made the key while this one waited.
	return k.make(ctx, actor, notBefore)
}

// current returns the stored key of actor if it is usable, nil if there is
// none or it is stale.
func (k *Keys) current(ctx context.Context, actor string, notBefore time.Time) (*directory.ActorKey, error) {
	stored, err := k.store.ActorKey(ctx, actor)
	switch {
	case directory.ErrorCode(err) == directory.ENOTFOUND:
		return nil, nil
	case err != nil:
		return nil, err
	case stored.CreatedAt.Before(notBefore):
		return nil, nil
	}
	return stored, nil
}

// make stores a new key for actor unless a usable one is there by now.
func (k *Keys) make(ctx context.Context, actor string, notBefore time.Time) (*directory.ActorKey, error) {
	stored, err := k.store.ActorKey(ctx, actor)
	if err == nil && !stored.CreatedAt.Before(notBefore) {
		return stored, nil
	}
	if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
		return nil, err
	}
	fresh, err := k.newKey(actor)
	if err != nil {
		return nil, err
	}
	if stored != nil {
		// The stale key of an earlier holder of the name. When the holder
		// seems newer than our clock (another machine's clock runs ahead),
		// the new key takes its time, so that it is not stale in turn.
		if fresh.CreatedAt.Before(notBefore) {
			fresh.CreatedAt = notBefore
		}
		if err := k.store.ReplaceActorKey(ctx, fresh); err != nil {
			return nil, err
		}
		return fresh, nil
	}
	err = k.store.CreateActorKey(ctx, fresh)
	if directory.ErrorCode(err) == directory.ECONFLICT {
		// Another process stored its key first: everyone uses that one.
		return k.store.ActorKey(ctx, actor)
	}
	if err != nil {
		return nil, err
	}
	return fresh, nil
}

// Rotate replaces the key of actor with a new one and returns it. Remote
// servers fetch the new key when a signature fails with the one they
// cached.
func (k *Keys) Rotate(ctx context.Context, actor string) (*directory.ActorKey, error) {
	unlock := k.locks.lock(actor)
	defer unlock()
	fresh, err := k.newKey(actor)
	if err != nil {
		return nil, err
	}
	if err := k.store.ReplaceActorKey(ctx, fresh); err != nil {
		return nil, err
	}
	return fresh, nil
}

// newKey generates and seals a key for actor.
func (k *Keys) newKey(actor string) (*directory.ActorKey, error) {
	priv, err := k.Generate()
	if err != nil {
		return nil, err
	}
	pub, err := PublicKeyPEM(&priv.PublicKey)
	if err != nil {
		return nil, err
	}
	sealed, err := SealPrivateKey(priv, k.secret, k.Random)
	if err != nil {
		return nil, err
	}
	created := k.Now().UTC().Truncate(time.Microsecond)
	return &directory.ActorKey{Actor: actor, PublicPEM: pub, PrivateSealed: sealed, CreatedAt: created}, nil
}

// Open returns the private key of a stored key, for signing. A key sealed
// with another instance secret is EINVALID.
func (k *Keys) Open(key *directory.ActorKey) (*rsa.PrivateKey, error) {
	k.mu.Lock()
	o, ok := k.opened[key.Actor]
	k.mu.Unlock()
	if ok && o.sealed == string(key.PrivateSealed) {
		return o.key, nil
	}
	priv, err := OpenPrivateKey(key.PrivateSealed, k.secret)
	if err != nil {
		return nil, err
	}
	k.mu.Lock()
	k.opened[key.Actor] = openedKey{sealed: string(key.PrivateSealed), key: priv}
	k.mu.Unlock()
	return priv, nil
}

// PrivateKey returns the private key of actor, making the key first if
// there is none (see Key).
func (k *Keys) PrivateKey(ctx context.Context, actor string, notBefore time.Time) (*rsa.PrivateKey, error) {
	key, err := k.Key(ctx, actor, notBefore)
	if err != nil {
		return nil, err
	}
	return k.Open(key)
}

// keyLocks holds one mutex per actor name while someone uses it, so that
// making the key of one actor never waits for another's.
type keyLocks struct {
	mu sync.Mutex
	m  map[string]*actorLock
}

type actorLock struct {
	sync.Mutex
	users int
}

// lock locks name and returns the function that unlocks it.
func (l *keyLocks) lock(name string) func() {
	l.mu.Lock()
	if l.m == nil {
		l.m = map[string]*actorLock{}
	}
	a := l.m[name]
	if a == nil {
		a = &actorLock{}
		l.m[name] = a
	}
	a.users++
	l.mu.Unlock()
	a.Lock()
	return func() {
		a.Unlock()
		l.mu.Lock()
		if a.users--; a.users == 0 {
			delete(l.m, name)
		}
		l.mu.Unlock()
	}
}
