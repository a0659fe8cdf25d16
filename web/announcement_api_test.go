package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// announcementPage is the body of GET …/announcements.
type announcementPage struct {
	Items   []directory.Announcement `json:"items"`
	Total   int                      `json:"total"`
	Page    int                      `json:"page"`
	PerPage int                      `json:"per_page"`
}

func TestAnnouncements(t *testing.T) {
	e := newEnv(t)
	const path = "/api/v1/enterprises/shakyhands/announcements"

	t.Run("lists none with an empty array", func(t *testing.T) {
		r := e.get(path).want(t, http.StatusOK)
		if !strings.Contains(string(r.Body), `"items":[]`) {
			t.Fatalf("body %s", r.Body)
		}
	})
	t.Run("editor posts: 201 with the rendered announcement", func(t *testing.T) {
		var a directory.Announcement
		e.send(http.MethodPost, path, e.editor, `{"content":"Open house on **Friday**!"}`).want(t, http.StatusCreated).decode(t, &a)
		if a.ID == 0 || a.EnterpriseHandle != "shakyhands" || !strings.Contains(a.ContentHTML, "<strong>Friday</strong>") {
			t.Fatalf("got %+v", a)
		}
	})
	t.Run("lists newest first with total and paging", func(t *testing.T) {
		for i := 2; i <= 3; i++ {
			e.send(http.MethodPost, path, e.editor, fmt.Sprintf(`{"content":"Post %d"}`, i)).want(t, http.StatusCreated)
		}
		var p announcementPage
		e.get(path+"?per_page=2").want(t, http.StatusOK).decode(t, &p)
		if p.Total != 3 || p.Page != 1 || p.PerPage != 2 || len(p.Items) != 2 || p.Items[0].Content != "Post 3" || p.Items[1].Content != "Post 2" {
			t.Fatalf("got %+v", p)
		}
		e.get(path+"?per_page=2&page=2").want(t, http.StatusOK).decode(t, &p)
		if len(p.Items) != 1 || p.Page != 2 || !strings.HasPrefix(p.Items[0].Content, "Open house") {
			t.Fatalf("got %+v", p)
		}
	})
	t.Run("422 for empty content", func(t *testing.T) {
		p := e.send(http.MethodPost, path, e.editor, `{"content":"   "}`).problem(t, http.StatusUnprocessableEntity)
		p.field(t, "content")
	})
	t.Run("403 for the editor of another enterprise", func(t *testing.T) {
		e.send(http.MethodPost, "/api/v1/enterprises/riverside/announcements", e.editor, `{"content":"Hi"}`).
			problem(t, http.StatusForbidden)
	})
	t.Run("404 for an unknown enterprise", func(t *testing.T) {
		e.get("/api/v1/enterprises/nobody/announcements").problem(t, http.StatusNotFound)
		e.send(http.MethodPost, "/api/v1/enterprises/nobody/announcements", e.admin, `{"content":"Hi"}`).
			problem(t, http.StatusNotFound)
	})
	t.Run("400 for bad paging", func(t *testing.T) {
		for _, q := range []string{"?page=x", "?page=501", "?per_page=1000", "?per_page=-1"} {
			e.get(path+q).problem(t, http.StatusBadRequest)
		}
	})
}
