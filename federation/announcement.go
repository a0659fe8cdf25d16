package federation

import (
	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// AnnouncementNote is a local announcement as a public Note by its
// enterprise: to Public, cc the enterprise's followers, content the sanitized
// HTML, source the Markdown it was written in, url its page.
func AnnouncementNote(u URLs, a *directory.Announcement) (map[string]any, error) {
	if err := onlyLocal(a.Origin, "this announcement"); err != nil {
		return nil, err
	}
	author := u.Enterprise(a.EnterpriseHandle)
	id := u.Announcement(a.ID)
	n := ap.Object{
		Type: "Note", ID: id, AttributedTo: author.ID, To: []string{ap.Public}, CC: []string{author.Followers},
		Content: &a.ContentHTML, URL: id, Published: a.CreatedAt,
		Extra: map[string]any{"source": ap.MarkdownSource(a.Content), "interactionPolicy": quotePolicy()},
	}
	if a.UpdatedAt != nil {
		n.Updated = *a.UpdatedAt
	}
	if a.Demo {
		// Our demo term, so partners can tell demo content from real entries.
		n.Extra["demo"] = true
	}
	putLangMap(n.Extra, "contentMap", langMap(a.Language, a.ContentHTML, a.Translations, htmlOf, true))
	return n.Document()
}

// CreateAnnouncement is the Create{Note} that publishes a new announcement.
func CreateAnnouncement(u URLs, a *directory.Announcement) (map[string]any, error) {
	note, err := AnnouncementNote(u, a)
	if err != nil {
		return nil, err
	}
	return Create(u.Enterprise(a.EnterpriseHandle).ID, note)
}
