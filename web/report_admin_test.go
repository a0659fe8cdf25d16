package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminReports(t *testing.T) {
	e := newFederatedEnv(t)
	ad := e.browser().signIn("admin@test.example")
	ed := e.browser().signIn("editor@test.example")
	t.Run("says when there is nothing to do", func(t *testing.T) {
		ad.get("/admin/reports").want(t, http.StatusOK).has(t, "No open reports")
	})
	ctx := context.Background()
	rep := &directory.Report{ActivityID: "https://mastodon.example/flags/1", Reporter: "https://mastodon.example/actor",
		Objects: []string{e.srv.URL + "/enterprises/shakyhands"}, Content: "Spam <b>everywhere</b>", ReceivedAt: time.Date(2026, 11, 3, 10, 0, 0, 0, time.UTC)}
	if err := e.db.CreateReport(ctx, rep); err != nil {
		t.Fatal(err)
	}
	t.Run("admins only", func(t *testing.T) {
		ed.get("/admin/reports").want(t, http.StatusForbidden)
		ed.post(fmt.Sprintf("/admin/reports/%d/resolve", rep.ID), nil).want(t, http.StatusForbidden)
		ed.get("/admin").want(t, http.StatusOK).lacks(t, "/admin/reports")
	})
	t.Run("lists the open report, its reason as text and its objects as links", func(t *testing.T) {
		ad.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/reports"`)
		ad.get("/admin/reports").want(t, http.StatusOK).
			has(t, "Spam &lt;b&gt;everywhere&lt;/b&gt;", `href="https://mastodon.example/actor"`, `href="`+e.srv.URL+`/enterprises/shakyhands"`,
				"3 November 2026", "Mark resolved", `href="/admin/reports?all=1"`)
	})
	t.Run("resolving it takes it off the list", func(t *testing.T) {
		ad.follow(ad.post(fmt.Sprintf("/admin/reports/%d/resolve", rep.ID), nil), "/admin/reports").want(t, http.StatusOK).
			has(t, "The report is marked resolved.", "No open reports").lacks(t, "Spam")
		ad.get("/admin/reports?all=1").want(t, http.StatusOK).has(t, "Spam", "Resolved").lacks(t, "Mark resolved")
	})
	t.Run("an unknown report is a 404 page", func(t *testing.T) {
		ad.post("/admin/reports/99999/resolve", nil).want(t, http.StatusNotFound)
		ad.post("/admin/reports/abc/resolve", nil).want(t, http.StatusNotFound)
	})
}
