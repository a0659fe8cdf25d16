package web

import (
	"bytes"
	"html/template"
	"maps"
	"net/http"
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

// parseLocalePages parses every page once per language, by language code.
func parseLocalePages() map[string]map[string]*template.Template {
	all := make(map[string]map[string]*template.Template, len(locales))
	for _, l := range locales {
		all[l.Code] = parsePagesIn(l)
	}
	return all
}

// page returns the page template name in the language of r.
func (s *server) page(r *http.Request, name string) *template.Template {
	if pages := s.localePages[localeOf(r).Code]; pages != nil {
		return pages[name]
	}
	return s.pages[name]
}
