package directory_test

import (
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestTotalLimit(t *testing.T) {
	for _, c := range []struct {
		countCap int
		page     directory.Page
		want     int
	}{
		{0, directory.Page{Page: 1, PerPage: 20}, 0},
		{-5, directory.Page{Page: 1, PerPage: 20}, 0},
		{1000, directory.Page{Page: 1, PerPage: 20}, 1000},
		{1000, directory.Page{Page: 50, PerPage: 20}, 1000},
		{1000, directory.Page{Page: 51, PerPage: 20}, 1020},
		{5, directory.Page{Page: 1, PerPage: 20}, 20},
	} {
		if got := directory.TotalLimit(c.countCap, c.page); got != c.want {
			t.Errorf("TotalLimit(%d, %+v) = %d, want %d", c.countCap, c.page, got, c.want)
		}
	}
}

func TestCappedCount(t *testing.T) {
	for _, c := range []struct {
		n, limit, want int
		capped         bool
	}{
		{0, 10, 0, false},
		{10, 10, 10, false},
		{11, 10, 10, true},
		{5000, 10, 10, true},
		{5000, 0, 5000, false},
	} {
		if got, capped := directory.CappedCount(c.n, c.limit); got != c.want || capped != c.capped {
			t.Errorf("CappedCount(%d, %d) = %d, %v; want %d, %v", c.n, c.limit, got, capped, c.want, c.capped)
		}
	}
}

func TestQueriesRejectANegativeCountCap(t *testing.T) {
	eq := directory.EnterpriseQuery{Text: "bakery", CountCap: -1}
	wantFields(t, eq.Validate(), "count_cap")
	lq := directory.ListingQuery{Text: "bread", CountCap: -1}
	wantFields(t, lq.Validate(), "count_cap")
	eq.CountCap, lq.CountCap = directory.DefaultCountCap, 0
	must(t, eq.Validate())
	must(t, lq.Validate())
}

func TestPageKnownTotal(t *testing.T) {
	for _, tc := range []struct {
		page, perPage, n int
		total            int
		known            bool
	}{
		{1, 20, 0, 0, true},
		{1, 20, 7, 7, true},
		{3, 20, 7, 47, true},
		{1, 20, 20, 0, false},
		{3, 20, 0, 0, false}, // past the end: the count must tell
	} {
		total, known := directory.Page{Page: tc.page, PerPage: tc.perPage}.KnownTotal(tc.n)
		if total != tc.total || known != tc.known {
			t.Errorf("page %d of %d, %d rows: KnownTotal = %d, %v; want %d, %v",
				tc.page, tc.perPage, tc.n, total, known, tc.total, tc.known)
		}
	}
}
