package murmurations

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Index speaks to a Murmurations index (the MurmurationsServices "index"
// service, API v2): POST /v2/nodes registers a profile by its address,
// DELETE /v2/nodes/{node_id} removes it once the address no longer serves
// it. The index fetches and validates the profile itself.
type Index struct {
	// URL is the index's base address, such as https://index.murmurations.network.
	URL string
	// HTTP makes the requests; it should refuse internal addresses and
	// not follow redirects (see federation.Client).
	HTTP *http.Client
	// Timeout bounds each request [10s]; MaxBytes each answer [64 KiB].
	Timeout  time.Duration
	MaxBytes int64
}

// NodeID is the index's id of the node of a profile: the hex SHA-256 of
// its address, as the index computes it.
func NodeID(profileURL string) string {
	sum := sha256.Sum256([]byte(profileURL))
	return hex.EncodeToString(sum[:])
}

// IndexError is an answer of the index other than success, or a failure
// to reach it.
type IndexError struct {
	Status int    // 0 when the index did not answer
	Detail string // the index's words, or why the request failed
}

// Error implements error.
func (e *IndexError) Error() string {
	if e.Status == 0 {
		return "index: " + e.Detail
	}
	return fmt.Sprintf("index: status %d: %s", e.Status, e.Detail)
}

// Register posts a profile's address to the index; posting it again tells
// the index that the profile changed.
func (ix Index) Register(ctx context.Context, profileURL string) error {
	body, _ := json.Marshal(map[string]string{"profile_url": profileURL})
	return ix.do(ctx, http.MethodPost, "/v2/nodes", body)
}

// Remove asks the index to drop the node of a profile. The index checks
// that the address no longer serves a profile; a node it does not know is
// gone already.
func (ix Index) Remove(ctx context.Context, profileURL string) error {
	err := ix.do(ctx, http.MethodDelete, "/v2/nodes/"+NodeID(profileURL), nil)
	if ie, ok := err.(*IndexError); ok && ie.Status == http.StatusNotFound {
		return nil
	}
	return err
}

func (ix Index) do(ctx context.Context, method, path string, body []byte) error {
	timeout, limit := ix.limits()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(ix.URL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return &IndexError{Detail: err.Error()}
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := ix.client().Do(req)
	if err != nil {
		return &IndexError{Detail: err.Error()}
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(resp.Body, limit))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &IndexError{Status: resp.StatusCode, Detail: errorDetail(answer)}
}

// errorDetail reads the first error of a JSON:API error document, or
// says that the answer had none.
func errorDetail(body []byte) string {
	var doc struct {
		Errors []struct {
			Title  string `json:"title"`
			Detail string `json:"detail"`
		} `json:"errors"`
	}
	if json.Unmarshal(body, &doc) != nil || len(doc.Errors) == 0 {
		return "no error document"
	}
	d := doc.Errors[0].Title
	if doc.Errors[0].Detail != "" {
		d += ": " + doc.Errors[0].Detail
	}
	if len(d) > 300 {
		d = d[:300]
	}
	return d
}

// ValidIndexURL reports whether s can name an index: an http(s) address
// without query or fragment.
func ValidIndexURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" &&
		u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// The states of a Registration.
const (
	StateOK      = "ok"      // the index took the last registration or removal
	StatePending = "pending" // queued or running
	StateFailing = "failing" // the last attempt failed; Error says why
)

// Registration is how the last registration (or removal) of one profile
// with the index went.
type Registration struct {
	ProfileURL string    `json:"profile_url"`
	Remove     bool      `json:"remove,omitempty"`
	State      string    `json:"state"`
	Error      string    `json:"error,omitempty"`
	Attempts   int       `json:"attempts"`
	At         time.Time `json:"at"`
}
