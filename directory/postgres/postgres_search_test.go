package postgres

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestRankedPage(t *testing.T) {
	// A full window holds ids 2000 down to 1001 (ranked in some order);
	// past it come 1000 down to 1 in id order.
	full := make([]hit, directory.RankWindow)
	for i := range full {
		full[i] = hit{id: int64(2000 - i)}
	}
	newest := func(limit, offset int) ([]int64, error) {
		var ids []int64
		for i := offset; i < offset+limit && i < 2000; i++ {
			ids = append(ids, int64(2000-i))
		}
		return ids, nil
	}
	failing := func(int, int) ([]int64, error) { return nil, errors.New("must not be called") }
	small := []hit{{id: 7}, {id: 9}, {id: 8}}
	for _, tc := range []struct {
		name             string
		window           []hit
		perPage, offset  int
		want             []int64
		newestIsExpected bool
	}{
		{"a page inside a small window", small, 2, 0, []int64{7, 9}, false},
		{"the last page of a small window", small, 2, 2, []int64{8}, false},
		{"past the end of a small window", small, 2, 4, []int64{}, false},
		{"a page inside a full window", full, 3, 997, []int64{1003, 1002, 1001}, false},
		{"a page across the window's end", full, 4, 998, []int64{1002, 1001, 1000, 999}, true},
		{"a page past the window", full, 2, 1500, []int64{500, 499}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			more := failing
			if tc.newestIsExpected {
				more = newest
			}
			got, err := rankedPage(tc.perPage, tc.offset, tc.window, more)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rankedPage = %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

func TestRelevancePaths(t *testing.T) {
	// A search with up to allMatches matches reads them all at once; one
	// with more ranks the top of the primary key and counts. Both must give
	// the same pages.
	db := openDB(t)
	ctx := context.Background()
	var es []*directory.Enterprise
	for i := 0; i < directory.RankWindow+150; i++ {
		e := newEnterprise(fmt.Sprintf("e%04d", i))
		e.Name = "Tool library"
		switch i % 3 {
		case 0:
			e.Name = "Tool tool library"
		case 1:
			e.Summary = "we lend tools"
			e.Kind = directory.KindToolLibrary
		}
		e.CreatedAt = t0.Add(time.Duration(i%7) * time.Hour)
		es = append(es, e)
	}
	if err := db.ImportEnterprises(ctx, es, nil, t0); err != nil {
		t.Fatal(err)
	}
	queries := []directory.EnterpriseQuery{
		{Text: "tool", Page: directory.Page{Page: 1, PerPage: 30}},
		{Text: "tool", Page: directory.Page{Page: 34, PerPage: 30}}, // across the window's end
		{Text: "tool", Page: directory.Page{Page: 12, PerPage: 100}},
		{Text: "tool lib", Kinds: []directory.Kind{directory.KindToolLibrary}, Page: directory.Page{Page: 2, PerPage: 100}},
		{Text: "tools", Page: directory.Page{Page: 1, PerPage: 10}},
		{Text: "tool", Page: directory.Page{Page: 50, PerPage: 30}}, // past the end
	}
	search := func(q directory.EnterpriseQuery) (ids []int64, total int) {
		t.Helper()
		page, err := db.SearchEnterprises(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.Items {
			ids = append(ids, r.ID)
		}
		return ids, page.Total
	}
	for _, q := range queries {
		t.Run(fmt.Sprintf("%q page %d of %d", q.Text, q.Page.Page, q.Page.PerPage), func(t *testing.T) {
			all, allTotal := search(q)
			saved := allMatches
			allMatches = 5
			many, manyTotal := search(q)
			allMatches = saved
			if !reflect.DeepEqual(all, many) || allTotal != manyTotal {
				t.Errorf("reading all matches gave %d %v,\nranking the top of the key gave %d %v", allTotal, all, manyTotal, many)
			}
			if len(all) == 0 && q.Page.Page < 50 {
				t.Error("no results")
			}
		})
	}
}

func TestCappedRelevancePaths(t *testing.T) {
	// Both relevance paths (all matches read, or the top of the primary key
	// ranked) cap a total alike, whether the window shows the cap is passed
	// or a count must tell.
	db := openDB(t)
	ctx := context.Background()
	var es []*directory.Enterprise
	for i := range directory.RankWindow + 30 {
		e := newEnterprise(fmt.Sprintf("c%04d", i))
		e.Name = "Candle makers"
		if i%2 == 0 {
			e.Kind = directory.KindToolLibrary
		}
		es = append(es, e)
	}
	if err := db.ImportEnterprises(ctx, es, nil, t0); err != nil {
		t.Fatal(err)
	}
	all := len(es)
	tools := (all + 1) / 2
	for _, tc := range []struct {
		q         directory.EnterpriseQuery
		total     int
		capped    bool
		itemsWant int
	}{
		{directory.EnterpriseQuery{Text: "candle", CountCap: 100, Page: directory.Page{Page: 1, PerPage: 20}}, 100, true, 20},
		{directory.EnterpriseQuery{Text: "candle", CountCap: directory.RankWindow, Page: directory.Page{Page: 1, PerPage: 20}}, directory.RankWindow, true, 20},
		{directory.EnterpriseQuery{Text: "candle", CountCap: 2000, Page: directory.Page{Page: 1, PerPage: 20}}, all, false, 20},
		{directory.EnterpriseQuery{Text: "candle", CountCap: 100, Page: directory.Page{Page: 52, PerPage: 20}}, all, false, all - 1020},
		{directory.EnterpriseQuery{Text: "candle", CountCap: 600, Kinds: []directory.Kind{directory.KindToolLibrary},
			Page: directory.Page{Page: 1, PerPage: 20}}, tools, false, 20},
		{directory.EnterpriseQuery{Text: "candle", CountCap: 400, Kinds: []directory.Kind{directory.KindToolLibrary},
			Page: directory.Page{Page: 1, PerPage: 20}}, 400, true, 20},
	} {
		for _, path := range []struct {
			name       string
			allMatches int
			windowSpan int64
		}{
			{"all matches", allMatches, 0},
			{"top of the key", 5, 0},
			{"top of the key in small windows", 5, 7},
		} {
			savedAll, savedSpan := allMatches, windowSpan
			allMatches, windowSpan = path.allMatches, path.windowSpan
			page, err := db.SearchEnterprises(ctx, tc.q)
			allMatches, windowSpan = savedAll, savedSpan
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != tc.total || page.TotalCapped != tc.capped || len(page.Items) != tc.itemsWant {
				t.Errorf("%+v (%s): total %d (capped %v), %d items; want %d (capped %v), %d",
					tc.q, path.name, page.Total, page.TotalCapped, len(page.Items), tc.total, tc.capped, tc.itemsWant)
			}
		}
	}
}
