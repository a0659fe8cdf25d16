package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
)

func init() {
	for name, data := range partnerSamples() {
		templateSamples[name] = func() any { return data }
	}
	sampleTemplate["admin-partners-empty"] = "admin_partners.html"
	sampleTemplate["admin-partners-disabled"] = "admin_partners.html"
	sampleTemplate["admin-partners-scope"] = "admin_partners_form.html"
}

// partnerSamples holds data for the partner pages: partners in every
// state with hostile text from the other side, a form shown again with an
// error on every control, and an empty list.
func partnerSamples() map[string]any {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	admin := &directory.User{ID: 1, Name: "Ada", Email: "ada@t.example", Role: directory.RoleAdmin}
	page := adminPage{layout: layout{Network: "Cooperation Testville", User: admin, NoIndex: true,
		Styles: []string{assets.url("admin.css")}}, Notice: "The request was sent."}
	asking := &directory.Partner{ID: 1, Host: "jackson.example", Name: "Cooperation <Jackson>", Summary: "Co-ops <b>in</b> Jackson",
		URL: "https://jackson.example/", Enterprises: 120, Listings: 1, Incoming: directory.PartnerPending, CreatedAt: now}
	mutual := &directory.Partner{ID: 2, Host: "chi.example:8443", Name: "Chicago", URL: "javascript:alert(1)", Enterprises: 1,
		Outgoing: directory.PartnerActive, Incoming: directory.PartnerActive,
		Scope:    directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary}, Center: &directory.Point{Lat: 41.88, Lon: -87.63}, RadiusKM: 50},
		Backfill: directory.Backfill{Imported: 1234, Refused: 2, Done: true, At: now}}
	waiting := &directory.Partner{ID: 3, Host: "far.example", Outgoing: directory.PartnerPending}
	form := newScopeForm(true)
	values := url.Values{"instance": {"http://x <y>"}, "scope.kinds": {"tool_library"}, "scope.categories": {"food"},
		"scope.center.lat": {"north"}, "scope.center.lon": {"1"}, "scope.radius_km": {"-5"}}
	form.fill(values)
	form.choose(values)
	var fields []directory.FieldError
	for _, name := range []string{"instance", "scope.kinds", "scope.categories", "scope.center.lat", "scope.center.lon", "scope.radius_km"} {
		fields = append(fields, directory.FieldError{Field: name, Rule: "x", Message: "is wrong <here>"})
	}
	form.fail(&directory.Error{Code: directory.EINVALID, Message: "invalid", Fields: fields})
	scope := newScopeForm(false)
	scope.show(mutual.Scope)
	row := adminPartnerRow(mutual)
	return map[string]any{
		"admin_partners.html": adminPartnersView{adminPage: page, Enabled: true,
			Partners: []adminPartner{adminPartnerRow(asking), row, adminPartnerRow(waiting)}},
		"admin-partners-empty":     adminPartnersView{adminPage: adminPage{layout: page.layout}, Enabled: true},
		"admin-partners-disabled":  adminPartnersView{adminPage: adminPage{layout: page.layout}, Partners: []adminPartner{row}},
		"admin_partners_form.html": adminPartnerFormView{adminPage: adminPage{layout: page.layout}, Form: form, Enabled: true},
		"admin-partners-scope":     adminPartnerFormView{adminPage: adminPage{layout: page.layout}, P: &row, Form: scope, Enabled: true},
		"admin_partners_end.html": adminEndView{adminPage: adminPage{layout: page.layout}, P: adminPartnerRow(asking),
			Enterprises: "3 enterprises", Listings: "1 open need or offer"},
	}
}

func TestPartnersAdminTemplates(t *testing.T) {
	s := &server{pages: parsePages()}
	samples := partnerSamples()
	labelled := func(t *testing.T, page string) {
		t.Helper()
		for _, m := range regexp.MustCompile(`<(?:input|select|textarea)[^>]*\sid="([^"]+)"`).FindAllStringSubmatch(page, -1) {
			if !strings.Contains(page, `for="`+m[1]+`"`) && !regexp.MustCompile(`<label class="choice"><input[^>]*id="`+m[1]+`"`).MatchString(page) {
				t.Errorf("control #%s has no label", m[1])
			}
		}
	}
	t.Run("the list shows every state, its actions, and escapes the partners' text", func(t *testing.T) {
		page := renderSample(t, s, "admin_partners.html", samples["admin_partners.html"])
		for _, want := range []string{"Cooperation &lt;Jackson&gt;", "Co-ops &lt;b&gt;in&lt;/b&gt; Jackson", `<a href="https://jackson.example/">`,
			"120 enterprises, 1 need or offer", "Waiting for your approval", `action="/admin/partners/1/approve"`, `action="/admin/partners/1/reject"`,
			`<input type="hidden" name="instance" value="jackson.example">`, "mutual", "Approved: we show their entries",
			"Approved: they show ours", "Stop sending ours", "Enterprises of the kinds Tool library; within 50 km of 41.88, -87.63",
			"Done: 1,234 imported, 2 refused (25 November 2026 09:00 UTC)", `href="/admin/partners/2"`, `href="/admin/partners/2/end"`,
			"Waiting for their approval", "Nothing imported: our request is not approved", "Everything they list", `href="/admin/partners/new"`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, bad := range []string{"<Jackson>", "<b>in</b>", "javascript:", `action="/admin/partners/2/approve"`, `action="/admin/partners/3/reject"`} {
			if strings.Contains(page, bad) {
				t.Errorf("page has %q", bad)
			}
		}
	})
	t.Run("an empty list explains partnerships", func(t *testing.T) {
		page := renderSample(t, s, "admin-partners-empty", samples["admin-partners-empty"])
		if !strings.Contains(page, "no partners yet") || !strings.Contains(page, "A partnership joins") || strings.Contains(page, "<dl") {
			t.Errorf("page:\n%s", page)
		}
	})
	t.Run("without federation the list offers no actions", func(t *testing.T) {
		page := renderSample(t, s, "admin-partners-disabled", samples["admin-partners-disabled"])
		if !strings.Contains(page, "not enabled") || strings.Contains(page, `action="/admin/partners`) || strings.Contains(page, "/end") {
			t.Errorf("page:\n%s", page)
		}
	})
	t.Run("the form keeps the input and shows each error beside its control", func(t *testing.T) {
		page := renderSample(t, s, "admin_partners_form.html", samples["admin_partners_form.html"])
		for _, want := range []string{`value="http://x &lt;y&gt;"`, `value="north"`, `value="-5"`, `value="tool_library" checked`,
			`value="food" checked`, `<legend>Kinds of enterprise</legend>`, `<legend>Categories of needs and offers</legend>`, `<legend>Area</legend>`,
			`<a href="#f-scope-kinds">`, `<a href="#f-scope-center-lat">`, "Is wrong &lt;here&gt;", `action="/admin/partners/new"`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		for _, id := range []string{"instance", "scope-kinds", "scope-categories", "scope-center-lat", "scope-center-lon", "scope-radius-km"} {
			if !strings.Contains(page, `class="field-error" id="f-`+id+`-error"`) {
				t.Errorf("no error beside %s", id)
			}
		}
		if strings.Contains(page, `value="worker_coop" checked`) || strings.Contains(page, "<here>") {
			t.Error("a box is ticked that was not, or text is not escaped")
		}
		labelled(t, page)
	})
	t.Run("the scope form shows the partner's scope", func(t *testing.T) {
		page := renderSample(t, s, "admin-partners-scope", samples["admin-partners-scope"])
		for _, want := range []string{`action="/admin/partners/2"`, `value="tool_library" checked`, `value="41.88"`, `value="-87.63"`,
			`value="50"`, "What we import from Chicago", "Save what we import"} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
		if strings.Contains(page, `name="instance"`) {
			t.Error("the scope form asks for the instance")
		}
		labelled(t, page)
	})
	t.Run("the end page says what goes", func(t *testing.T) {
		page := renderSample(t, s, "admin_partners_end.html", samples["admin_partners_end.html"])
		for _, want := range []string{"End the partnership with Cooperation &lt;Jackson&gt;?", "3 enterprises and 1 open need or offer",
			`action="/admin/partners/1/end"`, `class="danger"`} {
			if !strings.Contains(page, want) {
				t.Errorf("page lacks %q", want)
			}
		}
	})
}

func TestParseScope(t *testing.T) {
	t.Run("reads the boxes, the centre and the radius", func(t *testing.T) {
		sc, err := parseScope(url.Values{"scope.kinds": {"tool_library", " "}, "scope.categories": {"food", "tools"},
			"scope.center.lat": {" 43,04 "}, "scope.center.lon": {"-87.91"}, "scope.radius_km": {"50"}})
		if err != nil || len(sc.Kinds) != 1 || len(sc.Categories) != 2 || sc.Center == nil || sc.Center.Lat != 43.04 || sc.RadiusKM != 50 {
			t.Fatalf("got %+v, %v", sc, err)
		}
	})
	t.Run("nothing given is everything", func(t *testing.T) {
		if sc, err := parseScope(url.Values{}); err != nil || !sc.IsEmpty() {
			t.Fatalf("got %+v, %v", sc, err)
		}
	})
	for _, tt := range []struct {
		name   string
		values url.Values
		want   []string
	}{
		{"an unknown kind", url.Values{"scope.kinds": {"castle"}}, []string{"scope.kinds"}},
		{"an unknown category", url.Values{"scope.categories": {"gold"}}, []string{"scope.categories"}},
		{"a latitude that is no number, once", url.Values{"scope.center.lat": {"north"}, "scope.center.lon": {"1"}, "scope.radius_km": {"5"}},
			[]string{"scope.center.lat"}},
		{"a longitude without latitude", url.Values{"scope.center.lon": {"1"}, "scope.radius_km": {"5"}}, []string{"scope.center.lat"}},
		{"a latitude without longitude", url.Values{"scope.center.lat": {"1"}}, []string{"scope.center.lon"}},
		{"a radius without centre, beside the latitude", url.Values{"scope.radius_km": {"5"}}, []string{"scope.center.lat"}},
		{"a centre out of range", url.Values{"scope.center.lat": {"91"}, "scope.center.lon": {"1"}, "scope.radius_km": {"5"}},
			[]string{"scope.center.lat"}},
		{"a centre without radius", url.Values{"scope.center.lat": {"1"}, "scope.center.lon": {"1"}}, []string{"scope.radius_km"}},
		{"a radius too large", url.Values{"scope.center.lat": {"1"}, "scope.center.lon": {"1"}, "scope.radius_km": {"20001"}},
			[]string{"scope.radius_km"}},
		{"a radius that is no number", url.Values{"scope.center.lat": {"1"}, "scope.center.lon": {"1"}, "scope.radius_km": {"far"}},
			[]string{"scope.radius_km"}},
	} {
		t.Run("refuses "+tt.name, func(t *testing.T) {
			_, err := parseScope(tt.values)
			var got []string
			for _, fe := range directory.ErrorFields(err) {
				got = append(got, fe.Field)
			}
			if directory.ErrorCode(err) != directory.EINVALID || strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("fields %v (%v), want %v", got, err, tt.want)
			}
		})
	}
}

func TestBackfillWords(t *testing.T) {
	at := time.Date(2026, 11, 25, 9, 5, 0, 0, time.UTC)
	active := directory.PartnerActive
	for _, tt := range []struct {
		p    directory.Partner
		want string
	}{
		{directory.Partner{Outgoing: directory.PartnerPending}, "Nothing imported: our request is not approved"},
		{directory.Partner{Outgoing: active, Backfill: directory.Backfill{Imported: 12, At: at}}, "In progress: 12 imported, 0 refused so far (25 November 2026 09:05 UTC)"},
		{directory.Partner{Outgoing: active, Backfill: directory.Backfill{Imported: 3, Refused: 1, Error: "timeout"}}, "Stopped after 3 imported, 1 refused: timeout"},
		{directory.Partner{Outgoing: active, Backfill: directory.Backfill{Imported: 2000, Done: true}}, "Done: 2,000 imported, 0 refused"},
		{directory.Partner{Outgoing: active, Backfill: directory.Backfill{Imported: 2000, Refused: 5, Removed: 1203, Done: true}}, "Done: 2,000 imported, 5 refused, 1,203 removed"},
		{directory.Partner{Outgoing: directory.PartnerRejected, Backfill: directory.Backfill{Imported: 4}}, "Stopped: 4 imported, 0 refused"},
	} {
		if got := backfillWords(&tt.p); got != tt.want {
			t.Errorf("backfillWords(%+v) = %q, want %q", tt.p.Backfill, got, tt.want)
		}
	}
}

func TestScopeWords(t *testing.T) {
	sc := directory.Scope{Kinds: []directory.Kind{directory.KindToolLibrary, directory.KindWorkerCoop}, Categories: []directory.Category{"tools"},
		Center: &directory.Point{Lat: 43.04, Lon: -87.91}, RadiusKM: 12.5}
	want := "Enterprises of the kinds Tool library, Worker co-op; needs and offers in Tools; within 12.5 km of 43.04, -87.91"
	if got := scopeWords(sc); got != want {
		t.Errorf("scopeWords = %q, want %q", got, want)
	}
	if got := scopeWords(directory.Scope{}); got != "Everything they list" {
		t.Errorf("empty scope: %q", got)
	}
}
