package federation

import (
	"github.com/coopdir/coopdir/directory"
	"github.com/go-fed/activity/streams"
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
	var p iriParser
	n := streams.NewActivityStreamsNote()
	n.SetJSONLDId(idProperty(p.get(id)))
	n.SetActivityStreamsAttributedTo(attributedToProperty(p.get(author.ID)))
	n.SetActivityStreamsTo(toProperty(p.get(Public)))
	n.SetActivityStreamsCc(ccProperty(p.get(author.Followers)))
	n.SetActivityStreamsContent(contentProperty(a.ContentHTML))
	n.SetActivityStreamsUrl(urlProperty(p.get(id)))
	n.SetActivityStreamsPublished(publishedProperty(a.CreatedAt))
	if a.UpdatedAt != nil {
		n.SetActivityStreamsUpdated(updatedProperty(*a.UpdatedAt))
	}
	if p.err != nil {
		return nil, p.err
	}
	extra := map[string]any{"source": markdownSource(a.Content), "interactionPolicy": quotePolicy()}
	if a.Demo {
		// Our demo term, so partners can tell demo content from real entries.
		extra["demo"] = true
	}
	return document(n, extra)
}

// CreateAnnouncement is the Create{Note} that publishes a new announcement.
func CreateAnnouncement(u URLs, a *directory.Announcement) (map[string]any, error) {
	note, err := AnnouncementNote(u, a)
	if err != nil {
		return nil, err
	}
	return Create(u.Enterprise(a.EnterpriseHandle).ID, note)
}
