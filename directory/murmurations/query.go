package murmurations

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Query is a search of an index's nodes (GET /v2/nodes), in the terms of
// the index API v2: schema, tags (tags_filter and, or; tags_exact),
// lat/lon/range, locality, region, country and last_updated.
type Query struct {
	Schema      string   `json:"schema"` // [OrganizationsSchema]
	Tags        []string `json:"tags,omitempty"`
	TagsAll     bool     `json:"tags_all,omitempty"`   // every tag must match (tags_filter=and); else any
	TagsExact   bool     `json:"tags_exact,omitempty"` // no fuzzy matching of tags
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
	Range       string   `json:"range,omitempty"` // with Lat and Lon: "25km" or "10mi"
	Locality    string   `json:"locality,omitempty"`
	Region      string   `json:"region,omitempty"`
	Country     string   `json:"country,omitempty"`
	LastUpdated int64    `json:"last_updated,omitempty"` // Unix time: only nodes updated since
}

var rangeRE = regexp.MustCompile(`^[0-9]{1,5}(\.[0-9]{1,3})?(km|mi)$`)

// Validate fills in the default schema and checks q; the error says which
// parameter is wrong.
func (q *Query) Validate() error {
	if q.Schema == "" {
		q.Schema = OrganizationsSchema
	}
	if q.Schema != OrganizationsSchema {
		return fmt.Errorf("schema: only %s profiles can be imported", OrganizationsSchema)
	}
	if len(q.Tags) > 20 {
		return fmt.Errorf("tags: at most 20")
	}
	for _, t := range q.Tags {
		if t == "" || len(t) > 100 || !utf8.ValidString(t) || strings.ContainsAny(t, ",\x00") {
			return fmt.Errorf("tags: %q is not a tag", truncate(t, 30))
		}
	}
	if (q.Lat == nil) != (q.Lon == nil) || (q.Lat == nil) != (q.Range == "") {
		return fmt.Errorf("lat, lon and range go together")
	}
	if q.Lat != nil && (*q.Lat < -90 || *q.Lat > 90 || *q.Lon < -180 || *q.Lon > 180 || *q.Lat != *q.Lat || *q.Lon != *q.Lon) {
		return fmt.Errorf("lat, lon: out of range")
	}
	if q.Range != "" && !rangeRE.MatchString(q.Range) {
		return fmt.Errorf("range: must be a distance such as 25km or 10mi")
	}
	for name, v := range map[string]string{"locality": q.Locality, "region": q.Region, "country": q.Country} {
		if len(v) > 100 || !utf8.ValidString(v) {
			return fmt.Errorf("%s: at most 100 characters of text", name)
		}
	}
	if q.LastUpdated < 0 {
		return fmt.Errorf("last_updated: must be a Unix time")
	}
	return nil
}

// values are the query's URL parameters for one page.
func (q Query) values(page, size int) url.Values {
	v := url.Values{"schema": {q.Schema}, "page": {strconv.Itoa(page)}, "page_size": {strconv.Itoa(size)}}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("tags", strings.Join(q.Tags, ","))
	if len(q.Tags) > 0 && q.TagsAll {
		v.Set("tags_filter", "and")
	}
	if len(q.Tags) > 0 && q.TagsExact {
		v.Set("tags_exact", "true")
	}
	if q.Lat != nil {
		v.Set("lat", strconv.FormatFloat(*q.Lat, 'f', -1, 64))
		v.Set("lon", strconv.FormatFloat(*q.Lon, 'f', -1, 64))
		v.Set("range", q.Range)
	}
	set("locality", q.Locality)
	set("region", q.Region)
	set("country", q.Country)
	if q.LastUpdated > 0 {
		v.Set("last_updated", strconv.FormatInt(q.LastUpdated, 10))
	}
	return v
}

// IndexNode is one node an index lists: a profile's address, when the
// index last saw it change, and its status ("deleted" once the profile is
// gone).
type IndexNode struct {
	ProfileURL  string `json:"profile_url"`
	LastUpdated int64  `json:"last_updated"`
	Status      string `json:"status"`
}

// Deleted reports whether the index says the node's profile is gone.
func (n IndexNode) Deleted() bool { return n.Status == "deleted" }

// Nodes reads one page (from 1) of the nodes matching q, and the number of
// pages the index has for q (0 when it does not say).
func (ix Index) Nodes(ctx context.Context, q Query, page, size int) ([]IndexNode, int, error) {
	timeout, limit := ix.limits()
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	u := strings.TrimSuffix(ix.URL, "/") + "/v2/nodes?" + q.values(page, size).Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, 0, &IndexError{Detail: err.Error()}
	}
	req.Header.Set("Accept", "application/json")
	resp, err := ix.client().Do(req)
	if err != nil {
		return nil, 0, &IndexError{Detail: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	switch {
	case err != nil:
		return nil, 0, &IndexError{Detail: err.Error()}
	case resp.StatusCode != http.StatusOK:
		return nil, 0, &IndexError{Status: resp.StatusCode, Detail: errorDetail(body)}
	case int64(len(body)) > limit:
		return nil, 0, &IndexError{Status: resp.StatusCode, Detail: fmt.Sprintf("answer larger than %d bytes", limit)}
	case !utf8.Valid(body):
		return nil, 0, &IndexError{Status: resp.StatusCode, Detail: "answer is not UTF-8"}
	}
	var doc struct {
		Data []IndexNode `json:"data"`
		Meta struct {
			TotalPages int `json:"total_pages"`
		} `json:"meta"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, 0, &IndexError{Status: resp.StatusCode, Detail: "answer is not a list of nodes: " + err.Error()}
	}
	return doc.Data, doc.Meta.TotalPages, nil
}

// limits are the timeout and size cap of one request.
func (ix Index) limits() (time.Duration, int64) {
	timeout, limit := ix.Timeout, ix.MaxBytes
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if limit <= 0 {
		limit = 64 << 10
	}
	return timeout, limit
}

func (ix Index) client() *http.Client {
	if ix.HTTP == nil {
		return http.DefaultClient
	}
	return ix.HTTP
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
