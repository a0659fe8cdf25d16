package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/fulltext"
)

var enterpriseTable = &table{
	name: "enterprises", fts: "enterprises_fts", weights: "10.0, 5.0, 1.0",
	order: map[string]string{
		directory.SortRelevance: "t.created_at DESC, t.id DESC", // without text
		directory.SortNewest:    "t.created_at DESC, t.id DESC",
		directory.SortName:      "t.name_key, t.id",
		directory.SortDistance:  "dist, t.id",
	},
	key: map[string]string{
		directory.SortRelevance: "t.created_at",
		directory.SortNewest:    "t.created_at",
		directory.SortName:      "t.name_key",
	},
	walk: map[string]string{
		directory.SortRelevance: "enterprises_created_at",
		directory.SortNewest:    "enterprises_created_at",
		directory.SortName:      "enterprises_name_key",
	},
	near: "enterprises_lat_lon",
	lang: "json_extract(t.languages, '$[0]')",
}

// SearchEnterprises runs a validated query.
func (db *DB) SearchEnterprises(ctx context.Context, q directory.EnterpriseQuery) (*directory.EnterprisePage, error) {
	page := &directory.EnterprisePage{Items: []directory.EnterpriseResult{}, Page: q.Page.Normal()}
	err := db.inRead(ctx, "search enterprises", func(tx *sql.Tx) error {
		walk, err := walkSector(ctx, tx, q)
		if err != nil {
			return err
		}
		s := enterpriseSearch(q, walk)
		hits, total, err := s.run(ctx, tx)
		page.Total, page.TotalCapped = directory.CappedCount(total, s.limit)
		if err != nil || len(hits) == 0 {
			return err
		}
		byID, err := loadEnterprises(ctx, tx, hits)
		if err != nil {
			return err
		}
		for _, h := range hits {
			if e := byID[h.id]; e != nil {
				page.Items = append(page.Items, directory.EnterpriseResult{Enterprise: e, DistanceKM: h.dist})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// enterpriseSearch builds the search of q. The summaries (enterprise_counts,
// sector_counts) count the rows that pass the kind, origin and sector
// filters: the total, without text or distance. A sector
// selects few enterprises through its index, unless walk: then the page
// walks the sort order and tests each entry against the sector's members,
// which is cheaper for a common sector.
func enterpriseSearch(q directory.EnterpriseQuery, walk bool) *search {
	s := newSearch(enterpriseTable, q.Sort, q.Page)
	s.text(q.Text, q.CountCap)
	s.reader = q.Language
	in(s, "kind", q.Kinds)
	s.origin(q.Origin)
	s.exact = s.match == "" && q.Geo == nil
	if q.Sector == "" {
		s.summary = "SELECT coalesce(sum(t.n), 0) FROM enterprise_counts t WHERE " + s.cond()
	} else {
		s.summary = "SELECT coalesce(sum(t.n), 0) FROM sector_counts t WHERE " + s.cond("t.sector = "+s.arg(q.Sector))
	}
	if q.Sector != "" {
		inSector := "t.id IN (SELECT enterprise_id FROM enterprise_sectors WHERE sector = " + s.arg(q.Sector) + ")"
		if walk {
			s.where("+" + inSector)
		} else {
			s.narrow = append(s.narrow, inSector)
		}
	}
	s.geo(q.Geo)
	return s
}

// walkSector reports whether a search on a sector, without text or
// distance, should walk its sort order: when reading the index entries
// up to the page's end (about as many per result as there are enterprises
// per member of the sector) costs less than reading and sorting every
// member.
func walkSector(ctx context.Context, tx *sql.Tx, q directory.EnterpriseQuery) (bool, error) {
	if q.Sector == "" || q.Geo != nil || len(fulltext.Terms(q.Text)) > 0 {
		return false, nil
	}
	var members, all int
	err := tx.QueryRowContext(ctx, `SELECT
		(SELECT coalesce(sum(n), 0) FROM sector_counts WHERE sector = ?),
		(SELECT coalesce(sum(n), 0) FROM enterprise_counts)`, q.Sector).Scan(&members, &all)
	if err != nil {
		return false, directory.Internal(err, "count sector")
	}
	p := q.Page.Normal()
	return members > 0 && (p.Offset()+p.PerPage)*all/members < sectorWalk*members, nil
}

// sectorWalk weighs reading a member of a sector (a lookup, and a place in
// the sort) against reading an index entry. A variable so that tests run
// both plans.
var sectorWalk = 4

func loadEnterprises(ctx context.Context, tx *sql.Tx, hits []hit) (map[int64]*directory.Enterprise, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+enterpriseColumns+` FROM enterprises e
		WHERE e.id IN (SELECT value FROM json_each(?))`, idList(hits))
	if err != nil {
		return nil, directory.Internal(err, "load enterprises")
	}
	defer rows.Close()
	byID := make(map[int64]*directory.Enterprise, len(hits))
	for rows.Next() {
		e, err := scanEnterprise(rows)
		if err != nil {
			return nil, directory.Internal(err, "scan enterprise")
		}
		byID[e.ID] = e
	}
	if err := rows.Err(); err != nil {
		return nil, directory.Internal(err, "load enterprises")
	}
	return byID, nil
}
