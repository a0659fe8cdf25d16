package postgres

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// importer writes the entries of an import many to a statement, as JSON
// records that json_populate_recordset reads with the table's own column
// types: a statement fires the count triggers once, whatever its number of
// rows, and its one parameter keeps it quick to plan.
type importer struct {
	tx          pgx.Tx
	enterprises waiting[*directory.Enterprise]
	listings    waiting[*directory.Listing]
}

// importEnterprises writes es, copies of origin's enterprises, counts them
// in res and returns the copy of each.
func (im *importer) importEnterprises(ctx context.Context, origin string, es []*directory.Enterprise, res *directory.RemoteImport) ([]*directory.RemoteCopy, error) {
	remoteIDs := make([]string, len(es))
	for i, e := range es {
		remoteIDs[i] = e.RemoteID
	}
	stored, err := storedCopies(ctx, im.tx, "enterprises", origin, remoteIDs)
	if err != nil {
		return nil, err
	}
	copies, err := directory.ImportEach(len(es), stored, res, func(i int) (string, int64, bool) {
		return es[i].RemoteID, ts(es[i].UpdatedAt).UnixMicro(), true
	}, func(i int, c *directory.RemoteCopy, isNew bool) error {
		return im.enterprises.add(ctx, es[i], c, isNew, im.writeEnterprises, func(id int64) { es[i].ID = id })
	})
	if err != nil {
		return nil, err
	}
	return copies, im.writeEnterprises(ctx)
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
	owners, err := enterpriseIDs(ctx, im.tx, origin, handles)
	if err != nil {
		return nil, err
	}
	stored, err := storedCopies(ctx, im.tx, "listings", origin, remoteIDs)
	if err != nil {
		return nil, err
	}
	copies, err := directory.ImportEach(len(ls), stored, res, func(i int) (string, int64, bool) {
		owner, ok := owners[ls[i].EnterpriseHandle]
		ls[i].EnterpriseID = owner
		return ls[i].RemoteID, ts(ls[i].UpdatedAt).UnixMicro(), ok
	}, func(i int, c *directory.RemoteCopy, isNew bool) error {
		return im.listings.add(ctx, ls[i], c, isNew, im.writeListings, func(id int64) { ls[i].ID = id })
	})
	if err != nil {
		return nil, err
	}
	return copies, im.writeListings(ctx)
}

// waiting holds the writes of one table not sent yet: the new entries,
// with the copies whose ids their insert sets, and the newer ones.
type waiting[T any] struct {
	inserts  []T
	inserted []*directory.RemoteCopy
	updates  []T
	copies   map[*directory.RemoteCopy]bool // the copies with a write waiting
}

// add queues the insert (isNew) or the update of entry, whose copy is c,
// and gives setID the copy's id. When c has a write waiting (an entry
// given twice in an import), write first writes what waits.
func (w *waiting[T]) add(ctx context.Context, entry T, c *directory.RemoteCopy, isNew bool,
	write func(context.Context) error, setID func(int64),
) error {
	if w.copies[c] {
		if err := write(ctx); err != nil {
			return err
		}
	}
	if w.copies == nil {
		w.copies = make(map[*directory.RemoteCopy]bool)
	}
	w.copies[c] = true
	setID(c.ID)
	if isNew {
		w.inserts, w.inserted = append(w.inserts, entry), append(w.inserted, c)
	} else {
		w.updates = append(w.updates, entry)
	}
	return nil
}

// maxRows is how many entries one statement writes at most.
const maxRows = 1000

// The names of the columns an insert or update writes: the keys of
// recordsJSON.
var (
	enterpriseInsertNames = columnNames(insertEnterpriseColumns)
	listingInsertNames    = columnNames(insertListingColumns)
	enterpriseUpdateNames = columnNames("id, " + enterpriseFields)
	listingUpdateNames    = columnNames("id, " + listingFields)
)

// writeEnterprises writes the enterprises waiting: the inserts with their
// sectors, then the updates, which also replace the sectors and drop the
// stored images their logo no longer names (as updateEnterprise does).
func (im *importer) writeEnterprises(ctx context.Context) error {
	w := &im.enterprises
	for len(w.inserts) > 0 {
		n := min(len(w.inserts), maxRows)
		if err := im.insertEnterprises(ctx, w.inserts[:n], w.inserted[:n]); err != nil {
			return err
		}
		w.inserts, w.inserted = w.inserts[n:], w.inserted[n:]
	}
	for len(w.updates) > 0 {
		n := min(len(w.updates), maxRows)
		if err := im.updateEnterprises(ctx, w.updates[:n]); err != nil {
			return err
		}
		w.updates = w.updates[n:]
	}
	*w = waiting[*directory.Enterprise]{}
	return nil
}

// sectorRows lists the sectors of es as three arrays: each one's
// enterprise (by key), position and sector.
func sectorRows[K any](es []*directory.Enterprise, key func(*directory.Enterprise) K) (keys []K, positions []int32, sectors []string) {
	for _, e := range es {
		for p, sector := range e.Sectors {
			keys, positions, sectors = append(keys, key(e)), append(positions, int32(p+1)), append(sectors, sector)
		}
	}
	return keys, positions, sectors
}

func (im *importer) insertEnterprises(ctx context.Context, es []*directory.Enterprise, copies []*directory.RemoteCopy) error {
	rows := make([][]any, len(es))
	for i, e := range es {
		row := insertEnterpriseArgs(e)
		rows[i] = row[:len(row)-1] // the sectors go apart
	}
	data, err := recordsJSON(enterpriseInsertNames, rows)
	if err != nil {
		return err
	}
	owners, positions, sectors := sectorRows(es, func(e *directory.Enterprise) string { return e.RemoteID })
	return insertCopies(ctx, im.tx, `
		WITH e AS (
			INSERT INTO enterprises (`+insertEnterpriseColumns+`)
			SELECT `+insertEnterpriseColumns+` FROM json_populate_recordset(NULL::enterprises, $1)
			RETURNING id, remote_id, kind, origin
		), sectors AS (
			INSERT INTO enterprise_sectors (enterprise_id, position, sector, kind, origin)
			SELECT e.id, s.position, s.sector, e.kind, e.origin
			FROM unnest($2::text[], $3::int[], $4::text[]) AS s (remote_id, position, sector)
			JOIN e ON e.remote_id = s.remote_id
		)
		SELECT id, remote_id FROM e`, []any{data, owners, positions, sectors}, copies,
		func(i int) string { return es[i].RemoteID })
}

func (im *importer) updateEnterprises(ctx context.Context, es []*directory.Enterprise) error {
	rows := make([][]any, len(es))
	ids, logos := make([]int64, len(es)), make([]string, len(es))
	for i, e := range es {
		rows[i] = append([]any{e.ID}, enterpriseValues(e)...)
		ids[i], logos[i] = e.ID, logoImage(e)
	}
	data, err := recordsJSON(enterpriseUpdateNames, rows)
	if err != nil {
		return err
	}
	owners, positions, sectors := sectorRows(es, func(e *directory.Enterprise) int64 { return e.ID })
	b := &pgx.Batch{}
	b.Queue(`UPDATE enterprises e SET (`+enterpriseFields+`) = ROW(`+fromRecord(enterpriseUpdateNames[1:])+`)
		FROM json_populate_recordset(NULL::enterprises, $1) r WHERE e.id = r.id`, data)
	b.Queue(`DELETE FROM enterprise_sectors WHERE enterprise_id = ANY($1)`, ids)
	b.Queue(`INSERT INTO enterprise_sectors (enterprise_id, position, sector, kind, origin)
		SELECT e.id, s.position, s.sector, e.kind, e.origin
		FROM unnest($1::bigint[], $2::int[], $3::text[]) AS s (id, position, sector)
		JOIN enterprises e ON e.id = s.id`, owners, positions, sectors)
	b.Queue(`DELETE FROM images i USING unnest($1::bigint[], $2::text[]) AS k (id, keep)
		WHERE i.enterprise_id = k.id AND i.id <> k.keep`, ids, logos)
	return im.tx.SendBatch(ctx, b).Close()
}

// writeListings writes the listings waiting.
func (im *importer) writeListings(ctx context.Context) error {
	w := &im.listings
	for len(w.inserts) > 0 {
		n := min(len(w.inserts), maxRows)
		ls, copies := w.inserts[:n], w.inserted[:n]
		langs, err := ownerLanguages(ctx, im.tx, ls)
		if err != nil {
			return err
		}
		rows := make([][]any, n)
		for i, l := range ls {
			rows[i] = insertListingArgs(l, langs[l.EnterpriseID])
		}
		data, err := recordsJSON(listingInsertNames, rows)
		if err != nil {
			return err
		}
		err = insertCopies(ctx, im.tx, `INSERT INTO listings (`+insertListingColumns+`)
			SELECT `+insertListingColumns+` FROM json_populate_recordset(NULL::listings, $1)
			RETURNING id, remote_id`, []any{data}, copies, func(i int) string { return ls[i].RemoteID })
		if err != nil {
			return err
		}
		ids := make([]int64, n)
		for i, c := range copies {
			ids[i] = c.ID
		}
		if err := queueMatches(ctx, im.tx, ids...); err != nil {
			return err
		}
		w.inserts, w.inserted = w.inserts[n:], w.inserted[n:]
	}
	for len(w.updates) > 0 {
		n := min(len(w.updates), maxRows)
		langs, err := ownerLanguages(ctx, im.tx, w.updates[:n])
		if err != nil {
			return err
		}
		rows := make([][]any, n)
		ids := make([]int64, n)
		for i, l := range w.updates[:n] {
			rows[i], ids[i] = updateListingArgs(l, langs[l.EnterpriseID]), l.ID
		}
		if err := queueMatches(ctx, im.tx, ids...); err != nil {
			return err
		}
		data, err := recordsJSON(listingUpdateNames, rows)
		if err != nil {
			return err
		}
		_, err = im.tx.Exec(ctx, `UPDATE listings l SET (`+listingFields+`) = ROW(`+fromRecord(listingUpdateNames[1:])+`)
			FROM json_populate_recordset(NULL::listings, $1) r WHERE l.id = r.id`, data)
		if err != nil {
			return err
		}
		w.updates = w.updates[n:]
	}
	*w = waiting[*directory.Listing]{}
	return nil
}

// columnNames splits a list of columns.
func columnNames(list string) []string {
	return strings.Fields(strings.ReplaceAll(list, ",", " "))
}

// fromRecord lists the columns of the record r.
func fromRecord(columns []string) string {
	return "r." + strings.Join(columns, ", r.")
}

// recordsJSON returns rows, each the values of columns, as a JSON array
// of objects.
func recordsJSON(columns []string, rows [][]any) (string, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, row := range rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for c, v := range row {
			if c > 0 {
				b.WriteByte(',')
			}
			value, err := json.Marshal(v)
			if err != nil {
				return "", directory.Internal(err, "encode "+columns[c])
			}
			b.WriteString(`"` + columns[c] + `":`)
			b.Write(value)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return b.String(), nil
}

// insertCopies runs query, an insert of copies returning (id, remote_id),
// and sets the id of copies[i] from the row of remoteID(i).
func insertCopies(ctx context.Context, tx pgx.Tx, query string, args []any, copies []*directory.RemoteCopy, remoteID func(i int) string) error {
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return err
	}
	ids := make(map[string]int64, len(copies))
	var (
		id int64
		r  string
	)
	_, err = pgx.ForEachRow(rows, []any{&id, &r}, func() error {
		ids[r] = id
		return nil
	})
	if err != nil {
		return err
	}
	for i, c := range copies {
		c.ID = ids[remoteID(i)]
	}
	return nil
}

// ownerLanguages returns the stemming language of each listing's
// enterprise, by enterprise id.
func ownerLanguages(ctx context.Context, tx pgx.Tx, ls []*directory.Listing) (map[int64]string, error) {
	ids := make([]int64, len(ls))
	for i, l := range ls {
		ids[i] = l.EnterpriseID
	}
	return listingLanguages(ctx, tx, ids...)
}
