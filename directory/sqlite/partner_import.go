package sqlite

import (
	"context"

	"github.com/coopdir/coopdir/directory"
)

// importer writes the rows of an import, then their full-text entries.
// Any statement that needs a statement journal (one that fires triggers,
// as the inserts into listings and enterprise_sectors do) makes FTS5 flush
// the entries it holds in memory to a new segment on disk: written between
// the rows, every entry would cost a segment and its merging.
type importer struct {
	tx    *preparedTx
	index []func() error
}

// indexAll writes the full-text entries of the rows written.
func (im *importer) indexAll() error {
	for _, fn := range im.index {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

// importEnterprises writes es, copies of origin's enterprises, counts them
// in res and returns the copy of each.
func (im *importer) importEnterprises(ctx context.Context, origin string, es []*directory.Enterprise, res *directory.RemoteImport) ([]*directory.RemoteCopy, error) {
	remoteIDs := make([]string, len(es))
	for i, e := range es {
		remoteIDs[i] = e.RemoteID
	}
	stored, err := storedCopies(ctx, im.tx.Tx, "enterprises", origin, remoteIDs)
	if err != nil {
		return nil, err
	}
	return directory.ImportEach(len(es), stored, res, func(i int) (string, int64, bool) {
		return es[i].RemoteID, micros(es[i].UpdatedAt), true
	}, func(i int, c *directory.RemoteCopy, _ bool) error {
		e := es[i]
		if c.ID == 0 {
			id, err := insertEnterpriseRow(ctx, im.tx, e)
			c.ID = id
			im.index = append(im.index, func() error { return indexEnterprise(ctx, im.tx, id, e.Handle, e) })
			return err
		}
		e.ID = c.ID
		kept, err := updateEnterpriseRow(ctx, im.tx, e)
		im.index = append(im.index, func() error { return reindexEnterprise(ctx, im.tx, c.ID, kept.handle, e) })
		return err
	})
}

// importListings writes ls, copies of origin's listings, under the copies
// of their enterprises, counts them in res and returns the copy of each
// (nil for an orphan, whose enterprise has no copy).
func (im *importer) importListings(ctx context.Context, origin string, ls []*directory.Listing, res *directory.RemoteImport) ([]*directory.RemoteCopy, error) {
	remoteIDs := make([]string, len(ls))
	handles := make([]string, len(ls))
	for i, l := range ls {
		remoteIDs[i], handles[i] = l.RemoteID, l.EnterpriseHandle
	}
	owners, err := enterpriseIDs(ctx, im.tx.Tx, origin, handles)
	if err != nil {
		return nil, err
	}
	stored, err := storedCopies(ctx, im.tx.Tx, "listings", origin, remoteIDs)
	if err != nil {
		return nil, err
	}
	return directory.ImportEach(len(ls), stored, res, func(i int) (string, int64, bool) {
		owner, ok := owners[ls[i].EnterpriseHandle]
		ls[i].EnterpriseID = owner
		return ls[i].RemoteID, micros(ls[i].UpdatedAt), ok
	}, func(i int, c *directory.RemoteCopy, _ bool) error {
		l := ls[i]
		if c.ID == 0 {
			id, err := insertListingRow(ctx, im.tx, l)
			c.ID = id
			im.index = append(im.index, func() error { return indexListing(ctx, im.tx, id, l) })
			return err
		}
		l.ID = c.ID
		_, err := updateListingRow(ctx, im.tx, l)
		im.index = append(im.index, func() error { return reindexListing(ctx, im.tx, c.ID, l) })
		return err
	})
}
