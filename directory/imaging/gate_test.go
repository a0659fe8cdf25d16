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

// busy returns the package's kind of gate with its whole budget taken.
func busy(t *testing.T) *gate {
	t.Helper()
	g := newGate(MaxDecodeBytes, MaxDecodes)
	if _, err := g.enter(t.Context(), MaxDecodeBytes); err != nil {
		t.Fatal(err)
	}
	return g
}

// notYet fails the test if done has a result.
func notYet(t *testing.T, done <-chan result) {
	t.Helper()
	select {
	case r := <-done:
		t.Fatalf("returned while the budget was taken: %+v", r)
	default:
	}
}

func TestLogoTakesTurns(t *testing.T) {
	data := smallPNG(t)
	t.Run("a decode waits for a turn while the budget is taken, then succeeds", func(t *testing.T) {
		g := busy(t)
		done := start(t.Context(), g, data)
		eventually(t, "waiting", func() bool { return g.waiting.Load() == 1 })
		notYet(t, done)
		g.leave(MaxDecodeBytes)
		if r := wait(t, done); r.err != nil || r.img.Width != 40 {
			t.Fatalf("got %+v", r)
		}
		if n := g.admitted.Load(); n != 0 {
			t.Fatalf("%d bytes still taken", n)
		}
	})
	t.Run("MaxDecodes small decodes run at once, the next one waits", func(t *testing.T) {
		g := newGate(MaxDecodeBytes, MaxDecodes)
		var shares []int64
		for range MaxDecodes {
			share, err := g.enter(t.Context(), 1000)
			if err != nil {
				t.Fatal(err)
			}
			shares = append(shares, share)
		}
		done := start(t.Context(), g, data)
		eventually(t, "waiting", func() bool { return g.waiting.Load() == 1 })
		notYet(t, done)
		g.leave(shares[0])
		if r := wait(t, done); r.err != nil {
			t.Fatal(r.err)
		}
	})
	t.Run("a decode of more than half the budget waits for a small one to end", func(t *testing.T) {
		g := newGate(MaxDecodeBytes, MaxDecodes)
		small, err := g.enter(t.Context(), 1000)
		if err != nil {
			t.Fatal(err)
		}
		entered := make(chan error, 1)
		go func() {
			_, err := g.enter(t.Context(), MaxDecodeBytes/2+1)
			entered <- err
		}()
		eventually(t, "waiting", func() bool { return g.waiting.Load() == 1 })
		g.leave(small)
		select {
		case err := <-entered:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("the large decode did not get its turn")
		}
		if n := g.admitted.Load(); n != MaxDecodeBytes/2+1 {
			t.Fatalf("%d bytes taken, want the large decode's", n)
		}
	})
	t.Run("a waiting decode returns the context's error when the context ends", func(t *testing.T) {
		g := busy(t)
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
		if n := g.admitted.Load(); n != MaxDecodeBytes {
			t.Fatalf("%d bytes taken, want only the first decode's", n)
		}
	})
	t.Run("an ended context is refused even when the budget has room", func(t *testing.T) {
		g := newGate(MaxDecodeBytes, MaxDecodes)
		ctx, cancel := context.WithTimeout(t.Context(), 0)
		defer cancel()
		if _, err := logo(ctx, g, data); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("got %v, want context.DeadlineExceeded", err)
		}
		if n := g.admitted.Load(); n != 0 {
			t.Fatalf("took %d bytes", n)
		}
	})
	t.Run("a refused header does not wait for a turn", func(t *testing.T) {
		g := busy(t)
		_, err := logo(t.Context(), g, []byte("GIF89a\x01\x20\x01\x20\x00\x00\x00")) // 8193×8193
		if f := directory.ErrorFields(err); len(f) != 1 || f[0].Rule != "dimensions" {
			t.Fatalf("got %v, want a refusal of its dimensions", err)
		}
	})
	t.Run("the package's gate shares MaxDecodeBytes among MaxDecodes", func(t *testing.T) {
		if decoding.budget != MaxDecodeBytes || decoding.least != MaxDecodeBytes/MaxDecodes {
			t.Fatalf("budget %d, least %d", decoding.budget, decoding.least)
		}
	})
}
