package directory

import (
	"context"
	"time"
)

// ActorKey is the signing key of one of the instance's ActivityPub actors.
// The private key is kept sealed with the instance secret (federation seals
// and opens it); the directory stores it as opaque bytes.
type ActorKey struct {
	// Actor names the actor: "enterprise:{handle}" for an enterprise,
	// "topic:{handle}" for a saved search, or "network", "instance",
	// "needs" or "offers".
	Actor         string
	PublicPEM     string // PKIX "PUBLIC KEY" PEM, as published in the actor
	PrivateSealed []byte // the private key, sealed with the instance secret
	CreatedAt     time.Time
}

// EnterpriseActorKey is the ActorKey.Actor of the enterprise with handle.
func EnterpriseActorKey(handle string) string { return "enterprise:" + handle }

// ActorKeyStore stores the actors' signing keys, one per actor.
type ActorKeyStore interface {
	// ActorKey returns the key of actor. ENOTFOUND.
	ActorKey(ctx context.Context, actor string) (*ActorKey, error)
	// CreateActorKey stores the first key of k.Actor. ECONFLICT when the
	// actor has a key already (another process made it first).
	CreateActorKey(ctx context.Context, k *ActorKey) error
	// ReplaceActorKey stores k as the key of k.Actor, replacing the key it
	// had, if any.
	ReplaceActorKey(ctx context.Context, k *ActorKey) error
}
