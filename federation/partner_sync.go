package federation

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// Keeping partners current. Our instance actor announces every change of
// our directory to its followers, who are the partners whose requests our
// admin approved: Announce{Update{entry}} for a new or changed enterprise,
// Announce{Create|Update{Proposal}} for a listing, Announce{Delete} when
// either goes (or a listing expires). A partner applies them to its copies;
// we apply theirs to ours, entry by entry, and only what their own server
// says of their own entries.

// guardPartnerEntries refuses a write (Create, Update, Delete, or an
// Announce of one) about an object on a partner's host that another server
// sends: only a network's own server may change its entries.
func (ps *Partners) guardPartnerEntries(ctx context.Context, env *ap.Envelope, m map[string]any) error {
	target := ""
	switch env.Type {
	case "Create", "Update", "Delete":
		target = env.ObjectID
	case "Announce":
		if inner, ok := m["object"].(map[string]any); ok {
			switch str(inner["type"]) {
			case "Create", "Update", "Delete":
				target = ap.IDOf(inner["object"])
			}
		}
	}
	host, err := Host(target)
	if err != nil || SameOrigin(target, env.Actor) {
		return nil
	}
	p, err := ps.store.FindPartnerByHost(ctx, host)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return nil
	}
	if err != nil {
		return err
	}
	return &SignatureError{Status: http.StatusForbidden, Reason: "only " + p.Host + " may change the entries of " + p.DisplayName()}
}

// applyPartner applies one activity a partner's instance actor announced:
// the activity, its actor and its object must all be the partner's.
func (ps *Partners) applyPartner(ctx context.Context, p *directory.Partner, v any) error {
	act, ok := v.(map[string]any)
	if !ok {
		return directory.Errorf(directory.EINVALID, "a partner's announce must embed the activity")
	}
	objID := ap.IDOf(act["object"])
	for _, id := range []string{str(act["id"]), ap.IDOf(act["actor"]), objID} {
		if h, err := Host(id); err != nil || h != p.Host {
			return &SignatureError{Status: http.StatusForbidden, Reason: "a partner may only announce its own entries"}
		}
	}
	switch str(act["type"]) {
	case "Create", "Update":
		obj, ok := act["object"].(map[string]any)
		if !ok {
			return directory.Errorf(directory.EINVALID, "the entry must be embedded")
		}
		raw, err := json.Marshal(obj)
		if err != nil {
			return directory.Errorf(directory.EINVALID, "the entry does not encode")
		}
		switch str(obj["type"]) {
		case "Organization":
			return ps.applyPartnerEnterprise(ctx, p, raw)
		case "Proposal":
			return ps.applyPartnerListing(ctx, p, raw)
		case "Note":
			return ps.applyPartnerAnnouncement(ctx, p, raw)
		}
		return nil
	case "Delete":
		removed, err := ps.store.DeleteRemoteListing(ctx, p.Host, objID)
		if err != nil || removed {
			return err
		}
		removed, err = ps.store.DeleteRemoteAnnouncement(ctx, p.Host, objID)
		if err != nil || removed {
			return err
		}
		_, err = ps.store.DeleteRemoteEnterprise(ctx, p.Host, objID)
		return err
	}
	return nil
}

func (ps *Partners) applyPartnerEnterprise(ctx context.Context, p *directory.Partner, raw []byte) error {
	e, err := ps.partnerEnterprise(raw)
	if err != nil {
		return err
	}
	if !p.Scope.AllowsEnterprise(e) {
		// Moved out of the scope (or never in it).
		_, err := ps.store.DeleteRemoteEnterprise(ctx, p.Host, e.RemoteID)
		return err
	}
	_, err = ps.store.ImportRemote(ctx, p.Host, []*directory.Enterprise{e}, nil)
	return err
}

func (ps *Partners) applyPartnerListing(ctx context.Context, p *directory.Partner, raw []byte) error {
	d, l, err := ps.partnerListing(raw)
	if err != nil {
		return err
	}
	e, err := ps.partnerListingOwner(ctx, p, d.AttributedTo)
	if err != nil {
		return err
	}
	if e == nil || !p.Scope.AllowsListing(l, e) {
		_, err := ps.store.DeleteRemoteListing(ctx, p.Host, l.RemoteID)
		return err
	}
	res, err := ps.store.ImportRemote(ctx, p.Host, nil, []*directory.Listing{l})
	if err != nil || res.Created == 0 || l.ID == 0 {
		return err
	}
	// A new copy is news to the topics (saved searches) that find it: the
	// publisher reads this event (see publishTopics).
	return ps.store.RecordEvent(ctx, &directory.Event{Type: directory.EventListingCreated,
		EnterpriseHandle: l.EnterpriseHandle, ListingID: l.ID, Origin: p.Host, At: ps.now()})
}

// applyPartnerAnnouncement stores a partner's announcement (a Note by one
// of its enterprises) as a copy, or removes the copy when its enterprise
// is out of the scope. A Note attributed to an actor on another host is
// refused.
func (ps *Partners) applyPartnerAnnouncement(ctx context.Context, p *directory.Partner, raw []byte) error {
	d, a, err := ps.partnerAnnouncement(raw)
	if err != nil {
		return err
	}
	if h, err := Host(d.AttributedTo); err != nil || h != p.Host {
		return &SignatureError{Status: http.StatusForbidden, Reason: "a partner may only announce its own enterprises' posts"}
	}
	e, err := ps.partnerListingOwner(ctx, p, d.AttributedTo)
	if err != nil {
		return err
	}
	if e == nil || !p.Scope.AllowsAnnouncement(e) {
		_, err := ps.store.DeleteRemoteAnnouncement(ctx, p.Host, a.RemoteID)
		return err
	}
	_, err = ps.store.ImportRemoteAnnouncements(ctx, p.Host, []*directory.Announcement{a})
	return err
}

// partnerAnnouncement decodes a partner's announcement Note and cleans its
// HTML.
func (ps *Partners) partnerAnnouncement(raw []byte) (*NoteDoc, *directory.Announcement, error) {
	d, err := DecodeNote(raw)
	if err != nil {
		return nil, nil, err
	}
	a, err := d.Announcement()
	if err != nil {
		return nil, nil, err
	}
	a.ContentHTML = ps.cleanHTML(a.Content, a.ContentHTML)
	ps.cleanTranslations(a.Translations, d.ID, d.Dropped)
	if a.Content == "" {
		// No Markdown source: the text is the sanitized HTML's.
		a.Content = plainText(a.ContentHTML)
	}
	if err := a.Validate(); err != nil {
		return nil, nil, err
	}
	return d, a, nil
}

// partnerListingOwner returns our copy of a partner listing's enterprise;
// one we do not have yet is fetched from the partner (and stored when in
// scope). nil when it is out of scope.
func (ps *Partners) partnerListingOwner(ctx context.Context, p *directory.Partner, actorID string) (*directory.Enterprise, error) {
	e, err := ps.store.FindRemoteEnterprise(ctx, p.Host, actorID)
	if err == nil || directory.ErrorCode(err) != directory.ENOTFOUND {
		return e, err
	}
	if h, err := Host(actorID); err != nil || h != p.Host {
		return nil, directory.Errorf(directory.EINVALID, "the listing's enterprise is not the partner's")
	}
	raw, _, err := ps.opt.Client.FetchDocument(ctx, actorID)
	if err != nil {
		return nil, err
	}
	if e, err = ps.partnerEnterprise(raw); err != nil {
		return nil, err
	}
	if !p.Scope.AllowsEnterprise(e) {
		return nil, nil
	}
	if _, err := ps.store.ImportRemote(ctx, p.Host, []*directory.Enterprise{e}, nil); err != nil {
		return nil, err
	}
	return e, nil
}

// partnerEnterprise decodes a partner's enterprise entry and cleans its
// HTML: the summary is rendered again from its Markdown, or sanitized.
func (ps *Partners) partnerEnterprise(raw []byte) (*directory.Enterprise, error) {
	d, err := DecodeEnterprise(raw)
	if err != nil {
		return nil, err
	}
	e, err := d.Enterprise(ps.now())
	if err != nil {
		return nil, err
	}
	e.SummaryHTML = ps.cleanHTML(e.Summary, e.SummaryHTML)
	ps.cleanTranslations(e.Translations, d.ID, d.Dropped)
	return e, nil
}

// partnerListing decodes a partner's listing Proposal and cleans its HTML.
func (ps *Partners) partnerListing(raw []byte) (*ProposalDoc, *directory.Listing, error) {
	d, err := DecodeProposal(raw)
	if err != nil {
		return nil, nil, err
	}
	l, err := d.Listing()
	if err != nil {
		return nil, nil, err
	}
	l.DescriptionHTML = ps.cleanHTML(l.Description, l.DescriptionHTML)
	ps.cleanTranslations(l.Translations, d.ID, d.Dropped)
	return d, l, nil
}

// cleanTranslations sanitizes the HTML of the translations of the received
// entry id, and logs the languages that were dropped from it as invalid.
func (ps *Partners) cleanTranslations(t directory.Translations, id string, dropped []string) {
	for lang, tr := range t {
		tr.TextHTML = ps.opt.Sanitize(tr.TextHTML)
		t[lang] = tr
	}
	if len(dropped) > 0 {
		ps.log.Warn("partner: translations dropped", "entry", id, "languages", dropped)
	}
}

// cleanHTML is the HTML of a received text: rendered again from its
// Markdown source when there is one, else the received HTML sanitized.
func (ps *Partners) cleanHTML(markdown, html string) string {
	if markdown != "" && ps.opt.Service.Markdown != nil {
		return ps.opt.Service.Markdown(markdown)
	}
	return ps.opt.Sanitize(html)
}
