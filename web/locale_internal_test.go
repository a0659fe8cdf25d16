package web

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAcceptedLocale(t *testing.T) {
	for header, want := range map[string]string{
		"es":                       "es",
		"pt-BR,pt;q=0.9,en;q=0.8":  "pt",
		"de-CH":                    "de",
		"fr-CA;q=0.5, es;q=0.9":    "es",
		"zh-CN":                    "",
		"":                         "",
		"!!!;;q=abc":               "",
		"en;q=nope":                "",
		strings.Repeat("es,", 400): "",
		"*":                        "",
	} {
		got := ""
		if l := acceptedLocale(header); l != nil {
			got = l.Code
		}
		if got != want {
			t.Errorf("acceptedLocale(%.40q) = %q, want %q", header, got, want)
		}
	}
}

func TestRequestedLocale(t *testing.T) {
	for _, c := range []struct{ name, target, cookie, accept, want string }{
		{"the address beats the cookie", "/?lang=pt", "es", "de", "pt"},
		{"the cookie beats Accept-Language", "/", "es", "de", "es"},
		{"Accept-Language when nothing was chosen", "/", "", "de", "de"},
		{"junk in ?lang is ignored", "/?lang=%3Cscript%3E", "", "fr", "fr"},
		{"a bad cookie is ignored", "/", "xx\"<b>", "fr", "fr"},
		{"nothing asked for", "/?lang=", "", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", c.target, nil)
			if c.cookie != "" {
				r.Header.Set("Cookie", langCookie+"="+c.cookie)
			}
			if c.accept != "" {
				r.Header.Set("Accept-Language", c.accept)
			}
			got := ""
			if l := requestedLocale(r); l != nil {
				got = l.Code
			}
			if got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestLocalNext(t *testing.T) {
	for next, want := range map[string]string{
		"/directory?q=wood&lang=fr": "/directory?q=wood",
		"/":                         "/",
		"//evil.example/x":          "/",
		"https://evil.example/":     "/",
		"/\\evil.example":           "/",
		"javascript:alert(1)":       "/",
		"":                          "/",
		"/a\r\nSet-Cookie: x":       "/",
		"/enterprises/shaky#x":      "/enterprises/shaky",
	} {
		if got := localNext(next); got != want {
			t.Errorf("localNext(%q) = %q, want %q", next, got, want)
		}
	}
}

func TestLocaleFormats(t *testing.T) {
	day := time.Date(2026, 3, 5, 14, 7, 0, 0, time.UTC)
	km, far, qty := 2.54, 12.6, 1234.5
	for code, want := range map[string][3]string{
		"en": {"5 March 2026", "2.5 km", "1,234.5"},
		"es": {"5 de marzo de 2026", "2,5 km", "1.234,5"},
		"fr": {"5 mars 2026", "2,5 km", "1\u00a0234,5"},
		"pt": {"5 de março de 2026", "2,5 km", "1.234,5"},
		"de": {"5. März 2026", "2,5 km", "1.234,5"},
	} {
		l := localeByCode[code]
		if got := l.date(day); got != want[0] {
			t.Errorf("%s date = %q, want %q", code, got, want[0])
		}
		if got := l.km(&km); got != want[1] {
			t.Errorf("%s km = %q, want %q", code, got, want[1])
		}
		if got := l.km(&far); !strings.HasPrefix(got, "13") {
			t.Errorf("%s km(12.6) = %q, want 13 km", code, got)
		}
		if got := l.number(&qty); got != want[2] {
			t.Errorf("%s number = %q, want %q", code, got, want[2])
		}
	}
	if got := localeByCode["en"].moment(day); got != "5 March 2026, 14:07 UTC" {
		t.Errorf("moment = %q", got)
	}
}

func TestSprintfLeavesUnknownTextAlone(t *testing.T) {
	l := localeByCode["es"]
	if got := l.sprintf("100% Co-op"); got != "100% Co-op" {
		t.Errorf("a name with %% became %q", got)
	}
	if got := l.sprintHTML("<strong>%d</strong> enterprises", 3); !strings.Contains(string(got), "<strong>3</strong>") {
		t.Errorf("sprintHTML = %q", got)
	}
	if got := l.sprintHTML("Announcement by <a href=\"%s\">%s</a>", "/e/x", "<b>"); strings.Contains(string(got), "<b>") {
		t.Errorf("sprintHTML did not escape its argument: %q", got)
	}
}

func TestPluralForms(t *testing.T) {
	en := localeByCode["en"]
	if got := en.sprintf("%d enterprises", 1); got != "1 enterprise" {
		t.Errorf("one = %q", got)
	}
	if got := en.sprintf("%d enterprises", 3); got != "3 enterprises" {
		t.Errorf("other = %q", got)
	}
	if got := en.sprintf("Using %s, found in %d listed addresses.", "Milwaukee", 1); got != "Using Milwaukee, found in 1 listed address." {
		t.Errorf("second argument counted = %q", got)
	}
	if got := en.sprintf("Show needs with %d filters", 1); got != "Show needs with this filter" {
		t.Errorf("form without the count = %q", got)
	}
}

func TestTranslateMessage(t *testing.T) {
	es := localeByCode["es"]
	for in, want := range map[string]string{
		"is required":                      es.sprintf("is required"),
		"must be at most 100 characters":   es.sprintf("must be at most %d characters", 100),
		"Must be at most 100 characters":   capitalize(es.sprintf("must be at most %d characters", 100)),
		"is required; must be valid UTF-8": es.sprintf("is required") + "; " + es.sprintf("must be valid UTF-8"),
		"Kind: Worker co-op":               es.sprintf("Kind: %s", es.sprintf("Worker co-op")),
		"something no catalog knows, 100%": "something no catalog knows, 100%",
	} {
		if got := es.translateMessage(in); got != want {
			t.Errorf("translateMessage(%q) = %q, want %q", in, got, want)
		}
	}
	if es.translateMessage("is required") == "is required" {
		t.Error("is required has no Spanish translation")
	}
	// A year is no quantity: German and French group thousands ("2.026").
	for _, code := range []string{"de", "fr", "es", "pt"} {
		got := localeByCode[code].translateMessage("must be a year between 1700 and 2026")
		if !strings.Contains(got, "2026") || got == "must be a year between 1700 and 2026" {
			t.Errorf("%s: the founding year's range reads %q", code, got)
		}
	}
}

func TestLanguageNames(t *testing.T) {
	for code, want := range map[string]string{"en": "English, Spanish", "es": "inglés, español", "de": "Englisch, Spanisch"} {
		if got := localeByCode[code].languageNames([]string{"en", "es"}); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	if got := localeByCode["fr"].languageNames([]string{"<b>"}); got != "<b>" {
		t.Errorf("a code that does not parse became %q", got)
	}
}

func TestCounts(t *testing.T) {
	for code, want := range map[string]string{"en": "12,345+", "de": "12.345+", "es": "12.345+"} {
		if got := localeByCode[code].count(12345, true); got != want {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	if got := localeByCode["en"].count(7, false); got != "7" {
		t.Errorf("count(7) = %q", got)
	}
}

func TestTranslateComposedPartnerWords(t *testing.T) {
	es := localeByCode["es"]
	for in, want := range map[string]string{
		"Jackson, Mississippi, United States (170,674 people)":                    "Jackson, Mississippi, United States (170,674 habitantes)",
		"1 enterprise, 3 needs and offers":                                        "1 organización, 3 necesidades y ofertas",
		"Enterprises of the kinds Worker co-op, Union; needs and offers in Tools": "Organizaciones de los tipos Cooperativa de trabajo, Sindicato; necesidades y ofertas en Herramientas",
	} {
		if got := es.translateMessage(in); got != want {
			t.Errorf("translateMessage(%q) = %q, want %q", in, got, want)
		}
	}
}
