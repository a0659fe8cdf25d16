package web

import (
	"bytes"
	"io/fs"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// samplePages holds data for every page template, exercising its optional parts.
func samplePages() map[string]any {
	lat, lon, qty := 43.04, -87.91, 2.5
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e := &directory.Enterprise{
		Handle: "shakyhands", Name: "Shaky <Hands>", Kind: directory.KindWorkerCoop,
		Sectors: []string{"carpentry"}, SummaryHTML: "<p>We <strong>build</strong>.</p>",
		Website: "https://shaky.example", Email: "hi@shaky.example", Phone: "+1 414 555 0100",
		Location: directory.Location{Address: "Milwaukee", Lat: &lat, Lon: &lon}, Founded: 2011,
		Governance: "One member, one vote", Membership: directory.MembershipOpen,
		Languages: []string{"en", "es"}, Logo: "https://shaky.example/logo.png",
	}
	remote := &directory.Enterprise{Handle: "far", Name: "Far Co-op", Kind: directory.KindOther, Demo: true, Origin: "partner.example", RemoteURL: "https://partner.example/enterprises/far"}
	l := &directory.Listing{ID: 7, Type: directory.Offer, Title: "Planks", Category: "goods", Quantity: &qty, Unit: "m",
		ValidUntil: "2099-01-01", EnterpriseHandle: "shakyhands", EnterpriseName: "Shaky", DescriptionHTML: "<p>Oak</p>"}
	a := &directory.Announcement{ID: 3, ContentHTML: "<p>Open house</p>", CreatedAt: now}
	lay := layout{Network: "Cooperation Testville", Description: "Co-ops together."}
	return map[string]any{
		"home.html": homeView{
			layout: lay, Query: "wood", Kind: "worker_coop", Kinds: directory.Kinds,
			Results: []enterpriseCard{{Enterprise: e, URL: "/enterprises/shakyhands", SummaryHTML: trustedHTML(e.SummaryHTML)},
				{Enterprise: remote, URL: remote.RemoteURL}},
			Total: 41, Page: 2, Pages: 3, PrevURL: "/?q=wood", NextURL: "/?q=wood&page=3",
			Needs: []listingCard{{Listing: l, URL: "/enterprises/shakyhands#listing-7"}}, Offers: nil,
		},
		"enterprise.html": enterpriseView{
			layout: layout{Network: lay.Network, Title: e.Name}, E: e, SummaryHTML: trustedHTML(e.SummaryHTML),
			Listings:      []listingItem{{Listing: l, DescriptionHTML: trustedHTML(l.DescriptionHTML)}},
			Announcements: []announcementItem{{Announcement: a, ContentHTML: trustedHTML(a.ContentHTML)}},
		},
		"error.html": errorView{layout: layout{Network: lay.Network, Title: "Not Found"}, Message: "No such page."},
	}
}

func TestTemplates(t *testing.T) {
	s := &server{pages: parsePages()}
	samples := samplePages()
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimPrefix(f, "templates/")
		if name == "layout.html" {
			continue
		}
		t.Run("renders "+name, func(t *testing.T) {
			if !slices.Contains(pageNames(), name) {
				t.Fatalf("%s is not in pageNames", name)
			}
			data, ok := samples[name]
			if !ok {
				t.Fatalf("no sample data for %s", name)
			}
			w := httptest.NewRecorder()
			s.render(w, httptest.NewRequest("GET", "/", nil), 200, name, data)
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			page := w.Body.String()
			for _, want := range []string{`<html lang="en">`, `name="viewport"`, "<header>", "<main", "<footer>", "Cooperation Testville"} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if strings.Contains(page, "ZgotmplZ") {
				t.Errorf("a value was refused by html/template:\n%s", page)
			}
		})
	}
	t.Run("escapes text but not the sanitized summary", func(t *testing.T) {
		var buf bytes.Buffer
		if err := s.pages["enterprise.html"].ExecuteTemplate(&buf, "layout", samples["enterprise.html"]); err != nil {
			t.Fatal(err)
		}
		if page := buf.String(); !strings.Contains(page, "Shaky &lt;Hands&gt;") || !strings.Contains(page, "<strong>build</strong>") {
			t.Fatalf("page:\n%s", page)
		}
	})
}

func TestProblemTypesAreDocumented(t *testing.T) {
	for status, name := range problemTypes {
		if problemAbout[name] == "" {
			t.Errorf("problem type %s (status %d) has no explanation", name, status)
		}
	}
}
