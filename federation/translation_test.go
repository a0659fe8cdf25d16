package federation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/federation/ap"
	"github.com/coopdir/coopdir/federation/ap/aptest"
)

func TestContentMapPutsTheMainLanguageFirst(t *testing.T) {
	u := fixtureURLs(t)
	a := aptest.BilingualAnnouncement()
	a.Language = "es" // sorted, "en" would come first
	a.Translations = aptest.Spanish("", "unused")
	a.Translations["en"], a.Translations["es"] = a.Translations["es"], a.Translations["en"]
	delete(a.Translations, "es")
	doc, err := AnnouncementNote(u, a)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ap.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	es, en := bytes.Index(raw, []byte(`"es":`)), bytes.Index(raw, []byte(`"en":`))
	if es < 0 || en < 0 || es > en {
		t.Errorf("contentMap of %s: want es (main) before en", raw)
	}
}

func TestEnterpriseEntryCarriesTranslations(t *testing.T) {
	u := fixtureURLs(t)
	doc, err := EnterpriseEntry(u, aptest.BilingualEnterprise())
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ap.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeEnterprise(raw)
	if err != nil {
		t.Fatal(err)
	}
	e, err := d.Enterprise(aptest.Later)
	if err != nil {
		t.Fatal(err)
	}
	es := e.Translations["es"]
	if len(e.Translations) != 1 || es.Title != "Panadería Manos Temblorosas" ||
		es.TextHTML != "<p>Una panadería de sus trabajadores.</p>" || !strings.Contains(es.Text, "panadería") {
		t.Errorf("translations = %+v", e.Translations)
	}
}

func TestReceivedTranslationsDropTheBadOnes(t *testing.T) {
	u := fixtureURLs(t)
	doc, err := EnterpriseEntry(u, aptest.BilingualEnterprise())
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]any{
		"en":         "Shaky Hands Bakery",
		"not a tag!": "x",
		"es":         42,
		"fr":         strings.Repeat("x", 101),
		"de":         "Bäckerei",
	}
	for i := range 30 {
		names[fmt.Sprintf("x-%d", i)] = "private use is no language"
	}
	for _, tag := range []string{"ar", "bn", "ca", "cs", "da", "el", "fa", "fi", "he", "hi", "hu", "id", "it", "ja", "ko", "nl", "pl", "pt", "ru", "sv", "tr", "uk"} {
		names[tag] = "Name " + tag
	}
	doc["nameMap"] = names
	doc["summaryMap"] = map[string]any{"es": nil}
	raw, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeEnterprise(raw)
	if err != nil {
		t.Fatal(err)
	}
	e, err := d.Enterprise(aptest.Later)
	if err != nil {
		t.Fatalf("one bad language cost the entry: %v", err)
	}
	if len(e.Translations) != 20 || e.Translations["de"].Title != "Bäckerei" {
		t.Errorf("kept %d: %v", len(e.Translations), e.Translations.Languages())
	}
	for _, bad := range []string{"en", "es", "fr", "not a tag!"} {
		if _, ok := e.Translations[bad]; ok {
			t.Errorf("kept %q", bad)
		}
	}
	if len(d.Dropped) == 0 {
		t.Error("dropped nothing")
	}
}
