package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// BlockDomain inserts b and removes, in the same transaction, everything
// b.Domain (and its subdomains) had sent, and the partnerships with its
// hosts; it returns what was removed.
// ECONFLICT when the domain is already blocked.
func (db *DB) BlockDomain(ctx context.Context, b *directory.DomainBlock) (*directory.DomainPurge, error) {
	var p directory.DomainPurge
	err := db.write(ctx, "domain block", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO domain_blocks (domain, reason, created_at) VALUES ($1, $2, $3)`,
			b.Domain, b.Reason, ts(b.CreatedAt))
		if directory.ErrorCode(translate(err, "domain block")) == directory.ECONFLICT {
			return &directory.Error{Code: directory.ECONFLICT, Message: "domain is already blocked", Err: err}
		}
		if err != nil {
			return err
		}
		p = directory.DomainPurge{}
		if err := purgeFederation(ctx, tx, b.Domain, &p); err != nil {
			return err
		}
		if err := purgeEntries(ctx, tx, b, &p); err != nil {
			return err
		}
		return purgePartners(ctx, tx, b.Domain, &p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// federationPurges are the federation rows a domain block removes. Each
// query selects a key (as text) and up to two actor or object ids; the
// strpos filter only narrows the candidates, which are then matched on
// their parsed host (directory.URLInDomain) and deleted by key.
var federationPurges = []struct {
	count  func(*directory.DomainPurge) *int
	query  string
	delete string // deletes the rows whose key is in the text array $1
}{
	{func(p *directory.DomainPurge) *int { return &p.Followers },
		`SELECT follower_id, follower_id, '' FROM followers WHERE strpos(lower(follower_id), $1) > 0`,
		`DELETE FROM followers WHERE follower_id = ANY($1::text[])`},
	{func(p *directory.DomainPurge) *int { return &p.Following },
		`SELECT id::text, target_id, '' FROM following WHERE strpos(lower(target_id), $1) > 0`,
		`DELETE FROM following WHERE id = ANY($1::text[]::bigint[])`},
	{func(p *directory.DomainPurge) *int { return &p.FeedPosts },
		`SELECT id::text, source, author FROM feed_posts
		WHERE strpos(lower(source), $1) > 0 OR strpos(lower(author), $1) > 0`,
		`DELETE FROM feed_posts WHERE id = ANY($1::text[]::bigint[])`},
	{func(p *directory.DomainPurge) *int { return &p.Responses },
		`SELECT id::text, author, '' FROM responses WHERE strpos(lower(author), $1) > 0`,
		`DELETE FROM responses WHERE id = ANY($1::text[]::bigint[])`},
	{func(p *directory.DomainPurge) *int { return &p.RemoteActors },
		`SELECT id, id, '' FROM remote_actors WHERE strpos(lower(id), $1) > 0`,
		`DELETE FROM remote_actors WHERE id = ANY($1::text[])`},
}

// purgeFederation removes the followers, follows, feed posts, responses and
// remote actors of domain and counts them in p.
func purgeFederation(ctx context.Context, tx pgx.Tx, domain string, p *directory.DomainPurge) error {
	for _, fp := range federationPurges {
		keys, err := queryAll(ctx, tx, func(row pgx.Row) (string, error) {
			var key, a, b string
			if err := row.Scan(&key, &a, &b); err != nil {
				return "", err
			}
			if directory.URLInDomain(a, domain) || directory.URLInDomain(b, domain) {
				return key, nil
			}
			return "", nil
		}, fp.query, domain)
		if err != nil {
			return err
		}
		keys = nonEmpty(keys)
		if len(keys) == 0 {
			continue
		}
		tag, err := tx.Exec(ctx, fp.delete, keys)
		if err != nil {
			return err
		}
		*fp.count(p) += int(tag.RowsAffected())
	}
	return nil
}

// nonEmpty returns keys without the empty strings (the rows that did not
// match).
func nonEmpty(keys []string) []string {
	out := keys[:0]
	for _, k := range keys {
		if k != "" {
			out = append(out, k)
		}
	}
	return out
}

// purgeEntries removes the partner enterprises, listings and announcements
// whose origin lies in b.Domain, counts them in p and records a deleted
// event for each: one per enterprise (its listings and announcements go
// with it, as when an enterprise is deleted), one per listing or
// announcement removed on its own.
func purgeEntries(ctx context.Context, tx pgx.Tx, b *directory.DomainBlock, p *directory.DomainPurge) error {
	enterprises, err := matchingEntries(ctx, tx, b, directory.EventEnterpriseDeleted, `
		SELECT id, handle, origin, origin FROM enterprises WHERE origin <> '' AND strpos(lower(origin), $1) > 0`)
	if err != nil {
		return err
	}
	listings, err := matchingEntries(ctx, tx, b, directory.EventListingDeleted, `
		SELECT l.id, e.handle, l.origin, e.origin FROM listings l JOIN enterprises e ON e.id = l.enterprise_id
		WHERE (l.origin <> '' AND strpos(lower(l.origin), $1) > 0)
			OR (e.origin <> '' AND strpos(lower(e.origin), $1) > 0)`)
	if err != nil {
		return err
	}
	announcements, err := matchingEntries(ctx, tx, b, directory.EventAnnouncementDeleted, `
		SELECT a.id, e.handle, a.origin, e.origin FROM announcements a JOIN enterprises e ON e.id = a.enterprise_id
		WHERE (a.origin <> '' AND strpos(lower(a.origin), $1) > 0)
			OR (e.origin <> '' AND strpos(lower(e.origin), $1) > 0)`)
	if err != nil {
		return err
	}
	var events []directory.Event
	for _, d := range []struct {
		entries []directory.BlockedEntry
		count   *int
		delete  string
	}{
		{listings, &p.Listings, `DELETE FROM listings WHERE id = ANY($1)`},
		{announcements, &p.Announcements, `DELETE FROM announcements WHERE id = ANY($1)`},
		{enterprises, &p.Enterprises, `DELETE FROM enterprises WHERE id = ANY($1)`},
	} {
		if len(d.entries) == 0 {
			continue
		}
		ids := make([]int64, len(d.entries))
		for i, e := range d.entries {
			ids[i] = e.ID
			if e.Recorded() {
				events = append(events, e.Deleted)
			}
		}
		tag, err := tx.Exec(ctx, d.delete, ids)
		if err != nil {
			return err
		}
		*d.count += int(tag.RowsAffected())
	}
	return recordEvents(ctx, tx, events...)
}

// matchingEntries runs query (id, enterprise handle, origin, enterprise
// origin, narrowed by $1 = domain) and returns the entries whose origin or
// whose enterprise's origin lies in b.Domain, each with its deleted event.
func matchingEntries(ctx context.Context, tx pgx.Tx, b *directory.DomainBlock, typ directory.EventType, query string) ([]directory.BlockedEntry, error) {
	all, err := queryAll(ctx, tx, func(row pgx.Row) (directory.BlockedEntry, error) {
		var (
			id                 int64
			handle, o, eOrigin string
		)
		if err := row.Scan(&id, &handle, &o, &eOrigin); err != nil {
			return directory.BlockedEntry{}, err
		}
		e, _ := b.BlockedEntry(typ, id, handle, o, eOrigin) // zero, id 0, when it is not blocked
		return e, nil
	}, query, b.Domain)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, e := range all {
		if e.ID != 0 {
			out = append(out, e)
		}
	}
	return out, nil
}

// DeleteDomainBlock removes the block of domain. ENOTFOUND.
func (db *DB) DeleteDomainBlock(ctx context.Context, domain string) error {
	n, err := db.exec(ctx, "domain block", `DELETE FROM domain_blocks WHERE domain = $1`, domain)
	if err == nil && n == 0 {
		return directory.Errorf(directory.ENOTFOUND, "domain is not blocked")
	}
	return err
}

// ListDomainBlocks returns every block, sorted by domain.
func (db *DB) ListDomainBlocks(ctx context.Context) ([]*directory.DomainBlock, error) {
	var out []*directory.DomainBlock
	err := db.read(ctx, "domain blocks", func(tx pgx.Tx) (err error) {
		out, err = queryAll(ctx, tx, func(row pgx.Row) (*directory.DomainBlock, error) {
			b := &directory.DomainBlock{}
			if err := row.Scan(&b.Domain, &b.Reason, &b.CreatedAt); err != nil {
				return nil, err
			}
			b.CreatedAt = b.CreatedAt.UTC()
			return b, nil
		}, `SELECT domain, reason, created_at FROM domain_blocks ORDER BY domain`)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DomainBlocked reports whether host or one of its parent domains is
// blocked.
func (db *DB) DomainBlocked(ctx context.Context, host string) (bool, error) {
	var blocked bool
	err := db.readOne(ctx, "domain block", func(q querier) error {
		return q.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM domain_blocks WHERE domain = ANY($1))`,
			directory.DomainAndParents(host)).Scan(&blocked)
	})
	return blocked, err
}
