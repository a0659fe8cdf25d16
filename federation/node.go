package federation

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Store is what the node reads and writes itself, beside the Service: the
// federation state (remote actors, followers and follows, the feed and
// responses, activity ids, delivery health), the partners and their copies,
// and the domain events it publishes. The instance's database provides it;
// the directory's own use cases go through the Service.
type Store interface {
	directory.FederationStore
	directory.PartnerStore
	directory.PartnerAnnouncementStore
	EventsAfter(ctx context.Context, after int64, limit int) ([]directory.Event, error)
}

// Options configure a Node. Zero durations and counts take the defaults.
type Options struct {
	URLs    URLs
	Service *directory.Service
	// Store is the node's own state, read and written beside the Service.
	Store Store
	Keys  *Keys
	// Server builds our actors' documents (for Update) and hands the
	// node the POSTs to our inboxes.
	Server *Server
	// Client makes every outgoing request; NewNode sets its Signer to the
	// instance actor, for servers that require signed fetches.
	Client *Client
	// Sanitize cleans HTML received from other servers.
	Sanitize func(html string) string
	Logger   *slog.Logger
	Now      func() time.Time
	// AllowHTTP lets WebFinger look an account up over plain http when
	// https does not answer (tests and LAN installations).
	AllowHTTP bool
	// PollInterval is how often the publisher looks for new domain
	// events and the queue for due jobs [1s].
	PollInterval time.Duration
	// RetryBase is the wait before the first retry of a delivery
	// [DefaultRetryBase].
	RetryBase time.Duration
	// PerHost bounds concurrent deliveries per remote host
	// [DefaultPerHost]; Concurrency bounds POSTs in flight and jobs run at
	// once [DefaultConcurrency].
	PerHost, Concurrency int
	// PauseAfter failed deliveries in a row pause a host for Pause; each
	// probe that fails doubles the pause, up to MaxPause
	// [DefaultPauseAfter, DefaultPause, DefaultMaxPause].
	PauseAfter      int
	Pause, MaxPause time.Duration
	// UnavailableAfter and UnavailableSpan mark a failing host unavailable
	// [DefaultUnavailableAfter, DefaultUnavailableSpan].
	UnavailableAfter int
	UnavailableSpan  time.Duration
	// RescueAfter is how long a job must have been running to be taken
	// for one whose process died, and run again [the longest a job runs,
	// the outgoing client's TotalTimeout plus 10 s, plus 5 s: 30 s with
	// the defaults]. Shorter, the deliveries time out at half of it.
	RescueAfter time.Duration
	// BackfillStep is how long one run of a backfill job reads a partner's
	// pages before it saves its place and is queued again [5 s].
	BackfillStep time.Duration
	// SweepInterval is how often expired listings are withdrawn from
	// followers and old activity ids forgotten [1h].
	SweepInterval time.Duration
	// Jobs, when set, adds the workers of job kinds that are not
	// federation's (mail) to the node's queue; Enqueue queues their jobs.
	Jobs func(*river.Workers)
}

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Sanitize == nil {
		o.Sanitize = func(string) string { return "" }
	}
	setDefault(&o.PollInterval, time.Second)
	setDefault(&o.RetryBase, DefaultRetryBase)
	setDefault(&o.UnavailableSpan, DefaultUnavailableSpan)
	setDefault(&o.BackfillStep, jobSlack/2)
	setDefault(&o.SweepInterval, time.Hour)
	setDefault(&o.PerHost, DefaultPerHost)
	setDefault(&o.Concurrency, DefaultConcurrency)
	setDefault(&o.UnavailableAfter, DefaultUnavailableAfter)
	setDefault(&o.PauseAfter, DefaultPauseAfter)
	setDefault(&o.Pause, DefaultPause)
	setDefault(&o.MaxPause, DefaultMaxPause)
	o.MaxPause = max(o.MaxPause, o.Pause)
}

// deliveryPolicy is when the options pause a failing host and give it up.
func (o *Options) deliveryPolicy() directory.DeliveryPolicy {
	return directory.DeliveryPolicy{PauseAfter: o.PauseAfter, Pause: o.Pause, MaxPause: o.MaxPause,
		UnavailableAfter: o.UnavailableAfter, UnavailableSpan: o.UnavailableSpan}
}

func setDefault[T int | time.Duration](v *T, d T) {
	if *v <= 0 {
		*v = d
	}
}

// Node runs the active side of federation for one instance. It is made of
// four parts, each with the store interface it needs:
//
//   - the Inbox verifies and applies the activities POSTed to our inboxes;
//   - the Publisher turns the directory's domain events into activities for
//     followers and partners, and sweeps expired listings;
//   - the Deliverer signs and POSTs each queued activity, host by host;
//   - Partners runs partnerships with other networks: requests, answers,
//     backfills and the partner copies they keep.
//
// The Node itself wires them to the job queue (kept in the instance's
// database, see MigrateQueue), sends the follows of our enterprises, and
// starts and stops the workers.
type Node struct {
	*core
	store     followStore
	inbox     *Inbox
	publisher *Publisher
	deliverer *Deliverer
	partners  *Partners
	rescuer   *rescuer

	stop    context.CancelFunc
	stopped chan struct{}
	mu      sync.Mutex
}

// core is what every part shares: the options (without the store, which
// each part holds through its own interface), the logger, the job queue
// and the resolver of remote actors.
type core struct {
	opt      Options
	log      *slog.Logger
	jobs     jobClient
	resolver *Resolver
	blocks   blockStore
	// stuckAfter is, per job kind, how long a job must have been running
	// to be taken for one whose process died.
	stuckAfter map[string]time.Duration
}

// blockStore tells whether a domain is blocked.
type blockStore interface {
	DomainBlocked(ctx context.Context, domain string) (bool, error)
}

// NewNode returns a Node whose jobs are kept in the database behind
// handle (see instance.Database's QueueHandle); the queue's tables must
// exist (MigrateQueue).
func NewNode(handle any, opt Options) (*Node, error) {
	opt.defaults()
	if opt.Service == nil || opt.Store == nil || opt.Keys == nil || opt.Client == nil || opt.Server == nil || opt.URLs.Base == nil {
		return nil, errors.New("federation: NewNode needs URLs, Service, Store, Keys, Client and Server")
	}
	store := opt.Store
	c := &core{opt: opt, log: opt.Logger, blocks: store}
	c.opt.Store = nil // each part reads and writes through its own interface
	opt.Client.opt.Signer = c.instanceSigner
	c.resolver = &Resolver{client: opt.Client, store: store, urls: opt.URLs, now: opt.Now, allowHTTP: opt.AllowHTTP,
		log: c.log, fetching: make(chan struct{}, keyFetches), hosts: hostLimiter{per: keyFetchesPerHost}}
	n := &Node{core: c, store: store}
	n.partners = &Partners{core: c, store: store}
	n.publisher = &Publisher{core: c, store: store, partners: n.partners}
	// A delivery attempt and a backfill step each take at most one
	// outgoing request and jobSlack: that is their timeout, and a job
	// running longer than that (and rescueSlack) was left by a process
	// that died. A batch job has the same timeout (see
	// deliverBatchWorker.Timeout).
	work := opt.Client.opt.TotalTimeout + jobSlack
	setDefault(&c.opt.RescueAfter, work+rescueSlack)
	timeout := work
	if c.opt.RescueAfter < work+rescueSlack {
		timeout = c.opt.RescueAfter / 2
	}
	c.stuckAfter = map[string]time.Duration{
		DeliverArgs{}.Kind():            max(c.opt.RescueAfter, timeout+rescueSlack),
		DeliverBatchArgs{}.Kind():       max(c.opt.RescueAfter, timeout+rescueSlack),
		BackfillArgs{}.Kind():           max(c.opt.RescueAfter, work+rescueSlack),
		MurmurationsArgs{}.Kind():       max(c.opt.RescueAfter, work+rescueSlack),
		MurmurationsImportArgs{}.Kind(): max(c.opt.RescueAfter, work+rescueSlack),
	}
	n.partners.step = work
	n.deliverer = &Deliverer{core: c, store: store, hosts: hostLimiter{per: opt.PerHost},
		policy: opt.deliveryPolicy(), attempt: timeout, slots: make(chan struct{}, opt.Concurrency)}
	n.inbox = &Inbox{core: c, store: store, partners: n.partners,
		verifier: &Verifier{Keys: c.resolver, Now: opt.Now, Scheme: opt.URLs.Base.Scheme}}
	n.partners.publisher = n.publisher
	opt.Server.inbox, opt.Server.verifier = n.inbox.ServeInbox, n.inbox.verifier
	workers := river.NewWorkers()
	river.AddWorker(workers, slotWorker{&deliverWorker{n: n.deliverer}})
	river.AddWorker(workers, &deliverBatchWorker{n: n.deliverer})
	river.AddWorker(workers, &sweepWorker{n: n.publisher})
	river.AddWorker(workers, &backfillWorker{n: n.partners})
	if opt.Jobs != nil {
		opt.Jobs(workers)
	}
	river.AddWorker(workers, &murmurationsWorker{n: n.publisher})
	river.AddWorker(workers, &murmurationsImportWorker{c: c})
	jobs, err := newJobClient(handle, queueConfig{
		workers:      workers,
		periodic:     []*river.PeriodicJob{sweepJob(opt.SweepInterval)},
		concurrency:  opt.Concurrency,
		pollInterval: opt.PollInterval,
		rescueAfter:  c.opt.RescueAfter,
		jobTimeout:   timeout,
		logger:       quietLogger(c.log),
	})
	if err != nil {
		return nil, err
	}
	c.jobs = jobs
	if n.rescuer, err = newRescuer(handle, c.stuckAfter); err != nil {
		return nil, err
	}
	return n, nil
}

// quietLogger passes River's warnings and errors on, not its chatter.
func quietLogger(l *slog.Logger) *slog.Logger {
	return slog.New(levelFloor{l.Handler(), slog.LevelWarn})
}

type levelFloor struct {
	slog.Handler
	min slog.Level
}

func (h levelFloor) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.min && h.Handler.Enabled(ctx, l)
}

// Enqueue adds a job of a kind that Options.Jobs registered to the
// node's durable queue; a running node works it.
func (n *Node) Enqueue(ctx context.Context, args river.JobArgs) error {
	_, err := n.jobs.Insert(ctx, args, nil)
	return err
}

// Resolver returns the node's resolver of remote actors and keys.
func (n *Node) Resolver() *Resolver { return n.resolver }

// Start starts the job workers and the publisher. Stop ends them.
func (n *Node) Start(ctx context.Context) error {
	if err := n.jobs.Start(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	pctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	n.mu.Lock()
	n.stop, n.stopped = cancel, make(chan struct{})
	n.mu.Unlock()
	go func() {
		defer close(n.stopped)
		var wg sync.WaitGroup
		wg.Go(func() {
			n.rescuer.loop(pctx, func(err error) { n.log.ErrorContext(pctx, "rescue", "err", err) })
		})
		n.publisher.publishLoop(pctx)
		wg.Wait()
	}()
	return nil
}

// Stop stops the publisher and waits (until ctx ends) for running jobs.
// Jobs it interrupts stay in the queue and run again later.
func (n *Node) Stop(ctx context.Context) error {
	n.mu.Lock()
	stop, stopped := n.stop, n.stopped
	n.mu.Unlock()
	if stop != nil {
		stop()
		<-stopped
	}
	return n.jobs.Stop(ctx)
}

// Idle reports whether the node has sent everything written so far: every
// domain event is published, and no delivery or partner backfill waits,
// runs or is due for a retry (nor a Murmurations registration: one that
// keeps failing counts until River gives it up). Tests wait for it before they look at what
// other instances received; a health check can read it too. The periodic
// sweep is not counted.
func (n *Node) Idle(ctx context.Context) (bool, error) {
	after, err := n.publisher.store.Cursor(ctx, publishCursor)
	if err != nil {
		return false, err
	}
	events, err := n.publisher.store.EventsAfter(ctx, after, 1)
	if err != nil || len(events) > 0 {
		return false, err
	}
	jobs, err := n.jobs.JobList(ctx, river.NewJobListParams().First(1).
		Kinds(DeliverArgs{}.Kind(), DeliverBatchArgs{}.Kind(), BackfillArgs{}.Kind(), MurmurationsArgs{}.Kind()).
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled))
	if err != nil {
		return false, err
	}
	return len(jobs.Jobs) == 0, nil
}

func (n *core) now() time.Time { return n.opt.Now().UTC() }

// retryAt is when a job that failed runs again: after retryDelay, or at
// once when it was rescued (its process died while it ran: it did not
// fail, and a delivery it was making should go out soon after the
// restart). tried is how many attempts the job's delivery had before it
// (see DeliverArgs.Tried).
func (n *core) retryAt(job *rivertype.JobRow, tried int) time.Time {
	now := time.Now()
	if job.AttemptedAt != nil && now.Sub(*job.AttemptedAt) >= n.stuckAfter[job.Kind] {
		return now
	}
	return now.Add(retryDelay(n.opt.RetryBase, job.Attempt+tried))
}

// actorRef returns the ActorRef of a key name (see ActorKeyName).
func actorRef(name string) ActorRef {
	if h, ok := strings.CutPrefix(name, directory.EnterpriseActorKey("")); ok {
		return ActorRef{KindEnterprise, h}
	}
	if h, ok := directory.SavedSearchHandleOf(name); ok {
		return ActorRef{KindTopic, h}
	}
	return ActorRef{Kind: name, Handle: name}
}

// signer returns the Signer of our actor with key name name.
func (n *core) signer(ctx context.Context, name string) (*Signer, error) {
	stored, err := actorKey(ctx, n.opt.Service, n.opt.Keys, name)
	if err != nil {
		return nil, err
	}
	key, err := n.opt.Keys.Open(stored)
	if err != nil {
		return nil, err
	}
	id := n.opt.URLs.ActorIDOf(actorRef(name))
	return &Signer{KeyID: actorURLs(id).KeyID, Key: key, Now: n.opt.Now}, nil
}

// instanceSigner signs fetches as the instance actor.
func (n *core) instanceSigner(ctx context.Context) *Signer {
	s, err := n.signer(ctx, directory.ActorInstance)
	if err != nil {
		n.log.ErrorContext(ctx, "instance key", "err", err)
		return nil
	}
	return s
}

// blocked reports whether host (or a parent domain) is blocked.
func (n *core) blocked(ctx context.Context, host string) (bool, error) {
	d, err := directory.NormalizeDomain(host)
	if err != nil {
		return true, nil
	}
	return n.blocks.DomainBlocked(ctx, d)
}

// outgoing is one activity to deliver from one of our actors.
type outgoing struct {
	actor     string // key name of the sender
	activity  map[string]any
	toBlocked bool // deliver even to a blocked domain (see DeliverArgs)
}

// enqueue queues a delivery of each activity to each of its inboxes: in
// batches when an activity goes to many (see batches).
func (n *core) enqueue(ctx context.Context, deliveries map[string][]outgoing) error {
	// The same activity (the same map, from plan.add) to several inboxes
	// is one group, marshalled once.
	type group struct {
		o       outgoing
		inboxes []string
	}
	type key struct {
		activity  uintptr
		actor     string
		toBlocked bool
	}
	var groups []*group
	byKey := map[key]*group{}
	for inbox, list := range deliveries {
		for _, o := range list {
			k := key{reflect.ValueOf(o.activity).Pointer(), o.actor, o.toBlocked}
			g := byKey[k]
			if g == nil {
				g = &group{o: o}
				byKey[k] = g
				groups = append(groups, g)
			}
			g.inboxes = append(g.inboxes, inbox)
		}
	}
	var params []river.InsertManyParams
	for _, g := range groups {
		body, err := ap.Marshal(g.o.activity)
		if err != nil {
			return err
		}
		params = append(params, batches(g.o, g.inboxes, body)...)
	}
	if len(params) == 0 {
		return nil
	}
	_, err := n.jobs.InsertMany(ctx, params)
	return err
}

// send queues one activity to one inbox.
func (n *core) send(ctx context.Context, actor, inbox string, activity map[string]any) error {
	return n.enqueue(ctx, map[string][]outgoing{inbox: {{actor: actor, activity: activity}}})
}

// ServeInbox answers a POST to one of our inboxes (see Inbox.ServeInbox).
func (n *Node) ServeInbox(w http.ResponseWriter, r *http.Request) { n.inbox.ServeInbox(w, r) }

// PublishPending publishes the domain events not yet published (see
// Publisher.PublishPending).
func (n *Node) PublishPending(ctx context.Context) error { return n.publisher.PublishPending(ctx) }

// Sweep withdraws expired listings and forgets old activity ids (see
// Publisher.Sweep).
func (n *Node) Sweep(ctx context.Context) error { return n.publisher.Sweep(ctx) }

// Partners is the node's part that runs partnerships; web's partner pages
// and the partner commands call it.
func (n *Node) Partners() *Partners { return n.partners }
