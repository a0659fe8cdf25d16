package web_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFormsRefuseAPastDateAndAskBeforeDeleting drives the listing
// form as an editor would: a valid-until date in the past is refused beside
// the field with the focus on the error summary; the posted listing's notice
// links to it; deleting it asks first, and "No" keeps it.
func TestBrowserFormsRefuseAPastDateAndAskBeforeDeleting(t *testing.T) {
	b := newBrowserInstance(t)
	b.signIn(t)
	const title = "Screen-printing frames, last call"

	b.open(t, "/admin/enterprises/shakyhands/listings/new")
	do(t, b.ctx, "post a need dated in the past",
		chromedp.Click(chromedp.CSS("#f-type")),
		chromedp.SendKeys(chromedp.CSS("#f-title"), title),
		chromedp.SetValue(chromedp.CSS("#f-category"), "goods"),
		chromedp.SetValue(chromedp.CSS("#f-valid-until"), "2020-01-01"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".error-summary")),
	)
	t.Run("the past date is refused beside the field, with the focus on the summary", func(t *testing.T) {
		b.waitFor(t, `document.activeElement && document.activeElement.classList.contains("error-summary")`)
		msg := eval[string](t, b, `document.querySelector("#f-valid-until-error").innerText`)
		if !strings.Contains(msg, "or later") {
			t.Fatalf("error beside the field: %q", msg)
		}
		if got := eval[string](t, b, `document.querySelector("#f-valid-until").getAttribute("aria-invalid")`); got != "true" {
			t.Fatalf("the date is not marked invalid (aria-invalid=%q)", got)
		}
		if !eval[bool](t, b, `document.querySelector(".error-summary a[href='#f-valid-until']") !== null`) {
			t.Fatal("the summary does not link to the date")
		}
		if got := eval[string](t, b, `document.querySelector("#f-title").value`); got != title {
			t.Fatalf("the title was lost: %q", got)
		}
		screenshot(t, b.ctx, "form-error")
	})

	do(t, b.ctx, "post it without an end date",
		chromedp.SetValue(chromedp.CSS("#f-valid-until"), ""),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.notice[role="status"] a[href^="/listings/"]`)),
	)
	t.Run("the notice links to the new listing", func(t *testing.T) {
		do(t, b.ctx, "follow the link",
			chromedp.Click(chromedp.CSS(`.notice[role="status"] a[href^="/listings/"]`)),
			chromedp.WaitVisible(chromedp.CSS("main h1")),
		)
		b.waitFor(t, `location.pathname.startsWith("/listings/") && document.querySelector("main h1").innerText.includes(`+jsString(title)+`)`)
	})

	findRow := `[...document.querySelectorAll("main tr")].find(r => r.innerText.includes(` + jsString(title) + `))`
	openConfirmation := func(t *testing.T) {
		t.Helper()
		b.open(t, "/admin/enterprises/shakyhands")
		id := eval[string](t, b, findRow+`.id`)
		do(t, b.ctx, "press Delete on the listing", chromedp.Click(chromedp.CSS("#"+id+" form[action$='/delete'] button")))
		b.waitFor(t, `!!document.querySelector("h1#confirm-title") && document.readyState === "complete"`)
	}
	t.Run("Delete asks first, and No keeps the listing", func(t *testing.T) {
		openConfirmation(t)
		if q := eval[string](t, b, `document.querySelector("h1#confirm-title").innerText`); q != "Delete the need “"+title+"”?" {
			t.Fatalf("question %q", q)
		}
		b.waitFor(t, `document.activeElement && document.activeElement.innerText === "Yes, delete the need"`)
		screenshot(t, b.ctx, "delete-confirmation")
		do(t, b.ctx, "answer no", chromedp.Click(chromedp.CSS(`main form a`)))
		b.waitFor(t, `location.pathname === "/admin/enterprises/shakyhands" && document.readyState === "complete"`)
		if !eval[bool](t, b, `!!`+findRow) {
			t.Fatal("the listing is gone after answering no")
		}
	})
	t.Run("Yes deletes it", func(t *testing.T) {
		openConfirmation(t)
		do(t, b.ctx, "answer yes", chromedp.Click(chromedp.CSS(`main form button.danger`)))
		b.waitFor(t, `document.readyState === "complete" && !!document.querySelector(".notice[role=status]") && document.querySelector(".notice[role=status]").innerText.includes("The listing was deleted.")`)
		if eval[bool](t, b, `!!`+findRow) {
			t.Fatal("the listing is still listed")
		}
	})
}
