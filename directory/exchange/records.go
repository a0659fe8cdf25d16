package exchange

import (
	"time"

	"github.com/coopdir/coopdir/directory"
)

// listingRecord is a listing as the exchange formats carry it: named by
// its enterprise's handle and its key.
type listingRecord struct {
	Key         string                `json:"key"`
	Enterprise  string                `json:"enterprise"`
	Type        directory.ListingType `json:"type"`
	Title       string                `json:"title"`
	Description string                `json:"description,omitempty"`
	Category    directory.Category    `json:"category"`
	Quantity    *float64              `json:"quantity,omitempty"`
	Unit        string                `json:"unit,omitempty"`
	Location    directory.Location    `json:"location"`
	ValidUntil  string                `json:"valid_until,omitempty"`
	Status      directory.Status      `json:"status"`
	Demo        bool                  `json:"demo,omitempty"`
	CreatedAt   time.Time             `json:"created_at"`
	UpdatedAt   time.Time             `json:"updated_at"`
	// Translations are the title and description in other languages.
	Translations directory.Translations `json:"translations,omitempty"`
}

func toListingRecord(l *directory.Listing) *listingRecord {
	return &listingRecord{Key: l.Key, Enterprise: l.EnterpriseHandle, Type: l.Type, Title: l.Title,
		Description: l.Description, Category: l.Category, Quantity: l.Quantity, Unit: l.Unit,
		Location: l.Location, ValidUntil: l.ValidUntil, Status: l.Status, Demo: l.Demo,
		CreatedAt: l.CreatedAt, UpdatedAt: l.UpdatedAt, Translations: l.Translations}
}

func (r *listingRecord) listing() *directory.Listing {
	return &directory.Listing{Key: r.Key, EnterpriseHandle: r.Enterprise, Type: r.Type, Title: r.Title,
		Description: r.Description, Category: r.Category, Quantity: r.Quantity, Unit: r.Unit,
		Location: r.Location, ValidUntil: r.ValidUntil, Status: r.Status, Demo: r.Demo,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Translations: r.Translations}
}

// announcementRecord is an announcement as the exchange formats carry it.
type announcementRecord struct {
	Key        string     `json:"key"`
	Enterprise string     `json:"enterprise"`
	Content    string     `json:"content"`
	Demo       bool       `json:"demo,omitempty"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  *time.Time `json:"updated_at,omitempty"`
	// Translations are the content in other languages (text only).
	Translations directory.Translations `json:"translations,omitempty"`
}

func toAnnouncementRecord(a *directory.Announcement) *announcementRecord {
	return &announcementRecord{Key: a.Key, Enterprise: a.EnterpriseHandle, Content: a.Content,
		Demo: a.Demo, CreatedAt: a.CreatedAt, UpdatedAt: a.UpdatedAt, Translations: a.Translations}
}

func (r *announcementRecord) announcement() *directory.Announcement {
	return &directory.Announcement{Key: r.Key, EnterpriseHandle: r.Enterprise, Content: r.Content,
		Demo: r.Demo, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, Translations: r.Translations}
}

// logoRecord is a stored image: the logo of the enterprise whose logo is
// /media/ID. Data is base64 (standard alphabet, padded).
type logoRecord struct {
	ID          string `json:"id"`
	ContentType string `json:"content_type"`
	Width       int    `json:"width"`
	Height      int    `json:"height"`
	Data        []byte `json:"data"`
}

func toLogoRecord(img *directory.Image) *logoRecord {
	return &logoRecord{ID: img.ID, ContentType: img.ContentType, Width: img.Width, Height: img.Height, Data: img.Data}
}

func (r *logoRecord) image() *directory.Image {
	return &directory.Image{ID: r.ID, ContentType: r.ContentType, Width: r.Width, Height: r.Height, Data: r.Data}
}
