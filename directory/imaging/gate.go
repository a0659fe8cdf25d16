package imaging

import (
	"context"
	"sync/atomic"

	"golang.org/x/sync/semaphore"
)

// gate shares a budget of bytes among the decodes under way: each takes
// what its decoding will allocate, but at least a share of the budget, so
// that the number at once is bounded too. The others wait their turn (in
// order of arrival) or until their context ends.
type gate struct {
	sem      *semaphore.Weighted
	budget   int64
	least    int64        // the smallest share a decode takes
	waiting  atomic.Int64 // callers waiting now
	admitted atomic.Int64 // bytes taken now
}

// newGate returns a gate of budget bytes for at most n decodes at once.
func newGate(budget int64, n int) *gate {
	return &gate{sem: semaphore.NewWeighted(budget), budget: budget, least: budget / int64(n)}
}

// enter takes a share of the budget for a decode of size bytes, waiting
// for it while ctx lasts, and returns the share to give back to leave. It
// returns ctx's error when ctx has ended, even if the budget has room: the
// caller is gone.
func (g *gate) enter(ctx context.Context, size int64) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	share := min(max(size, g.least), g.budget)
	if !g.sem.TryAcquire(share) {
		g.waiting.Add(1)
		err := g.sem.Acquire(ctx, share)
		g.waiting.Add(-1)
		if err != nil {
			return 0, err
		}
	}
	g.admitted.Add(share)
	return share, nil
}

// leave gives a share back.
func (g *gate) leave(share int64) {
	g.admitted.Add(-share)
	g.sem.Release(share)
}
