package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/go-chi/chi/v5"
)

// enterpriseVCardPath is the vCard of a local enterprise. A handle may hold
// a dot, so "/enterprises/{handle}.vcf" would be the page of another
// handle; the card lives under the enterprise's address instead.
func enterpriseVCardPath(handle string) string { return enterprisePath(handle) + "/vcard" }

// enterpriseVCard answers GET /enterprises/{handle}/vcard: the enterprise
// as a vCard 4.0, to add to an address book. Partner enterprises have no
// page here, so no card either: their own instance serves it.
func (s *server) enterpriseVCard(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.Enterprise(r.Context(), chi.URLParam(r, "handle"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/vcard; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+e.Handle+`.vcf"`)
	w.Header().Set("Cache-Control", cachePublic)
	_, _ = w.Write([]byte(s.vcardOf(e)))
}

// vcardOf writes enterprise e as a vCard: its name, website and page,
// email, phone, address and point, and its summary as the note. UID is
// its ActivityPub actor id, which is also its page.
func (s *server) vcardOf(e *directory.Enterprise) string {
	page := s.url(enterprisePath(e.Handle))
	c := newVCard()
	c.text("PRODID", "-//coopdir//vCard//EN")
	c.uri("UID", page)
	c.uri("SOURCE", s.url(enterpriseVCardPath(e.Handle)))
	c.text("KIND", "org")
	c.text("FN", e.Name)
	c.compound("ORG", []string{e.Name})
	c.uri("URL", e.Website, "TYPE", "work")
	c.uri("URL", page, "PREF", "100")
	c.text("EMAIL", e.Email, "TYPE", "work")
	s.vcardPhone(c, e.Phone)
	if text := e.Location.Address; text != "" {
		a := parseAddress(text)
		if a.Street == "" && a.Locality == "" && a.Region == "" && a.PostalCode == "" {
			a.Street = text // not recognised: clients show components, not the label
		}
		c.compound("ADR", []string{"", "", a.Street, a.Locality, a.Region, a.PostalCode, a.Country()}, "LABEL", text, "TYPE", "work")
	}
	if l := e.Location; l.HasPoint() {
		c.uri("GEO", "geo:"+strconv.FormatFloat(*l.Lat, 'f', -1, 64)+","+strconv.FormatFloat(*l.Lon, 'f', -1, 64))
	}
	c.text("NOTE", plainText(e.SummaryHTML, 2000))
	if !e.UpdatedAt.IsZero() {
		c.text("REV", e.UpdatedAt.UTC().Format("20060102T150405Z"))
	}
	return c.String()
}

// telURIRE is a phone number that reads as a tel: URI once its spaces are
// dashes: a global number of digits and visual separators.
var telURIRE = regexp.MustCompile(`^\+[0-9][0-9 ().-]*$`)

// vcardPhone adds the phone number: a tel: URI when it is a global number,
// else the text as written.
func (s *server) vcardPhone(c *vcard, phone string) {
	if telURIRE.MatchString(phone) {
		c.uri("TEL", "tel:"+strings.ReplaceAll(phone, " ", "-"), "VALUE", "uri", "TYPE", "work")
		return
	}
	c.text("TEL", phone, "VALUE", "text", "TYPE", "work")
}
