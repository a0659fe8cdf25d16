package sqlite

import (
	"context"
	"database/sql"

	"github.com/coopdir/coopdir/directory"
)

// SetEnterpriseLogo stores img (when not nil) as an image of enterprise
// e.ID, then updates the enterprise, which deletes its images but the one
// its logo now names, and records ev. ENOTFOUND, ECONFLICT.
func (db *DB) SetEnterpriseLogo(ctx context.Context, e *directory.Enterprise, img *directory.Image, ev directory.Event) error {
	var kept storedIdentity
	err := db.inWrite(ctx, "set enterprise logo", func(tx *sql.Tx) error {
		if img != nil {
			if err := insertImage(ctx, tx, e.ID, img); err != nil {
				return err
			}
		}
		var err error
		if kept, err = updateEnterprise(ctx, tx, e); err != nil {
			return err
		}
		return insertEvent(ctx, tx, ev)
	})
	if err == nil {
		e.Handle, e.Origin, e.CreatedAt = kept.handle, kept.origin, kept.createdAt
	}
	return err
}

func insertImage(ctx context.Context, tx *sql.Tx, enterpriseID int64, img *directory.Image) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO images (id, enterprise_id, content_type, data, width, height, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		img.ID, enterpriseID, img.ContentType, img.Data, img.Width, img.Height, micros(img.CreatedAt))
	switch {
	case isUnique(err):
		return directory.Errorf(directory.ECONFLICT, "the image id is taken")
	case isForeignKey(err):
		return directory.Errorf(directory.ENOTFOUND, "enterprise not found")
	case err != nil:
		return directory.Internal(err, "insert image")
	}
	return nil
}

// dropOldImages deletes the images of enterprise id but the one logo names.
func dropOldImages(ctx context.Context, tx dbtx, id int64, logo string) error {
	keep, _ := directory.StoredImageID(logo)
	if _, err := tx.ExecContext(ctx, `DELETE FROM images WHERE enterprise_id = ? AND id <> ?`, id, keep); err != nil {
		return directory.Internal(err, "delete old logo")
	}
	return nil
}

// FindImage returns image id. ENOTFOUND.
func (db *DB) FindImage(ctx context.Context, id string) (*directory.Image, error) {
	var (
		img     directory.Image
		created int64
	)
	err := db.read.QueryRowContext(ctx, `
		SELECT id, content_type, data, width, height, created_at FROM images WHERE id = ?`, id,
	).Scan(&img.ID, &img.ContentType, &img.Data, &img.Width, &img.Height, &created)
	if err != nil {
		return nil, notFound(err, "image not found", "find image")
	}
	img.CreatedAt = fromMicros(created)
	return &img, nil
}
