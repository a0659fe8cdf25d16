package federation

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// NoteDoc is a coopdir announcement Note decoded into a plain struct, the
// cheap way to read partners' announcements in bulk (backfill). It reads
// the shape AnnouncementNote writes and nothing more.
type NoteDoc struct {
	ID           string         `json:"id"`
	Type         string         `json:"type"`
	AttributedTo string         `json:"attributedTo"`
	Content      string         `json:"content"`
	Source       *sourceDoc     `json:"source"`
	Published    string         `json:"published"`
	Updated      string         `json:"updated"`
	Demo         bool           `json:"demo"`
	ContentMap   map[string]any `json:"contentMap"`
	// Dropped names the received translations Announcement left out.
	Dropped []string `json:"-"`
}

// DecodeNote decodes one of our announcement Notes (as served, or nested
// in a Create or Update once the caller has taken the object out). It
// returns an EINVALID (or ETOOLARGE) error when the document is not one.
func DecodeNote(raw []byte) (*NoteDoc, error) {
	if len(raw) > ap.MaxDocumentSize {
		return nil, directory.Errorf(directory.ETOOLARGE, "the document is larger than %d bytes", ap.MaxDocumentSize)
	}
	if ap.Depth(raw) > ap.MaxDocumentDepth {
		return nil, directory.Errorf(directory.EINVALID, "the note is nested deeper than %d levels", ap.MaxDocumentDepth)
	}
	var n NoteDoc
	if err := json.NewDecoder(bytes.NewReader(raw)).Decode(&n); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "the note is not in the expected form: %s", err.Error())
	}
	if n.Type != "Note" || n.ID == "" || n.AttributedTo == "" {
		return nil, directory.Errorf(directory.EINVALID, "the document is not a coopdir announcement")
	}
	return &n, nil
}

// Announcement rebuilds the announcement the Note describes, as a
// partner's entry: Origin is the host of its id and RemoteID its id; the
// enterprise handle is the last segment of attributedTo. Content is the
// Markdown source when the Note has one (else ""), ContentHTML the HTML as
// received: the caller cleans it and validates the result.
func (n *NoteDoc) Announcement() (*directory.Announcement, error) {
	a := &directory.Announcement{RemoteID: n.ID, ContentHTML: n.Content, Demo: n.Demo}
	var err error
	if a.Origin, err = Host(n.ID); err != nil {
		return nil, err
	}
	if a.EnterpriseHandle, err = handleOf(n.AttributedTo); err != nil {
		return nil, err
	}
	if n.Source != nil && n.Source.MediaType == "text/markdown" {
		a.Content = n.Source.Content
	}
	if a.CreatedAt, err = time.Parse(time.RFC3339, n.Published); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "published is not a date and time")
	}
	a.CreatedAt = a.CreatedAt.UTC()
	if n.Updated != "" {
		up, err := time.Parse(time.RFC3339, n.Updated)
		if err != nil {
			return nil, directory.Errorf(directory.EINVALID, "updated is not a date and time")
		}
		up = up.UTC()
		a.UpdatedAt = &up
	}
	if len(a.ContentHTML) > 4*directory.MaxAnnouncementLength+4096 {
		return nil, directory.Errorf(directory.EINVALID, "the announcement is longer than %d characters", directory.MaxAnnouncementLength)
	}
	a.Translations, n.Dropped = keepReceived(received(nil, n.ContentMap, "", n.Content),
		"", directory.AnnouncementTranslationLimits)
	return a, nil
}
