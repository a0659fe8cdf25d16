package web_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// vcardLines unfolds a vCard and returns its content lines, checking the
// line lengths and breaks on the way.
func vcardLines(t *testing.T, card string) []string {
	t.Helper()
	if !strings.HasSuffix(card, "\r\n") || strings.Contains(strings.ReplaceAll(card, "\r\n", ""), "\n") {
		t.Fatalf("lines do not all end in CRLF:\n%q", card)
	}
	for _, l := range strings.Split(strings.TrimSuffix(card, "\r\n"), "\r\n") {
		if len(l) > 75 || !utf8.ValidString(l) {
			t.Errorf("badly folded line (%d octets): %q", len(l), l)
		}
	}
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(card, "\r\n ", ""), "\r\n"), "\r\n")
}

func TestEnterpriseVCard(t *testing.T) {
	e := newEnv(t)
	e.send(http.MethodPatch, "/api/v1/enterprises/shakyhands", e.admin, `{"phone":"+1 414 555 0100"}`).want(t, http.StatusOK)
	self := e.srv.URL + "/enterprises/shakyhands"

	t.Run("is linked from the page", func(t *testing.T) {
		contains(t, e.page(t, "/enterprises/shakyhands", http.StatusOK), `href="/enterprises/shakyhands/vcard"`, "Add to contacts")
	})
	t.Run("serves the enterprise as a vCard 4.0", func(t *testing.T) {
		r := e.get("/enterprises/shakyhands/vcard").want(t, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); ct != "text/vcard; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="shakyhands.vcf"` {
			t.Errorf("Content-Disposition %q", cd)
		}
		lines := vcardLines(t, string(r.Body))
		if lines[0] != "BEGIN:VCARD" || lines[1] != "VERSION:4.0" || lines[len(lines)-1] != "END:VCARD" {
			t.Errorf("not a vCard 4.0: %q", lines)
		}
		for _, want := range []string{
			"FN:Shaky Hands Carpentry", "ORG:Shaky Hands Carpentry", "KIND:org", "UID:" + self,
			"SOURCE:" + self + "/vcard", "URL;TYPE=work:https://shaky.example", "URL;PREF=100:" + self,
			"EMAIL;TYPE=work:hello@shaky.example", "TEL;VALUE=uri;TYPE=work:tel:+1-414-555-0100",
			`ADR;LABEL="Milwaukee, WI";TYPE=work:;;;Milwaukee;WI;;`, "GEO:geo:43.04,-87.91", "NOTE:We build sturdy things.",
		} {
			if !slices.Contains(lines, want) {
				t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
			}
		}
	})
	t.Run("escapes and folds hostile fields", func(t *testing.T) {
		long := strings.Repeat("Coopérative 協同組合 🌱; ", 30)
		e.send(http.MethodPatch, "/api/v1/enterprises/shakyhands", e.admin,
			`{"name":"Evil; Name, Inc\\","summary":"`+long+`\n\nSecond paragraph","phone":"(414) 555-0100","location":{"address":"1 Main St; Apt 2, Milwaukee, WI 53202"}}`).want(t, http.StatusOK)
		lines := vcardLines(t, string(e.get("/enterprises/shakyhands/vcard").want(t, http.StatusOK).Body))
		for _, want := range []string{
			`FN:Evil\; Name\, Inc\\`, `ORG:Evil\; Name\, Inc\\`, "TEL;VALUE=text;TYPE=work:(414) 555-0100",
			`ADR;LABEL="1 Main St; Apt 2, Milwaukee, WI 53202";TYPE=work:;;1 Main St\; Apt 2;Milwaukee;WI;53202;United States`,
		} {
			if !slices.Contains(lines, want) {
				t.Errorf("no line %q in\n%s", want, strings.Join(lines, "\n"))
			}
		}
		var note string
		for _, l := range lines {
			if strings.HasPrefix(l, "NOTE:") {
				note = l
			}
		}
		if !strings.HasPrefix(note, `NOTE:Coopérative 協同組合 🌱\; Coopérative`) || !strings.HasSuffix(note, "Second paragraph") {
			t.Errorf("note %q", note)
		}
	})
	t.Run("is not found for an unknown enterprise, nor for a partner's, which has no page here", func(t *testing.T) {
		e.seedRemote("mill", "coop.example")
		e.get("/enterprises/nobody/vcard").want(t, http.StatusNotFound)
		e.get("/enterprises/mill").want(t, http.StatusNotFound)
		e.get("/enterprises/mill/vcard").want(t, http.StatusNotFound)
	})
}
