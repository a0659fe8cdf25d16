package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// ImportDirectory writes b in one transaction, as ExchangeStore documents.
func (db *DB) ImportDirectory(ctx context.Context, b *directory.ImportBatch) error {
	return db.inWrite(ctx, "import directory", func(tx *sql.Tx) error {
		w := importWriter{ctx: ctx, tx: tx, b: b, ids: map[string]int64{}}
		for _, step := range []func() error{w.enterprises, w.images, w.listings, w.announcements} {
			if err := step(); err != nil {
				return err
			}
		}
		return nil
	})
}

// importWriter writes one batch in one transaction.
type importWriter struct {
	ctx context.Context
	tx  *sql.Tx
	b   *directory.ImportBatch
	ids map[string]int64 // local enterprise handle -> id
}

func (w *importWriter) event(t directory.EventType, handle string, listing, announcement int64) error {
	return insertEvent(w.ctx, w.tx, directory.Event{Type: t, EnterpriseHandle: handle,
		ListingID: listing, AnnouncementID: announcement, At: w.b.At})
}

func (w *importWriter) enterprises() error {
	for _, e := range w.b.CreateEnterprises {
		id, err := insertEnterprise(w.ctx, w.tx, e)
		if err != nil {
			return err
		}
		w.ids[e.Handle] = id
		if err := w.event(directory.EventEnterpriseCreated, e.Handle, 0, 0); err != nil {
			return err
		}
	}
	for _, e := range w.b.UpdateEnterprises {
		kept, err := updateEnterprise(w.ctx, w.tx, e)
		if err != nil {
			return err
		}
		if err := w.event(directory.EventEnterpriseUpdated, kept.handle, 0, 0); err != nil {
			return err
		}
	}
	return nil
}

// enterpriseID returns the id of local enterprise handle. ENOTFOUND.
func (w *importWriter) enterpriseID(handle string) (int64, error) {
	if id, ok := w.ids[handle]; ok {
		return id, nil
	}
	var id int64
	err := w.tx.QueryRowContext(w.ctx, `SELECT id FROM enterprises WHERE origin = '' AND handle = ?`, handle).Scan(&id)
	if err != nil {
		return 0, notFound(err, "enterprise "+handle+" not found", "find enterprise id")
	}
	w.ids[handle] = id
	return id, nil
}

func (w *importWriter) images() error {
	for _, oi := range w.b.Images {
		id, err := w.enterpriseID(oi.Owner)
		if err != nil {
			return err
		}
		if err := insertImage(w.ctx, w.tx, id, oi.Image); err != nil {
			return err
		}
	}
	return nil
}

func (w *importWriter) listings() error {
	for _, l := range w.b.CreateListings {
		eid, err := w.enterpriseID(l.EnterpriseHandle)
		if err != nil {
			return err
		}
		l.EnterpriseID = eid
		id, err := insertListing(w.ctx, w.tx, l)
		if err != nil {
			return err
		}
		if _, err := w.tx.ExecContext(w.ctx, `UPDATE listings SET import_key = ? WHERE id = ?`, l.Key, id); err != nil {
			return keyError(err, "listing")
		}
		if err := w.event(directory.EventListingCreated, l.EnterpriseHandle, id, 0); err != nil {
			return err
		}
	}
	for _, l := range w.b.UpdateListings {
		if _, err := updateListing(w.ctx, w.tx, l); err != nil {
			return err
		}
		if err := w.event(directory.EventListingUpdated, l.EnterpriseHandle, l.ID, 0); err != nil {
			return err
		}
	}
	return nil
}

func (w *importWriter) announcements() error {
	for _, a := range w.b.CreateAnnouncements {
		eid, err := w.enterpriseID(a.EnterpriseHandle)
		if err != nil {
			return err
		}
		var id int64
		err = w.tx.QueryRowContext(w.ctx, `
			INSERT INTO announcements (id, enterprise_id, content, content_html, demo, origin, remote_id,
				created_at, updated_at, import_key, translations)
			VALUES (`+nextID("announcements")+`, ?, ?, ?, ?, '', '', ?, ?, ?, ?) RETURNING id`,
			eid, a.Content, a.ContentHTML, boolInt(a.Demo), micros(a.CreatedAt), nullMicros(a.UpdatedAt), a.Key,
			a.Translations.Encode(),
		).Scan(&id)
		if err != nil {
			return keyError(err, "announcement")
		}
		if err := w.event(directory.EventAnnouncementCreated, a.EnterpriseHandle, 0, id); err != nil {
			return err
		}
	}
	for _, a := range w.b.UpdateAnnouncements {
		_, err := w.tx.ExecContext(w.ctx, `UPDATE announcements SET content = ?, content_html = ?, demo = ?, updated_at = ?,
			translations = ? WHERE id = ?`, a.Content, a.ContentHTML, boolInt(a.Demo), nullMicros(a.UpdatedAt),
			a.Translations.Encode(), a.ID)
		if err != nil {
			return directory.Internal(err, "update announcement")
		}
		if err := w.event(directory.EventAnnouncementUpdated, a.EnterpriseHandle, 0, a.ID); err != nil {
			return err
		}
	}
	return nil
}

// keyError translates the failure to store a listing's or an
// announcement's key.
func keyError(err error, what string) error {
	if isUnique(err) {
		return directory.Errorf(directory.ECONFLICT, "the %s key is taken for its enterprise", what)
	}
	return directory.Internal(err, "store "+what+" key")
}
