package federation

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRetryDelay(t *testing.T) {
	base := 30 * time.Second
	var total time.Duration
	for attempt := 1; attempt < deliveryAttempts; attempt++ {
		d := retryDelay(base, attempt)
		lo := min(base<<(attempt-1), maxRetryDelay)
		if attempt > 20 {
			lo = maxRetryDelay
		}
		if d < lo || d > lo+lo/10 {
			t.Errorf("attempt %d: delay %v, want %v plus at most 10%% jitter", attempt, d, lo)
		}
		total += d
	}
	if total < 40*time.Hour || total > 60*time.Hour {
		t.Errorf("retries span %v, want about two days", total)
	}
}

func TestHostLimiterBoundsConcurrency(t *testing.T) {
	l := hostLimiter{per: 2}
	var running, peak atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			release, err := l.acquire(context.Background(), "coop.example")
			if err != nil {
				t.Error(err)
				return
			}
			if n := running.Add(1); n > peak.Load() {
				peak.Store(n)
			}
			time.Sleep(5 * time.Millisecond)
			running.Add(-1)
			release()
		}()
	}
	// Another host is not held up by the first.
	release, err := l.acquire(context.Background(), "other.example")
	if err != nil {
		t.Fatal(err)
	}
	release()
	wg.Wait()
	if p := peak.Load(); p > 2 {
		t.Errorf("%d deliveries ran at once to one host, want at most 2", p)
	}
	if len(l.m) != 0 {
		t.Errorf("limiter keeps %d idle hosts", len(l.m))
	}
	ctx, cancel := context.WithCancel(context.Background())
	r1, _ := l.acquire(ctx, "busy.example")
	r2, _ := l.acquire(ctx, "busy.example")
	cancel()
	if _, err := l.acquire(ctx, "busy.example"); err == nil {
		t.Error("a cancelled wait for a full host succeeded")
	}
	r1()
	r2()
}

func TestParseAccount(t *testing.T) {
	for _, c := range []struct {
		in, want string
	}{
		{"flora@coop.example", "flora@coop.example"},
		{"@flora@Coop.Example", "flora@coop.example"},
		{"acct:flora@coop.example:8443", "flora@coop.example:8443"},
		{" flora@coop.example ", "flora@coop.example"},
	} {
		a, err := ParseAccount(c.in)
		if err != nil || a.String() != c.want {
			t.Errorf("ParseAccount(%q) = %v, %v; want %s", c.in, a, err, c.want)
		}
	}
	for _, bad := range []string{"", "flora", "@coop.example", "flora@", "flora@coop.example/x", "a b@coop.example",
		"flora@coop.example@x", "flora@[::1", "flora@exa mple.org", "https://coop.example/@flora"} {
		if _, err := ParseAccount(bad); err == nil {
			t.Errorf("ParseAccount(%q) accepted", bad)
		}
	}
}

func TestDecodeActorRefusesBadDocuments(t *testing.T) {
	pem := testPublicPEM(t)
	ok := `{"@context":"https://www.w3.org/ns/activitystreams","id":"https://a.example/u/1","type":"Person",
		"inbox":"https://a.example/u/1/inbox","preferredUsername":"one",
		"publicKey":{"id":"https://a.example/u/1#key","owner":"https://a.example/u/1","publicKeyPem":` + pem + `}}`
	a, err := decodeActor([]byte(ok), "https://a.example/u/1")
	if err != nil || a.KeyID != "https://a.example/u/1#key" || a.Peer {
		t.Fatalf("good actor: %+v %v", a, err)
	}
	for name, doc := range map[string]string{
		"not an actor":        `{"id":"https://a.example/u/1","type":"Note","inbox":"https://a.example/u/1/inbox"}`,
		"id elsewhere":        `{"id":"https://b.example/u/1","type":"Person","inbox":"https://b.example/u/1/inbox","publicKey":{"id":"https://b.example/u/1#key","owner":"https://b.example/u/1","publicKeyPem":` + pem + `}}`,
		"inbox on other host": `{"id":"https://a.example/u/1","type":"Person","inbox":"https://evil.example/inbox","publicKey":{"id":"https://a.example/u/1#key","owner":"https://a.example/u/1","publicKeyPem":` + pem + `}}`,
		"key of someone else": `{"id":"https://a.example/u/1","type":"Person","inbox":"https://a.example/u/1/inbox","publicKey":{"id":"https://a.example/u/2#key","owner":"https://a.example/u/2","publicKeyPem":` + pem + `}}`,
		"no key":              `{"id":"https://a.example/u/1","type":"Person","inbox":"https://a.example/u/1/inbox"}`,
		"bad key":             `{"id":"https://a.example/u/1","type":"Person","inbox":"https://a.example/u/1/inbox","publicKey":{"id":"https://a.example/u/1#key","owner":"https://a.example/u/1","publicKeyPem":"nope"}}`,
	} {
		if _, err := decodeActor([]byte(doc), "https://a.example/u/1"); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// testPublicPEM is the public key of testdata/sig_key_a as a JSON string.
func testPublicPEM(t *testing.T) string {
	t.Helper()
	p, err := PublicKeyPEM(&testKey(t, "a").PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(p)
	return string(b)
}
