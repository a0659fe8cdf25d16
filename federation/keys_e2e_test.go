package federation_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance/instancetest"
)

func TestKeysMadeOnFirstUseSQLite(t *testing.T) { testKeysMadeOnFirstUse(t, instancetest.SQLite) }

func TestKeysMadeOnFirstUsePostgres(t *testing.T) { testKeysMadeOnFirstUse(t, instancetest.Postgres) }

// testKeysMadeOnFirstUse imports enterprises, which get no keys when they
// are published, and checks that a key made by the first signature or the
// first fetch is the one the other instance verifies with.
func testKeysMadeOnFirstUse(t *testing.T, engine instancetest.Engine) {
	a := startInstance(t, "127.0.0.1:0", instancetest.DSN(t, engine))
	b := startInstance(t, "127.0.0.1:0", instancetest.DSN(t, engine))
	b.Enterprise("flora", "Flora Cooperative")
	ctx := directory.AsSystem(context.Background())
	const n = 10
	rows := make([]directory.ImportRow, n)
	for i := range rows {
		rows[i] = directory.ImportRow{Line: i + 2, Enterprise: &directory.Enterprise{
			Handle: fmt.Sprintf("bulk%02d", i), Name: fmt.Sprintf("Bulk Bakery %d", i), Kind: directory.KindWorkerCoop}}
	}
	if res, err := a.Service().ImportEnterprises(ctx, rows, directory.ImportOptions{}); err != nil || res.Created != n {
		t.Fatalf("import: %v (%+v)", err, res)
	}
	published(t, a)
	key := func(handle string) *directory.ActorKey {
		t.Helper()
		k, err := a.Database().ActorKey(context.Background(), directory.EnterpriseActorKey(handle))
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return nil
		}
		if err != nil {
			t.Fatal(err)
		}
		return k
	}
	for _, r := range rows {
		if key(r.Enterprise.Handle) != nil {
			t.Fatalf("%s has a key once its creation is published", r.Enterprise.Handle)
		}
	}

	t.Run("a key made by the first signature verifies at the receiver", func(t *testing.T) {
		// bulk00's Follow is the first thing it signs; b fetches its
		// actor to verify it, and answers with Accept.
		a.Follow("bulk00", b.Account("flora"), directory.FollowAccepted)
		if k := key("bulk00"); k == nil || servedKey(t, a, "bulk00") != k.PublicPEM {
			t.Error("bulk00 does not serve the key it signed with")
		}
	})

	t.Run("concurrent first fetches make one key", func(t *testing.T) {
		const fetches = 8
		pems := make([]string, fetches)
		var wg sync.WaitGroup
		for i := range fetches {
			wg.Go(func() { pems[i] = servedKey(t, a, "bulk01") })
		}
		wg.Wait()
		k := key("bulk01")
		if k == nil {
			t.Fatal("no key stored after the fetches")
		}
		for _, p := range pems {
			if p != k.PublicPEM {
				t.Fatal("concurrent first fetches served different keys")
			}
		}
	})

	t.Run("a delivery signed with a key made on fetch verifies at the receiver", func(t *testing.T) {
		b.Follow("flora", a.Account("bulk01"), directory.FollowAccepted)
		id := a.URLOf(fmt.Sprintf("/announcements/%d", a.Announce("bulk01", "Fresh rye today")))
		eventually(t, "the announcement is in flora's feed", func() bool { return hasPost(b.Feed("flora"), id, "Fresh rye") })
	})

	t.Run("a re-import tells the followers of the one enterprise followed", func(t *testing.T) {
		// One batch of profile changes, one of them followed.
		for _, r := range rows {
			r.Enterprise.Name += " Renamed"
		}
		if res, err := a.Service().ImportEnterprises(ctx, rows, directory.ImportOptions{}); err != nil || res.Updated != n {
			t.Fatalf("import: %v (%+v)", err, res)
		}
		eventually(t, "the new name is known at B", func() bool {
			ra, err := b.Database().FindRemoteActor(context.Background(), a.URLOf("/enterprises/bulk01"))
			return err == nil && ra.Name == "Bulk Bakery 1 Renamed"
		})
	})

	t.Run("enterprises nobody used still have no key", func(t *testing.T) {
		for _, r := range rows[2:] {
			if key(r.Enterprise.Handle) != nil {
				t.Errorf("%s has a key", r.Enterprise.Handle)
			}
		}
	})
}

// servedKey fetches the actor document of handle at in and returns its
// publicKeyPem.
func servedKey(t *testing.T, in *coop, handle string) string {
	t.Helper()
	req, _ := http.NewRequest("GET", in.URLOf("/enterprises/"+handle), nil)
	req.Header.Set("Accept", "application/activity+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return ""
	}
	defer resp.Body.Close()
	var doc struct {
		PublicKey struct {
			PublicKeyPem string `json:"publicKeyPem"`
		} `json:"publicKey"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("GET %s: %d %v", handle, resp.StatusCode, err)
	}
	return doc.PublicKey.PublicKeyPem
}
