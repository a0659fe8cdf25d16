package web

import (
	"bytes"
	"html/template"
	"maps"
	"net/http"
	"sync"
)

// The pages are parsed once per language at start, each with template
// functions bound to its language (t, the dates and numbers, the admin
// parts): rendering a page costs no more in Spanish than in English.

// funcsFor returns the template functions bound to the language l.
func funcsFor(l *locale) template.FuncMap {
	f := maps.Clone(templateFuncs)
	f["t"] = l.sprintf
	f["th"] = l.sprintHTML
	f["tm"] = l.translateMessage
	f["date"] = l.date
	f["moment"] = l.moment
	f["number"] = l.number
	f["km"] = l.km
	f["count"] = l.count
	f["languages"] = l.languageNames
	f["scriptText"] = l.scriptText
	parts := template.Must(template.New("parts").Funcs(f).ParseFS(adminPartsFS, "templates/admin/*.html"))
	execPart := func(name string, data any) (template.HTML, error) {
		var buf bytes.Buffer
		if err := parts.ExecuteTemplate(&buf, name, data); err != nil {
			return "", err
		}
		return template.HTML(buf.String()), nil //nolint:gosec // escaped by html/template
	}
	parts.Funcs(template.FuncMap{"part": execPart})
	f["part"] = execPart
	return f
}

// pageSets are the pages of every language, by language code, parsed once
// per process; never executed, they are cloned for each server.
var pageSets = sync.OnceValue(func() map[string]map[string]*template.Template {
	all := make(map[string]map[string]*template.Template, len(locales))
	for _, l := range locales {
		all[l.Code] = parsePagesIn(l)
	}
	return all
})

// serverPages are a server's own copies of the pages, made when first
// shown: its functions (the names of its partner networks) are its own.
type serverPages struct {
	mu     sync.Mutex
	byLang map[string]map[string]*template.Template
}

// page returns the page template name in the language of r. A server made
// for a template test (s.pages set, no serverPages) shows s.pages.
func (s *server) page(r *http.Request, name string) *template.Template {
	code := localeOf(r).Code
	sp := s.localePages
	if sp == nil {
		return s.pages[name]
	}
	sp.mu.Lock()
	defer sp.mu.Unlock()
	if t := sp.byLang[code][name]; t != nil {
		return t
	}
	src := pageSets()[code][name]
	if src == nil {
		return nil
	}
	t := template.Must(src.Clone())
	if s.networks != nil {
		t.Funcs(template.FuncMap{"network": s.networks.name})
	}
	if sp.byLang == nil {
		sp.byLang = map[string]map[string]*template.Template{}
	}
	if sp.byLang[code] == nil {
		sp.byLang[code] = map[string]*template.Template{}
	}
	sp.byLang[code][name] = t
	return t
}
