package web

import (
	"bytes"
	"cmp"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

// layoutFile holds the page frame ("layout") and the parts that many pages
// share; files whose names start with "_" hold more shared parts. Every
// other file in templates/ is a page: it is parsed with those and defines
// "main".
const layoutFile = "layout.html"

// templateFuncs are the functions every template may call. Other files of
// the package may add to it in an init function.
var templateFuncs = template.FuncMap{
	"date":       locales[0].date,
	"datetime":   func(t any) string { return timeOf(t).Format(time.RFC3339) },
	"moment":     locales[0].moment,
	"number":     locales[0].number,
	"km":         locales[0].km,
	"count":      locales[0].count,
	"languages":  locales[0].languageNames,
	"scriptText": locales[0].scriptText,
	"vcardPath":  enterpriseVCardPath,
	"join":       strings.Join,
	"asset":      assets.url,
	// mapBackground is in the literal for the admin parts, which are
	// parsed when the package's variables are set.
	"mapBackground": mapBackgroundJSON,
	"locateAssets":  locateAssets,
}

// pageNames lists the page templates: every file of templates/ but the layout.
func pageNames() []string {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	var names []string
	for _, f := range files {
		if name := strings.TrimPrefix(f, "templates/"); name != layoutFile && !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	return names
}

// parsePages returns every page template, with the layout, in English.
func parsePages() map[string]*template.Template { return clonePages(pageSets()[locales[0].Code]) }

// parsePagesIn parses every page template, with the layout, in the
// language l: the layout and the shared parts once, then each page into a
// copy of them.
func parsePagesIn(l *locale) map[string]*template.Template {
	names := pageNames()
	pages := make(map[string]*template.Template, len(names))
	base := template.Must(template.New(layoutFile).Funcs(funcsFor(l)).
		ParseFS(templateFS, "templates/"+layoutFile, "templates/_*.html"))
	for _, name := range names {
		pages[name] = template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name))
	}
	return pages
}

// clonePages copies a set of pages, so that a server binds its own
// functions (see bindNetworkNames) and the parsed set stays unexecuted.
func clonePages(set map[string]*template.Template) map[string]*template.Template {
	pages := make(map[string]*template.Template, len(set))
	for name, t := range set {
		pages[name] = template.Must(t.Clone())
	}
	return pages
}

// layout is what every page shows around its main content: the head
// (title, description, canonical address, OpenGraph, feeds, JSON-LD), the
// navigation and the footer. Views embed it; s.layout fills the defaults.
type layout struct {
	Network     string          // name of the network, from the settings
	Title       string          // of the page; empty on the home page
	Description string          // of the page; the network's description by default
	Canonical   string          // absolute canonical address of the page
	OGType      string          // OpenGraph type: website, profile or article
	Image       string          // absolute address of the page's image, if any
	Feeds       []feedLink      // Atom feeds the page links for autodiscovery
	Alternates  []alternateLink // other forms of the page's subject (Murmurations profile)
	JSONLD      any             // schema.org data of the page, or nil
	User        *directory.User // the signed-in user, or nil
	Path        string          // of the request, to mark the current navigation link
	Scripts     []string        // addresses of the scripts the page runs
	Styles      []string        // addresses of stylesheets besides site.css
	ImgSrc      string          // CSP img-src sources, when not the default
	Fetches     bool            // its scripts read this instance (CSP connect-src 'self')
	FormAction  string          // CSP form-action sources, when not 'self'
	NoIndex     bool            // asks search engines not to index the page
	Lang        string          // code of the page's language, for <html lang>
	Languages   []languageLink  // every language of the page: switcher and hreflang links
	Return      string          // the page to come back to from the switcher
}

// feedLink is an Atom feed offered by a page: Title names it in feed
// readers, Label on the page that offers it.
type feedLink struct {
	Title, Label, URL string
}

// alternateLink is a <link rel="alternate"> of another type than Atom.
type alternateLink struct {
	Type, Title, URL string
}

// pageLayout lets render reach the layout of any view that embeds it.
func (l layout) pageLayout() layout { return l }

// layout returns the frame of a page titled title (empty for the home
// page) for request r: the network's name and description, the canonical
// address of the path, the site's feeds and the signed-in user.
func (s *server) layout(r *http.Request, title string) layout {
	st := s.settings(r)
	return layout{
		Network:     st.NetworkName,
		Title:       localeOf(r).translateMessage(title),
		Description: st.NetworkDescription,
		Canonical:   s.url(r.URL.EscapedPath()),
		OGType:      "website",
		Feeds:       siteFeeds(st.NetworkName),
		User:        directory.UserFromContext(r.Context()),
		Path:        r.URL.Path,
		Lang:        localeOf(r).Code,
		Languages:   languageLinks(localeOf(r), s.url(r.URL.EscapedPath())),
		Return:      returnPath(r),
	}
}

// settings returns the instance settings, with the Options as defaults for
// what an admin has not set. When they cannot be read the Options stand in
// (and the failure is logged): a page should not fail for its header.
func (s *server) settings(r *http.Request) *directory.Settings {
	st, err := s.svc.Settings(r.Context())
	if err != nil {
		s.log.ErrorContext(r.Context(), "read settings", "err", err)
		st = &directory.Settings{}
	}
	if st.NetworkName == "" {
		st.NetworkName = s.opt.NetworkName
	}
	if st.NetworkDescription == "" {
		st.NetworkDescription = s.opt.NetworkDescription
	}
	return st
}

// trustedHTML marks HTML that the Service rendered from Markdown and
// sanitized (summaries, descriptions, announcements) as safe to embed.
// Nothing else may become template.HTML.
func trustedHTML(sanitized string) template.HTML {
	return template.HTML(sanitized) //nolint:gosec // sanitized by the Service's Markdown renderer
}

// render executes a page into a buffer first, so that a template error
// becomes a clean 500 instead of half a page.
func (s *server) render(w http.ResponseWriter, r *http.Request, status int, name string, data any) {
	var buf bytes.Buffer
	if err := s.page(r, name).ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var lay layout
	if v, ok := data.(interface{ pageLayout() layout }); ok {
		lay = v.pageLayout()
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy(lay))
	h.Set("Content-Language", localeOf(r).Code)
	if status == http.StatusOK && lay.User == nil {
		h.Set("Cache-Control", cachePublic)
	} else {
		// Errors, and pages that show who is signed in, are not shared.
		h.Set("Cache-Control", cachePrivate)
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// contentSecurityPolicy allows a page only its own styles, the scripts it
// declares (all ours), images from here and https (logos) or, on the
// map, the tile server, and forms that post here (and, on pages with a
// follow box, answers that lead on to the visitor's server).
func contentSecurityPolicy(l layout) string {
	img := "'self' https:"
	if l.ImgSrc != "" {
		img = l.ImgSrc
	}
	script := "'none'"
	if len(l.Scripts) > 0 {
		script = "'self'"
	}
	if l.Fetches {
		script += "; connect-src 'self'"
	}
	form := cmp.Or(l.FormAction, "'self'")
	return "default-src 'none'; style-src 'self'; img-src " + img + "; script-src " + script +
		"; form-action " + form + "; base-uri 'none'; frame-ancestors 'none'"
}

// errorView is the data of error.html.
type errorView struct {
	layout
	Message string
}

// renderError shows an error page with status.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	v := errorView{layout: s.layout(r, statusTitle(status)), Message: localeOf(r).translateMessage(message)}
	v.NoIndex = true
	s.render(w, r, status, "error.html", v)
}

// failPage shows err as an error page, with the status and safe message
// the API would give (internal errors are logged there).
func (s *server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	p := s.problemFor(r, err)
	msg := p.Detail
	for _, f := range p.Errors {
		msg += "; " + f.Field + " " + f.Message
	}
	s.renderError(w, r, p.Status, msg)
}

// absURL makes a link found in the directory (a path here, or an http(s)
// address elsewhere) absolute.
func (s *server) absURL(link string) string {
	if strings.HasPrefix(link, "/") && !strings.HasPrefix(link, "//") {
		return s.url(link)
	}
	return link
}

// enterprisePath is the HTML page of a local enterprise.
func enterprisePath(handle string) string { return "/enterprises/" + url.PathEscape(handle) }

// listingPath is the HTML page of a listing.
func listingPath(id int64) string { return "/listings/" + strconv.FormatInt(id, 10) }

// announcementPath is the HTML page of an announcement.
func announcementPath(id int64) string { return "/announcements/" + strconv.FormatInt(id, 10) }

// enterpriseURL links an enterprise: its page here, or its page on the
// partner instance it comes from.
func enterpriseURL(e *directory.Enterprise) string {
	if e.IsLocal() {
		return enterprisePath(e.Handle)
	}
	return e.RemoteURL
}

// timeOf reads a time.Time or a *time.Time (the zero time for nil), in UTC.
func timeOf(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t.UTC()
	case *time.Time:
		if t != nil {
			return t.UTC()
		}
	}
	return time.Time{}
}

// formatNumber writes a quantity as briefly as it can.
func formatNumber(f *float64) string { return strconv.FormatFloat(*f, 'f', -1, 64) }
