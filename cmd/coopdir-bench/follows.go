package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
)

// The follow benchmark: follows of one enterprise from actors spread over
// the fleet, each POSTed to the enterprise's inbox signed by its actor,
// whose document (and key) its fake server serves. The instance fetches
// each actor, stores the follower and sends Accept to the actor's inbox;
// the run is timed from the first POST until every Accept has arrived.

// followKeys is how many key pairs the fake actors share: making one per
// actor would take minutes, and the instance fetches each actor's key
// (by its own key id) all the same.
const followKeys = 4

// followsResult is one follow run.
type followsResult struct {
	follows    int
	intake     time.Duration // until the last Follow was answered 202
	elapsed    time.Duration // until the last Accept arrived
	accepts    int64
	duplicates int // actors that got more than one Accept
	cpu        time.Duration
	load       string
}

// fakeActors serves the actors of the fleet's hosts: user i of a host has
// key i % followKeys.
type fakeActors struct {
	pems []string
	keys []*rsa.PrivateKey
}

func newFakeActors() (*fakeActors, error) {
	a := &fakeActors{}
	for range followKeys {
		k, err := federation.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		pem, err := federation.PublicKeyPEM(&k.PublicKey)
		if err != nil {
			return nil, err
		}
		a.keys, a.pems = append(a.keys, k), append(a.pems, pem)
	}
	return a, nil
}

// document is the actor document at path of h, nil for other paths.
func (a *fakeActors) document(h *fakeHost, path string) []byte {
	i, inbox, ok := userIndex(path)
	if !ok || inbox {
		return nil
	}
	id := h.base + path
	doc, _ := json.Marshal(map[string]any{
		"@context": []string{ap.ActivityStreamsContext, "https://w3id.org/security/v1"},
		"id":       id, "type": "Person", "preferredUsername": fmt.Sprintf("u%d", i), "name": fmt.Sprintf("User %d", i),
		"inbox": id + "/inbox", "outbox": id + "/outbox", "endpoints": map[string]string{"sharedInbox": h.base + "/inbox"},
		"publicKey": map[string]string{"id": id + "#main-key", "owner": id, "publicKeyPem": a.pems[i%followKeys]},
	})
	return doc
}

// signedFollow is one Follow, signed before the clock starts (signing is
// the sender's cost).
type signedFollow struct {
	req  *http.Request
	body []byte
}

// signFollows signs the follows of object from n actors spread over the
// fleet, by host: follows[h] are host h's, in the order it sends them.
func (a *fakeActors) signFollows(f *fleet, n int, object, inbox string) ([][]signedFollow, error) {
	byHost := make([][]signedFollow, len(f.hosts))
	for j := range n {
		h := j % len(f.hosts)
		byHost[h] = append(byHost[h], signedFollow{})
	}
	var firstErr error
	var mu sync.Mutex
	var wg sync.WaitGroup
	const signers = 2
	for s := range signers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := s; j < n; j += signers {
				h, u := j%len(f.hosts), j/len(f.hosts)
				sf, err := a.signFollow(f.hosts[h].base+userPath(u), u, object, inbox)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				byHost[h][u] = sf
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return byHost, firstErr
}

func (a *fakeActors) signFollow(actor string, i int, object, inbox string) (signedFollow, error) {
	body, err := json.Marshal(map[string]any{"@context": ap.ActivityStreamsContext, "id": actor + "/follows/1",
		"type": "Follow", "actor": actor, "object": object})
	if err != nil {
		return signedFollow{}, err
	}
	req, err := http.NewRequest(http.MethodPost, inbox, nil)
	if err != nil {
		return signedFollow{}, err
	}
	req.Header.Set("Content-Type", "application/activity+json")
	s := &federation.Signer{KeyID: actor + "#main-key", Key: a.keys[i%followKeys]}
	if err := s.SignRequest(req, body); err != nil {
		return signedFollow{}, err
	}
	return signedFollow{req: req, body: body}, nil
}

// benchFollows runs the follow benchmark on a fresh database and instance.
func benchFollows(ctx context.Context, c config, engine, mainDSN string) (*followsResult, error) {
	d := c.delivery
	actors, err := newFakeActors()
	if err != nil {
		return nil, err
	}
	f, err := newFleet(kinds(d.hosts, 0, 0), d.latency)
	if err != nil {
		return nil, err
	}
	defer f.close()
	f.actor = actors.document
	in, err := startInstance(ctx, c, mainDSN, "follows")
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			in.stop(ctx) //nolint:errcheck // the run failed already
		}
	}()
	const handle = "shakyhands"
	if err := in.enterprise(ctx, handle); err != nil {
		return nil, err
	}
	urls, err := federation.NewURLs(in.URL())
	if err != nil {
		return nil, err
	}
	ent := urls.Enterprise(handle)
	logf(engine, "follows: signing %d follows", d.follows)
	follows, err := actors.signFollows(f, d.follows, ent.ID, ent.Inbox)
	if err != nil {
		return nil, err
	}
	res := &followsResult{follows: d.follows}
	var remaining atomic.Int64
	remaining.Store(int64(d.follows))
	done := make(chan struct{})
	var doneAt time.Time
	var once sync.Once
	var accepts atomic.Int64
	f.onPost = func(h *fakeHost, path string, body []byte, n int) {
		if _, inbox, ok := userIndex(path); !ok || !inbox || activityType(body) != "Accept" {
			return
		}
		accepts.Add(1)
		if n == 1 && remaining.Add(-1) == 0 {
			once.Do(func() { doneAt = time.Now(); close(done) })
		}
	}
	stopProfile, err := profile(d, engine, "follows")
	if err != nil {
		return nil, err
	}
	defer stopProfile()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: d.hosts}, Timeout: time.Minute}
	defer client.CloseIdleConnections()
	res.load = loadAverage()
	start, cpu := time.Now(), cpuTime()
	intakeErr := make(chan error, 1)
	go func() { intakeErr <- sendFollows(client, follows) }()
	select {
	case err := <-intakeErr:
		if err != nil {
			return nil, err
		}
		res.intake = time.Since(start)
	case <-time.After(d.deadline):
		return nil, fmt.Errorf("the follows were not all answered after %v", d.deadline)
	}
	select {
	case <-done:
	case <-time.After(d.deadline - time.Since(start)):
		return nil, fmt.Errorf("%d of %d Accepts not delivered after %v", remaining.Load(), d.follows, d.deadline)
	}
	res.elapsed, res.cpu = doneAt.Sub(start), cpuTime()-cpu
	stopProfile()
	stopped = true
	_, total, err := in.Database().ListFollowers(ctx, directory.EnterpriseActorKey(handle), directory.Page{PerPage: 1})
	if serr := in.stop(ctx); err == nil {
		err = serr
	}
	if err != nil {
		return nil, err
	}
	if total != d.follows {
		return nil, fmt.Errorf("the enterprise has %d followers, want %d", total, d.follows)
	}
	res.accepts = accepts.Load()
	for _, h := range f.hosts {
		for u := range (d.follows + len(f.hosts) - 1) / len(f.hosts) {
			if h.count(userPath(u)+"/inbox") > 1 {
				res.duplicates++
			}
		}
	}
	logf(engine, "follows: %d answered in %v, every Accept delivered in %v (%d Accepts, %d duplicates), CPU %v, load %s",
		d.follows, res.intake.Round(time.Millisecond), res.elapsed.Round(time.Millisecond), res.accepts, res.duplicates,
		res.cpu.Round(time.Millisecond), res.load)
	return res, nil
}

// sendFollows POSTs every host's follows, the hosts at once and each
// host's one after another, and fails unless each is answered 202.
func sendFollows(client *http.Client, byHost [][]signedFollow) error {
	errs := make(chan error, len(byHost))
	for _, list := range byHost {
		go func() {
			for _, sf := range list {
				req := sf.req.Clone(context.Background())
				req.Body = io.NopCloser(bytes.NewReader(sf.body))
				req.ContentLength = int64(len(sf.body))
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					errs <- fmt.Errorf("follow %s: status %d: %s", sf.req.URL, resp.StatusCode, bytes.TrimSpace(msg))
					return
				}
			}
			errs <- nil
		}()
	}
	var first error
	for range byHost {
		if err := <-errs; err != nil && first == nil {
			first = err
		}
	}
	return first
}
