package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/coopdir/coopdir/directory"
)

// SetEnterpriseLogo stores img (when not nil) as an image of enterprise
// e.ID, then updates the enterprise, which deletes its images but the one
// its logo now names, and records ev. ENOTFOUND, ECONFLICT.
func (db *DB) SetEnterpriseLogo(ctx context.Context, e *directory.Enterprise, img *directory.Image, ev directory.Event) error {
	err := db.write(ctx, "enterprise", func(tx pgx.Tx) error {
		if img != nil {
			_, err := tx.Exec(ctx, `
				INSERT INTO images (id, enterprise_id, content_type, data, width, height, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				img.ID, e.ID, img.ContentType, img.Data, img.Width, img.Height, ts(img.CreatedAt))
			if err != nil {
				return err
			}
		}
		if err := updateEnterprise(ctx, tx, e); err != nil {
			return err
		}
		return recordEvents(ctx, tx, ev)
	})
	if err == nil {
		e.UpdatedAt = ts(e.UpdatedAt)
	}
	return err
}

// FindImage returns image id. ENOTFOUND.
func (db *DB) FindImage(ctx context.Context, id string) (*directory.Image, error) {
	img := &directory.Image{}
	err := db.read(ctx, "image", func(tx pgx.Tx) error {
		return tx.QueryRow(ctx, `
			SELECT id, content_type, data, width, height, created_at FROM images WHERE id = $1`, id,
		).Scan(&img.ID, &img.ContentType, &img.Data, &img.Width, &img.Height, &img.CreatedAt)
	})
	if err != nil {
		return nil, err
	}
	img.CreatedAt = img.CreatedAt.UTC()
	return img, nil
}
