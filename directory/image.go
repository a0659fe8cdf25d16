package directory

import (
	"context"
	"encoding/base64"
	"io"
	"strings"
	"time"
)

// Image is a picture stored by the instance (an enterprise's logo). The web
// layer checks and re-encodes uploads; the directory stores the bytes.
type Image struct {
	ID          string // random and URL-safe
	ContentType string // image/png or image/jpeg
	Data        []byte
	Width       int
	Height      int
	CreatedAt   time.Time
}

// MaxImageBytes is the largest image stored.
const MaxImageBytes = 1 << 20

// MediaPrefix starts the path of every stored image: an enterprise whose
// logo is MediaPrefix + id shows stored image id.
const MediaPrefix = "/media/"

// StoredImageID returns the id of the stored image a logo names, and
// whether it names one.
func StoredImageID(logo string) (string, bool) {
	id, ok := strings.CutPrefix(logo, MediaPrefix)
	return id, ok && id != ""
}

// validate checks an image before it is stored.
func (img *Image) validate() error {
	if img == nil {
		return &Error{Code: EINVALID, Message: "invalid image",
			Fields: []FieldError{{Field: "logo", Rule: "required", Message: "is required"}}}
	}
	if len(img.Data) > MaxImageBytes {
		return &Error{Code: ETOOLARGE, Message: "the image is too large",
			Fields: []FieldError{{Field: "logo", Rule: "max_size", Message: "must be at most 1 MB"}}}
	}
	var fe fieldErrors
	switch {
	case img.ContentType != "image/png" && img.ContentType != "image/jpeg":
		fe.add("logo", "content_type", "must be a PNG or JPEG image")
	case len(img.Data) == 0:
		fe.add("logo", "required", "is empty")
	case img.Width <= 0 || img.Height <= 0:
		fe.add("logo", "size", "must have a width and a height")
	}
	return fe.err("image")
}

// SetEnterpriseLogo stores img as the logo of a local enterprise, replacing
// (and deleting, if it was stored here) the previous one.
// ENOTFOUND, EINVALID, ETOOLARGE, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) SetEnterpriseLogo(ctx context.Context, handle string, img *Image) (*Enterprise, error) {
	e, err := s.editableEnterprise(ctx, handle)
	if err != nil {
		return nil, err
	}
	if err := img.validate(); err != nil {
		return nil, err
	}
	raw := make([]byte, 16)
	if _, err := io.ReadFull(s.Random, raw); err != nil {
		return nil, Internal(err, "image id randomness")
	}
	now := s.now()
	stored := *img
	stored.ID, stored.CreatedAt = base64.RawURLEncoding.EncodeToString(raw), now
	e.Logo, e.UpdatedAt = MediaPrefix+stored.ID, now
	ev := Event{Type: EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: now}
	if err := s.store.SetEnterpriseLogo(ctx, e, &stored, ev); err != nil {
		return nil, err
	}
	img.ID, img.CreatedAt = stored.ID, now
	return e, nil
}

// RemoveEnterpriseLogo clears the logo of a local enterprise, deleting the
// image if it was stored here. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) RemoveEnterpriseLogo(ctx context.Context, handle string) (*Enterprise, error) {
	e, err := s.editableEnterprise(ctx, handle)
	if err != nil {
		return nil, err
	}
	now := s.now()
	e.Logo, e.UpdatedAt = "", now
	ev := Event{Type: EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: now}
	if err := s.store.SetEnterpriseLogo(ctx, e, nil, ev); err != nil {
		return nil, err
	}
	return e, nil
}

// Image returns a stored image. ENOTFOUND.
func (s *Service) Image(ctx context.Context, id string) (*Image, error) {
	if id == "" || len(id) > 100 {
		return nil, Errorf(ENOTFOUND, "image not found")
	}
	return s.store.FindImage(ctx, id)
}

// editableEnterprise loads a local enterprise and checks that the context
// may change it.
func (s *Service) editableEnterprise(ctx context.Context, handle string) (*Enterprise, error) {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, err
	}
	if err := canEdit(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}
