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
	src, err := markdownSource(a.Content)
	if err != nil {
		return nil, err
	}
	n.SetActivityStreamsSource(src)
	n.SetActivityStreamsUrl(urlProperty(p.get(id)))
	n.SetActivityStreamsPublished(publishedProperty(a.CreatedAt))
	if a.UpdatedAt != nil {
		n.SetActivityStreamsUpdated(updatedProperty(*a.UpdatedAt))
	}
	if p.err != nil {
		return nil, p.err
	}
	return document(n, demoFlag(a.Demo))
}

// CreateAnnouncement is the Create{Note} that publishes a new announcement.
func CreateAnnouncement(u URLs, a *directory.Announcement) (map[string]any, error) {
	note, err := AnnouncementNote(u, a)
	if err != nil {
		return nil, err
	}
	return Create(u.Enterprise(a.EnterpriseHandle).ID, note)
}

// demoFlag marks demo content with our demo term, so partners can tell it
// from real entries; real content carries nothing.
func demoFlag(demo bool) map[string]any {
	if !demo {
		return nil
	}
	return map[string]any{"demo": true}
}
