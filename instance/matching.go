package instance

import (
	"context"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// matchBatch is how many listings one call of MatchPending matches.
const matchBatch = 100

// matchLoop matches the queued listings every interval until ctx ends,
// and tells the editors of the new matches.
// The queue is in the database, so what a stopped process left is matched
// by the next one.
func (in *Instance) matchLoop(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	sys := directory.AsSystem(ctx)
	for {
		for {
			n, err := in.svc.MatchPending(sys, matchBatch)
			if err != nil && ctx.Err() == nil {
				in.log.ErrorContext(ctx, "match listings", "err", err)
			}
			if err != nil || n < matchBatch {
				break
			}
		}
		in.notifyMatches(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
