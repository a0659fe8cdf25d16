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
	// Now is the clock [time.Now].
	Now func() time.Time
	// Progress, when set, is told how many nodes are done of how many.
	Progress func(done, total int)
}

// Refusal is a node an import did not take, and why.
type Refusal struct {
	ProfileURL string `json:"profile_url"`
	Reason     string `json:"reason"`
}

// Report is what an import did.
type Report struct {
	Index     string    `json:"index"`
	Origin    string    `json:"origin"`
	Nodes     int       `json:"nodes"`
	Imported  int       `json:"imported"`
	Updated   int       `json:"updated"`
	Unchanged int       `json:"unchanged"`
	Removed   int       `json:"removed"`
	Refused   []Refusal `json:"refused,omitempty"`
}

// pageSize is how many nodes one GET asks for.
const pageSize = 100

// importBatch is how many entries are stored in one transaction.
const importBatch = 100

// Import runs q against the index at indexURL and stores the result in t.
// The error is for the whole run (the index cannot be read, storing
// failed); a profile's problems are in the report.
func (im Importer) Import(ctx context.Context, indexURL string, q Query, t Target) (*Report, error) {
	if !ValidIndexURL(indexURL) {
		return nil, fmt.Errorf("%q is not the address of an index", indexURL)
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	u, _ := url.Parse(indexURL)
	rep := &Report{Index: indexURL, Origin: directory.MurmurationsOrigin(u.Host)}
	nodes, err := im.nodes(ctx, indexURL, q)
	if err != nil {
		return rep, err
	}
	rep.Nodes = len(nodes)
	var batch []*directory.Enterprise
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		res, err := t.ImportMurmurations(ctx, rep.Origin, batch)
		rep.Imported, rep.Updated, rep.Unchanged = rep.Imported+res.Created, rep.Updated+res.Updated, rep.Unchanged+res.Unchanged
		batch = batch[:0]
		return err
	}
	for i, n := range nodes {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		if n.Deleted() {
			gone, err := t.RemoveMurmurations(ctx, rep.Origin, n.ProfileURL)
			if err != nil {
				return rep, err
			}
			if gone {
				rep.Removed++
			}
		} else if e, err := im.profile(ctx, n, rep.Origin); err != nil {
			rep.Refused = append(rep.Refused, Refusal{ProfileURL: truncate(n.ProfileURL, 300), Reason: truncate(err.Error(), 300)})
		} else if batch = append(batch, e); len(batch) >= importBatch {
			if err := flush(); err != nil {
				return rep, err
			}
		}
		if im.Progress != nil {
			im.Progress(i+1, len(nodes))
		}
	}
	return rep, flush()
}

// nodes reads every page of the index's answer to q, up to MaxNodes
// nodes, each address once.
func (im Importer) nodes(ctx context.Context, indexURL string, q Query) ([]IndexNode, error) {
	maxNodes := im.MaxNodes
	if maxNodes <= 0 {
		maxNodes = 5000
	}
	ix := Index{URL: indexURL, HTTP: im.HTTP, Timeout: im.Timeout, MaxBytes: 4 * im.maxBytes()}
	seen := map[string]bool{}
	var out []IndexNode
	for page := 1; len(out) < maxNodes; page++ {
		got, pages, err := ix.Nodes(ctx, q, page, pageSize)
		if err != nil {
			return nil, err
		}
		for _, n := range got {
			if n.ProfileURL != "" && !seen[n.ProfileURL] && len(out) < maxNodes {
				seen[n.ProfileURL] = true
				out = append(out, n)
			}
		}
		if len(got) < pageSize || (pages > 0 && page >= pages) {
			break
		}
	}
	return out, nil
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
	if resp.StatusCode != http.StatusOK {
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
