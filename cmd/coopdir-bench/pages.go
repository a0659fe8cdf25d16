package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/web"
)

// pageQueries are the measured requests of the directory page: the whole
// server-side work of GET /directory (query parsing, the search, its facets
// and tab counts, rendering) through the real handler, without a network.
func pageQueries(svc *directory.Service) []query {
	h := pageHandler(svc)
	return []query{
		page(h, "page /directory: no filter", "/directory"),
		page(h, "page /directory: text (bakery)", "/directory?q=bakery"),
		page(h, "page /directory: kind facet (worker_coop)", "/directory?kind=worker_coop"),
		page(h, "page /directory: needs, category tools", "/directory?show=needs&category=tools"),
		page(h, "page /directory: near + within_km 10", "/directory?near=43.0389,-87.9065&within_km=10"),
		page(h, "page /directory: needs, common word (community)", "/directory?show=needs&q=community"),
	}
}

// pageHandler is the web handler the pages are timed through.
func pageHandler(svc *directory.Service) http.Handler {
	return web.New(svc, web.Options{BaseURL: "http://bench.example", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
}

// totalRE finds the number of results a search page reports, and whether
// the count stopped at the cap.
var totalRE = regexp.MustCompile(`data-total="(\d+)"( data-total-capped)?`)

// page measures one GET of target through h.
func page(h http.Handler, name, target string) query {
	return query{name, func(ctx context.Context, _ *directory.Service) (count, error) {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil))
		if w.Code != http.StatusOK {
			return count{}, fmt.Errorf("GET %s: status %d", target, w.Code)
		}
		m := totalRE.FindSubmatch(w.Body.Bytes())
		if m == nil {
			return count{}, fmt.Errorf("GET %s: no result count in the page", target)
		}
		n, err := strconv.Atoi(string(m[1]))
		return count{n, len(m[2]) > 0}, err
	}}
}
