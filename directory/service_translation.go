package directory

import "context"

// renderTranslations renders the Markdown of every translation of t.
func (s *Service) renderTranslations(t Translations) {
	for lang, tr := range t {
		tr.TextHTML = s.render(tr.Text)
		t[lang] = tr
	}
}

// changeTranslations sets (tr non-nil) or removes language lang of t, a
// copy of an entry's translations, checked against the entry's main
// language. EINVALID, ENOTFOUND when removing a language t lacks.
func (s *Service) changeTranslations(t Translations, lang, main string, tr *Translation, lim TranslationLimits) (Translations, error) {
	t = t.Clone()
	if tr == nil {
		tag, ok := CanonicalLanguage(lang)
		if _, found := t[tag]; !ok || !found {
			return nil, Errorf(ENOTFOUND, "no translation in %q", truncate(lang, 20))
		}
		delete(t, tag)
		if len(t) == 0 {
			return nil, nil
		}
		return t, nil
	}
	one := *tr
	tag, err := ValidateTranslation(lang, main, &one, lim)
	if err != nil {
		return nil, err
	}
	if _, found := t[tag]; !found && len(t) >= MaxTranslations {
		return nil, &Error{Code: EINVALID, Message: "invalid translation",
			Fields: []FieldError{{Field: "language", Rule: "max_items", Message: "an entry has at most 20 translations"}}}
	}
	one.TextHTML = s.render(one.Text)
	t[tag] = one
	return t, nil
}

// SetEnterpriseTranslation adds or replaces the name and summary of a local
// enterprise in language lang (not its main one), and publishes the change
// as an update. ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) SetEnterpriseTranslation(ctx context.Context, handle, lang string, tr Translation) (*Enterprise, error) {
	return s.translateEnterprise(ctx, handle, lang, &tr)
}

// RemoveEnterpriseTranslation removes language lang from a local
// enterprise. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) RemoveEnterpriseTranslation(ctx context.Context, handle, lang string) (*Enterprise, error) {
	return s.translateEnterprise(ctx, handle, lang, nil)
}

func (s *Service) translateEnterprise(ctx context.Context, handle, lang string, tr *Translation) (*Enterprise, error) {
	e, err := s.store.FindEnterprise(ctx, "", handle)
	if err != nil {
		return nil, err
	}
	if err := canEdit(ctx, e); err != nil {
		return nil, err
	}
	t, err := s.changeTranslations(e.Translations, lang, e.MainLanguage(), tr, EnterpriseTranslationLimits)
	if err != nil {
		return nil, err
	}
	e.Translations, e.UpdatedAt = t, s.now()
	ev := Event{Type: EventEnterpriseUpdated, EnterpriseHandle: e.Handle, At: e.UpdatedAt}
	if err := s.store.UpdateEnterprise(ctx, e, ev); err != nil {
		return nil, err
	}
	return e, nil
}

// entryLanguage is the main language of the local enterprise handle.
func (s *Service) entryLanguage(ctx context.Context, origin, handle string) (string, error) {
	e, err := s.store.FindEnterprise(ctx, origin, handle)
	if err != nil {
		return "", err
	}
	return e.MainLanguage(), nil
}

// SetListingTranslation adds or replaces the title and description of a
// listing in language lang (not its enterprise's main one), and publishes
// the change as an update. ENOTFOUND, EINVALID, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) SetListingTranslation(ctx context.Context, id int64, lang string, tr Translation) (*Listing, error) {
	return s.translateListing(ctx, id, lang, &tr)
}

// RemoveListingTranslation removes language lang from a listing.
// ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) RemoveListingTranslation(ctx context.Context, id int64, lang string) (*Listing, error) {
	return s.translateListing(ctx, id, lang, nil)
}

func (s *Service) translateListing(ctx context.Context, id int64, lang string, tr *Translation) (*Listing, error) {
	l, err := s.editableListing(ctx, id)
	if err != nil {
		return nil, err
	}
	main, err := s.entryLanguage(ctx, l.Origin, l.EnterpriseHandle)
	if err != nil {
		return nil, err
	}
	if l.Translations, err = s.changeTranslations(l.Translations, lang, main, tr, ListingTranslationLimits); err != nil {
		return nil, err
	}
	return l, s.saveListing(ctx, l)
}

// SetAnnouncementTranslation adds or replaces the content of an
// announcement in language lang (not its enterprise's main one), and
// publishes the change as an update. ENOTFOUND, EINVALID, EUNAUTHORIZED,
// EFORBIDDEN.
func (s *Service) SetAnnouncementTranslation(ctx context.Context, id int64, lang, content string) (*Announcement, error) {
	return s.translateAnnouncement(ctx, id, lang, &Translation{Text: content})
}

// RemoveAnnouncementTranslation removes language lang from an
// announcement. ENOTFOUND, EUNAUTHORIZED, EFORBIDDEN.
func (s *Service) RemoveAnnouncementTranslation(ctx context.Context, id int64, lang string) (*Announcement, error) {
	return s.translateAnnouncement(ctx, id, lang, nil)
}

func (s *Service) translateAnnouncement(ctx context.Context, id int64, lang string, tr *Translation) (*Announcement, error) {
	a, err := s.editableAnnouncement(ctx, id)
	if err != nil {
		return nil, err
	}
	main, err := s.entryLanguage(ctx, a.Origin, a.EnterpriseHandle)
	if err != nil {
		return nil, err
	}
	if a.Translations, err = s.changeTranslations(a.Translations, lang, main, tr, AnnouncementTranslationLimits); err != nil {
		return nil, err
	}
	now := s.now()
	a.UpdatedAt = &now
	ev := Event{Type: EventAnnouncementUpdated, EnterpriseHandle: a.EnterpriseHandle, AnnouncementID: a.ID, At: now}
	if err := s.store.UpdateAnnouncement(ctx, a, ev); err != nil {
		return nil, err
	}
	return a, nil
}
