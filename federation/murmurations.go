package federation

import (
	"context"
	"encoding/json"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

// Murmurations: when the settings name an index, the publisher queues a
// job per change of a local enterprise or listing that registers its
// profile with the index (POST /v2/nodes, again on every change) or
// removes it (DELETE /v2/nodes/{node_id}) once it is gone. The jobs are
// River's: they survive restarts and are retried with River's backoff.
// When the index setting changes to a new address, every profile is
// registered there.

// MurmurationsArgs is a job that registers a profile with the index, or
// removes it.
type MurmurationsArgs struct {
	ProfileURL string `json:"profile_url"`
	Remove     bool   `json:"remove,omitempty"`
}

// Kind names the job type in the queue.
func (MurmurationsArgs) Kind() string { return "coopdir_murmurations" }

// murmurationsAttempts bounds the tries of one registration: with River's
// backoff (RetryBase, doubling: see retryDelay) the last comes about a day after the first.
const murmurationsAttempts = 12

type murmurationsWorker struct {
	river.WorkerDefaults[MurmurationsArgs]
	n *Publisher
}

// Timeout is one request and some slack.
func (w *murmurationsWorker) Timeout(*river.Job[MurmurationsArgs]) time.Duration {
	return w.n.opt.Client.opt.TotalTimeout + jobSlack
}

// NextRetry waits as a delivery does (RetryBase, doubling).
func (w *murmurationsWorker) NextRetry(job *river.Job[MurmurationsArgs]) time.Time {
	return w.n.retryAt(job.JobRow, 0)
}

// Work sends one registration or removal to the index named in the
// settings now (nothing when none is).
func (w *murmurationsWorker) Work(ctx context.Context, job *river.Job[MurmurationsArgs]) error {
	st, err := w.n.opt.Service.Settings(ctx)
	if err != nil || st.MurmurationsIndex == "" {
		return err
	}
	c := w.n.opt.Client
	ix := murmurations.Index{URL: st.MurmurationsIndex, HTTP: c.deliver, Timeout: c.opt.TotalTimeout}
	if job.Args.Remove {
		return ix.Remove(ctx, job.Args.ProfileURL)
	}
	return ix.Register(ctx, job.Args.ProfileURL)
}

func (pub *Publisher) murmurationsSite() murmurations.Site {
	return murmurations.Site{Abs: pub.opt.URLs.abs}
}

// queueMurmurations queues the index job of a local event, when an index
// is set.
func (pub *Publisher) queueMurmurations(ctx context.Context, e directory.Event) error {
	st, err := pub.opt.Service.Settings(ctx)
	if err != nil || st.MurmurationsIndex == "" {
		return err
	}
	site := pub.murmurationsSite()
	var args MurmurationsArgs
	switch e.Type {
	case directory.EventEnterpriseCreated, directory.EventEnterpriseUpdated:
		args = MurmurationsArgs{ProfileURL: site.EnterpriseProfileURL(e.EnterpriseHandle)}
	case directory.EventEnterpriseDeleted:
		args = MurmurationsArgs{ProfileURL: site.EnterpriseProfileURL(e.EnterpriseHandle), Remove: true}
	case directory.EventListingCreated, directory.EventListingUpdated:
		l, err := pub.opt.Service.Listing(ctx, e.ListingID)
		if err != nil && directory.ErrorCode(err) != directory.ENOTFOUND {
			return err
		}
		open := err == nil && l.EffectiveStatus(pub.now()) == directory.StatusOpen
		args = MurmurationsArgs{ProfileURL: site.ListingProfileURL(e.ListingID), Remove: !open}
	case directory.EventListingDeleted:
		args = MurmurationsArgs{ProfileURL: site.ListingProfileURL(e.ListingID), Remove: true}
	default:
		return nil
	}
	_, err = pub.jobs.Insert(ctx, args, &river.InsertOpts{MaxAttempts: murmurationsAttempts})
	return err
}

// watchMurmurationsIndex registers every profile when the index setting
// names an index it did not name at the last look (at start: any index).
func (pub *Publisher) watchMurmurationsIndex(ctx context.Context) error {
	st, err := pub.opt.Service.Settings(ctx)
	if err != nil || st.MurmurationsIndex == pub.murmurationsIndex {
		return err
	}
	if st.MurmurationsIndex != "" {
		if err := pub.registerAllProfiles(ctx); err != nil {
			return err
		}
	}
	pub.murmurationsIndex = st.MurmurationsIndex
	return nil
}

// registerAllProfiles queues the registration of every local enterprise
// and open listing.
func (pub *Publisher) registerAllProfiles(ctx context.Context) error {
	ctx = directory.AsSystem(ctx)
	site := pub.murmurationsSite()
	var params []river.InsertManyParams
	add := func(u string) {
		params = append(params, river.InsertManyParams{Args: MurmurationsArgs{ProfileURL: u},
			InsertOpts: &river.InsertOpts{MaxAttempts: murmurationsAttempts}})
	}
	for page := 1; ; page++ {
		ents, err := pub.opt.Service.SearchEnterprises(ctx, directory.EnterpriseQuery{Origin: directory.OriginLocal,
			Sort: directory.SortNewest, Page: directory.Page{Page: page, PerPage: directory.MaxPerPage}})
		if err != nil {
			return err
		}
		for _, it := range ents.Items {
			add(site.EnterpriseProfileURL(it.Handle))
		}
		if len(ents.Items) < directory.MaxPerPage {
			break
		}
	}
	for page := 1; ; page++ {
		ls, err := pub.opt.Service.SearchListings(ctx, directory.ListingQuery{Origin: directory.OriginLocal,
			Status: directory.StatusOpen, Sort: directory.SortNewest, Page: directory.Page{Page: page, PerPage: directory.MaxPerPage}})
		if err != nil {
			return err
		}
		for _, it := range ls.Items {
			add(site.ListingProfileURL(it.ID))
		}
		if len(ls.Items) < directory.MaxPerPage {
			break
		}
	}
	for len(params) > 0 {
		n := min(len(params), 500)
		if _, err := pub.jobs.InsertMany(ctx, params[:n]); err != nil {
			return err
		}
		params = params[n:]
	}
	return nil
}

// murmurationsStatusJobs bounds the jobs MurmurationsStatus reads.
const murmurationsStatusJobs = 2000

// MurmurationsStatus says, per profile, how its last registration or
// removal went: from the queue's jobs, newest first, so a profile whose
// jobs River has cleaned up (a day after success) is not listed.
func (n *Node) MurmurationsStatus(ctx context.Context) ([]murmurations.Registration, error) {
	return lastJobs(ctx, n, MurmurationsArgs{}.Kind(), murmurationsStatusJobs,
		func(a MurmurationsArgs) string { return a.ProfileURL }, registration)
}

// lastJobs reads up to limit jobs of kind, newest first, and returns what
// read makes of the newest job of each key.
func lastJobs[A, R any](ctx context.Context, n *Node, kind string, limit int, key func(A) string, read func(*rivertype.JobRow, A) R) ([]R, error) {
	jobs, err := n.recentJobs(ctx, kind, limit)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []R
	for _, j := range jobs {
		args, err := decodeArgs[A](j)
		if err != nil || seen[key(args)] {
			continue
		}
		seen[key(args)] = true
		out = append(out, read(j, args))
	}
	return out, nil
}

func registration(j *rivertype.JobRow, args MurmurationsArgs) murmurations.Registration {
	r := murmurations.Registration{ProfileURL: args.ProfileURL, Remove: args.Remove, Attempts: j.Attempt, At: j.CreatedAt}
	switch j.State {
	case rivertype.JobStateCompleted:
		r.State = murmurations.StateOK
		if j.FinalizedAt != nil {
			r.At = *j.FinalizedAt
		}
	case rivertype.JobStateRetryable, rivertype.JobStateDiscarded, rivertype.JobStateCancelled:
		r.State = murmurations.StateFailing
	default:
		r.State = murmurations.StatePending
	}
	if len(j.Errors) > 0 && r.State != murmurations.StateOK {
		last := j.Errors[len(j.Errors)-1]
		r.Error, r.At = last.Error, last.At
	}
	return r
}

// recentJobs lists up to limit jobs of kind, in every state, newest first.
func (n *core) recentJobs(ctx context.Context, kind string, limit int) ([]*rivertype.JobRow, error) {
	res, err := n.jobs.JobList(ctx, river.NewJobListParams().Kinds(kind).
		States(rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
			rivertype.JobStateRetryable, rivertype.JobStateScheduled, rivertype.JobStateCompleted,
			rivertype.JobStateDiscarded, rivertype.JobStateCancelled).
		OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit))
	if err != nil {
		return nil, err
	}
	return res.Jobs, nil
}

// decodeArgs reads a job row's arguments.
func decodeArgs[T any](j *rivertype.JobRow) (T, error) {
	var args T
	err := json.Unmarshal(j.EncodedArgs, &args)
	return args, err
}
