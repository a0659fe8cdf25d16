package directory_test

import (
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestEnterpriseTranslations(t *testing.T) {
	svc := newService(t)
	e := mustCreate(t, svc, "flora")
	langs := []string{"en", "es"}
	_, err := svc.UpdateEnterprise(sys, "flora", directory.EnterpriseUpdate{Languages: &langs})
	must(t, err)
	editor := asUser(t, svc, "ed@example.org", directory.RoleEditor, "flora")
	mustCreate(t, svc, "other")
	outsider := asUser(t, svc, "out@example.org", directory.RoleEditor, "other")

	t.Run("sets a translation in canonical form, renders it and publishes an update", func(t *testing.T) {
		last := lastEvent(t, svc)
		got, err := svc.SetEnterpriseTranslation(editor, "flora", "PT-br", directory.Translation{
			Title: "  Flora  Cooperativa ", Text: "Nós **pintamos**. <script>x</script>"})
		must(t, err)
		tr, ok := got.Translations["pt-BR"]
		if !ok || tr.Title != "Flora Cooperativa" || !strings.Contains(tr.TextHTML, "<strong>pintamos</strong>") || strings.Contains(tr.TextHTML, "<script") {
			t.Fatalf("translations = %+v", got.Translations)
		}
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventEnterpriseUpdated {
			t.Errorf("events = %v", evs)
		}
		stored, _ := svc.Enterprise(sys, "flora")
		if stored.Translations["pt-BR"].Title != "Flora Cooperativa" || stored.Name != e.Name {
			t.Errorf("stored %q, %+v", stored.Name, stored.Translations)
		}
	})

	for name, c := range map[string]struct {
		lang  string
		tr    directory.Translation
		field string
	}{
		"refuses a bad tag":              {"not a tag!", directory.Translation{Title: "x"}, "language"},
		"refuses an unknown language":    {"qqq-zz-9999999999", directory.Translation{Title: "x"}, "language"},
		"refuses the main language":      {"EN", directory.Translation{Title: "x"}, "language"},
		"refuses a huge text":            {"es", directory.Translation{Title: "x", Text: strings.Repeat("a", 5001)}, "text"},
		"refuses a long name":            {"es", directory.Translation{Title: strings.Repeat("a", 101)}, "title"},
		"refuses an empty translation":   {"es", directory.Translation{Title: "  "}, "text"},
		"refuses text that is not UTF-8": {"es", directory.Translation{Title: "a\xff"}, "title"},
	} {
		t.Run(name+", changing nothing", func(t *testing.T) {
			last := lastEvent(t, svc)
			_, err := svc.SetEnterpriseTranslation(editor, "flora", c.lang, c.tr)
			wantFields(t, err, c.field)
			if evs := eventsSince(t, svc, last); len(evs) != 0 {
				t.Errorf("events = %v", evs)
			}
			stored, _ := svc.Enterprise(sys, "flora")
			if len(stored.Translations) != 1 {
				t.Errorf("translations = %+v", stored.Translations)
			}
		})
	}

	t.Run("refuses someone who may not edit the enterprise", func(t *testing.T) {
		_, err := svc.SetEnterpriseTranslation(outsider, "flora", "es", directory.Translation{Title: "Flora"})
		wantCode(t, err, directory.EFORBIDDEN)
	})

	t.Run("refuses a 21st language", func(t *testing.T) {
		svc := newService(t)
		mustCreate(t, svc, "many")
		tags := []string{"ar", "bn", "ca", "cs", "da", "de", "el", "es", "fa", "fi", "fr", "he", "hi", "hu", "id", "it", "ja", "ko", "nl", "pl"}
		for _, tag := range tags {
			_, err := svc.SetEnterpriseTranslation(sys, "many", tag, directory.Translation{Title: "x " + tag})
			must(t, err)
		}
		_, err := svc.SetEnterpriseTranslation(sys, "many", "pt", directory.Translation{Title: "x"})
		wantFields(t, err, "language")
	})

	t.Run("removes a translation, and says when there is none", func(t *testing.T) {
		last := lastEvent(t, svc)
		got, err := svc.RemoveEnterpriseTranslation(editor, "flora", "pt-br")
		must(t, err)
		if len(got.Translations) != 0 {
			t.Errorf("translations = %+v", got.Translations)
		}
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventEnterpriseUpdated {
			t.Errorf("events = %v", evs)
		}
		_, err = svc.RemoveEnterpriseTranslation(editor, "flora", "pt-BR")
		wantCode(t, err, directory.ENOTFOUND)
	})
}

func TestListingAndAnnouncementTranslations(t *testing.T) {
	svc := newService(t)
	mustCreate(t, svc, "flora")
	langs := []string{"es"}
	_, err := svc.UpdateEnterprise(sys, "flora", directory.EnterpriseUpdate{Languages: &langs})
	must(t, err)
	l := &directory.Listing{Type: directory.Offer, Title: "Pan", Category: "food", Status: directory.StatusOpen}
	must(t, svc.CreateListing(sys, "flora", l))
	a := &directory.Announcement{Content: "Hola"}
	must(t, svc.CreateAnnouncement(sys, "flora", a))

	t.Run("translates a listing and publishes an update", func(t *testing.T) {
		last := lastEvent(t, svc)
		got, err := svc.SetListingTranslation(sys, l.ID, "en", directory.Translation{Title: "Bread", Text: "Fresh *daily*"})
		must(t, err)
		if got.Translations["en"].Title != "Bread" || !strings.Contains(got.Translations["en"].TextHTML, "<em>daily</em>") {
			t.Errorf("translations = %+v", got.Translations)
		}
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventListingUpdated {
			t.Errorf("events = %v", evs)
		}
		_, err = svc.SetListingTranslation(sys, l.ID, "es", directory.Translation{Title: "Pan"})
		wantFields(t, err, "language")
		_, err = svc.SetListingTranslation(sys, l.ID, "en", directory.Translation{Title: strings.Repeat("b", 141)})
		wantFields(t, err, "title")
		got, err = svc.RemoveListingTranslation(sys, l.ID, "en")
		must(t, err)
		if len(got.Translations) != 0 {
			t.Errorf("after removal %+v", got.Translations)
		}
	})

	t.Run("translates an announcement and publishes an update", func(t *testing.T) {
		last := lastEvent(t, svc)
		got, err := svc.SetAnnouncementTranslation(sys, a.ID, "en", "Hello")
		must(t, err)
		if got.Translations["en"].TextHTML != "<p>Hello</p>\n" && !strings.Contains(got.Translations["en"].TextHTML, "Hello") {
			t.Errorf("translations = %+v", got.Translations)
		}
		if evs := eventsSince(t, svc, last); len(evs) != 1 || evs[0] != directory.EventAnnouncementUpdated {
			t.Errorf("events = %v", evs)
		}
		_, err = svc.SetAnnouncementTranslation(sys, a.ID, "en", strings.Repeat("x", directory.MaxAnnouncementLength+1))
		wantFields(t, err, "text")
		_, err = svc.SetAnnouncementTranslation(sys, a.ID, "fr", "")
		wantFields(t, err, "text")
		stored, _ := svc.Announcement(sys, a.ID)
		if len(stored.Translations) != 1 || stored.Translations["en"].Text != "Hello" {
			t.Errorf("stored %+v", stored.Translations)
		}
	})
}

func TestCleanTranslations(t *testing.T) {
	in := directory.Translations{
		"es":       {Title: "Bien"},
		"EN":       {Title: "main language"},
		"bad tag!": {Title: "x"},
		"fr":       {Title: strings.Repeat("x", 101)},
		"de":       {Text: "Gut"},
	}
	kept, dropped := directory.CleanTranslations(in, "en", directory.EnterpriseTranslationLimits)
	if len(kept) != 2 || kept["es"].Title != "Bien" || kept["de"].Text != "Gut" {
		t.Errorf("kept %+v", kept)
	}
	if len(dropped) != 3 {
		t.Errorf("dropped %v", dropped)
	}
}
