package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// SearchEnterprises runs a validated query.
func (db *DB) SearchEnterprises(ctx context.Context, q directory.EnterpriseQuery) (*directory.EnterprisePage, error) {
	p := q.Page.Normal()
	res := &directory.EnterprisePage{Items: []directory.EnterpriseResult{}, Page: p}
	s, err := enterpriseSearch(q, p)
	if err != nil {
		return nil, err
	}
	err = db.read(ctx, "enterprises", func(tx pgx.Tx) (err error) {
		res.Items, res.Total, err = s.run(ctx, tx, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	res.Total, res.TotalCapped = directory.CappedCount(res.Total, s.limit)
	return res, nil
}

// enterpriseSearch builds the search of q for page p.
func enterpriseSearch(q directory.EnterpriseQuery, p directory.Page) (*search[directory.EnterpriseResult], error) {
	s := &search[directory.EnterpriseResult]{table: "enterprises e", alias: "e", reader: q.Language, lang: "e.languages[1]"}
	s.tsq = s.text("e", q.Text)
	s.capAt(q.CountCap, p)
	if len(q.Kinds) > 0 {
		kinds := make([]string, len(q.Kinds))
		for i, k := range q.Kinds {
			kinds[i] = string(k)
		}
		s.add("e.kind = ANY(" + s.arg(kinds) + ")")
	}
	if q.Sector != "" {
		s.add("EXISTS (SELECT 1 FROM enterprise_sectors s WHERE s.enterprise_id = e.id AND s.sector = " + s.arg(q.Sector) + ")")
	}
	s.origin("e", q.Origin)
	dist := "NULL::float8"
	if q.Geo != nil {
		dist = s.near("e", q.Geo)
	}
	if s.tsq == "" && q.Geo == nil && q.Sector == "" {
		// Every condition is on kind or origin: enterprise_counts has the total.
		s.counts = "enterprise_counts e"
	}
	s.columns = enterpriseColumns + ", " + dist + " AS distance_km"
	var err error
	if s.order, err = sortSQL(q.Sort, s.tsq, q.Geo, "e.name_key, e.id", "e"); err != nil {
		return nil, err
	}
	s.scan = func(rows pgx.Rows) (r directory.EnterpriseResult, id int64, err error) {
		r.Enterprise, err = scanEnterprise(rows, &r.DistanceKM)
		if err != nil {
			return r, 0, err
		}
		return r, r.ID, nil
	}
	return s, err
}
