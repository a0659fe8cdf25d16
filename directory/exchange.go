package directory

import (
	"context"
	"time"
)

// ExchangeStore reads and writes the whole local directory at once, for
// export and import.
type ExchangeStore interface {
	// ExportDirectory reads one snapshot and calls, in this order: sink's
	// Enterprise for every local enterprise (ordered by handle), Listing
	// for each of their listings and Announcement for each of their
	// announcements (ordered by enterprise handle, then key; Key filled),
	// and Image for every stored image a local enterprise's logo names
	// (ordered by id). It stops at the first error and returns it.
	ExportDirectory(ctx context.Context, sink ExportSink) error
	// FindKeyedListing returns the listing of local enterprise handle with
	// this key. ENOTFOUND.
	FindKeyedListing(ctx context.Context, handle, key string) (*Listing, error)
	// FindKeyedAnnouncement returns the announcement of local enterprise
	// handle with this key. ENOTFOUND.
	FindKeyedAnnouncement(ctx context.Context, handle, key string) (*Announcement, error)
	// ImportDirectory writes b in one transaction, in the order of its
	// fields, recording a created or updated event for every enterprise,
	// listing and announcement with time b.At. New listings and
	// announcements name their local enterprise by EnterpriseHandle and
	// keep their Key; updates are matched by ID. Nothing is written if any
	// row fails. ECONFLICT, ENOTFOUND.
	ImportDirectory(ctx context.Context, b *ImportBatch) error
}

// ExportSink receives what ExportDirectory reads; a nil function skips
// its kind.
type ExportSink struct {
	Enterprise   func(*Enterprise) error
	Listing      func(*Listing) error
	Announcement func(*Announcement) error
	Image        func(*Image) error
}

// ImportBatch is what one import writes.
type ImportBatch struct {
	At                  time.Time
	CreateEnterprises   []*Enterprise
	UpdateEnterprises   []*Enterprise
	Images              []OwnedImage
	CreateListings      []*Listing
	UpdateListings      []*Listing
	CreateAnnouncements []*Announcement
	UpdateAnnouncements []*Announcement
}

// OwnedImage is a stored image with the handle of the local enterprise
// whose logo it is.
type OwnedImage struct {
	Owner string
	Image *Image
}

// DirectoryRows is everything read from an import file: rows of each
// kind, each with its line and the problems found while reading it.
type DirectoryRows struct {
	Enterprises   []ParsedRow
	Listings      []ParsedListing
	Announcements []ParsedAnnouncement
	Logos         []ParsedLogo
	// CarriesLogos says the format carries stored logos: an enterprise
	// whose logo names a stored image (/media/…) then needs that image in
	// Logos or already stored here.
	CarriesLogos bool
}

func (d *DirectoryRows) count() int {
	return len(d.Enterprises) + len(d.Listings) + len(d.Announcements) + len(d.Logos)
}

// ParsedListing is one listing read from an import file. Its
// EnterpriseHandle and Key say whose it is and which it is.
type ParsedListing struct {
	Line     int
	Listing  *Listing
	Problems []FieldError
}

// ParsedAnnouncement is one announcement read from an import file, named
// like a listing by EnterpriseHandle and Key.
type ParsedAnnouncement struct {
	Line         int
	Announcement *Announcement
	Problems     []FieldError
}

// ParsedLogo is one stored image read from an import file.
type ParsedLogo struct {
	Line     int
	Image    *Image
	Problems []FieldError
}

// ImportCounts counts what an import did with the rows of one kind.
type ImportCounts struct {
	Created   int `json:"created"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// The kinds of import row a RowError names; an enterprise's is "".
const (
	RowListing      = "listing"
	RowAnnouncement = "announcement"
	RowLogo         = "logo"
)

// MaxKeyLength bounds the key of a listing or an announcement.
const MaxKeyLength = 100
