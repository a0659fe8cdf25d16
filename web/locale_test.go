package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// htmlLang reads the <html lang> of a page.
func htmlLang(body []byte) string {
	s := string(body)
	i := strings.Index(s, `<html lang="`)
	if i < 0 {
		return ""
	}
	s = s[i+len(`<html lang="`):]
	return s[:strings.IndexByte(s, '"')]
}

func setDefaultLanguage(t *testing.T, e *env, code string) {
	t.Helper()
	name := "Cooperation Test"
	u := directory.SettingsUpdate{NetworkName: &name, DefaultLanguage: &code}
	if _, err := e.svc.UpdateSettings(directory.AsSystem(context.Background()), u); err != nil {
		t.Fatal(err)
	}
}

func TestLanguageNegotiation(t *testing.T) {
	e := newEnv(t)
	setDefaultLanguage(t, e, "fr")
	b := e.browser()
	for _, c := range []struct {
		name, path string
		headers    []string
		want       string
	}{
		{"the instance's default when nothing is asked", "/", nil, "fr"},
		{"Accept-Language beats the default", "/", []string{"Accept-Language", "de-DE,de;q=0.9"}, "de"},
		{"a language we do not speak falls to the default", "/", []string{"Accept-Language", "zh-CN"}, "fr"},
		{"a malformed Accept-Language is ignored", "/", []string{"Accept-Language", "!!;q=x,,"}, "fr"},
		{"the cookie beats Accept-Language", "/", []string{"Accept-Language", "de", "Cookie", "coopdir_lang=es"}, "es"},
		{"a bad cookie is ignored", "/", []string{"Accept-Language", "de", "Cookie", "coopdir_lang=../../x"}, "de"},
		{"?lang beats the cookie", "/directory?lang=pt", []string{"Cookie", "coopdir_lang=es"}, "pt"},
		{"junk in ?lang is ignored", "/directory?lang=%22%3E%3Cx", []string{"Accept-Language", "es"}, "es"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := b.do(http.MethodGet, c.path, "", nil, c.headers...).want(t, http.StatusOK)
			if got := htmlLang(r.Body); got != c.want {
				t.Errorf("<html lang> = %q, want %q", got, c.want)
			}
			if got := r.Header.Get("Content-Language"); got != c.want {
				t.Errorf("Content-Language = %q, want %q", got, c.want)
			}
			vary := strings.Join(r.Header.Values("Vary"), ", ")
			if !strings.Contains(vary, "Accept-Language") || !strings.Contains(vary, "Cookie") {
				t.Errorf("Vary = %q: caches could serve this page to readers of another language", vary)
			}
		})
	}
}

func TestLanguageSwitcher(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	t.Run("every page offers the languages and links each", func(t *testing.T) {
		page := string(b.get("/directory?q=wood").want(t, http.StatusOK).Body)
		for _, want := range []string{`<link rel="alternate" hreflang="es" href="` + e.srv.URL + `/directory?lang=es">`,
			`<button type="submit" name="lang" value="de" lang="de"`, `name="next" value="/directory?q=wood"`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %s", want)
			}
		}
	})
	t.Run("a choice is remembered and leads back", func(t *testing.T) {
		r := b.post("/language", url.Values{"lang": {"es"}, "next": {"/directory?q=wood&lang=fr"}}).want(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/directory?q=wood" {
			t.Errorf("Location = %q", loc)
		}
		page := b.get("/directory?q=wood").want(t, http.StatusOK)
		if got := htmlLang(page.Body); got != "es" {
			t.Errorf("after choosing Spanish, <html lang> = %q", got)
		}
		if !strings.Contains(string(page.Body), ">Directorio<") {
			t.Error("the Spanish page does not say Directorio")
		}
	})
	t.Run("a return address elsewhere leads home", func(t *testing.T) {
		for _, next := range []string{"//evil.example/", "https://evil.example/", "/\\evil.example"} {
			r := b.post("/language", url.Values{"lang": {"de"}, "next": {next}}).want(t, http.StatusSeeOther)
			if loc := r.Header.Get("Location"); loc != "/" {
				t.Errorf("next %q led to %q", next, loc)
			}
		}
	})
	t.Run("an unknown language changes nothing", func(t *testing.T) {
		r := b.post("/language", url.Values{"lang": {"xx"}, "next": {"/"}}).want(t, http.StatusBadRequest)
		if c := r.Header.Get("Set-Cookie"); strings.Contains(c, "coopdir_lang") {
			t.Errorf("set %q", c)
		}
		if got := htmlLang(b.get("/").Body); got != "de" {
			t.Errorf("the language chosen before was lost: %q", got)
		}
	})
}

func TestPagesInEveryLanguage(t *testing.T) {
	e := newEnv(t)
	words := map[string][]string{ // the navigation's "Directory", the kind of shakyhands
		"en": {">Directory<", "Worker co-op"},
		"es": {">Directorio<", "Cooperativa de trabajo"},
		"fr": {">Annuaire<", "Coopérative de travail"},
		"pt": {">Diretório<", "Cooperativa de trabalho"},
		"de": {">Verzeichnis<", "Arbeiterkooperative"},
	}
	for _, code := range directory.Languages {
		for _, path := range []string{"/", "/directory", "/board", "/map", "/enterprises/shakyhands", "/announcements", "/login", "/help/follow", "/nowhere"} {
			r := e.do(http.MethodGet, path+"?lang="+code, "", "", "")
			if r.Status != http.StatusOK && r.Status != http.StatusNotFound {
				t.Errorf("%s %s: status %d", code, path, r.Status)
			}
			if got := htmlLang(r.Body); got != code {
				t.Errorf("%s %s: <html lang> = %q", code, path, got)
			}
			if !strings.Contains(string(r.Body), words[code][0]) {
				t.Errorf("%s %s: lacks %s", code, path, words[code][0])
			}
			if i := strings.Index(string(r.Body), "%!"); i >= 0 {
				t.Errorf("%s %s: a message lost its arguments: %s", code, path, r.Body[i:min(i+80, len(r.Body))])
			}
		}
		page := string(e.get("/directory?lang=" + code).Body)
		if !strings.Contains(page, words[code][1]) {
			t.Errorf("%s: the directory does not name the kind %q", code, words[code][1])
		}
	}
}

func TestProblemDetailsInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	req := func(lang string) problemDoc {
		r := e.do(http.MethodPost, "/api/v1/enterprises?lang="+lang, e.admin, "application/json", `{"handle":"x y","name":"","kind":"worker_coop"}`)
		return r.problem(t, http.StatusUnprocessableEntity)
	}
	en, es := req("en"), req("es")
	_, enMsg := en.field(t, "name")
	_, esMsg := es.field(t, "name")
	if enMsg != "is required" {
		t.Errorf("English message = %q", enMsg)
	}
	if esMsg == enMsg || esMsg == "" {
		t.Errorf("Spanish message = %q", esMsg)
	}
}

func TestAdminPagesInEveryLanguage(t *testing.T) {
	e := newEnv(t)
	ad := e.browser().signIn("admin@test.example")
	paths := []string{"/admin", "/admin/account", "/admin/settings", "/admin/users", "/admin/enterprises/new",
		"/admin/enterprises/shakyhands", "/admin/enterprises/shakyhands/listings/new", "/admin/enterprises/shakyhands/announcements/new",
		"/admin/enterprises/shakyhands/following", "/admin/enterprises/shakyhands/feed", "/admin/enterprises/shakyhands/responses",
		"/admin/enterprises/shakyhands/matches", "/admin/enterprises/shakyhands/delete", "/admin/reports", "/admin/partners", "/admin/blocks"}
	saveWords := map[string]string{"en": "Save the profile", "es": "Guardar el perfil", "fr": "Enregistrer le profil", "pt": "Salvar o perfil", "de": "Profil speichern"}
	for _, code := range directory.Languages {
		for _, path := range paths {
			r := ad.get(path + "?lang=" + code)
			if r.Status != http.StatusOK {
				t.Errorf("%s %s: status %d", code, path, r.Status)
				continue
			}
			if got := htmlLang(r.Body); got != code {
				t.Errorf("%s %s: <html lang> = %q", code, path, got)
			}
			if i := strings.Index(string(r.Body), "%!"); i >= 0 {
				t.Errorf("%s %s: a message lost its arguments: %s", code, path, r.Body[i:min(i+80, len(r.Body))])
			}
		}
		page := string(ad.get("/admin/enterprises/shakyhands?lang=" + code).Body)
		if !strings.Contains(page, saveWords[code]) {
			t.Errorf("%s: the profile form lacks %q", code, saveWords[code])
		}
	}
}

func TestSearchProblemsInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	page := string(e.get("/directory?lang=es&within_km=lejos").Body)
	if !strings.Contains(page, "Radio: debe ser una distancia en kilómetros como 25") {
		t.Errorf("the search problem is not in Spanish:\n%s", page)
	}
}

func TestFeedsInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	e.send(http.MethodPost, "/api/v1/listings", e.editor,
		`{"enterprise":"shakyhands","type":"need","title":"Walnut offcuts","category":"goods"}`).want(t, http.StatusCreated)
	feed := string(e.get("/feeds/needs.atom?lang=es").want(t, http.StatusOK).Body)
	for _, want := range []string{": necesidades</title>", "<title>Necesidad: Walnut offcuts</title>", `label="Bienes"`} {
		if !strings.Contains(feed, want) {
			t.Errorf("the Spanish feed lacks %s:\n%s", want, feed)
		}
	}
	if en := string(e.get("/feeds/needs.atom").Body); !strings.Contains(en, "<title>Need: Walnut offcuts</title>") {
		t.Errorf("the English feed changed:\n%s", en)
	}
}

func TestComposedTitlesAndHintsInTheReadersLanguage(t *testing.T) {
	e := newEnv(t)
	search := string(e.get("/directory?lang=de&q=wood").Body)
	if !strings.Contains(search, "<title>Verzeichnis: “wood” · ") {
		t.Error("the search page's title is not in German")
	}
	page := string(e.get("/enterprises/shakyhands?lang=de").Body)
	if !strings.Contains(page, "Höchstens 5.000 Zeichen.") {
		t.Error("the Respond form's hint is not in German")
	}
}
