package web

import (
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/murmurations"
)

func init() {
	now := time.Date(2026, 12, 8, 3, 0, 0, 0, time.UTC)
	admin := &directory.User{ID: 1, Name: "Ada", Email: "ada@t.example", Role: directory.RoleAdmin}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: admin, NoIndex: true,
		Styles: []string{assets.url("admin.css")}}}
	form := murmurationsForm()
	form.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid",
		Fields: []directory.FieldError{{Field: "lat", Rule: "number", Message: "must be a number <b>"}}})
	runs := []murmurations.ImportRun{
		{ID: "1", State: murmurations.RunDone, At: now, Report: murmurations.Report{Index: "https://index.example",
			Nodes: 3, Imported: 1, Updated: 1, Refused: []murmurations.Refusal{{ProfileURL: "https://x.example/<p>", Reason: "profile is not UTF-8"}}}},
		{ID: "2", State: murmurations.RunFailing, Error: "index: status 500", At: now},
	}
	templateSamples["admin_murmurations.html"] = func() any {
		return adminMurmurationsView{adminPage: page, Form: form, Enabled: true, Runs: runs}
	}
	templateSamples["admin-murmurations-off"] = func() any {
		return adminMurmurationsView{adminPage: page, Form: murmurationsForm()}
	}
	sampleTemplate["admin-murmurations-off"] = "admin_murmurations.html"
}
