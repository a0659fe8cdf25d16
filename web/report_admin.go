package web

import (
	"net/http"
	"time"
)

func init() {
	flashMessages["report-resolved"] = msg("The report is marked resolved.")
}

// adminReportsView is the data of admin_reports.html.
type adminReportsView struct {
	adminPage
	All     bool // resolved reports are shown too
	Reports []adminReport
}

// adminReport is one report received from another server.
type adminReport struct {
	ID                    int64
	Reporter, ReporterURL string
	ReceivedAt            time.Time
	Content               string // plain text
	Objects               []adminLink
	Resolved              bool
}

// adminLink is an address to show, linked when it is a web address.
type adminLink struct {
	Text, URL string
}

// adminReports answers GET /admin/reports (admins): the open reports, or
// all of them with ?all=1.
func (s *server) adminReports(w http.ResponseWriter, r *http.Request) {
	all := r.URL.Query().Get("all") == "1"
	reports, err := s.svc.Reports(r.Context(), all)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := adminReportsView{adminPage: s.adminPage(w, r, "Reports"), All: all}
	for _, rp := range reports {
		row := adminReport{ID: rp.ID, Reporter: actorName(rp.Reporter), ReporterURL: webLink(rp.Reporter),
			ReceivedAt: rp.ReceivedAt, Content: rp.Content, Resolved: rp.Resolved}
		for _, o := range rp.Objects {
			row.Objects = append(row.Objects, adminLink{Text: o, URL: webLink(o)})
		}
		v.Reports = append(v.Reports, row)
	}
	s.render(w, r, http.StatusOK, "admin_reports.html", v)
}

// adminResolveReport answers POST /admin/reports/{id}/resolve (admins) and
// returns to the list the form's "back" value names.
func (s *server) adminResolveReport(w http.ResponseWriter, r *http.Request) {
	if !s.parseAdminForm(w, r) {
		return
	}
	id, err := adminPathID(r)
	if err == nil {
		err = s.svc.ResolveReport(r.Context(), id)
	}
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	back := "/admin/reports"
	if r.PostFormValue("all") == "1" {
		back += "?all=1"
	}
	s.redirectWith(w, r, back, "report-resolved", "")
}
