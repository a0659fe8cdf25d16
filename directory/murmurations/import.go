package murmurations

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// Target stores what an import brings: *directory.Service is one.
type Target interface {
	ImportMurmurations(ctx context.Context, origin string, ents []*directory.Enterprise) (directory.RemoteImport, error)
	RemoveMurmurations(ctx context.Context, origin, profileURL string) (bool, error)
	// DomainBlocked reports whether the admins blocked host (or a parent
	// domain): its profiles are refused, and a blocked index is not read.
	DomainBlocked(ctx context.Context, host string) (bool, error)
}

// Importer imports the organisations an index lists as entries of the
// directory, with the index's origin (see directory.MurmurationsOrigin).
// The index lists nodes; each node's profile is fetched from its
// address, and one that cannot be read or fails validation is refused
// (reported) while the rest are imported. A node the index lists as
// deleted removes its entry. Running it again updates the entries whose
// node's last_updated is later, and leaves the others.
type Importer struct {
	// HTTP makes the requests: it should refuse internal addresses
	// (unless the operator allows them) and check redirects (see
	// federation.Client.MurmurationsHTTP).
	HTTP *http.Client
	// Timeout bounds each request [10s]; MaxBytes each profile [256 KiB]
	// (and each page of the index's answer, 4 times as much); MaxNodes the
	// nodes read [5000].
	Timeout  time.Duration
	MaxBytes int64
	MaxNodes int
	// PageSize is how many nodes one request to the index asks for
	// [DefaultPageSize].
	PageSize int
	// Now is the clock [time.Now].
	Now func() time.Time
}

// Refusal is a node an import did not take, and why.
type Refusal struct {
	ProfileURL string `json:"profile_url"`
	Reason     string `json:"reason"`
}

// Report is what an import did. Refused lists the first MaxRefused
// refusals; MoreRefused counts the others.
type Report struct {
	Index       string    `json:"index"`
	Origin      string    `json:"origin"`
	Nodes       int       `json:"nodes"`
	Imported    int       `json:"imported"`
	Updated     int       `json:"updated"`
	Unchanged   int       `json:"unchanged"`
	Removed     int       `json:"removed"`
	Refused     []Refusal `json:"refused,omitempty"`
	MoreRefused int       `json:"more_refused,omitempty"`
	Done        bool      `json:"done,omitempty"`
}

// MaxRefused bounds the refusals a report lists.
const MaxRefused = 200

// NewReport starts the report of an import from the index at indexURL,
// or says why it cannot be one.
func NewReport(indexURL string) (*Report, error) {
	if !ValidIndexURL(indexURL) {
		return nil, fmt.Errorf("%q is not the address of an index", truncate(indexURL, 100))
	}
	u, _ := url.Parse(indexURL)
	return &Report{Index: indexURL, Origin: directory.MurmurationsOrigin(u.Host)}, nil
}

// PrepareImport checks the index address and the query of an import
// (EINVALID, with a message to show) and starts its report.
func PrepareImport(indexURL string, q *Query) (*Report, error) {
	rep, err := NewReport(indexURL)
	if err != nil {
		return nil, directory.Errorf(directory.EINVALID, "index: must be an http or https address such as https://index.murmurations.network")
	}
	if err := q.Validate(); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "%s", err.Error())
	}
	return rep, nil
}

func (r *Report) refuse(profileURL string, err error) {
	if len(r.Refused) >= MaxRefused {
		r.MoreRefused++
		return
	}
	r.Refused = append(r.Refused, Refusal{ProfileURL: truncate(profileURL, 300), Reason: truncate(err.Error(), 300)})
}

// DefaultPageSize is how many nodes one GET asks for [PageSize].
const DefaultPageSize = 100

// importBatch is how many entries are stored in one transaction.
const importBatch = 100

// Import runs q against the index at indexURL and stores the result in t,
// page after page. The error is for the whole run (the index cannot be
// read, storing failed); a profile's problems are in the report.
func (im Importer) Import(ctx context.Context, indexURL string, q Query, t Target) (*Report, error) {
	rep, err := NewReport(indexURL)
	if err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	for page := 1; ; page++ {
		more, err := im.Step(ctx, q, page, rep, t)
		if err != nil || !more {
			return rep, err
		}
	}
}

// Step imports page (from 1) of the index's answer to q (a validated
// query) into t and adds what it did to rep; more says whether there are
// more pages (and MaxNodes is not reached). A durable job runs one step
// at a time.
func (im Importer) Step(ctx context.Context, q Query, page int, rep *Report, t Target) (more bool, err error) {
	size := im.PageSize
	if size <= 0 {
		size = DefaultPageSize
	}
	if blocked, err := blockedHost(ctx, t, rep.Index); err != nil || blocked {
		return false, orElse(err, fmt.Errorf("the index's domain is blocked"))
	}
	ix := Index{URL: rep.Index, HTTP: im.HTTP, Timeout: im.Timeout, MaxBytes: 4 * im.maxBytes()}
	nodes, pages, err := ix.Nodes(ctx, q, page, size)
	if err != nil {
		return false, err
	}
	var batch []*directory.Enterprise
	for _, n := range nodes {
		if err := ctx.Err(); err != nil {
			return false, err
		}
		rep.Nodes++
		if n.Deleted() {
			gone, err := t.RemoveMurmurations(ctx, rep.Origin, n.ProfileURL)
			if err != nil {
				return false, err
			}
			if gone {
				rep.Removed++
			}
		} else if blocked, err := blockedHost(ctx, t, n.ProfileURL); err != nil {
			return false, err
		} else if blocked {
			rep.refuse(n.ProfileURL, fmt.Errorf("its domain is blocked here"))
		} else if e, err := im.profile(ctx, n, rep.Origin); err != nil {
			if err := refuse(ctx, t, rep, n.ProfileURL, err); err != nil {
				return false, err
			}
		} else {
			batch = append(batch, e)
		}
	}
	for len(batch) > 0 {
		k := min(len(batch), importBatch)
		res, err := t.ImportMurmurations(ctx, rep.Origin, batch[:k])
		if err != nil {
			return false, err
		}
		rep.Imported, rep.Updated, rep.Unchanged = rep.Imported+res.Created, rep.Updated+res.Updated, rep.Unchanged+res.Unchanged
		batch = batch[k:]
	}
	more = len(nodes) == size && (pages == 0 || page < pages) && rep.Nodes < im.maxNodes()
	rep.Done = !more
	return more, nil
}

// refuse reports a profile that could not be taken; one that is gone
// (404, 410) removes the entry imported from it before, which the index
// would list as deleted soon.
func refuse(ctx context.Context, t Target, rep *Report, profileURL string, why error) error {
	if _, ok := why.(goneError); ok {
		removed, err := t.RemoveMurmurations(ctx, rep.Origin, profileURL)
		if err != nil {
			return err
		}
		if removed {
			rep.Removed++
			return nil
		}
	}
	rep.refuse(profileURL, why)
	return nil
}

// goneError is a profile address that answers 404 or 410.
type goneError struct{ status int }

func (e goneError) Error() string {
	return fmt.Sprintf("profile answered %d %s", e.status, http.StatusText(e.status))
}

// blockedHost reports whether the host of address u is blocked; an
// address without a host is not (the fetch refuses it).
func blockedHost(ctx context.Context, t Target, u string) (bool, error) {
	p, err := url.Parse(u)
	if err != nil || p.Hostname() == "" {
		return false, nil
	}
	blocked, err := t.DomainBlocked(ctx, p.Hostname())
	if directory.ErrorCode(err) == directory.EINVALID {
		return false, nil // no domain name: nothing can block it
	}
	return blocked, err
}

// orElse is err, or other when err is nil.
func orElse(err, other error) error {
	if err != nil {
		return err
	}
	return other
}

func (im Importer) maxNodes() int {
	if im.MaxNodes <= 0 {
		return 5000
	}
	return im.MaxNodes
}

func (im Importer) maxBytes() int64 {
	if im.MaxBytes <= 0 {
		return 256 << 10
	}
	return im.MaxBytes
}

// profile fetches and reads the profile of node n.
func (im Importer) profile(ctx context.Context, n IndexNode, origin string) (*directory.Enterprise, error) {
	u, err := url.Parse(n.ProfileURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || len(n.ProfileURL) > 500 {
		return nil, fmt.Errorf("not an http or https address")
	}
	body, err := im.fetch(ctx, n.ProfileURL)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if im.Now != nil {
		now = im.Now
	}
	updated := now().UTC().Truncate(time.Second)
	if n.LastUpdated > 0 {
		updated = time.Unix(n.LastUpdated, 0).UTC()
	}
	return EnterpriseFromProfile(body, n.ProfileURL, origin, updated, now())
}

// fetch GETs a profile with the timeout and size cap.
func (im Importer) fetch(ctx context.Context, profileURL string) ([]byte, error) {
	timeout, _ := Index{Timeout: im.Timeout}.limits()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, profileURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := Index{HTTP: im.HTTP}.client().Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch: %s", fetchReason(err))
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		return nil, goneError{resp.StatusCode}
	default:
		return nil, fmt.Errorf("profile answered %d %s", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	limit := im.maxBytes()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("fetch: %s", fetchReason(err))
	}
	if int64(len(body)) > limit {
		return nil, fmt.Errorf("profile is larger than %d bytes", limit)
	}
	return body, nil
}

// fetchReason is the cause of a failed request without the URL, which the
// report already names.
func fetchReason(err error) string {
	if ue, ok := err.(*url.Error); ok {
		err = ue.Err
	}
	if err == context.DeadlineExceeded || strings.Contains(err.Error(), "deadline exceeded") {
		return "timed out"
	}
	return err.Error()
}

// The states of an ImportRun.
const (
	RunRunning = "running" // queued or running
	RunDone    = "done"
	RunFailing = "failing" // the last attempt failed; Error says why
)

// ImportRun is how an import started from the admin page goes: the state
// of its last step and its report so far.
type ImportRun struct {
	ID     string    `json:"id"`
	Query  Query     `json:"query"`
	State  string    `json:"state"`
	Error  string    `json:"error,omitempty"`
	Report Report    `json:"report"`
	At     time.Time `json:"at"`
}
