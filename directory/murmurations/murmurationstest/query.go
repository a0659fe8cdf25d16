package murmurationstest

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory/murmurations"
)

// SetClock makes the index stamp posts and deletions with now's time.
func (ix *Index) SetClock(now func() time.Time) {
	ix.mu.Lock()
	ix.now = now
	ix.mu.Unlock()
}

// Put lists a node with a profile address and status ("posted" or
// "deleted") as the index would after a post, without fetching it: a test
// names addresses the index could not have validated (hostile profiles).
func (ix *Index) Put(profileURL, status string, profile json.RawMessage) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	n := &Node{ProfileURL: profileURL, Status: status, Profile: profile, LastUpdated: ix.now().Unix()}
	n.ID = murmurations.NodeID(profileURL)
	ix.nodes[n.ID] = n
}

// queriedNode is what the index knows of a node's profile to answer a
// query.
type queriedNode struct {
	LinkedSchemas []string `json:"linked_schemas"`
	Name          string   `json:"name"`
	PrimaryURL    string   `json:"primary_url"`
	Tags          []string `json:"tags"`
	Geolocation   *struct {
		Lat float64 `json:"lat"`
		Lon float64 `json:"lon"`
	} `json:"geolocation"`
}

// list answers GET /v2/nodes: the posted and deleted nodes matching the
// query (deleted ones carry no profile fields but still match the
// schema, as the real index keeps them for a while so that aggregators
// learn of the deletion), ordered by address, one page of them.
func (ix *Index) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, size := intParam(q, "page", 1), intParam(q, "page_size", 30)
	if size < 1 || size > 500 || page < 1 {
		writeErrors(w, http.StatusBadRequest, "Invalid Page", "page or page_size is out of range")
		return
	}
	var data []map[string]any
	for _, n := range ix.sorted() {
		var p queriedNode
		_ = json.Unmarshal(n.Profile, &p)
		if !matches(q, n, p) {
			continue
		}
		d := map[string]any{"profile_url": n.ProfileURL, "status": n.Status, "last_updated": n.LastUpdated}
		if n.Status != "deleted" {
			d["name"], d["tags"], d["primary_url"] = p.Name, p.Tags, p.PrimaryURL
		}
		data = append(data, d)
	}
	total := len(data)
	from, to := min((page-1)*size, total), min(page*size, total)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"data": data[from:to],
		"meta": map[string]any{"number_of_results": total, "total_pages": (total + size - 1) / size}})
}

func (ix *Index) sorted() []Node {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var out []Node
	for _, n := range ix.nodes {
		if n.Status == "posted" || n.Status == "deleted" {
			out = append(out, *n)
		}
	}
	slices.SortFunc(out, func(a, b Node) int { return strings.Compare(a.ProfileURL, b.ProfileURL) })
	return out
}

// matches applies the query parameters to one node.
func matches(q url.Values, n Node, p queriedNode) bool {
	if lu := q.Get("last_updated"); lu != "" {
		if since, err := strconv.ParseInt(lu, 10, 64); err == nil && n.LastUpdated < since {
			return false
		}
	}
	if n.Status == "deleted" {
		return true
	}
	if s := q.Get("schema"); s != "" && !contains(p.LinkedSchemas, s) {
		return false
	}
	if t := q.Get("tags"); t != "" && !tagsMatch(strings.Split(t, ","), p.Tags, q.Get("tags_filter") == "and") {
		return false
	}
	if q.Get("lat") != "" {
		return near(q, p)
	}
	return true
}

func tagsMatch(want, have []string, all bool) bool {
	for _, t := range want {
		ok := contains(have, strings.TrimSpace(t))
		if ok && !all {
			return true
		}
		if !ok && all {
			return false
		}
	}
	return all
}

// near is the lat/lon/range filter, for ranges in km.
func near(q url.Values, p queriedNode) bool {
	lat, err1 := strconv.ParseFloat(q.Get("lat"), 64)
	lon, err2 := strconv.ParseFloat(q.Get("lon"), 64)
	km, err3 := strconv.ParseFloat(strings.TrimSuffix(q.Get("range"), "km"), 64)
	if err1 != nil || err2 != nil || err3 != nil || p.Geolocation == nil {
		return false
	}
	const r = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (p.Geolocation.Lat-lat)*rad, (p.Geolocation.Lon-lon)*rad
	a := math.Pow(math.Sin(dLat/2), 2) + math.Cos(lat*rad)*math.Cos(p.Geolocation.Lat*rad)*math.Pow(math.Sin(dLon/2), 2)
	return 2*r*math.Asin(math.Min(1, math.Sqrt(a))) <= km
}

func intParam(q url.Values, name string, def int) int {
	if s := q.Get(name); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return -1
		}
		return n
	}
	return def
}
