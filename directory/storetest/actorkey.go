package storetest

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func testActorKeys(t *testing.T, open opener) {
	key := func(actor, pem string, sealed []byte, minute int) *directory.ActorKey {
		return &directory.ActorKey{Actor: actor, PublicPEM: pem, PrivateSealed: sealed, CreatedAt: at(minute)}
	}
	t.Run("are not found until created, then read back exactly", func(t *testing.T) {
		s := open(t)
		_, err := s.ActorKey(ctx, "network")
		wantCode(t, err, directory.ENOTFOUND)
		// Sealed keys are binary: zero bytes and bytes above 0x7f must survive.
		want := key("network", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", []byte{1, 0, 0xff, 0x80, 7}, 1)
		mustNot(t, s.CreateActorKey(ctx, want), "create")
		got, err := s.ActorKey(ctx, "network")
		mustNot(t, err, "read")
		assertSame(t, "key", got, want)
	})
	t.Run("a second first key is a conflict and changes nothing", func(t *testing.T) {
		s := open(t)
		first := key(directory.EnterpriseActorKey("bakery"), "first", []byte{1}, 1)
		mustNot(t, s.CreateActorKey(ctx, first), "create")
		wantCode(t, s.CreateActorKey(ctx, key(first.Actor, "second", []byte{2}, 2)), directory.ECONFLICT)
		got, err := s.ActorKey(ctx, first.Actor)
		mustNot(t, err, "read")
		assertSame(t, "key", got, first)
	})
	t.Run("replacing overwrites the key, or stores the first one", func(t *testing.T) {
		s := open(t)
		mustNot(t, s.CreateActorKey(ctx, key("needs", "old", []byte{1}, 1)), "create")
		newer := key("needs", "new", []byte{2, 3}, 5)
		mustNot(t, s.ReplaceActorKey(ctx, newer), "replace")
		got, err := s.ActorKey(ctx, "needs")
		mustNot(t, err, "read")
		assertSame(t, "replaced key", got, newer)
		fresh := key("offers", "fresh", []byte{4}, 6)
		mustNot(t, s.ReplaceActorKey(ctx, fresh), "replace a missing key")
		got, err = s.ActorKey(ctx, "offers")
		mustNot(t, err, "read")
		assertSame(t, "first key stored by replace", got, fresh)
	})
	t.Run("each actor has its own key", func(t *testing.T) {
		s := open(t)
		a := key(directory.EnterpriseActorKey("a"), "a", []byte{1}, 1)
		b := key(directory.EnterpriseActorKey("b"), "b", []byte{2}, 2)
		mustNot(t, s.CreateActorKey(ctx, a), "create a")
		mustNot(t, s.CreateActorKey(ctx, b), "create b")
		mustNot(t, s.ReplaceActorKey(ctx, key(a.Actor, "a2", []byte{3}, 3)), "replace a")
		got, err := s.ActorKey(ctx, b.Actor)
		mustNot(t, err, "read b")
		assertSame(t, "other actor's key", got, b)
		_, err = s.ActorKey(ctx, directory.EnterpriseActorKey("c"))
		wantCode(t, err, directory.ENOTFOUND)
	})
}
