package web

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	key := func(name string, n int) limitKey { return limitKey{name: name, max: n} }
	t.Run("allows up to the limit, then refuses until the oldest event leaves the window", func(t *testing.T) {
		l := newLimiter(10*time.Minute, clock)
		for i := range 3 {
			if ok, _, _ := l.allow(key("ip a", 3)); !ok {
				t.Fatalf("attempt %d refused", i+1)
			}
			now = now.Add(time.Minute)
		}
		ok, wait, _ := l.allow(key("ip a", 3))
		if ok || wait != 7*time.Minute {
			t.Fatalf("fourth attempt: ok %v, wait %v; want refused, 7m", ok, wait)
		}
		now = now.Add(wait)
		if ok, _, _ := l.allow(key("ip a", 3)); !ok {
			t.Fatal("refused after the wait")
		}
	})
	t.Run("refuses when any key is full and records nothing for the others", func(t *testing.T) {
		l := newLimiter(time.Minute, clock)
		l.allow(key("ip a", 5), key("pair x", 2))
		l.allow(key("ip a", 5), key("pair x", 2))
		if ok, _, _ := l.allow(key("ip a", 5), key("pair x", 2)); ok {
			t.Fatal("a third attempt on a full pair was allowed")
		}
		if n := len(l.hits["ip a"]); n != 2 {
			t.Fatalf("refused attempt was recorded: %d", n)
		}
		if ok, _, _ := l.allow(key("ip a", 5), key("pair y", 2)); !ok {
			t.Fatal("another pair on a roomy address was refused")
		}
	})
	t.Run("a refunded event does not count", func(t *testing.T) {
		l := newLimiter(time.Minute, clock)
		for range 5 {
			ok, _, at := l.allow(key("ip a", 2))
			if !ok {
				t.Fatal("refused although every event was refunded")
			}
			l.refund(at, key("ip a", 2))
		}
		if len(l.hits) != 0 {
			t.Fatalf("hits left after refunds: %v", l.hits)
		}
	})
	t.Run("forgets idle keys", func(t *testing.T) {
		l := newLimiter(time.Minute, clock)
		l.allow(key("ip a", 2))
		now = now.Add(2 * time.Minute)
		l.allow(key("ip b", 2))
		if _, ok := l.hits["ip a"]; ok || len(l.hits) != 1 {
			t.Fatalf("keys kept: %v", l.hits)
		}
	})
}

func TestWaitText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Second:               "a minute",
		time.Minute:                    "a minute",
		61 * time.Second:               "2 minutes",
		9*time.Minute + 30*time.Second: "10 minutes",
	} {
		if got := waitText(d); got != want {
			t.Errorf("waitText(%v) = %q, want %q", d, got, want)
		}
	}
}
