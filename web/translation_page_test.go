package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestPagesShowTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	sys := directory.AsSystem(context.Background())
	langs := []string{"en"}
	if _, err := e.svc.UpdateEnterprise(sys, "shakyhands", directory.EnterpriseUpdate{Languages: &langs}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetEnterpriseTranslation(sys, "shakyhands", "es", directory.Translation{
		Title: "Carpintería Manos", Text: "Construimos cosas **sólidas**."}); err != nil {
		t.Fatal(err)
	}
	l := &directory.Listing{Type: directory.Offer, Title: "Chairs", Category: "goods", Description: "Sturdy"}
	if err := e.svc.CreateListing(sys, "shakyhands", l); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetListingTranslation(sys, l.ID, "es", directory.Translation{Title: "Sillas", Text: "Resistentes"}); err != nil {
		t.Fatal(err)
	}
	a := &directory.Announcement{Content: "Open today"}
	if err := e.svc.CreateAnnouncement(sys, "shakyhands", a); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SetAnnouncementTranslation(sys, a.ID, "es", "Abierto hoy"); err != nil {
		t.Fatal(err)
	}
	b := e.browser()

	t.Run("the enterprise page in its main language links the others", func(t *testing.T) {
		b.get("/enterprises/shakyhands").want(t, http.StatusOK).
			has(t, "Shaky Hands Carpentry", "Also in:", `href="/enterprises/shakyhands?lang=es"`, "Español").
			lacks(t, "Carpintería Manos")
	})
	t.Run("the enterprise page in Spanish", func(t *testing.T) {
		b.get("/enterprises/shakyhands?lang=es").want(t, http.StatusOK).
			has(t, "Carpintería Manos", "<strong>sólidas</strong>", `href="/enterprises/shakyhands?lang=en"`, "English", "Sillas")
	})
	t.Run("a language it lacks shows the main one", func(t *testing.T) {
		b.get("/enterprises/shakyhands?lang=fr").want(t, http.StatusOK).has(t, "Shaky Hands Carpentry")
		b.get("/enterprises/shakyhands?lang=%3Cscript%3E").want(t, http.StatusOK).has(t, "Shaky Hands Carpentry")
	})
	t.Run("the listing and announcement pages", func(t *testing.T) {
		b.get("/listings/"+idText(l.ID)+"?lang=es").want(t, http.StatusOK).has(t, "Sillas", "Resistentes", "English")
		b.get("/listings/"+idText(l.ID)).want(t, http.StatusOK).has(t, "Chairs", "Español")
		b.get("/announcements/"+idText(a.ID)+"?lang=es").want(t, http.StatusOK).has(t, "Abierto hoy")
		b.get("/announcements/"+idText(a.ID)).want(t, http.StatusOK).has(t, "Open today", "Español")
		b.get("/announcements?lang=es").want(t, http.StatusOK).has(t, "Abierto hoy")
		b.get("/enterprises/shakyhands?lang=es").want(t, http.StatusOK).has(t, "Abierto hoy")
		b.get("/?lang=es").want(t, http.StatusOK).has(t, "Abierto hoy")
	})
	t.Run("an entry without a main language links back to its original", func(t *testing.T) {
		if _, err := e.svc.SetEnterpriseTranslation(sys, "riverside", "es", directory.Translation{Title: "Biblioteca de Herramientas"}); err != nil {
			t.Fatal(err)
		}
		b.get("/enterprises/riverside?lang=es").want(t, http.StatusOK).
			has(t, "Biblioteca de Herramientas", `<a href="/enterprises/riverside">Original</a>`)
		b.get("/enterprises/riverside").want(t, http.StatusOK).has(t, "Riverside Tool Library", `hreflang="es"`)
	})
	t.Run("the directory cards", func(t *testing.T) {
		b.get("/directory?lang=es").want(t, http.StatusOK).has(t, "Carpintería Manos")
		b.get("/directory").want(t, http.StatusOK).has(t, "Shaky Hands Carpentry").lacks(t, "Carpintería Manos")
	})
}
