package directory

import (
	"strings"
	"time"
)

// Announcement is a short post by an enterprise.
type Announcement struct {
	ID               int64  `json:"id"`
	EnterpriseID     int64  `json:"-"`
	EnterpriseHandle string `json:"enterprise"`                // filled by the store on read
	EnterpriseName   string `json:"enterprise_name,omitempty"` // filled by the store on read
	// Language is the enterprise's first listed language, the
	// announcement's main one ("" when it lists none); filled by the store
	// on read.
	Language    string `json:"-"`
	Content     string `json:"content"`        // Markdown
	ContentHTML string `json:"content_html"`   // sanitized HTML
	Demo        bool   `json:"demo,omitempty"` // demo content, not a real post
	// Translations are the content in other languages than the
	// enterprise's main one (Text only).
	Translations Translations `json:"translations,omitempty"`
	Origin       string       `json:"origin,omitempty"`
	RemoteID     string       `json:"remote_id,omitempty"`
	CreatedAt    time.Time    `json:"created_at"`
	UpdatedAt    *time.Time   `json:"updated_at,omitempty"` // nil until edited
	// Key names a local announcement within its enterprise in exports and
	// imports; only the export and import reads fill it.
	Key string `json:"-"`
}

// MaxAnnouncementLength is the longest announcement, in characters; it fits
// the default post length of most fediverse servers with room for a link.
const MaxAnnouncementLength = 2000

// Validate normalises a and checks its fields.
func (a *Announcement) Validate() error {
	var fe fieldErrors
	a.Content = strings.TrimSpace(a.Content)
	requireText(&fe, "content", a.Content, MaxAnnouncementLength)
	a.Translations = validateTranslations(&fe, "translations", a.Translations, "", AnnouncementTranslationLimits)
	return fe.err("announcement")
}
