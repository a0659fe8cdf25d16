package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/federation/ap"
)

// BenchmarkInbox measures how many signed activities per second one
// instance's shared inbox takes in (signature check, origin checks, full
// parse, dedup, storing the post in a feed), two senders at a time. The
// requests are signed before the clock starts: signing is the sender's cost.
func BenchmarkInbox(b *testing.B) {
	a := startInstance(b, "127.0.0.1:0", tempDB(b))
	s := startInstance(b, "127.0.0.1:0", tempDB(b))
	a.Enterprise("flora", "Flora Cooperative")
	s.Enterprise("shakyhands", "Shaky Hands")
	var f directory.Following
	if st := a.API("POST", "/api/v1/enterprises/flora/following", map[string]string{"account": s.Account("shakyhands")}, &f); st != http.StatusCreated {
		b.Fatalf("follow: %d", st)
	}
	eventually(b, "the follow is accepted", func() bool {
		fs, err := a.Database().FollowingOf(context.Background(), s.URLOf("/enterprises/shakyhands"))
		return err == nil && len(fs) == 1
	})
	key, err := s.Keys().PrivateKey(context.Background(), directory.EnterpriseActorKey("shakyhands"), time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	actor := s.URLOf("/enterprises/shakyhands")
	signer := &federation.Signer{KeyID: actor + "#main-key", Key: key}
	reqs := make([]*http.Request, b.N)
	bodies := make([][]byte, b.N)
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
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < b.N; i = int(next.Add(1)) - 1 {
				req := reqs[i]
				req.Body = readCloser{bytes.NewReader(bodies[i])}
				req.ContentLength = int64(len(bodies[i]))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusAccepted {
					b.Errorf("status %d", resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "activities/s")
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

// BenchmarkFanOut measures delivery: one announcement of an enterprise with
// 500 followers on 500 distinct inboxes spread over 5 hosts, from the
// write until every inbox has its signed POST (one signature per inbox).
func BenchmarkFanOut(b *testing.B) {
	const hosts, perHost = 5, 100
	s := startInstance(b, "127.0.0.1:0", tempDB(b))
	s.Enterprise("shakyhands", "Shaky Hands")
	var got atomic.Int64
	ctx := context.Background()
	for h := 0; h < hosts; h++ {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got.Add(1)
			w.WriteHeader(http.StatusAccepted)
		}))
		b.Cleanup(srv.Close)
		for i := 0; i < perHost; i++ {
			id := fmt.Sprintf("%s/users/u%d", srv.URL, i)
			err := s.Database().SaveFollower(ctx, &directory.Follower{Actor: directory.EnterpriseActorKey("shakyhands"),
				FollowerID: id, Inbox: id + "/inbox", FollowID: id + "/follow", CreatedAt: time.Now().UTC()})
			if err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		want := int64(hosts * perHost * (i + 1))
		s.Announce("shakyhands", fmt.Sprintf("Announcement %d to everyone", i))
		eventually(b, "every inbox has the announcement", func() bool { return got.Load() >= want })
	}
	b.ReportMetric(float64(hosts*perHost*b.N)/time.Since(start).Seconds(), "deliveries/s")
}
