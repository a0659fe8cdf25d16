package imaging

import (
	"context"
	"sync/atomic"
)

// gate lets at most a fixed number of callers through at once; the others
// wait for a turn, or until their context ends.
type gate struct {
	turns   chan struct{}
	waiting atomic.Int64 // callers waiting now
}

func newGate(n int) *gate { return &gate{turns: make(chan struct{}, n)} }

// enter takes a turn, waiting for one while ctx lasts. It returns ctx's
// error when ctx has ended, even if a turn is free: the caller is gone.
func (g *gate) enter(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case g.turns <- struct{}{}:
		return nil
	default:
	}
	g.waiting.Add(1)
	defer g.waiting.Add(-1)
	select {
	case g.turns <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// leave gives the turn back.
func (g *gate) leave() { <-g.turns }
