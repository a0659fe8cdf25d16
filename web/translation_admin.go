package web

import (
	"context"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	flashMessages["translation-saved"] = "The translation was saved."
	flashMessages["translation-removed"] = "The translation was removed."
}

// translatedEntry is an entry whose translations an editor manages on its
// Translations page: its texts, where it lives, and how to change them.
type translatedEntry struct {
	Name       string // shown in the crumbs and the title
	AdminPath  string // the entry's admin page
	PublicPath string
	Main       string // the main language's tag, "" when unknown
	MainName   string
	TitleLabel string // "" when the entry has no title (an announcement)
	TextLabel  string
	tr         directory.Translations
	set        func(ctx context.Context, lang string, tr directory.Translation) error
	remove     func(ctx context.Context, lang string) error
}

// adminTranslationsView is the data of admin_translations.html.
type adminTranslationsView struct {
	adminPage
	Entry *translatedEntry
	Rows  []translationRow
	Form  *adminForm
}

// translationRow is one language the entry is written in.
type translationRow struct {
	Tag, Name, Title, Text string
	EditURL, DeleteURL     string
}

// translationForm is the form that adds or changes one language.
func translationForm(r *http.Request, e *translatedEntry) *adminForm {
	fields := []*adminField{{Name: "language", Label: translate(r, "Language"), Type: "text", Required: true, Auto: "off",
		Hint: translate(r, "A language tag such as es, fr or pt-BR.")}}
	if e.TitleLabel != "" {
		fields = append(fields, &adminField{Name: "title", Label: e.TitleLabel, Type: "text"})
	}
	return newAdminForm(append(fields, &adminField{Name: "text", Label: e.TextLabel, Type: "textarea", Rows: 6,
		Markdown: true, Required: e.TitleLabel == ""})...)
}

// enterpriseTranslations is the local enterprise {handle} as a translated
// entry, or false once an error page is written.
func (s *server) enterpriseTranslations(w http.ResponseWriter, r *http.Request) (*translatedEntry, bool) {
	e, ok := s.managedEnterprise(w, r)
	if !ok {
		return nil, false
	}
	return &translatedEntry{Name: e.Name, AdminPath: adminEnterprisePath(e.Handle), PublicPath: enterprisePath(e.Handle),
		Main: e.MainLanguage(), TitleLabel: translate(r, "Name"), TextLabel: translate(r, "Summary"), tr: e.Translations,
		set: func(ctx context.Context, lang string, tr directory.Translation) error {
			_, err := s.svc.SetEnterpriseTranslation(ctx, e.Handle, lang, tr)
			return err
		},
		remove: func(ctx context.Context, lang string) error {
			_, err := s.svc.RemoveEnterpriseTranslation(ctx, e.Handle, lang)
			return err
		}}, true
}

// listingTranslations is listing {id} as a translated entry.
func (s *server) listingTranslations(w http.ResponseWriter, r *http.Request) (*translatedEntry, bool) {
	l, _, ok := s.managedListing(w, r)
	if !ok {
		return nil, false
	}
	return &translatedEntry{Name: l.Title, AdminPath: adminListingPath(l.ID), PublicPath: listingPath(l.ID),
		Main: mainTag(l.Language), TitleLabel: translate(r, "Title"), TextLabel: translate(r, "Description"), tr: l.Translations,
		set: func(ctx context.Context, lang string, tr directory.Translation) error {
			_, err := s.svc.SetListingTranslation(ctx, l.ID, lang, tr)
			return err
		},
		remove: func(ctx context.Context, lang string) error {
			_, err := s.svc.RemoveListingTranslation(ctx, l.ID, lang)
			return err
		}}, true
}

// announcementTranslations is announcement {id} as a translated entry.
func (s *server) announcementTranslations(w http.ResponseWriter, r *http.Request) (*translatedEntry, bool) {
	a, owner, ok := s.managedAnnouncement(w, r)
	if !ok {
		return nil, false
	}
	return &translatedEntry{Name: translate(r, "Announcement by %s", owner.Name), AdminPath: adminAnnouncementPath(a.ID),
		PublicPath: announcementPath(a.ID), Main: mainTag(a.Language), TextLabel: translate(r, "Text"), tr: a.Translations,
		set: func(ctx context.Context, lang string, tr directory.Translation) error {
			_, err := s.svc.SetAnnouncementTranslation(ctx, a.ID, lang, tr.Text)
			return err
		},
		remove: func(ctx context.Context, lang string) error {
			_, err := s.svc.RemoveAnnouncementTranslation(ctx, a.ID, lang)
			return err
		}}, true
}

// mainTag is the canonical form of a listed language, or it as it is.
func mainTag(lang string) string {
	if c, ok := directory.CanonicalLanguage(lang); ok {
		return c
	}
	return lang
}

type entryLoader func(w http.ResponseWriter, r *http.Request) (*translatedEntry, bool)

// adminTranslations answers GET …/translations: the languages of the entry
// and the form, filled with one language's texts when ?lang= names one.
func (s *server) adminTranslations(load entryLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, ok := load(w, r)
		if !ok {
			return
		}
		f := translationForm(r, e)
		if tag, ok := directory.CanonicalLanguage(r.URL.Query().Get("lang")); ok {
			if tr, found := e.tr[tag]; found {
				f.fill(url.Values{"language": {tag}, "title": {tr.Title}, "text": {tr.Text}})
			}
		}
		s.renderTranslations(w, r, http.StatusOK, e, f)
	}
}

// adminSetTranslation answers POST …/translations: adds or changes one
// language.
func (s *server) adminSetTranslation(load entryLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, ok := load(w, r)
		if !ok || !s.parseAdminForm(w, r) {
			return
		}
		tr := directory.Translation{Title: r.PostFormValue("title"), Text: r.PostFormValue("text")}
		if err := e.set(r.Context(), r.PostFormValue("language"), tr); err != nil {
			f := translationForm(r, e)
			if s.adminFormFailed(w, r, f, err) {
				s.renderTranslations(w, r, adminFormStatus(err), e, f)
			}
			return
		}
		s.redirectWith(w, r, e.AdminPath+"/translations", "translation-saved", "")
	}
}

// adminRemoveTranslation answers POST …/translations/{lang}/delete.
func (s *server) adminRemoveTranslation(load entryLoader) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, ok := load(w, r)
		if !ok || !s.parseAdminForm(w, r) {
			return
		}
		if err := e.remove(r.Context(), chi.URLParam(r, "lang")); err != nil {
			s.failPage(w, r, err)
			return
		}
		s.redirectWith(w, r, e.AdminPath+"/translations", "translation-removed", "")
	}
}

func (s *server) renderTranslations(w http.ResponseWriter, r *http.Request, status int, e *translatedEntry, f *adminForm) {
	e.MainName = languageName(e.Main)
	v := adminTranslationsView{adminPage: s.adminPage(w, r, translate(r, "Translations · %s", e.Name)), Entry: e, Form: f}
	for _, tag := range e.tr.Languages() {
		tr := e.tr[tag]
		v.Rows = append(v.Rows, translationRow{Tag: tag, Name: languageName(tag), Title: tr.Title, Text: tr.Text,
			EditURL:   e.AdminPath + "/translations?lang=" + url.QueryEscape(tag),
			DeleteURL: e.AdminPath + "/translations/" + url.PathEscape(tag) + "/delete"})
	}
	s.render(w, r, status, "admin_translations.html", v)
}
