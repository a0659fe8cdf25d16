package murmurationstest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/coopdir/coopdir/directory/murmurations"
)

// Index is a small Murmurations index for tests. The real index
// (MurmurationsNetwork/MurmurationsServices) needs Elasticsearch, MongoDB
// and a message queue, so tests run this instead: it implements the part
// of the documented API v2 that coopdir uses — POST /v2/nodes
// {"profile_url"}, DELETE /v2/nodes/{node_id}, GET /v2/nodes with schema,
// tags (tags_filter), lat/lon/range (km), last_updated, page and
// page_size (see query.go) —
// and, like the real one, fetches each posted profile and validates it
// against the schemas it links (synchronously here, so that a test sees
// the outcome at once), and removes a node only when its address no
// longer serves a profile.
type Index struct {
	*httptest.Server

	mu    sync.Mutex
	nodes map[string]*Node // by node id
	posts int
	fail  int // answer POSTs with this status when not 0
	now   func() time.Time
}

// Node is what the index holds of one profile.
type Node struct {
	ID         string
	ProfileURL string
	Status     string // posted, validation_failed or deleted
	Reason     string // why validation failed
	Profile    json.RawMessage
	Posts      int
	// LastUpdated is when the index last saw the profile change (Unix
	// time): the test's clock (see SetClock) at the post.
	LastUpdated int64
}

// NewIndex starts an index; it stops when the test ends.
func NewIndex(t interface{ Cleanup(func()) }) *Index {
	ix := &Index{nodes: map[string]*Node{}, now: time.Now}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v2/nodes", ix.post)
	mux.HandleFunc("DELETE /v2/nodes/{id}", ix.delete)
	mux.HandleFunc("GET /v2/nodes", ix.list)
	ix.Server = httptest.NewServer(mux)
	t.Cleanup(ix.Close)
	return ix
}

// Fail makes the index answer every POST with status (0: answer normally).
func (ix *Index) Fail(status int) {
	ix.mu.Lock()
	ix.fail = status
	ix.mu.Unlock()
}

// Node returns a copy of the node of a profile address, if the index has it.
func (ix *Index) Node(profileURL string) (Node, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n, ok := ix.nodes[murmurations.NodeID(profileURL)]
	if !ok {
		return Node{}, false
	}
	return *n, true
}

// Posted returns the nodes in state posted.
func (ix *Index) Posted() []Node {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []Node
	for _, n := range ix.nodes {
		if n.Status == "posted" {
			out = append(out, *n)
		}
	}
	return out
}

func writeErrors(w http.ResponseWriter, status int, title, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []map[string]any{{"status": status, "title": title, "detail": detail}}})
}

func (ix *Index) post(w http.ResponseWriter, r *http.Request) {
	ix.mu.Lock()
	fail := ix.fail
	ix.mu.Unlock()
	if fail != 0 {
		writeErrors(w, fail, "Index Unavailable", "the test index was told to fail")
		return
	}
	var req struct {
		ProfileURL string `json:"profile_url"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&req); err != nil || req.ProfileURL == "" || len(req.ProfileURL) > 2000 {
		writeErrors(w, http.StatusBadRequest, "Invalid Profile URL", "The `profile_url` property is required.")
		return
	}
	ix.mu.Lock()
	now := ix.now().Unix()
	ix.mu.Unlock()
	n := &Node{ID: murmurations.NodeID(req.ProfileURL), ProfileURL: req.ProfileURL, Status: "posted", LastUpdated: now}
	body, status, err := fetch(r.Context(), req.ProfileURL)
	switch {
	case err != nil:
		n.Status, n.Reason = "validation_failed", err.Error()
	case status != http.StatusOK:
		n.Status, n.Reason = "validation_failed", "profile answered "+http.StatusText(status)
	default:
		if err := ValidateLinked(body); err != nil {
			n.Status, n.Reason = "validation_failed", err.Error()
		}
		n.Profile = body
	}
	ix.mu.Lock()
	if old, ok := ix.nodes[n.ID]; ok {
		n.Posts = old.Posts
	}
	n.Posts++
	ix.nodes[n.ID] = n
	ix.posts++
	ix.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"node_id": n.ID, "profile_url": n.ProfileURL, "status": "received"}})
}

func (ix *Index) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ix.mu.Lock()
	n, ok := ix.nodes[id]
	ix.mu.Unlock()
	if !ok {
		writeErrors(w, http.StatusNotFound, "Node Not Found", "Could not locate the following node_id in the Index: "+id)
		return
	}
	if body, status, err := fetch(r.Context(), n.ProfileURL); err == nil && status == http.StatusOK && json.Valid(body) {
		writeErrors(w, http.StatusBadRequest, "Profile Still Exists", "The profile at "+n.ProfileURL+" still exists.")
		return
	}
	ix.mu.Lock()
	n.Status, n.LastUpdated = "deleted", ix.now().Unix()
	ix.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"meta": map[string]any{"message": "The Index has recorded as deleted the profile that was previously posted at: " + n.ProfileURL}})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

// fetch GETs a profile, as the index does, with a timeout and a size cap.
func fetch(ctx context.Context, u string) ([]byte, int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return body, resp.StatusCode, err
}
