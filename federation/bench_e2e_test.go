package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// BenchmarkInbox measures how many signed activities per second one
// instance's shared inbox takes in, on each engine, inboxSenders senders
// at a time: "accepted" activities are checked (signature, origins, full
// parse) and deduplicated, and then find nothing to do (a Create{Note}
// from an actor nobody here follows); "applied" ones also store the post
// in the feed of the enterprise that follows its author. The requests are
// signed before the clock starts: signing is the sender's cost.
func BenchmarkInbox(b *testing.B) {
	for _, engine := range instancetest.Engines {
		b.Run(string(engine), func(b *testing.B) {
			a := startInstance(b, "127.0.0.1:0", instancetest.DSN(b, engine))
			s := startInstance(b, "127.0.0.1:0", instancetest.DSN(b, engine))
			a.Enterprise("flora", "Flora Cooperative")
			s.Enterprise("shakyhands", "Shaky Hands")
			s.Enterprise("loner", "Nobody Follows Us")
			var f directory.Following
			if st := a.API("POST", "/api/v1/enterprises/flora/following", map[string]string{"account": s.Account("shakyhands")}, &f); st != http.StatusCreated {
				b.Fatalf("follow: %d", st)
			}
			eventually(b, "the follow is accepted", func() bool {
				fs, err := a.Database().FollowingOf(context.Background(), s.URLOf("/enterprises/shakyhands"))
				return err == nil && len(fs) == 1
			})
			b.Run("accepted", func(b *testing.B) { benchInbox(b, a, s, "loner") })
			b.Run("applied", func(b *testing.B) { benchInbox(b, a, s, "shakyhands") })
		})
	}
}

// inboxSenders is how many requests BenchmarkInbox has in flight.
const inboxSenders = 2

// benchInbox POSTs b.N signed Create{Note} of handle on s to a's shared
// inbox, after one more that makes a fetch the actor's key.
func benchInbox(b *testing.B, a, s *coop, handle string) {
	key, err := s.Keys().PrivateKey(context.Background(), directory.EnterpriseActorKey(handle), time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	actor := s.URLOf("/enterprises/" + handle)
	signer := &federation.Signer{KeyID: actor + "#main-key", Key: key}
	reqs := make([]*http.Request, b.N+1)
	bodies := make([][]byte, b.N+1)
	for i := range reqs {
		note := fmt.Sprintf("%s/bench/%d", actor, i)
		body, _ := json.Marshal(map[string]any{"@context": ap.ActivityStreamsContext, "id": note + "/create",
			"type": "Create", "actor": actor, "to": []string{ap.Public},
			"object": map[string]any{"id": note, "type": "Note", "attributedTo": actor, "to": []string{ap.Public},
				"content": "<p>Open studio night: bring a shirt, print a union bug on it.</p>", "published": "2026-11-20T10:00:00Z"}})
		req, _ := http.NewRequest("POST", a.URLOf("/inbox"), nil)
		req.Header.Set("Content-Type", "application/activity+json")
		if err := signer.SignRequest(req, body); err != nil {
			b.Fatal(err)
		}
		reqs[i], bodies[i] = req, body
	}
	post := func(i int) error {
		req := reqs[i]
		req.Body = readCloser{bytes.NewReader(bodies[i])}
		req.ContentLength = int64(len(bodies[i]))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusAccepted {
			return fmt.Errorf("status %d", resp.StatusCode)
		}
		return nil
	}
	if err := post(b.N); err != nil {
		b.Fatal(err)
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	for w := 0; w < inboxSenders; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
				if err := post(i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "activities/s")
	// The CPU one activity costs (sender and receiver, this process) says
	// what the machine could take, however busy it is with other work.
	b.ReportMetric(float64((processCPU()-cpu).Microseconds())/float64(b.N), "cpu-µs/activity")
}

// processCPU is the CPU time this process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }
