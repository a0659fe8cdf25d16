package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/coopdir/coopdir/directory"
)

var listingTable = &table{
	name: "listings", fts: "listings_fts", weights: "10.0, 1.0",
	order: map[string]string{
		directory.SortRelevance: "t.created_at DESC, t.id DESC", // without text
		directory.SortNewest:    "t.created_at DESC, t.id DESC",
		directory.SortName:      "t.title_key, t.id",
		directory.SortDistance:  "dist, t.id",
	},
	key: map[string]string{
		directory.SortRelevance: "t.created_at",
		directory.SortNewest:    "t.created_at",
		directory.SortName:      "t.title_key",
	},
	walk: map[string]string{
		directory.SortRelevance: "listings_created_at",
		directory.SortNewest:    "listings_created_at",
		directory.SortName:      "listings_title_key",
	},
	near: "listings_lat_lon",
	lang: "(SELECT json_extract(e.languages, '$[0]') FROM enterprises e WHERE e.id = t.enterprise_id)",
}

// SearchListings runs a validated query.
func (db *DB) SearchListings(ctx context.Context, q directory.ListingQuery) (*directory.ListingPage, error) {
	s := listingSearch(q)
	page := &directory.ListingPage{Items: []directory.ListingResult{}, Page: s.page}
	err := db.inRead(ctx, "search listings", func(tx *sql.Tx) error {
		hits, total, err := s.run(ctx, tx)
		page.Total, page.TotalCapped = directory.CappedCount(total, s.limit)
		if err != nil || len(hits) == 0 {
			return err
		}
		byID, err := loadListings(ctx, tx, hits)
		if err != nil {
			return err
		}
		for _, h := range hits {
			if l := byID[h.id]; l != nil {
				page.Items = append(page.Items, directory.ListingResult{Listing: l, DistanceKM: h.dist})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// listingSearch builds the search of q.
func listingSearch(q directory.ListingQuery) *search {
	s := newSearch(listingTable, q.Sort, q.Page)
	s.text(q.Text, q.CountCap)
	s.reader = q.Language
	if q.Type != "" {
		s.where("t.type = " + s.arg(string(q.Type)))
	}
	in(s, "category", q.Categories)
	s.origin(q.Origin)
	listingStatus(s, q.Status, q.Today)
	if q.Enterprise != "" {
		s.narrow = append(s.narrow, "t.enterprise_id IN (SELECT id FROM enterprises WHERE handle = "+s.arg(q.Enterprise)+")")
	}
	s.geo(q.Geo)
	if q.Enterprise != "" {
		s.via = "listings_enterprise" // the most selective filter
	}
	return s
}

// listingStatus adds the status filter, and the total that the filters
// added so far allow without text or narrow filters: a sum over the
// listing_counts summary, less (for open listings) the expired ones, which
// listing_expiry_counts sums.
func listingStatus(s *search, status directory.Status, today string) {
	stored := s.cond() // type, category, origin: columns of both summaries
	countExpired := "SELECT coalesce(sum(t.n), 0) FROM listing_expiry_counts t WHERE t.valid_until < " +
		s.arg(today) + " AND " + stored
	switch status {
	case "":
		s.summary = "SELECT coalesce(sum(t.n), 0) FROM listing_counts t WHERE " + stored
	case directory.StatusOpen:
		s.where("t.status = 'open' AND (t.valid_until IS NULL OR t.valid_until >= " + s.arg(today) + ")")
		s.summary = fmt.Sprintf("SELECT (SELECT coalesce(sum(t.n), 0) FROM listing_counts t WHERE t.status = 'open' AND %s) - (%s)",
			stored, countExpired)
	case directory.StatusExpired:
		s.where("t.status = 'open' AND t.valid_until < " + s.arg(today))
		s.summary = countExpired
	default:
		s.where("t.status = " + s.arg(string(status)))
		s.summary = "SELECT coalesce(sum(t.n), 0) FROM listing_counts t WHERE " + s.cond()
	}
}

func loadListings(ctx context.Context, tx *sql.Tx, hits []hit) (map[int64]*directory.Listing, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+listingColumns+` FROM `+listingFrom+`
		WHERE l.id IN (SELECT value FROM json_each(?))`, idList(hits))
	if err != nil {
		return nil, directory.Internal(err, "load listings")
	}
	defer rows.Close()
	byID := make(map[int64]*directory.Listing, len(hits))
	for rows.Next() {
		l, err := scanListing(rows)
		if err != nil {
			return nil, directory.Internal(err, "scan listing")
		}
		byID[l.ID] = l
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "load listings")
	}
	return byID, nil
}
