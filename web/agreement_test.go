package web_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// agreementsOf returns the agreements about listing id.
func (e *env) agreementsOf(id int64) []*directory.Agreement {
	e.t.Helper()
	as, err := e.svc.ListingAgreements(context.Background(), id)
	if err != nil {
		e.t.Fatal(err)
	}
	return as
}

func TestAgreements(t *testing.T) {
	e := newEnv(t)
	sys := directory.AsSystem(context.Background())
	if err := e.svc.AddUser(sys, &directory.User{Email: "river@test.example", Name: "Rita", Role: directory.RoleEditor},
		"riverside", "a long enough password"); err != nil {
		t.Fatal(err)
	}
	need := &directory.Listing{Type: directory.Need, Title: "Ladders for roof work", Category: "tools", Quantity: new(3.0), Unit: "ladders"}
	if err := e.svc.CreateListing(sys, "riverside", need); err != nil {
		t.Fatal(err)
	}
	page, path := "/listings/"+idText(need.ID), "/listings/"+idText(need.ID)+"/agreements"
	editor, river := e.browser().signIn("editor@test.example"), e.browser().signIn("river@test.example")
	offer := func(b *browser, form url.Values, headers ...string) reply {
		t.Helper()
		return b.post(path, form, headers...)
	}

	t.Run("the listing page offers the form to other enterprises' editors only", func(t *testing.T) {
		editor.get(page).want(t, http.StatusOK).has(t, "We can meet this", `action="`+path+`"`,
			`<option value="shakyhands">Shaky Hands Carpentry</option>`, `max="3"`)
		river.get(page).want(t, http.StatusOK).lacks(t, `action="`+path+`"`)
		e.browser().get(page).want(t, http.StatusOK).lacks(t, `action="`+path+`"`)
	})
	t.Run("refuses bad quantities, other enterprises and cross-site posts, keeping nothing", func(t *testing.T) {
		for _, q := range []string{"abc", "-1", "0", "NaN", "1e12", "4"} {
			offer(editor, url.Values{"enterprise": {"shakyhands"}, "quantity": {q}}).want(t, http.StatusUnprocessableEntity)
		}
		offer(editor, url.Values{"enterprise": {"riverside"}}).want(t, http.StatusForbidden)
		offer(editor, url.Values{"enterprise": {"nosuch"}}).want(t, http.StatusNotFound)
		editor.do(http.MethodPost, path, "application/x-www-form-urlencoded", nil,
			"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example").want(t, http.StatusForbidden)
		if r := e.browser().post(path, url.Values{"enterprise": {"shakyhands"}}); r.Status != http.StatusSeeOther ||
			r.Header.Get("Location") == "/admin/enterprises/shakyhands/agreements" {
			t.Errorf("signed-out offer: %d to %q", r.Status, r.Header.Get("Location"))
		}
		if as := e.agreementsOf(need.ID); len(as) != 0 {
			t.Fatalf("refused offers left %d agreements", len(as))
		}
	})
	var first *directory.Agreement
	t.Run("an offer waits for the listing's editors, with a count in their admin", func(t *testing.T) {
		r := editor.follow(offer(editor, url.Values{"enterprise": {"shakyhands"}, "quantity": {"2"}, "message": {"Two <long> ones."}}),
			"/admin/enterprises/shakyhands/agreements")
		r.want(t, http.StatusOK).has(t, "The agreement was offered.", "To Riverside Tool Library", "Ladders for roof work", "(2 ladders)", "waiting")
		first = e.agreementsOf(need.ID)[0]
		river.get("/admin").want(t, http.StatusOK).has(t, `href="/admin/enterprises/riverside/agreements">Agreements <span class="badge">1 waiting</span>`)
		river.get("/admin/enterprises/riverside/agreements").want(t, http.StatusOK).has(t,
			"Shaky Hands Carpentry can meet your need", "Quantity: 2 ladders", "Two &lt;long&gt; ones.",
			`action="/admin/enterprises/riverside/agreements/`+idText(first.ID)+`/accept"`)
	})
	decide := func(b *browser, handle string, id int64, verb string, form url.Values, headers ...string) reply {
		t.Helper()
		return b.post("/admin/enterprises/"+handle+"/agreements/"+idText(id)+"/"+verb, form, headers...)
	}
	t.Run("only the listing's editors decide, from this site", func(t *testing.T) {
		decide(editor, "riverside", first.ID, "accept", url.Values{}).want(t, http.StatusForbidden)
		decide(editor, "shakyhands", first.ID, "accept", url.Values{}).want(t, http.StatusNotFound)
		river.do(http.MethodPost, "/admin/enterprises/riverside/agreements/"+idText(first.ID)+"/accept", "application/x-www-form-urlencoded", nil,
			"Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example").want(t, http.StatusForbidden)
		decide(river, "riverside", 99999, "accept", url.Values{}).want(t, http.StatusNotFound)
		if a := e.agreementsOf(need.ID)[0]; a.State != directory.AgreementPending {
			t.Fatalf("agreement is %s after refused decisions", a.State)
		}
	})
	t.Run("accepting shows on the listing page and takes the quantity off", func(t *testing.T) {
		r := river.follow(decide(river, "riverside", first.ID, "accept", url.Values{}), "/admin/enterprises/riverside/agreements")
		r.want(t, http.StatusOK).has(t, "The agreement was accepted")
		e.browser().get(page).want(t, http.StatusOK).has(t, "Met by Shaky Hands Carpentry on ", "(2 ladders)", "<dd>1 ladders</dd>")
		decide(river, "riverside", first.ID, "accept", url.Values{}).want(t, http.StatusConflict)
		decide(river, "riverside", first.ID, "decline", url.Values{}).want(t, http.StatusConflict)
	})
	t.Run("a declined agreement cannot be accepted after", func(t *testing.T) {
		offer(editor, url.Values{"enterprise": {"shakyhands"}}).want(t, http.StatusSeeOther)
		offer(editor, url.Values{"enterprise": {"shakyhands"}}).want(t, http.StatusConflict)
		second := e.agreementsOf(need.ID)[0]
		decide(river, "riverside", second.ID, "decline", url.Values{"reason": {"Found some"}}).want(t, http.StatusSeeOther)
		decide(river, "riverside", second.ID, "accept", url.Values{}).want(t, http.StatusConflict)
		editor.get("/admin/enterprises/shakyhands/agreements").want(t, http.StatusOK).has(t, "declined · Found some")
		if l, _ := e.svc.Listing(sys, need.ID); l.Status != directory.StatusOpen || *l.Quantity != 1 {
			t.Errorf("listing after a decline: %s %v", l.Status, *l.Quantity)
		}
	})
	t.Run("an answer with the editor's own listing links both listings", func(t *testing.T) {
		lend := &directory.Listing{Type: directory.Offer, Title: "Ladders to lend", Category: "tools"}
		if err := e.svc.CreateListing(sys, "shakyhands", lend); err != nil {
			t.Fatal(err)
		}
		theirs := &directory.Listing{Type: directory.Offer, Title: "Their ladders", Category: "tools"}
		if err := e.svc.CreateListing(sys, "riverside", theirs); err != nil {
			t.Fatal(err)
		}
		editor.get(page).want(t, http.StatusOK).has(t, `<option value="`+idText(lend.ID)+`">Ladders to lend</option>`)
		for _, bad := range []string{"abc", "-3", idText(theirs.ID), idText(need.ID)} {
			offer(editor, url.Values{"enterprise": {"shakyhands"}, "listing": {bad}}).want(t, http.StatusUnprocessableEntity)
		}
		offer(editor, url.Values{"enterprise": {"shakyhands"}, "listing": {idText(lend.ID)}}).want(t, http.StatusSeeOther)
		third := e.agreementsOf(need.ID)[0]
		decide(river, "riverside", third.ID, "accept", url.Values{}).want(t, http.StatusSeeOther)
		e.browser().get(page).want(t, http.StatusOK).has(t, `· <a href="/listings/`+idText(lend.ID)+`">Ladders to lend</a>`)
		e.browser().get("/listings/"+idText(lend.ID)).want(t, http.StatusOK).has(t,
			"Agreed with Riverside Tool Library on ", `<a href="`+page+`">Ladders for roof work</a>`)
	})
	t.Run("a closed listing takes no agreement; a partner's needs federation", func(t *testing.T) {
		if _, err := e.svc.SetListingStatus(sys, need.ID, directory.StatusFulfilled); err != nil {
			t.Fatal(err)
		}
		editor.get(page).want(t, http.StatusOK).lacks(t, `action="`+path+`"`)
		offer(editor, url.Values{"enterprise": {"shakyhands"}}).want(t, http.StatusUnprocessableEntity)
		remote := e.importFrom("partner.example", "toolshed")[0]
		editor.post("/listings/"+idText(remote)+"/agreements", url.Values{"enterprise": {"shakyhands"}}).want(t, http.StatusServiceUnavailable)
		if n := len(e.agreementsOf(need.ID)); n != 3 {
			t.Errorf("%d agreements, want 3", n)
		}
	})
}
