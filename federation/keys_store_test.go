package federation

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestNewKeysRefusesAShortSecret(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	if _, err := NewKeys(f.db, []byte("fifteen bytes..")); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

func TestKeysConcurrentFirstRequestsMakeOneKey(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	ctx := context.Background()
	const n = 8
	pems := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			k, err := f.keys.Key(ctx, NetworkUsername, time.Time{})
			if err != nil {
				t.Error(err)
				return
			}
			pems[i] = k.PublicPEM
		})
	}
	wg.Wait()
	for _, p := range pems {
		if p != pems[0] {
			t.Fatal("requests got different keys")
		}
	}
	if g := f.generated.Load(); g != 1 {
		t.Errorf("%d keys generated, want 1", g)
	}
}

func TestKeysAProcessThatLosesTheRaceUsesTheWinnersKey(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	ctx := context.Background()
	// Another process over the same database: it finds no key, then
	// generates slowly while this one stores its own.
	other, err := NewKeys(f.db, serverFixtureSecret)
	if err != nil {
		t.Fatal(err)
	}
	generating, stored := make(chan struct{}), make(chan struct{})
	other.Generate = func() (*rsa.PrivateKey, error) {
		close(generating)
		<-stored
		return testKey(t, "b"), nil
	}
	done := make(chan *directory.ActorKey)
	go func() {
		k, err := other.Key(ctx, InstanceUsername, time.Time{})
		if err != nil {
			t.Error(err)
		}
		done <- k
	}()
	<-generating
	winner, err := f.keys.Key(ctx, InstanceUsername, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	close(stored)
	if lost := <-done; lost == nil || lost.PublicPEM != winner.PublicPEM {
		t.Errorf("the losing process kept its own key")
	}
}

func TestKeysRotate(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	ctx := context.Background()
	before, _ := keyOf(t, f.doc(t, "/needs"))
	f.keys.Generate = func() (*rsa.PrivateKey, error) { return GenerateKey(rand.Reader) }
	k, err := f.keys.Rotate(ctx, NeedsUsername)
	if err != nil {
		t.Fatal(err)
	}
	after, pub := keyOf(t, f.doc(t, "/needs"))
	if after == before || after != k.PublicPEM {
		t.Fatal("the served key did not change with the rotation")
	}
	priv, err := f.keys.PrivateKey(ctx, NeedsUsername, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if !priv.PublicKey.Equal(pub) {
		t.Error("the private key is not the new one")
	}
}

func TestKeysSealedWithAnotherSecretDoNotOpen(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	ctx := context.Background()
	k, err := f.keys.Key(ctx, OffersUsername, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := NewKeys(f.db, []byte("another secret, long enough"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.Open(k); directory.ErrorCode(err) != directory.EINVALID {
		t.Errorf("err = %v, want EINVALID", err)
	}
}

func TestKeysOfADeletedEnterpriseAreNotReused(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	old, _ := keyOf(t, f.doc(t, "/enterprises/shakyhands"))
	if err := f.svc.DeleteEnterprise(f.sys(), "shakyhands"); err != nil {
		t.Fatal(err)
	}
	f.wantStatus(t, "/enterprises/shakyhands", 404)
	f.mustEnterprise(t, "shakyhands", "New Shaky Hands")
	fresh, _ := keyOf(t, f.doc(t, "/enterprises/shakyhands"))
	if fresh == old {
		t.Error("a new enterprise with the handle got the deleted one's key")
	}
	again, _ := keyOf(t, f.doc(t, "/enterprises/shakyhands"))
	if again != fresh {
		t.Error("the new enterprise's key changed on the next fetch")
	}
}

func TestKeysOfAnEnterpriseFromAheadOfOurClockStayPut(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	ctx := context.Background()
	actor := directory.EnterpriseActorKey("shakyhands")
	old, err := f.keys.Key(ctx, actor, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	ahead := old.CreatedAt.Add(time.Hour) // the enterprise, made by a machine whose clock runs ahead
	fresh, err := f.keys.Key(ctx, actor, ahead)
	if err != nil {
		t.Fatal(err)
	}
	again, err := f.keys.Key(ctx, actor, ahead)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.PublicPEM == old.PublicPEM || again.PublicPEM != fresh.PublicPEM || f.generated.Load() != 2 {
		t.Errorf("the stale key was not replaced exactly once (%d keys generated)", f.generated.Load())
	}
}

func TestKeysAnEnterpriseHasNoKeyUntilFirstFetched(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	ctx := context.Background()
	actor := directory.EnterpriseActorKey("shakyhands")
	if _, err := f.db.ActorKey(ctx, actor); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("a new enterprise has a key already (err = %v)", err)
	}
	const n = 8
	pems := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			rec := f.get(t, "/enterprises/shakyhands")
			var doc struct {
				PublicKey struct {
					PublicKeyPem string `json:"publicKeyPem"`
				} `json:"publicKey"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || rec.Code != 200 {
				t.Errorf("GET: %d %v", rec.Code, err)
			}
			pems[i] = doc.PublicKey.PublicKeyPem
		})
	}
	wg.Wait()
	stored, err := f.db.ActorKey(ctx, actor)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pems {
		if p != stored.PublicPEM {
			t.Fatal("concurrent first fetches served different keys, or not the stored one")
		}
	}
	if g := f.generated.Load(); g != 1 {
		t.Errorf("%d keys generated by %d concurrent first fetches, want 1", g, n)
	}
}

func TestKeysAnEnterpriseSignsWithTheKeyItsDocumentServes(t *testing.T) {
	f := newServerFixture(t, ServerOptions{})
	actor := directory.EnterpriseActorKey("shakyhands")
	first, err := signingKey(t, f, actor) // signing first makes the key
	if err != nil {
		t.Fatal(err)
	}
	served, pub := keyOf(t, f.doc(t, "/enterprises/shakyhands"))
	if !first.PublicKey.Equal(pub) || f.generated.Load() != 1 {
		t.Fatalf("the document serves another key than the one signed with (%d keys generated)", f.generated.Load())
	}
	if err := f.svc.DeleteEnterprise(f.sys(), "shakyhands"); err != nil {
		t.Fatal(err)
	}
	gone, err := signingKey(t, f, actor) // its Delete is signed with its key
	if err != nil {
		t.Fatal(err)
	}
	if !gone.Equal(first) {
		t.Error("a deleted enterprise's last activities are not signed with its key")
	}
	f.mustEnterprise(t, "shakyhands", "New Shaky Hands")
	fresh, err := signingKey(t, f, actor)
	if err != nil {
		t.Fatal(err)
	}
	if fresh.Equal(first) {
		t.Error("a new enterprise with the handle signs with the deleted one's key")
	}
	if now, pub := keyOf(t, f.doc(t, "/enterprises/shakyhands")); now == served || !fresh.PublicKey.Equal(pub) {
		t.Error("the new enterprise's document does not serve the key it signs with")
	}
	if g := f.generated.Load(); g != 2 {
		t.Errorf("%d keys generated, want 2", g)
	}
}

// signingKey is the private key our actor signs with (as the Node's
// signer takes it).
func signingKey(t *testing.T, f *serverFixture, actor string) (*rsa.PrivateKey, error) {
	t.Helper()
	k, err := actorKey(context.Background(), f.svc, f.keys, actor)
	if err != nil {
		return nil, err
	}
	return f.keys.Open(k)
}
