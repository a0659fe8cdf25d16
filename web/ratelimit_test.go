package web

import (
	"testing"
	"time"
)

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	t.Run("allows up to the limit, then refuses until the oldest event leaves the window", func(t *testing.T) {
		l := newLimiter(3, 10*time.Minute, clock)
		for i := range 3 {
			if ok, _ := l.allow("ip a"); !ok {
				t.Fatalf("attempt %d refused", i+1)
			}
			now = now.Add(time.Minute)
		}
		ok, wait := l.allow("ip a")
		if ok || wait != 7*time.Minute {
			t.Fatalf("fourth attempt: ok %v, wait %v; want refused, 7m", ok, wait)
		}
		now = now.Add(wait)
		if ok, _ := l.allow("ip a"); !ok {
			t.Fatal("refused after the wait")
		}
	})
	t.Run("refuses when any key is full and records nothing for the others", func(t *testing.T) {
		l := newLimiter(2, time.Minute, clock)
		l.allow("ip a", "email x")
		l.allow("ip b", "email x")
		if ok, _ := l.allow("ip c", "email x"); ok {
			t.Fatal("a third attempt on the same email was allowed")
		}
		if n := len(l.hits["ip c"]); n != 0 {
			t.Fatalf("refused attempt was recorded: %d", n)
		}
		if ok, _ := l.allow("ip c", "email y"); !ok {
			t.Fatal("another email from a fresh address was refused")
		}
	})
	t.Run("forgets idle keys", func(t *testing.T) {
		l := newLimiter(2, time.Minute, clock)
		l.allow("ip a")
		now = now.Add(2 * time.Minute)
		l.allow("ip b")
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
