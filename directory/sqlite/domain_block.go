package sqlite

import (
	"context"
	"database/sql"
	"strings"

	"github.com/coopdir/coopdir/directory"
)

// BlockDomain inserts b and removes, in the same transaction, everything
// b.Domain (and its subdomains) had sent, and the partnerships with its
// hosts; it returns what was removed.
// ECONFLICT when the domain is already blocked.
func (db *DB) BlockDomain(ctx context.Context, b *directory.DomainBlock) (*directory.DomainPurge, error) {
	var p directory.DomainPurge
	err := db.inWrite(ctx, "block domain", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO domain_blocks (domain, reason, created_at) VALUES (?, ?, ?)`,
			b.Domain, b.Reason, micros(b.CreatedAt))
		if isUnique(err) {
			return directory.Errorf(directory.ECONFLICT, "domain is already blocked")
		}
		if err != nil {
			return directory.Internal(err, "block domain")
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
// query selects a key and up to two actor or object ids; the instr filter
// only narrows the candidates, which are then matched on their parsed host
// (directory.URLInDomain) and deleted by key.
var federationPurges = []struct {
	count  func(*directory.DomainPurge) *int
	query  string
	delete string // deletes the rows whose key is in the list
}{
	{func(p *directory.DomainPurge) *int { return &p.Followers },
		`SELECT follower_id, follower_id, '' FROM followers WHERE instr(lower(follower_id), ?1) > 0`,
		`DELETE FROM followers WHERE follower_id IN (%s)`},
	{func(p *directory.DomainPurge) *int { return &p.Following },
		`SELECT id, target_id, '' FROM following WHERE instr(lower(target_id), ?1) > 0`,
		`DELETE FROM following WHERE id IN (%s)`},
	{func(p *directory.DomainPurge) *int { return &p.FeedPosts },
		`SELECT id, source, author FROM feed_posts
		WHERE instr(lower(source), ?1) > 0 OR instr(lower(author), ?1) > 0`,
		`DELETE FROM feed_posts WHERE id IN (%s)`},
	{func(p *directory.DomainPurge) *int { return &p.Responses },
		`SELECT id, author, '' FROM responses WHERE instr(lower(author), ?1) > 0`,
		`DELETE FROM responses WHERE id IN (%s)`},
	{func(p *directory.DomainPurge) *int { return &p.RemoteActors },
		`SELECT id, id, '' FROM remote_actors WHERE instr(lower(id), ?1) > 0`,
		`DELETE FROM remote_actors WHERE id IN (%s)`},
}

// purgeFederation removes the followers, follows, feed posts, responses and
// remote actors of domain and counts them in p.
func purgeFederation(ctx context.Context, tx *sql.Tx, domain string, p *directory.DomainPurge) error {
	for _, fp := range federationPurges {
		var keys []any
		err := eachRow(ctx, tx, "block domain", func(row scanner) error {
			var (
				key  any
				a, b string
			)
			if err := row.Scan(&key, &a, &b); err != nil {
				return err
			}
			if directory.URLInDomain(a, domain) || directory.URLInDomain(b, domain) {
				keys = append(keys, key)
			}
			return nil
		}, fp.query, domain)
		if err != nil {
			return err
		}
		n, err := deleteKeys(ctx, tx, fp.delete, keys)
		if err != nil {
			return err
		}
		*fp.count(p) += n
	}
	return nil
}

// purgeEntries removes the partner enterprises, listings and announcements
// whose origin lies in b.Domain, counts them in p and records a deleted
// event for each: one per enterprise (its listings and announcements go
// with it, as when an enterprise is deleted), one per listing or
// announcement removed on its own.
func purgeEntries(ctx context.Context, tx *sql.Tx, b *directory.DomainBlock, p *directory.DomainPurge) error {
	enterprises, err := matchingEntries(ctx, tx, b, directory.EventEnterpriseDeleted, `
		SELECT id, handle, origin, origin FROM enterprises WHERE origin <> '' AND instr(lower(origin), ?1) > 0`)
	if err != nil {
		return err
	}
	listings, err := matchingEntries(ctx, tx, b, directory.EventListingDeleted, `
		SELECT l.id, e.handle, l.origin, e.origin FROM listings l JOIN enterprises e ON e.id = l.enterprise_id
		WHERE (l.origin <> '' AND instr(lower(l.origin), ?1) > 0)
			OR (e.origin <> '' AND instr(lower(e.origin), ?1) > 0)`)
	if err != nil {
		return err
	}
	announcements, err := matchingEntries(ctx, tx, b, directory.EventAnnouncementDeleted, `
		SELECT a.id, e.handle, a.origin, e.origin FROM announcements a JOIN enterprises e ON e.id = a.enterprise_id
		WHERE (a.origin <> '' AND instr(lower(a.origin), ?1) > 0)
			OR (e.origin <> '' AND instr(lower(e.origin), ?1) > 0)`)
	if err != nil {
		return err
	}
	var events []directory.Event
	for _, d := range []struct {
		entries []directory.BlockedEntry
		count   *int
		delete  string
	}{
		{listings, &p.Listings, `DELETE FROM listings WHERE id IN (%s)`},
		{announcements, &p.Announcements, `DELETE FROM announcements WHERE id IN (%s)`},
		{enterprises, &p.Enterprises, `DELETE FROM enterprises WHERE id IN (%s)`},
	} {
		ids := make([]any, len(d.entries))
		for i, e := range d.entries {
			ids[i] = e.ID
			if e.Recorded() {
				events = append(events, e.Deleted)
			}
		}
		n, err := deleteKeys(ctx, tx, d.delete, ids)
		if err != nil {
			return err
		}
		*d.count += n
	}
	for _, ev := range events {
		if err := insertEvent(ctx, tx, ev); err != nil {
			return err
		}
	}
	return nil
}

// matchingEntries runs query (id, enterprise handle, origin, enterprise
// origin, narrowed by ?1 = domain) and returns the entries whose origin or
// whose enterprise's origin lies in b.Domain, each with its deleted event.
func matchingEntries(ctx context.Context, tx *sql.Tx, b *directory.DomainBlock, typ directory.EventType, query string) ([]directory.BlockedEntry, error) {
	var out []directory.BlockedEntry
	err := eachRow(ctx, tx, "block domain", func(row scanner) error {
		var (
			id                 int64
			handle, o, eOrigin string
		)
		if err := row.Scan(&id, &handle, &o, &eOrigin); err != nil {
			return err
		}
		if e, ok := b.BlockedEntry(typ, id, handle, o, eOrigin); ok {
			out = append(out, e)
		}
		return nil
	}, query, b.Domain)
	return out, err
}

// DeleteDomainBlock removes the block of domain. ENOTFOUND.
func (db *DB) DeleteDomainBlock(ctx context.Context, domain string) error {
	n, err := db.exec(ctx, "delete domain block", `DELETE FROM domain_blocks WHERE domain = ?`, domain)
	if err == nil && n == 0 {
		return directory.Errorf(directory.ENOTFOUND, "domain is not blocked")
	}
	return err
}

// ListDomainBlocks returns every block, sorted by domain.
func (db *DB) ListDomainBlocks(ctx context.Context) ([]*directory.DomainBlock, error) {
	out := []*directory.DomainBlock{}
	err := db.inRead(ctx, "list domain blocks", func(tx *sql.Tx) error {
		return eachRow(ctx, tx, "list domain blocks", func(row scanner) error {
			var (
				b       directory.DomainBlock
				created int64
			)
			if err := row.Scan(&b.Domain, &b.Reason, &created); err != nil {
				return err
			}
			b.CreatedAt = fromMicros(created)
			out = append(out, &b)
			return nil
		}, `SELECT domain, reason, created_at FROM domain_blocks ORDER BY domain`)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DomainBlocked reports whether host or one of its parent domains is
// blocked.
func (db *DB) DomainBlocked(ctx context.Context, host string) (bool, error) {
	domains := directory.DomainAndParents(host)
	args := make([]any, len(domains))
	for i, d := range domains {
		args[i] = d
	}
	var blocked bool
	err := db.read.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM domain_blocks WHERE domain IN (`+
		placeholders(len(domains))+`))`, args...).Scan(&blocked)
	if err != nil {
		return false, directory.Internal(err, "domain blocked")
	}
	return blocked, nil
}

// deleteBatch is how many keys one DELETE names.
const deleteBatch = 500

// deleteKeys runs query (a DELETE with one %s for the list of keys) over
// keys in batches and returns how many rows went.
func deleteKeys(ctx context.Context, tx *sql.Tx, query string, keys []any) (int, error) {
	total := 0
	for len(keys) > 0 {
		batch := keys[:min(len(keys), deleteBatch)]
		keys = keys[len(batch):]
		res, err := tx.ExecContext(ctx, strings.Replace(query, "%s", placeholders(len(batch)), 1), batch...)
		if err != nil {
			return 0, directory.Internal(err, "block domain")
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, directory.Internal(err, "block domain")
		}
		total += int(n)
	}
	return total, nil
}
