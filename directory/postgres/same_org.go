package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// EnterprisesByWebsite returns the enterprises of every origin whose
// website is exactly one of websites, by id.
func (db *DB) EnterprisesByWebsite(ctx context.Context, websites []string) ([]*directory.Enterprise, error) {
	if len(websites) == 0 {
		return nil, nil
	}
	var out []*directory.Enterprise
	err := db.read(ctx, "enterprises by website", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, func(row pgx.Row) (*directory.Enterprise, error) { return scanEnterprise(row) },
			`SELECT `+enterpriseColumns+` FROM enterprises e
			WHERE e.website <> '' AND e.website = ANY($1) ORDER BY e.id`, websites)
		return err
	})
	return out, err
}
