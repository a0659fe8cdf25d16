package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminTranslations(t *testing.T) {
	e := newEnv(t)
	sys := directory.AsSystem(context.Background())
	langs := []string{"en"}
	if _, err := e.svc.UpdateEnterprise(sys, "shakyhands", directory.EnterpriseUpdate{Languages: &langs}); err != nil {
		t.Fatal(err)
	}
	ed := e.browser().signIn("editor@test.example")
	path := "/admin/enterprises/shakyhands/translations"
	stored := func() directory.Translations {
		got, err := e.svc.Enterprise(sys, "shakyhands")
		if err != nil {
			t.Fatal(err)
		}
		return got.Translations
	}

	t.Run("the enterprise page links to it", func(t *testing.T) {
		ed.get("/admin/enterprises/shakyhands").want(t, http.StatusOK).has(t, `href="`+path+`"`)
	})
	t.Run("adds a language and shows it by its own name", func(t *testing.T) {
		r := ed.post(path, url.Values{"language": {"es"}, "title": {"Carpintería Manos"}, "text": {"Construimos **cosas**."}})
		r.want(t, http.StatusSeeOther)
		ed.get(path).want(t, http.StatusOK).has(t, "Español", "Carpintería Manos", "English")
		if stored()["es"].Title != "Carpintería Manos" {
			t.Errorf("stored %+v", stored())
		}
		ed.get(path+"?lang=es").want(t, http.StatusOK).has(t, `value="es"`, "Construimos **cosas**.")
	})
	for name, form := range map[string]url.Values{
		"a bad tag":            {"language": {"<script>"}, "title": {"x"}},
		"the main language":    {"language": {"en"}, "title": {"x"}},
		"a huge text":          {"language": {"fr"}, "title": {"x"}, "text": {strings.Repeat("a", 5001)}},
		"an empty translation": {"language": {"fr"}},
	} {
		t.Run("refuses "+name+" with a clear error, changing nothing", func(t *testing.T) {
			before := stored()
			r := ed.post(path, form).want(t, http.StatusUnprocessableEntity)
			r.has(t, "error-summary").lacks(t, "<script>")
			if after := stored(); len(after) != len(before) || after["es"] != before["es"] {
				t.Errorf("translations changed: %+v", after)
			}
		})
	}
	t.Run("refuses a form from another site", func(t *testing.T) {
		ed.post(path, url.Values{"language": {"de"}, "title": {"x"}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example").
			want(t, http.StatusForbidden)
		if _, ok := stored()["de"]; ok {
			t.Error("a cross-site form added a language")
		}
	})
	t.Run("refuses an editor of another enterprise", func(t *testing.T) {
		ed.get("/admin/enterprises/riverside/translations").want(t, http.StatusForbidden)
		ed.post("/admin/enterprises/riverside/translations", url.Values{"language": {"es"}, "title": {"x"}}).want(t, http.StatusForbidden)
	})
	t.Run("removes a language", func(t *testing.T) {
		ed.post(path+"/es/delete", nil).want(t, http.StatusSeeOther)
		if len(stored()) != 0 {
			t.Errorf("stored %+v", stored())
		}
		ed.post(path+"/es/delete", nil).want(t, http.StatusNotFound)
	})
	t.Run("translates a listing and an announcement", func(t *testing.T) {
		l := &directory.Listing{Type: directory.Offer, Title: "Chairs", Category: "goods"}
		if err := e.svc.CreateListing(sys, "shakyhands", l); err != nil {
			t.Fatal(err)
		}
		lp := "/admin/listings/" + idText(l.ID)
		ed.get(lp).want(t, http.StatusOK).has(t, lp+"/translations")
		ed.post(lp+"/translations", url.Values{"language": {"es"}, "title": {"Sillas"}}).want(t, http.StatusSeeOther)
		a := &directory.Announcement{Content: "Open today"}
		if err := e.svc.CreateAnnouncement(sys, "shakyhands", a); err != nil {
			t.Fatal(err)
		}
		ap := "/admin/announcements/" + idText(a.ID)
		ed.get(ap).want(t, http.StatusOK).has(t, ap+"/translations")
		ed.post(ap+"/translations", url.Values{"language": {"es"}, "text": {"Abierto hoy"}}).want(t, http.StatusSeeOther)
		gl, _ := e.svc.Listing(sys, l.ID)
		ga, _ := e.svc.Announcement(sys, a.ID)
		if gl.Translations["es"].Title != "Sillas" || ga.Translations["es"].Text != "Abierto hoy" {
			t.Errorf("listing %+v, announcement %+v", gl.Translations, ga.Translations)
		}
	})
}
