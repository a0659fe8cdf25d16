package imaging

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// eventually fails the test unless cond becomes true within 10 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s after 10s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// result is what a logo call returned.
type result struct {
	img *Image
	err error
}

// start runs logo in a goroutine.
func start(ctx context.Context, g *gate, data []byte) <-chan result {
	done := make(chan result, 1)
	go func() {
		img, err := logo(ctx, g, data)
		done <- result{img, err}
	}()
	return done
}

// wait returns the result of a logo call started by start.
func wait(t *testing.T, done <-chan result) result {
	t.Helper()
	select {
	case r := <-done:
		return r
	case <-time.After(10 * time.Second):
		t.Fatal("logo did not return within 10s")
	}
	return result{}
}

func smallPNG(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, sources(40, 30)["NRGBA"]); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// busy returns a gate of n turns, all taken.
func busy(t *testing.T, n int) *gate {
	t.Helper()
	g := newGate(n)
	for range n {
		if err := g.enter(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

func TestLogoTakesTurns(t *testing.T) {
	data := smallPNG(t)
	t.Run("the decode after MaxDecodes waits for a turn, then succeeds", func(t *testing.T) {
		g := busy(t, MaxDecodes)
		done := start(t.Context(), g, data)
		eventually(t, "waiting", func() bool { return g.waiting.Load() == 1 })
		select {
		case r := <-done:
			t.Fatalf("returned while every turn was taken: %+v", r)
		default:
		}
		g.leave()
		r := wait(t, done)
		if r.err != nil || r.img.Width != 40 {
			t.Fatalf("got %+v", r)
		}
		if len(g.turns) != MaxDecodes-1 {
			t.Fatalf("%d turns taken after it, want %d", len(g.turns), MaxDecodes-1)
		}
	})
	t.Run("a waiting decode returns the context's error when the context ends", func(t *testing.T) {
		g := busy(t, MaxDecodes)
		ctx, cancel := context.WithCancel(t.Context())
		done := start(ctx, g, data)
		eventually(t, "waiting", func() bool { return g.waiting.Load() == 1 })
		cancel()
		if r := wait(t, done); !errors.Is(r.err, context.Canceled) {
			t.Fatalf("got %+v, want context.Canceled", r)
		}
		if n := g.waiting.Load(); n != 0 {
			t.Fatalf("%d still waiting", n)
		}
	})
	t.Run("an ended context is refused even when a turn is free", func(t *testing.T) {
		g := newGate(MaxDecodes)
		ctx, cancel := context.WithTimeout(t.Context(), 0)
		defer cancel()
		if _, err := logo(ctx, g, data); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
		if len(g.turns) != 0 {
			t.Fatal("took a turn")
		}
	})
	t.Run("a refused header does not wait for a turn", func(t *testing.T) {
		g := busy(t, MaxDecodes)
		_, err := logo(t.Context(), g, []byte("GIF89a\x01\x20\x01\x20\x00\x00\x00")) // 8193×8193
		if f := directory.ErrorFields(err); len(f) != 1 || f[0].Rule != "dimensions" {
			t.Fatalf("got %v, want a refusal of its dimensions", err)
		}
	})
	t.Run("the package's gate has MaxDecodes turns", func(t *testing.T) {
		if cap(decoding.turns) != MaxDecodes {
			t.Fatalf("%d turns", cap(decoding.turns))
		}
	})
}
