package web_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
	"github.com/coopdir/coopdir/mail"
	"github.com/coopdir/coopdir/mail/mailtest"
)

// TestBrowserRespondToANeed responds to a need without an account in a
// real Chromium, then finds the message in the enterprise's Responses and
// in the mailbox of the SMTP server the instance mails through (started
// in the test; the mail goes through the instance's queue).
func TestBrowserRespondToANeed(t *testing.T) {
	ctx := newBrowser(t)
	smtp := mailtest.Start(t, mailtest.Options{})
	srv := instancetest.Start(t, instancetest.SQLite, func(c *instance.Config) {
		c.NetworkName = "Cooperation Milwaukee"
		c.Mail = mail.Config{URL: smtp.URL(""), TLS: mail.NoTLS, From: "Cooperation Milwaukee <directory@coop.example>"}
		// A real guard, short enough for a browser that types at once.
		c.RespondMinAge = 50 * time.Millisecond
	})
	sys := directory.AsSystem(context.Background())
	svc := srv.Service()
	if err := svc.CreateEnterprise(sys, &directory.Enterprise{Handle: "riverbakery", Name: "River Bakery Co-op", Kind: directory.KindWorkerCoop}); err != nil {
		t.Fatal(err)
	}
	editor := &directory.User{Email: "baker@river.example", Name: "Bea Baker", Role: directory.RoleEditor}
	if err := svc.AddUser(sys, editor, "riverbakery", browserAdminPassword); err != nil {
		t.Fatal(err)
	}
	need := &directory.Listing{Type: directory.Need, Title: "Flour sacks for the winter", Category: "goods"}
	if err := svc.CreateListing(sys, "riverbakery", need); err != nil {
		t.Fatal(err)
	}
	b := &browserInstance{ctx: ctx, url: srv.URL()}
	const message = "I have twenty clean flour sacks. I can bring them on Saturday."

	b.open(t, "/listings/"+strconv.FormatInt(need.ID, 10))
	do(t, b.ctx, "follow Contact to the Respond form and send it",
		chromedp.Click(chromedp.CSS(`a[href="#respond"]`)),
		chromedp.WaitVisible(chromedp.CSS("#respond form")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Ana Neighbour"),
		chromedp.SendKeys(chromedp.CSS("#f-reach"), "ana@neighbour.example"),
		chromedp.SendKeys(chromedp.CSS("#f-message"), message),
	)
	t.Run("the honeypot is out of sight and out of the Tab order", func(t *testing.T) {
		if !eval[bool](t, b, `(() => { const r = document.querySelector("#f-website").getBoundingClientRect();
			return r.right < 0 && document.querySelector("#f-website").tabIndex === -1 })()`) {
			t.Fatal("the honeypot field can be seen or reached")
		}
	})
	screenshot(t, b.ctx, "respond")
	do(t, b.ctx, "send", chromedp.Click(chromedp.CSS(`#respond button[type="submit"]`)))
	b.waitFor(t, `!!document.querySelector('#respond .notice[role="status"]')`)
	if got := eval[string](t, b, `document.querySelector("#respond .notice").innerText`); !strings.Contains(got, "your message was sent to River Bakery Co-op") {
		t.Fatalf("after sending: %q", got)
	}

	t.Run("the editor gets it by mail", func(t *testing.T) {
		instancetest.Eventually(t, "the mail", func() bool { return len(smtp.Messages()) == 1 })
		m := smtp.Messages()[0]
		if strings.Join(m.To, ",") != editor.Email || !strings.Contains(m.Body, message) || !strings.Contains(m.Subject(), "Flour sacks for the winter") {
			t.Fatalf("mail to %v, %q:\n%s", m.To, m.Subject(), m.Body)
		}
	})
	t.Run("it is in the enterprise's Responses", func(t *testing.T) {
		b.open(t, "/login")
		do(t, b.ctx, "sign in as the editor",
			chromedp.SendKeys(chromedp.CSS("#f-email"), editor.Email),
			chromedp.SendKeys(chromedp.CSS("#f-password"), browserAdminPassword),
			chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		)
		b.open(t, "/admin/enterprises/riverbakery/responses")
		text := eval[string](t, b, `document.querySelector("main").innerText`)
		for _, want := range []string{"Ana Neighbour", "ana@neighbour.example", message, "Flour sacks for the winter"} {
			if !strings.Contains(text, want) {
				t.Errorf("Responses lacks %q:\n%s", want, text)
			}
		}
		screenshot(t, b.ctx, "admin-responses")
	})
}
