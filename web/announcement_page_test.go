package web_test

import (
	"net/http"
	"testing"
)

func TestAnnouncementPage(t *testing.T) {
	e := newEnv(t)
	var a struct{ ID int64 }
	e.send(http.MethodPost, "/api/v1/enterprises/shakyhands/announcements", e.editor, `{"content":"Workshop **Saturday** <script>x</script>"}`).
		want(t, http.StatusCreated).decode(t, &a)
	page := e.page(t, "/announcements/"+idText(a.ID), http.StatusOK)
	contains(t, page, "<title>Announcement by Shaky Hands Carpentry · Cooperation Testville</title>", "Workshop <strong>Saturday</strong>",
		`<a href="/enterprises/shakyhands">Shaky Hands Carpentry</a>`, `<meta property="og:type" content="article">`,
		`<meta name="description" content="Workshop Saturday x">`, `href="/enterprises/shakyhands/feeds/announcements.atom"`)
	lacks(t, page, "<script>x")
	e.page(t, "/announcements/9999", http.StatusNotFound)
	e.page(t, "/announcements/x", http.StatusNotFound)
}
