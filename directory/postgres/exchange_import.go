package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// ImportDirectory writes b in one transaction, as ExchangeStore documents.
func (db *DB) ImportDirectory(ctx context.Context, b *directory.ImportBatch) error {
	return db.write(ctx, "import", func(tx pgx.Tx) error {
		w := importWriter{ctx: ctx, tx: tx, b: b, ids: map[string]int64{}}
		for _, step := range []func() error{w.enterprises, w.images, w.listings, w.announcements} {
			if err := step(); err != nil {
				return err
			}
		}
		return recordEvents(ctx, tx, w.events...)
	})
}

// importWriter writes one batch in one transaction and collects its
// events.
type importWriter struct {
	ctx    context.Context
	tx     pgx.Tx
	b      *directory.ImportBatch
	ids    map[string]int64 // local enterprise handle -> id
	events []directory.Event
}

func (w *importWriter) event(t directory.EventType, handle string, listing, announcement int64) {
	w.events = append(w.events, directory.Event{Type: t, EnterpriseHandle: handle,
		ListingID: listing, AnnouncementID: announcement, At: w.b.At})
}

func (w *importWriter) enterprises() error {
	for _, e := range w.b.CreateEnterprises {
		var id int64
		if err := w.tx.QueryRow(w.ctx, insertEnterpriseSQL, insertEnterpriseArgs(e)...).Scan(&id); err != nil {
			return err
		}
		w.ids[e.Handle] = id
		w.event(directory.EventEnterpriseCreated, e.Handle, 0, 0)
	}
	for _, e := range w.b.UpdateEnterprises {
		if err := updateEnterprise(w.ctx, w.tx, e); err != nil {
			return err
		}
		w.event(directory.EventEnterpriseUpdated, e.Handle, 0, 0)
	}
	return nil
}

// enterpriseID returns the id of local enterprise handle. ENOTFOUND.
func (w *importWriter) enterpriseID(handle string) (int64, error) {
	if id, ok := w.ids[handle]; ok {
		return id, nil
	}
	var id int64
	err := w.tx.QueryRow(w.ctx, `SELECT id FROM enterprises WHERE origin = '' AND handle = $1`, handle).Scan(&id)
	if err != nil {
		return 0, err
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
		img := oi.Image
		_, err = w.tx.Exec(w.ctx, `
			INSERT INTO images (id, enterprise_id, content_type, data, width, height, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			img.ID, id, img.ContentType, img.Data, img.Width, img.Height, ts(img.CreatedAt))
		if err != nil {
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
		lang, err := listingLanguage(w.ctx, w.tx, eid)
		if err != nil {
			return err
		}
		var id int64
		if err := w.tx.QueryRow(w.ctx, insertListingSQL, insertListingArgs(l, lang)...).Scan(&id); err != nil {
			return err
		}
		if _, err := w.tx.Exec(w.ctx, `UPDATE listings SET import_key = $1 WHERE id = $2`, l.Key, id); err != nil {
			return err
		}
		w.event(directory.EventListingCreated, l.EnterpriseHandle, id, 0)
	}
	for _, l := range w.b.UpdateListings {
		lang, err := storedListingLanguage(w.ctx, w.tx, l.ID)
		if err != nil {
			return err
		}
		if err := w.tx.QueryRow(w.ctx, updateListingSQL, updateListingArgs(l, lang)...).Scan(new(int64)); err != nil {
			return err
		}
		w.event(directory.EventListingUpdated, l.EnterpriseHandle, l.ID, 0)
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
		err = w.tx.QueryRow(w.ctx, `
			INSERT INTO announcements (enterprise_id, content, content_html, demo, origin, remote_id,
				created_at, updated_at, import_key, translations)
			VALUES ($1, $2, $3, $4, '', '', $5, $6, $7, $8) RETURNING id`,
			eid, a.Content, a.ContentHTML, a.Demo, ts(a.CreatedAt), tsPtr(a.UpdatedAt), a.Key,
			a.Translations.Encode()).Scan(&id)
		if err != nil {
			return err
		}
		w.event(directory.EventAnnouncementCreated, a.EnterpriseHandle, 0, id)
	}
	for _, a := range w.b.UpdateAnnouncements {
		_, err := w.tx.Exec(w.ctx, `UPDATE announcements SET content = $1, content_html = $2, demo = $3,
			updated_at = $4, translations = $6 WHERE id = $5`, a.Content, a.ContentHTML, a.Demo, tsPtr(a.UpdatedAt), a.ID,
			a.Translations.Encode())
		if err != nil {
			return err
		}
		w.event(directory.EventAnnouncementUpdated, a.EnterpriseHandle, 0, a.ID)
	}
	return nil
}
