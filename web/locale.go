package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/text/language"
)

// The language of a request is, in order: ?lang=xx (so that every
// language of a page has its own address, for the hreflang links), the
// visitor's choice in the switcher (remembered in a cookie), the best
// match of Accept-Language, and the instance's default (a setting).

// langCookie remembers the language chosen in the switcher.
const langCookie = "coopdir_lang"

// langCookieAge keeps the choice for a year.
const langCookieAge = 365 * 24 * 60 * 60

// maxAcceptLanguage bounds the Accept-Language header we parse; longer
// ones are ignored.
const maxAcceptLanguage = 512

// localeKey is the context key of the request's locale.
type localeKey struct{}

// languageMatcher matches the languages a browser asks for with ours.
var languageMatcher = func() language.Matcher {
	tags := make([]language.Tag, len(locales))
	for i, l := range locales {
		tags[i] = l.tag
	}
	return language.NewMatcher(tags)
}()

// localeOf returns the language of request r: English when r is nil or
// went through no negotiation.
func localeOf(r *http.Request) *locale {
	if r != nil {
		if l, ok := r.Context().Value(localeKey{}).(*locale); ok {
			return l
		}
	}
	return locales[0]
}

// withLocale returns ctx with the locale l.
func withLocale(ctx context.Context, l *locale) context.Context {
	return context.WithValue(ctx, localeKey{}, l)
}

// negotiateLocale puts the request's language on its context. Every
// response may depend on it, so every response varies on what decides it.
func (s *server) negotiateLocale(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Language, Cookie")
		l := requestedLocale(r)
		if l == nil {
			l = s.defaultLocale(r)
		}
		next.ServeHTTP(w, r.WithContext(withLocale(r.Context(), l)))
	})
}

// requestedLocale is the language r asks for, nil when it asks for none
// we speak. Unknown or malformed values are ignored.
func requestedLocale(r *http.Request) *locale {
	if l := localeByCode[r.URL.Query().Get("lang")]; l != nil {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && localeByCode[c.Value] != nil {
		return localeByCode[c.Value]
	}
	return acceptedLocale(r.Header.Get("Accept-Language"))
}

// acceptedLocale is our best match for an Accept-Language header, nil
// when there is none (or the header does not parse).
func acceptedLocale(header string) *locale {
	if header == "" || len(header) > maxAcceptLanguage {
		return nil
	}
	tags, _, err := language.ParseAcceptLanguage(header)
	if err != nil || len(tags) == 0 {
		return nil
	}
	_, i, conf := languageMatcher.Match(tags...)
	if conf == language.No || i < 0 || i >= len(locales) {
		return nil
	}
	return locales[i]
}

// defaultLocale is the instance's default language (English when unset).
func (s *server) defaultLocale(r *http.Request) *locale {
	if s.svc == nil {
		return locales[0]
	}
	if l := localeByCode[s.settings(r).DefaultLanguage]; l != nil {
		return l
	}
	return locales[0]
}

// chooseLanguage answers POST /language, the switcher: it remembers the
// chosen language and goes back to the page it was chosen on.
func (s *server) chooseLanguage(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, translate(r, "The form could not be read."))
		return
	}
	l := localeByCode[r.PostFormValue("lang")]
	if l == nil {
		s.renderError(w, r, http.StatusBadRequest, translate(r, "We do not speak that language yet."))
		return
	}
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: l.Code, Path: "/", MaxAge: langCookieAge,
		HttpOnly: true, Secure: s.secureCookies(), SameSite: http.SameSiteLaxMode})
	w.Header().Set("Cache-Control", cachePrivate)
	http.Redirect(w, r, localNext(r.PostFormValue("next")), http.StatusSeeOther)
}

// localNext keeps a switcher's return address when it is a path of this
// site, without its lang parameter; anything else goes home.
func localNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") ||
		strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery, u.Fragment = q.Encode(), ""
	return u.String()
}

// languageLink is a language of the page: for the switcher and the
// hreflang alternates.
type languageLink struct {
	Code, Name, URL string
	Current         bool
}

// languageLinks lists the page's languages, canonical being the page's
// address without query.
func languageLinks(current *locale, canonical string) []languageLink {
	links := make([]languageLink, len(locales))
	for i, l := range locales {
		links[i] = languageLink{Code: l.Code, Name: l.Name, URL: canonical + "?lang=" + l.Code, Current: l == current}
	}
	return links
}

// returnPath is the page to come back to after choosing a language.
func returnPath(r *http.Request) string {
	return localNext(r.URL.RequestURI())
}
