package federation

import (
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Inbox verifies the activities POSTed to our inboxes and applies them:
// follows of our actors, answers to our follows, posts for the feeds of
// the enterprises that follow their authors, reports, and what partner
// networks send (through Partners).
type Inbox struct {
	*core
	store    inboxStore
	verifier *Verifier
	partners *Partners
}

// Publisher turns the directory's domain events into activities and queues
// them for our actors' followers and for partner networks; it also sweeps
// expired listings from followers' timelines.
type Publisher struct {
	*core
	store    publisherStore
	partners *Partners

	mu sync.Mutex // one publisher run at a time
	// The event that failed last and how often (guarded by mu).
	failedEvent   int64
	eventFailures int
	// murmurationsIndex is the index setting at the last look (see
	// watchMurmurationsIndex; guarded by mu).
	murmurationsIndex string
}

// Deliverer signs and POSTs each queued activity to its inbox, a bounded
// number per host at a time, and keeps each host's delivery health.
type Deliverer struct {
	*core
	store  delivererStore
	hosts  hostLimiter
	book   hostBook
	policy directory.DeliveryPolicy
	// attempt is the longest one delivery job runs: the lease of a probe.
	attempt time.Duration
	slots   chan struct{} // POSTs in flight, single and batched (Options.Concurrency)
}

// Partners runs partnerships with other networks: it asks, approves,
// rejects, rescopes and ends them, backfills a new partner's directory,
// and applies what a partner's instance actor announces to the copies kept
// of its entries.
type Partners struct {
	*core
	store     partnerStore
	publisher *Publisher
	// step is the timeout of one run of a backfill job.
	step time.Duration
}
