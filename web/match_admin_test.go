package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// matchAll matches every queued listing, as the instance does in the
// background.
func (e *env) matchAll() {
	e.t.Helper()
	if _, err := e.svc.MatchPending(directory.AsSystem(context.Background()), 1000); err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) matchesOf(id int64) []*directory.Match {
	e.t.Helper()
	ms, err := e.svc.ListingMatches(context.Background(), id, 10)
	if err != nil {
		e.t.Fatal(err)
	}
	return ms
}

func TestMatches(t *testing.T) {
	e := newEnv(t)
	offer := e.createListing(`{"enterprise":"shakyhands","type":"offer","title":"Ladders to lend","category":"tools","description":"Two tall ladders."}`)
	need := e.createListing(`{"enterprise":"riverside","type":"need","title":"Ladders for roof work","category":"tools"}`)
	sys := directory.AsSystem(context.Background())
	third := &directory.Enterprise{Handle: "thirdco", Name: "Third Co-op", Kind: directory.KindWorkerCoop}
	if err := e.svc.CreateEnterprise(sys, third); err != nil {
		t.Fatal(err)
	}
	otherOffer := &directory.Listing{Type: directory.Offer, Title: "Ladders galore", Category: "tools"}
	if err := e.svc.CreateListing(sys, "thirdco", otherOffer); err != nil {
		t.Fatal(err)
	}
	e.matchAll()
	var mine, theirs int64 // shakyhands' match, and one of riverside with thirdco
	for _, m := range e.matchesOf(need.ID) {
		if m.Offer.ID == offer.ID {
			mine = m.ID
		} else {
			theirs = m.ID
		}
	}
	if mine == 0 || theirs == 0 {
		t.Fatalf("matches of the need: %v", e.matchesOf(need.ID))
	}
	editor := e.browser().signIn("editor@test.example")
	matchesPath := "/admin/enterprises/shakyhands/matches"
	dismiss := func(b *browser, handle string, id string, headers ...string) reply {
		return b.post("/admin/enterprises/"+handle+"/matches/"+id+"/dismiss", url.Values{}, headers...)
	}

	t.Run("a listing page shows its matches, their origin and why they match", func(t *testing.T) {
		e.page(t, "/listings/"+idText(offer.ID), http.StatusOK)
		editor.get("/listings/"+idText(offer.ID)).want(t, http.StatusOK).has(t, "Needs this offer could meet",
			`<a href="/listings/`+idText(need.ID)+`">Ladders for roof work</a> · Riverside Tool Library (on this network)`,
			"<li>same category Tools</li>", "<li>both mention ladders</li>", "<li>distance unknown (no map point)</li>")
		editor.get("/listings/"+idText(need.ID)).want(t, http.StatusOK).has(t, "Offers that could meet this need",
			"Ladders to lend", "Ladders galore")
	})
	t.Run("the admin counts new matches until the editor has seen them", func(t *testing.T) {
		editor.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/enterprises/shakyhands/matches">Matches <span class="badge">1 new</span>`)
		editor.get(matchesPath).want(t, http.StatusOK).has(t, `<span class="badge">New</span> For your offer`,
			"Ladders for roof work", "Riverside Tool Library (on this network)", "both mention ladders").
			lacks(t, "Ladders galore")
		editor.get(matchesPath).want(t, http.StatusOK).lacks(t, `<span class="badge">New</span>`)
		editor.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/enterprises/shakyhands/matches">Matches</a>`)
	})
	t.Run("refuses to dismiss another enterprise's match, bogus ids and cross-site posts", func(t *testing.T) {
		dismiss(editor, "riverside", idText(mine)).want(t, http.StatusForbidden)
		dismiss(editor, "shakyhands", idText(theirs)).want(t, http.StatusNotFound)
		dismiss(editor, "shakyhands", "abc").want(t, http.StatusNotFound)
		dismiss(editor, "shakyhands", "99999999").want(t, http.StatusNotFound)
		dismiss(editor, "shakyhands", "-1").want(t, http.StatusNotFound)
		editor.do(http.MethodPost, matchesPath+"/"+idText(mine)+"/dismiss", "application/x-www-form-urlencoded", nil,
			"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example").want(t, http.StatusForbidden)
		// Signed out: the sign-in form.
		if r := e.browser().post("/admin/enterprises/shakyhands/matches/"+idText(mine)+"/dismiss", url.Values{}); r.Status != http.StatusSeeOther ||
			r.Header.Get("Location") == matchesPath {
			t.Fatalf("signed-out dismissal: %d to %q", r.Status, r.Header.Get("Location"))
		}
		if n := len(e.matchesOf(need.ID)); n != 2 {
			t.Fatalf("the need has %d matches after refused dismissals, want 2", n)
		}
		if r := e.browser().get(matchesPath); r.Header.Get("Location") != "/login?next=%2Fadmin%2Fenterprises%2Fshakyhands%2Fmatches" {
			t.Fatalf("signed-out matches page: %d to %q", r.Status, r.Header.Get("Location"))
		}
	})
	t.Run("a dismissed match is gone and stays gone after the listing is edited", func(t *testing.T) {
		r := editor.follow(dismiss(editor, "shakyhands", idText(mine)), matchesPath)
		r.want(t, http.StatusOK).has(t, "The match was dismissed: it will not come back.").lacks(t, "Ladders for roof work")
		editor.get("/listings/"+idText(offer.ID)).want(t, http.StatusOK).lacks(t, "Ladders for roof work")
		title := "Ladders to lend, for roof work"
		if _, err := e.svc.UpdateListing(sys, offer.ID, directory.ListingUpdate{Title: &title}); err != nil {
			t.Fatal(err)
		}
		e.matchAll()
		editor.get(matchesPath).want(t, http.StatusOK).lacks(t, "Ladders for roof work")
		if ms := e.matchesOf(need.ID); len(ms) != 1 || ms[0].Offer.ID != otherOffer.ID {
			t.Fatalf("the need's matches after the edit: %v", ms)
		}
	})
}
