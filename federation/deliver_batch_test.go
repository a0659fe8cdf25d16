package federation

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"
)

func TestBatches(t *testing.T) {
	o := outgoing{actor: "enterprise:flora", activity: map[string]any{"id": "https://coop.example/a/1"}}
	inboxes := func(n int) []string {
		var l []string
		for i := n; i > 0; i-- {
			l = append(l, fmt.Sprintf("https://h%03d.example/inbox", i))
		}
		return l
	}
	t.Run("few inboxes get a job each", func(t *testing.T) {
		ps := batches(o, inboxes(batchMin-1), []byte(`{}`))
		if len(ps) != batchMin-1 {
			t.Fatalf("%d jobs, want %d", len(ps), batchMin-1)
		}
		for _, p := range ps {
			if a, ok := p.Args.(DeliverArgs); !ok || a.ActivityID != "https://coop.example/a/1" || a.Actor != o.actor {
				t.Errorf("job %#v, want a single delivery of the activity", p.Args)
			}
		}
	})
	t.Run("many inboxes go in sorted batches of at most batchSize", func(t *testing.T) {
		n := 2*batchSize + 7
		ps := batches(o, inboxes(n), []byte(`{}`))
		if len(ps) != 3 {
			t.Fatalf("%d jobs, want 3", len(ps))
		}
		var all []string
		for _, p := range ps {
			b, ok := p.Args.(DeliverBatchArgs)
			if !ok || len(b.Inboxes) > batchSize || b.ActivityID != "https://coop.example/a/1" {
				t.Fatalf("job %#v, want a batch of at most %d", p.Args, batchSize)
			}
			all = append(all, b.Inboxes...)
		}
		if len(all) != n || !slices.IsSorted(all) {
			t.Errorf("the batches hold %d inboxes (sorted: %v), want all %d in order", len(all), slices.IsSorted(all), n)
		}
	})
	t.Run("a delivery to a blocked domain is never batched", func(t *testing.T) {
		blocked := o
		blocked.toBlocked = true
		for _, p := range batches(blocked, inboxes(batchMin+1), []byte(`{}`)) {
			if a, ok := p.Args.(DeliverArgs); !ok || !a.ToBlocked {
				t.Errorf("job %#v, want a single delivery that may reach a blocked domain", p.Args)
			}
		}
	})
}

func TestHandOn(t *testing.T) {
	d := &Deliverer{core: &core{log: slog.New(slog.DiscardHandler), opt: Options{RetryBase: time.Minute}}}
	one := DeliverArgs{Inbox: "https://h.example/inbox", ActivityID: "https://coop.example/a/1"}
	t.Run("a dropped delivery is not handed on", func(t *testing.T) {
		if p := d.handOn(one, river.JobCancel(errors.New("refused")), false); p.Args != nil {
			t.Errorf("handed on as %#v", p.Args)
		}
	})
	t.Run("a delivery the batch did not finish is tried again at once", func(t *testing.T) {
		p := d.handOn(one, errors.New("context canceled"), true)
		if a, ok := p.Args.(DeliverArgs); !ok || a.Tried != 0 || p.InsertOpts != nil {
			t.Errorf("handed on as %#v, %#v", p.Args, p.InsertOpts)
		}
	})
	t.Run("a busy host's delivery waits the snooze", func(t *testing.T) {
		p := d.handOn(one, river.JobSnooze(2*time.Second), false)
		if a, ok := p.Args.(DeliverArgs); !ok || a.Tried != 0 || p.InsertOpts == nil ||
			time.Until(p.InsertOpts.ScheduledAt) > 2*time.Second || time.Until(p.InsertOpts.ScheduledAt) < time.Second {
			t.Errorf("handed on as %#v, %#v", p.Args, p.InsertOpts)
		}
	})
	t.Run("a failed delivery is retried as after its first attempt", func(t *testing.T) {
		p := d.handOn(one, errors.New("status 503"), false)
		a, ok := p.Args.(DeliverArgs)
		if !ok || a.Tried != 1 || p.InsertOpts == nil || p.InsertOpts.MaxAttempts != deliveryAttempts-1 {
			t.Fatalf("handed on as %#v, %#v", p.Args, p.InsertOpts)
		}
		if wait := time.Until(p.InsertOpts.ScheduledAt); wait < 50*time.Second || wait > 67*time.Second {
			t.Errorf("retried in %v, want the first retry's wait (1m plus jitter)", wait)
		}
	})
}
