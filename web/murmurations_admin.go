package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

// MurmurationsImporter imports the profiles of a query from a
// Murmurations index, as durable jobs, and tells how the imports went;
// cmd fills it.
type MurmurationsImporter interface {
	StartMurmurationsImport(ctx context.Context, indexURL string, q murmurations.Query) (string, error)
	MurmurationsImports(ctx context.Context) ([]murmurations.ImportRun, error)
}

// murmurationsForm returns the controls of an import.
func murmurationsForm() *adminForm {
	return newAdminForm(
		&adminField{Name: "index", Label: "Index", Type: "url", Required: true,
			Hint: "Such as https://index.murmurations.network."},
		&adminField{Name: "tags", Label: "Tags", Type: "text", Hint: "Separated by commas; empty for any."},
		&adminField{Name: "tags_filter", Label: "Which tags", Type: "select", Options: []adminOption{
			{Value: "or", Label: "Any of them"}, {Value: "and", Label: "All of them"}}},
		&adminField{Name: "lat", Label: "Latitude", Type: "text", Mode: "decimal"},
		&adminField{Name: "lon", Label: "Longitude", Type: "text", Mode: "decimal"},
		&adminField{Name: "range", Label: "Range", Type: "text", Hint: "With latitude and longitude, such as 25km."},
		&adminField{Name: "country", Label: "Country", Type: "text", Hint: "A two-letter code, such as de."},
		&adminField{Name: "last_updated", Label: "Updated since", Type: "date",
			Hint: "Only profiles changed since this day; empty for all."},
	)
}

// adminMurmurationsView is the data of admin_murmurations.html.
type adminMurmurationsView struct {
	adminPage
	Form    *adminForm
	Enabled bool
	Runs    []murmurations.ImportRun
}

// adminMurmurations answers GET /admin/murmurations (admins).
func (s *server) adminMurmurations(w http.ResponseWriter, r *http.Request) {
	f := murmurationsForm()
	if st, err := s.svc.Settings(r.Context()); err == nil && st.MurmurationsIndex != "" {
		f.fill(map[string][]string{"index": {st.MurmurationsIndex}})
	}
	s.renderMurmurations(w, r, http.StatusOK, f)
}

func (s *server) renderMurmurations(w http.ResponseWriter, r *http.Request, status int, f *adminForm) {
	v := adminMurmurationsView{adminPage: s.adminPage(w, r, translate(r, "Murmurations import")), Form: f,
		Enabled: s.opt.MurmurationsImport != nil}
	if v.Enabled {
		var err error
		if v.Runs, err = s.opt.MurmurationsImport.MurmurationsImports(r.Context()); err != nil {
			s.failPage(w, r, err)
			return
		}
	}
	s.render(w, r, status, "admin_murmurations.html", v)
}

// adminImportMurmurations answers POST /admin/murmurations (admins): it
// starts an import, or shows the form's problems.
func (s *server) adminImportMurmurations(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	if s.opt.MurmurationsImport == nil {
		s.renderError(w, r, http.StatusServiceUnavailable, translate(r, "Imports are not available on this server."))
		return
	}
	q, err := murmurationsQuery(&adminParser{values: r.PostForm})
	if err == nil {
		_, err = s.opt.MurmurationsImport.StartMurmurationsImport(r.Context(), strings.TrimSpace(r.PostFormValue("index")), q)
	}
	if err != nil {
		f := murmurationsForm()
		if s.adminFormFailed(w, r, f, err) {
			s.renderMurmurations(w, r, adminFormStatus(err), f)
		}
		return
	}
	s.redirectWith(w, r, "/admin/murmurations", "murmurations-import", "")
}

// murmurationsQuery reads the query of the import form.
func murmurationsQuery(p *adminParser) (murmurations.Query, error) {
	q := murmurations.Query{Tags: p.list("tags"), TagsAll: p.str("tags_filter") == "and", Lat: p.float("lat"), Lon: p.float("lon"),
		Range: strings.ToLower(p.str("range")), Country: strings.ToLower(p.str("country"))}
	if d := p.str("last_updated"); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			p.errs = append(p.errs, directory.FieldError{Field: "last_updated", Rule: "date", Message: "must be a date such as 2024-05-31"})
		}
		q.LastUpdated = t.Unix()
	}
	return q, p.err(nil)
}
