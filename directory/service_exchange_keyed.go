package directory

import (
	"context"
	"fmt"
	"reflect"
	"slices"
)

// listings plans the listing rows: create new keys, update changed ones.
func (p *importPlan) listings(ctx context.Context, d *DirectoryRows) error {
	seen := map[[2]string]int{}
	for _, r := range d.Listings {
		p.tick()
		re := RowError{Line: r.Line, Kind: RowListing, Message: "invalid listing", Fields: slices.Clone(r.Problems)}
		l := r.Listing
		if l == nil {
			p.refuse(re)
			continue
		}
		if err := p.keyed(ctx, &re, &l.EnterpriseHandle, &l.Key, seen); err != nil {
			return err
		}
		re.Fields = addUncovered(re.Fields, ErrorFields(l.Validate()))
		if len(re.Fields) > 0 {
			p.refuse(re)
			continue
		}
		l.Origin, l.RemoteID, l.RemoteURL, l.EnterpriseName = "", "", "", ""
		l.DescriptionHTML = p.s.render(l.Description)
		p.s.renderTranslations(l.Translations)
		old, err := p.s.store.FindKeyedListing(ctx, l.EnterpriseHandle, l.Key)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			if l.CreatedAt.IsZero() {
				l.CreatedAt = p.now
			}
			l.UpdatedAt = p.now
			p.batch.CreateListings = append(p.batch.CreateListings, l)
		case err != nil:
			return err
		case old.Type != l.Type:
			re.Fields = append(re.Fields, FieldError{Field: "type", Rule: "fixed",
				Message: fmt.Sprintf("is %s here: a listing's type cannot change", old.Type)})
			p.refuse(re)
		case sameListing(old, l):
			p.res.Listings.Unchanged++
		default:
			l.ID, l.EnterpriseID, l.CreatedAt, l.UpdatedAt = old.ID, old.EnterpriseID, old.CreatedAt, p.now
			p.batch.UpdateListings = append(p.batch.UpdateListings, l)
		}
	}
	return nil
}

// sameListing compares what an import can set, ignoring ids and times.
func sameListing(a, b *Listing) bool {
	x, y := *a, *b
	for _, l := range []*Listing{&x, &y} {
		l.ID, l.EnterpriseID, l.EnterpriseName, l.Language = 0, 0, "", ""
		l.CreatedAt, l.UpdatedAt = a.CreatedAt, a.UpdatedAt
	}
	return reflect.DeepEqual(x, y)
}

// announcements plans the announcement rows as listings plans listings.
func (p *importPlan) announcements(ctx context.Context, d *DirectoryRows) error {
	seen := map[[2]string]int{}
	for _, r := range d.Announcements {
		p.tick()
		re := RowError{Line: r.Line, Kind: RowAnnouncement, Message: "invalid announcement", Fields: slices.Clone(r.Problems)}
		a := r.Announcement
		if a == nil {
			p.refuse(re)
			continue
		}
		if err := p.keyed(ctx, &re, &a.EnterpriseHandle, &a.Key, seen); err != nil {
			return err
		}
		re.Fields = addUncovered(re.Fields, ErrorFields(a.Validate()))
		if len(re.Fields) > 0 {
			p.refuse(re)
			continue
		}
		a.Origin, a.RemoteID, a.EnterpriseName = "", "", ""
		a.ContentHTML = p.s.render(a.Content)
		p.s.renderTranslations(a.Translations)
		old, err := p.s.store.FindKeyedAnnouncement(ctx, a.EnterpriseHandle, a.Key)
		switch {
		case ErrorCode(err) == ENOTFOUND:
			if a.CreatedAt.IsZero() {
				a.CreatedAt = p.now
			}
			p.batch.CreateAnnouncements = append(p.batch.CreateAnnouncements, a)
		case err != nil:
			return err
		case old.Content == a.Content && old.ContentHTML == a.ContentHTML && old.Demo == a.Demo &&
			reflect.DeepEqual(old.Translations, a.Translations):
			p.res.Announcements.Unchanged++
		default:
			now := p.now
			a.ID, a.EnterpriseID, a.CreatedAt, a.UpdatedAt = old.ID, old.EnterpriseID, old.CreatedAt, &now
			p.batch.UpdateAnnouncements = append(p.batch.UpdateAnnouncements, a)
		}
	}
	return nil
}
