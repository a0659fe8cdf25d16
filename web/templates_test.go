package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// templateSamples gives data for every page template, exercising its
// optional parts; TestTemplates renders each. Test files of other pages add
// theirs in an init function.
var templateSamples = map[string]func() any{}

func init() {
	for name, data := range publicSamples() {
		templateSamples[name] = func() any { return data }
	}
}

// publicSamples holds data for the public pages.
func publicSamples() map[string]any {
	lat, lon, qty, radius := 43.04, -87.91, 2.5, 5.0
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	e := &directory.Enterprise{
		Handle: "shakyhands", Name: "Shaky <Hands>", Kind: directory.KindWorkerCoop,
		Sectors: []string{"carpentry"}, SummaryHTML: "<p>We <strong>build</strong>.</p>",
		Website: "https://shaky.example", Email: "hi@shaky.example", Phone: "+1 414 555 0100",
		Location: directory.Location{Address: "Milwaukee", Lat: &lat, Lon: &lon, RadiusKM: &radius}, Founded: 2011,
		Governance: "One member, one vote", Membership: directory.MembershipOpen,
		Languages: []string{"en", "es"}, Logo: "https://shaky.example/logo.png", Demo: true,
	}
	remote := &directory.Enterprise{Handle: "far", Name: "Far Co-op", Kind: directory.KindOther, Demo: true, Origin: "partner.example", RemoteURL: "https://partner.example/enterprises/far"}
	l := &directory.Listing{ID: 7, Type: directory.Offer, Title: "Planks", Category: "goods", Quantity: &qty, Unit: "m",
		ValidUntil: "2099-01-01", EnterpriseHandle: "shakyhands", EnterpriseName: "Shaky", DescriptionHTML: "<p>Oak</p>",
		Location: e.Location, Status: directory.StatusOpen, Demo: true, Origin: "partner.example", RemoteURL: "https://partner.example/listings/9", CreatedAt: now}
	a := &directory.Announcement{ID: 3, ContentHTML: "<p>Open house</p>", CreatedAt: now, UpdatedAt: &now,
		EnterpriseHandle: "shakyhands", EnterpriseName: "Shaky", Demo: true}
	lay := layout{Network: "Cooperation Testville", Description: "Co-ops together.", Canonical: "https://t.example/",
		Image: "https://t.example/logo.png", Feeds: siteFeeds("Cooperation Testville"), User: &directory.User{Name: "Ada"}}
	km := 3.2
	form := searchForm{Base: "/directory", Q: "wood", Show: showEnterprises, Kinds: []string{"worker_coop"}, Sector: "repair",
		Origin: "local", Near: "Milwaukee", WithinKM: "25", Sort: "distance", Page: 2}
	search := searchView{
		layout: lay, Form: form, Status: http.StatusOK, Errors: map[string]string{"q": "Words: too long", "near": "Near: bad", "within_km": "Within: bad", "sort": "Sort: bad", "show": "Show: bad"},
		Problems: []string{"Words: too long"}, Near: &nearPlace{Asked: "Milwaukee", Label: "Milwaukee, WI", Found: true, Matches: 2},
		Enterprises: []enterpriseCard{newEnterpriseCard(e, &km), newEnterpriseCard(remote, nil)},
		Total:       41, Pager: pager{Page: 2, Pages: 3, PrevURL: "/directory?q=wood", NextURL: "/directory?q=wood&page=3"},
		Tabs:   []facetLink{{Label: "Enterprises", Count: 41, HasCount: true, URL: "/directory", Current: true}},
		Facets: []facetGroup{{Label: "Kind", Links: []facetLink{{Label: "Worker co-op", Count: 3, HasCount: true, URL: "/directory", Current: true}}}},
		Active: []facetLink{{Label: "Kind: Worker co-op", URL: "/directory"}},
		Sorts:  sortOptions(form), Withins: withinOptions(form),
	}
	listings := search
	listings.Form.Show, listings.Enterprises = showNeeds, nil
	listings.Listings = []listingCard{newListingCard(l, &km)}
	mapView := search
	mapView.Map = &mapData{Tiles: &mapTiles{URL: "https://tile.example/{z}/{x}/{y}.png", Attribution: "© Tiles"},
		Near: &mapNear{Lat: lat, Lon: lon, KM: 25}, GeoJSON: geoJSONURL(search.Form)}
	board := listings
	board.Form = searchForm{Base: "/board", Type: "need", Categories: []string{"goods"}}
	board.Errors = map[string]string{"type": "Type: bad"}
	empty := searchView{layout: lay, Form: searchForm{Base: "/board"}, Status: http.StatusOK, Near: &nearPlace{Asked: "Atlantis"}}
	return map[string]any{
		"home.html": homeView{layout: lay, AboutHTML: "<p>About <em>us</em></p>", Counts: &directory.Counts{Enterprises: 2, Needs: 1},
			Needs: []listingCard{newListingCard(l, nil)}, Announcements: []announcementCard{newAnnouncementCard(a)}},
		"directory.html": &search,
		"map.html":       &mapView,
		"board.html":     &board,
		"board-empty":    &empty,
		"listings":       &listings,
		"enterprise.html": enterpriseView{
			layout: lay, E: e, SummaryHTML: trustedHTML(e.SummaryHTML), Logo: e.Logo, OwnFeeds: enterpriseFeeds(e),
			Offers:        []listingItem{{Listing: l, URL: "/listings/7", DescriptionHTML: trustedHTML(l.DescriptionHTML)}},
			Announcements: []announcementCard{newAnnouncementCard(a)},
			Respond:       &respondBox{Action: "/enterprises/x/respond", Heading: "Write to X", Name: e.Name, Form: respondForm(), Stamp: "1.s"},
		},
		"listing.html": listingPageView{layout: lay, L: l, DescriptionHTML: "<p>Oak</p>", Status: directory.StatusExpired,
			Respond: &respondBox{Action: "/listings/7/respond", Heading: "Respond to this need", Name: e.Name, Form: respondForm(), Stamp: "1.s", Mailed: true}},
		"announcement.html": announcementPageView{layout: lay, A: newAnnouncementCard(a)},
		"announcements.html": announcementsView{layout: lay, Items: []announcementCard{newAnnouncementCard(a)}, Total: 41,
			Pager: pager{Page: 2, Pages: 3, PrevURL: "/announcements", NextURL: "/announcements?page=3"}, Feed: "/feeds/announcements.atom"},
		"error.html": errorView{layout: layout{Network: lay.Network, Title: "Not Found"}, Message: "No such page."},
	}
}

// sampleTemplate maps the extra samples to the template they render.
var sampleTemplate = map[string]string{"board-empty": "board.html", "listings": "directory.html"}

func renderSample(t *testing.T, s *server, name string, data any) string {
	t.Helper()
	tmpl := name
	if alias, ok := sampleTemplate[name]; ok {
		tmpl = alias
	}
	w := httptest.NewRecorder()
	s.render(w, httptest.NewRequest("GET", "/", nil), 200, tmpl, data)
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	return w.Body.String()
}

func TestTemplates(t *testing.T) {
	s := &server{pages: parsePages()}
	for _, name := range pageNames() {
		if _, ok := templateSamples[name]; !ok {
			t.Errorf("no sample data for %s: add one to templateSamples in an init function of a test file", name)
		}
	}
	for name, sample := range templateSamples {
		t.Run("renders "+name, func(t *testing.T) {
			page := renderSample(t, s, name, sample())
			for _, want := range []string{`<html lang="en">`, `name="viewport"`, `<header class="site">`, `<main id="content"`,
				`<footer class="site">`, `href="#content"`, "Cooperation Testville", `rel="stylesheet" href="/static/`} {
				if !strings.Contains(page, want) {
					t.Errorf("page lacks %q", want)
				}
			}
			if strings.Contains(page, "ZgotmplZ") {
				t.Errorf("a value was refused by html/template:\n%s", page)
			}
			if strings.Contains(page, "style=") {
				t.Errorf("inline style (CSP allows only the stylesheet):\n%s", page)
			}
		})
	}
	t.Run("escapes text but not the sanitized summary", func(t *testing.T) {
		page := renderSample(t, s, "enterprise.html", publicSamples()["enterprise.html"])
		if !strings.Contains(page, "Shaky &lt;Hands&gt;") || !strings.Contains(page, "<strong>build</strong>") {
			t.Fatalf("page:\n%s", page)
		}
	})
	t.Run("labels every form control", func(t *testing.T) {
		for _, name := range []string{"directory.html", "board.html", "map.html"} {
			page := renderSample(t, s, name, publicSamples()[name])
			for _, m := range regexp.MustCompile(`<(?:input|select)[^>]*\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
				if !strings.Contains(page, `for="`+m[1]+`"`) {
					t.Errorf("%s: control #%s has no label", name, m[1])
				}
			}
		}
	})
}

func TestJSONLDCannotBreakOutOfItsScript(t *testing.T) {
	s := &server{pages: parsePages(), opt: Options{BaseURL: "https://t.example"}}
	evil := `</script><script>alert(1)</script><!--`
	e := &directory.Enterprise{Handle: "x", Name: evil, Kind: directory.KindOther, SummaryHTML: "<p>" + evil + "</p>"}
	l := &directory.Listing{ID: 1, Type: directory.Need, Title: evil, Category: "goods", EnterpriseHandle: "x", EnterpriseName: evil}
	v := enterpriseView{layout: layout{Network: "N", Title: evil}, E: e}
	v.JSONLD = s.organizationLD(e, "https://t.example/enterprises/x", []*directory.Listing{l})
	var buf bytes.Buffer
	if err := s.pages["enterprise.html"].ExecuteTemplate(&buf, "layout", v); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	if strings.Contains(page, "<script>alert") || strings.Count(page, "</script>") != 1 {
		t.Fatalf("the name broke out of an element:\n%s", page)
	}
	m := regexp.MustCompile(`(?s)<script type="application/ld\+json">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no JSON-LD:\n%s", page)
	}
	var got struct {
		Type  string `json:"@type"`
		Name  string `json:"name"`
		Seeks []struct {
			Type string `json:"@type"`
			Name string `json:"name"`
		} `json:"seeks"`
	}
	if err := json.Unmarshal([]byte(m[1]), &got); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, m[1])
	}
	if got.Type != "Organization" || got.Name != evil || len(got.Seeks) != 1 || got.Seeks[0].Type != "Demand" || got.Seeks[0].Name != evil {
		t.Fatalf("JSON-LD %+v", got)
	}
}

func TestPlainText(t *testing.T) {
	for in, want := range map[string]string{
		"<p>We <strong>build</strong>.</p><p>Next</p>": "We build. Next",
		"<ul><li>a &amp; b</li><li>c</li></ul>":        "a & b c",
		"":                                             "",
	} {
		if got := plainText(in, 100); got != want {
			t.Errorf("plainText(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTileSource(t *testing.T) {
	for in, want := range map[string]string{
		"https://tile.openstreetmap.org/{z}/{x}/{y}.png":    "https://tile.openstreetmap.org",
		"https://{s}.tile.example.org/{z}/{x}/{y}{r}.png":   "https://*.tile.example.org",
		"https://a.{s}.example.org/{z}/{x}/{y}.png":         "https://*.example.org",
		"http://localhost:8081/{z}/{x}/{y}.png":             "http://localhost:8081",
		"":                                                  "",
		"javascript:alert(1)//{z}{x}{y}":                    "",
		"https://x.example'; script-src *;/{z}/{x}/{y}.png": "",
	} {
		if got := tileSource(in); got != want {
			t.Errorf("tileSource(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProblemTypesAreDocumented(t *testing.T) {
	for status, name := range problemTypes {
		if problemAbout[name] == "" {
			t.Errorf("problem type %s (status %d) has no explanation", name, status)
		}
	}
}
