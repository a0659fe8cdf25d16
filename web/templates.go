package web

import (
	"bytes"
	"embed"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageNames lists the page templates; each is parsed with layout.html and
// defines "main" (and may define helpers).
var pageNames = []string{"home.html", "enterprise.html", "error.html"}

var templateFuncs = template.FuncMap{
	"date":   func(t time.Time) string { return t.UTC().Format("2 January 2006") },
	"number": func(f *float64) string { return strconv.FormatFloat(*f, 'f', -1, 64) },
	"join":   strings.Join,
}

// parsePages parses every page template once, with the layout.
func parsePages() map[string]*template.Template {
	pages := make(map[string]*template.Template, len(pageNames))
	for _, name := range pageNames {
		pages[name] = template.Must(template.New(name).Funcs(templateFuncs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name))
	}
	return pages
}

// layout is what every page shows around its main content.
type layout struct {
	Network     string
	Description string
	Title       string // of the page; empty on the home page
}

func (s *server) layout(title string) layout {
	return layout{Network: s.opt.NetworkName, Description: s.opt.NetworkDescription, Title: title}
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
	if err := s.pages[name].ExecuteTemplate(&buf, "layout", data); err != nil {
		s.log.ErrorContext(r.Context(), "render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	if status == http.StatusOK {
		h.Set("Cache-Control", cachePublic)
	} else {
		h.Set("Cache-Control", cachePrivate)
	}
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// errorView is the data of error.html.
type errorView struct {
	layout
	Message string
}

// renderError shows an error page with status.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, status int, message string) {
	s.render(w, r, status, "error.html", errorView{layout: s.layout(http.StatusText(status)), Message: message})
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

// enterprisePath is the HTML page of a local enterprise.
func enterprisePath(handle string) string { return "/enterprises/" + url.PathEscape(handle) }

// enterpriseURL links an enterprise: its page here, or its page on the
// partner instance it comes from.
func enterpriseURL(e *directory.Enterprise) string {
	if e.IsLocal() {
		return enterprisePath(e.Handle)
	}
	return e.RemoteURL
}
