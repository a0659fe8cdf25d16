package sqlite

import (
	"context"
	"encoding/json"

	"github.com/coopdir/coopdir/directory"
)

// EnterprisesByWebsite returns the enterprises of every origin whose
// website is exactly one of websites, by id.
func (db *DB) EnterprisesByWebsite(ctx context.Context, websites []string) ([]*directory.Enterprise, error) {
	if len(websites) == 0 {
		return nil, nil
	}
	list, err := json.Marshal(websites)
	if err != nil {
		return nil, err
	}
	return readPage(ctx, db, "enterprises by website", scanEnterprise,
		`SELECT `+enterpriseColumns+` FROM enterprises e INDEXED BY enterprises_website
		WHERE e.website <> '' AND e.website IN (SELECT value FROM json_each(?)) ORDER BY e.id`, string(list))
}
