package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

func TestAdminPartners(t *testing.T) {
	e := newPartnerEnv(t)
	ad := e.browser().signIn("admin@test.example")
	const path = "/admin/partners"

	t.Run("the admin home links here; the empty page explains partnerships", func(t *testing.T) {
		ad.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/partners"`)
		ad.get(path).want(t, http.StatusOK).has(t, "A partnership joins", "no partners yet", `href="/admin/partners/new"`)
	})
	t.Run("the form has labelled controls in fieldsets", func(t *testing.T) {
		ad.get(path+"/new").want(t, http.StatusOK).has(t, `<label for="f-instance">`, `<legend>Kinds of enterprise</legend>`,
			`<label class="choice"><input type="checkbox" id="f-scope-kinds" name="scope.kinds" value="worker_coop"`,
			`<legend>Categories of needs and offers</legend>`, `<legend>Area</legend>`, `<label for="f-scope-center-lat">`,
			`<label for="f-scope-radius-km">`, `action="/admin/partners/new"`)
	})
	t.Run("asking a network sends the request with its scope; the list says it waits", func(t *testing.T) {
		r := ad.post(path+"/new", url.Values{"instance": {"jackson.example"}, "scope.kinds": {"tool_library", "time_bank"},
			"scope.categories": {"tools"}, "scope.center.lat": {"32,3"}, "scope.center.lon": {"-90.18"}, "scope.radius_km": {"50"}})
		ad.follow(r, path).want(t, http.StatusOK).has(t, "The request was sent.", "Network of jackson.example", "jackson.example · 3 enterprises, 5 needs and offers",
			"Waiting for their approval", "They have not asked", "Enterprises of the kinds Tool library, Time bank; needs and offers in Tools; within 50 km of 32.3, -90.18",
			"Nothing imported: our request is not approved", `href="https://jackson.example/"`)
		p, err := e.db.FindPartnerByHost(context.Background(), "jackson.example")
		if err != nil || p.Outgoing != directory.PartnerPending || len(p.Scope.Kinds) != 2 || p.Scope.RadiusKM != 50 {
			t.Fatalf("stored %+v, %v", p, err)
		}
	})
	for _, tt := range []struct {
		name   string
		values url.Values
		status int
		fields []string
	}{
		{"no instance", url.Values{"instance": {""}}, http.StatusUnprocessableEntity, []string{"instance"}},
		{"a malformed instance and a bad scope at once", url.Values{"instance": {"coop example"}, "scope.kinds": {"castle"},
			"scope.radius_km": {"5"}}, http.StatusUnprocessableEntity, []string{"instance", "scope-kinds", "scope-center-lat"}},
		{"a latitude that is no number", url.Values{"instance": {"new.example"}, "scope.center.lat": {"north"}, "scope.center.lon": {"1"},
			"scope.radius_km": {"5"}}, http.StatusUnprocessableEntity, []string{"scope-center-lat"}},
		{"a radius too large", url.Values{"instance": {"new.example"}, "scope.center.lat": {"1"}, "scope.center.lon": {"1"},
			"scope.radius_km": {"30000"}}, http.StatusUnprocessableEntity, []string{"scope-radius-km"}},
		{"an instance with no coopdir network", url.Values{"instance": {"nobody.example"}}, http.StatusUnprocessableEntity, []string{"instance"}},
		{"a blocked instance", url.Values{"instance": {"blocked.example"}}, http.StatusUnprocessableEntity, []string{"instance"}},
		{"a network already asked", url.Values{"instance": {"https://jackson.example/"}, "scope.categories": {"food"}},
			http.StatusConflict, []string{"instance"}},
	} {
		t.Run("refuses "+tt.name+" beside the field, input kept", func(t *testing.T) {
			r := ad.post(path+"/new", tt.values).want(t, tt.status)
			for _, f := range tt.fields {
				r.has(t, `class="field-error" id="f-`+f+`-error"`, `<a href="#f-`+f+`">`)
			}
			r.has(t, `aria-invalid="true"`, `value="`+tt.values.Get("instance")+`"`)
			for _, k := range tt.values["scope.kinds"] {
				if directory.Kind(k).Valid() { // there is no box for others
					r.has(t, `value="`+k+`" checked`)
				}
			}
			for _, c := range tt.values["scope.categories"] {
				r.has(t, `value="`+c+`" checked`)
			}
			if v := tt.values.Get("scope.center.lat"); v != "" {
				r.has(t, `value="`+v+`"`)
			}
		})
	}
	if _, err := e.db.FindPartnerByHost(context.Background(), "new.example"); directory.ErrorCode(err) != directory.ENOTFOUND {
		t.Fatalf("a refused form stored a partner: %v", err)
	}
	asking := e.partner("milwaukee.example", "Cooperation <Milwaukee>", directory.PartnerNone, directory.PartnerPending)
	askingPath := path + "/" + idText(asking.ID)
	t.Run("a request from another network shows with its name, description and size, to approve or refuse", func(t *testing.T) {
		ad.get(path).want(t, http.StatusOK).has(t, "Cooperation &lt;Milwaukee&gt;", "The co-ops of Cooperation &lt;Milwaukee&gt;",
			"2 enterprises, 1 need or offer", "Waiting for your approval", `action="`+askingPath+`/approve"`, `action="`+askingPath+`/reject"`,
			`<input type="hidden" name="instance" value="milwaukee.example">`)
	})
	t.Run("approving it makes it active; asking back and their approval make it mutual", func(t *testing.T) {
		ad.follow(ad.post(askingPath+"/approve", nil), path).want(t, http.StatusOK).has(t, "The request was approved", "Approved: they show ours", "Stop sending ours")
		ad.follow(ad.post(path+"/new", url.Values{"instance": {"milwaukee.example"}}), path).want(t, http.StatusOK)
		p, err := e.db.FindPartner(context.Background(), asking.ID)
		if err != nil || p.Outgoing != directory.PartnerPending {
			t.Fatalf("after asking back: %+v, %v", p, err)
		}
		p.Outgoing = directory.PartnerActive // their admins approved
		p.Backfill = directory.Backfill{Imported: 7, Refused: 1}
		if err := e.db.UpdatePartner(context.Background(), p); err != nil {
			t.Fatal(err)
		}
		ad.get(path).want(t, http.StatusOK).has(t, `<span class="status status-open">mutual</span>`, "In progress: 7 imported, 1 refused so far")
	})
	t.Run("refusing it makes it rejected; a second refusal sends it again", func(t *testing.T) {
		ad.follow(ad.post(askingPath+"/reject", nil), path).want(t, http.StatusOK).has(t, "The request was refused", "Refused by us")
		ad.follow(ad.post(askingPath+"/reject", nil), path).want(t, http.StatusOK).has(t, "The request was refused", "Refused by us")
	})
	jackson, err := e.db.FindPartnerByHost(context.Background(), "jackson.example")
	if err != nil {
		t.Fatal(err)
	}
	jacksonPath := path + "/" + idText(jackson.ID)
	t.Run("the scope page shows the scope and changes it", func(t *testing.T) {
		ad.get(jacksonPath).want(t, http.StatusOK).has(t, "What we import from Network of jackson.example", `value="tool_library" checked`,
			`value="time_bank" checked`, `value="tools" checked`, `value="32.3"`, `value="50"`)
		r := ad.post(jacksonPath, url.Values{"scope.categories": {"food", "tools"}})
		ad.follow(r, path).want(t, http.StatusOK).has(t, "The scope was saved.", "Needs and offers in Food, Tools")
		p, _ := e.db.FindPartner(context.Background(), jackson.ID)
		if len(p.Scope.Kinds) != 0 || len(p.Scope.Categories) != 2 || p.Scope.Center != nil {
			t.Fatalf("stored scope %+v", p.Scope)
		}
	})
	t.Run("a bad scope comes back beside its fields, input kept", func(t *testing.T) {
		ad.post(jacksonPath, url.Values{"scope.categories": {"gold"}, "scope.radius_km": {"5"}}).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-scope-categories-error"`, `id="f-scope-center-lat-error"`, `value="5"`, "What we import from")
	})
	t.Run("the share page limits what the partner may read of ours", func(t *testing.T) {
		ad.get(path).want(t, http.StatusOK).has(t, "What they may read", "Everything we list", `href="`+jacksonPath+`/share"`)
		ad.get(jacksonPath+"/share").want(t, http.StatusOK).has(t, "What Network of jackson.example may read",
			`action="`+jacksonPath+`/share"`, "Save what they may read")
		r := ad.post(jacksonPath+"/share", url.Values{"scope.kinds": {"worker_coop"}, "scope.categories": {"tools"}})
		ad.follow(r, path).want(t, http.StatusOK).has(t, "Saved what they may read.",
			"Enterprises of the kinds Worker co-op; needs and offers in Tools")
		p, _ := e.db.FindPartner(context.Background(), jackson.ID)
		if len(p.ExportScope.Kinds) != 1 || len(p.ExportScope.Categories) != 1 || len(p.Scope.Categories) != 2 {
			t.Fatalf("stored export scope %+v, scope %+v", p.ExportScope, p.Scope)
		}
		ad.get(jacksonPath+"/share").want(t, http.StatusOK).has(t, `value="worker_coop" checked`, `value="tools" checked`)
	})
	t.Run("a bad share limit comes back beside its fields and changes nothing", func(t *testing.T) {
		ad.post(jacksonPath+"/share", url.Values{"scope.kinds": {"castle"}, "scope.radius_km": {"5"}}).want(t, http.StatusUnprocessableEntity).
			has(t, `id="f-scope-kinds-error"`, `id="f-scope-center-lat-error"`, `value="5"`, "What they may read")
		p, _ := e.db.FindPartner(context.Background(), jackson.ID)
		if len(p.ExportScope.Kinds) != 1 || p.ExportScope.Kinds[0] != directory.KindWorkerCoop {
			t.Fatalf("export scope after a refusal: %+v", p.ExportScope)
		}
	})
	t.Run("ending asks first, says what goes, then removes the partner's entries", func(t *testing.T) {
		e.importFrom("jackson.example", "toolshed", "ladders")
		ad.get(jacksonPath+"/end").want(t, http.StatusOK).
			has(t, "End the partnership with Network of jackson.example?", "2 enterprises and 2 open needs and offers", `action="`+jacksonPath+`/end"`)
		if n := e.countEnterprises(directory.EnterpriseQuery{Origin: "jackson.example"}); n != 2 {
			t.Fatalf("the confirmation page removed entries: %d left", n)
		}
		ad.follow(ad.post(jacksonPath+"/end", nil), path).want(t, http.StatusOK).has(t, "The partnership has ended").lacks(t, "jackson.example")
		if n := e.countEnterprises(directory.EnterpriseQuery{Origin: "jackson.example"}); n != 0 {
			t.Fatalf("%d of its enterprises are left", n)
		}
	})
	t.Run("unknown or malformed ids are not found", func(t *testing.T) {
		for _, p := range []string{path + "/99999", path + "/abc"} {
			ad.get(p).want(t, http.StatusNotFound)
			ad.get(p+"/end").want(t, http.StatusNotFound)
			ad.post(p, url.Values{}).want(t, http.StatusNotFound)
			ad.post(p+"/approve", nil).want(t, http.StatusNotFound)
			ad.post(p+"/reject", nil).want(t, http.StatusNotFound)
			ad.post(p+"/end", nil).want(t, http.StatusNotFound)
		}
	})
	t.Run("editors and visitors may not see or change the partnerships", func(t *testing.T) {
		ed := e.browser().signIn("editor@test.example")
		ed.get("/admin").want(t, http.StatusOK).lacks(t, `href="/admin/partners"`)
		for _, p := range []string{path, path + "/new", askingPath, askingPath + "/end"} {
			ed.get(p).want(t, http.StatusForbidden)
			if r := e.browser().get(p).want(t, http.StatusSeeOther); !strings.HasPrefix(r.Header.Get("Location"), "/login") {
				t.Errorf("%s: Location %q", p, r.Header.Get("Location"))
			}
		}
		ed.post(path+"/new", url.Values{"instance": {"sneaky.example"}}).want(t, http.StatusForbidden)
		ed.post(askingPath+"/approve", nil).want(t, http.StatusForbidden)
		ed.post(askingPath+"/end", nil).want(t, http.StatusForbidden)
		if _, err := e.db.FindPartner(context.Background(), asking.ID); err != nil {
			t.Fatalf("an editor ended a partnership: %v", err)
		}
	})
	t.Run("a form from another site is refused", func(t *testing.T) {
		ad.post(path+"/new", url.Values{"instance": {"csrf.example"}}, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example").
			want(t, http.StatusForbidden)
		if _, err := e.db.FindPartnerByHost(context.Background(), "csrf.example"); directory.ErrorCode(err) != directory.ENOTFOUND {
			t.Fatalf("a cross-site form asked a network: %v", err)
		}
	})
}

func TestAdminPartnersWithoutFederation(t *testing.T) {
	e := newEnv(t)
	p := e.partner("jackson.example", "Jackson", directory.PartnerActive, directory.PartnerPending)
	one := "/admin/partners/" + idText(p.ID)
	ad := e.browser().signIn("admin@test.example")
	ad.get("/admin/partners").want(t, http.StatusOK).has(t, "not enabled", "Jackson").lacks(t, `action="/admin/partners`, `href="/admin/partners/new"`)
	ad.get(one).want(t, http.StatusOK).has(t, "not enabled").lacks(t, `action="`+one+`"`)
	for _, path := range []string{"/admin/partners/new", one, one + "/approve", one + "/reject", one + "/end"} {
		ad.post(path, url.Values{"instance": {"x.example"}}).want(t, http.StatusServiceUnavailable)
	}
	if _, err := e.db.FindPartner(context.Background(), p.ID); err != nil {
		t.Fatal(err)
	}
}
