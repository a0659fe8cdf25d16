package instance_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
	"github.com/coopdir/coopdir/mail"
	"github.com/coopdir/coopdir/mail/mailtest"
)

var stampRE = regexp.MustCompile(`name="stamp" value="([^"]+)"`)

// postForm reads the page at path, takes its form's stamp and posts values
// (with the stamp) to action; it returns the status and the Location.
func postForm(t *testing.T, srv *instancetest.Instance, path, action string, values url.Values) (int, string) {
	t.Helper()
	_, _, page := instancetest.Fetch(t, srv.URLOf(path), "text/html")
	m := stampRE.FindSubmatch(page)
	if m == nil {
		t.Fatalf("%s has no stamped form", path)
	}
	values.Set("stamp", string(m[1]))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(srv.URLOf(action), values)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, resp.Header.Get("Location")
}

// TestMailThroughQueue runs a real instance on each engine with a real SMTP
// server in the test: a Respond form's message is stored and mailed to the
// enterprise's editor by the durable queue, which retries after the server
// first answers "try again later"; a forgotten password gets its link by
// mail, which then works.
func TestMailThroughQueue(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			smtp := mailtest.Start(t, mailtest.Options{FailFirst: 1})
			srv := instancetest.Start(t, engine, func(c *instance.Config) {
				c.Mail = mail.Config{URL: smtp.URL(""), TLS: mail.NoTLS, From: "Test network <directory@coop.test>"}
				c.RespondMinAge = -1
			})
			ctx := directory.AsSystem(context.Background())
			svc := srv.Service()
			srv.Enterprise("bakery", "Bread Bakery")
			editor := &directory.User{Email: "editor@bakery.test", Name: "Ed", Role: directory.RoleEditor}
			if err := svc.AddUser(ctx, editor, "bakery", "a long enough password"); err != nil {
				t.Fatal(err)
			}
			l := &directory.Listing{Type: directory.Need, Title: "Flour sacks", Category: "goods"}
			if err := svc.CreateListing(ctx, "bakery", l); err != nil {
				t.Fatal(err)
			}
			path := "/listings/" + strconv.FormatInt(l.ID, 10)

			status, loc := postForm(t, srv, path, path+"/respond", url.Values{
				"name": {"Ana Neighbour"}, "reach": {"ana@neighbour.test"}, "message": {"I have ten sacks.\nCall me."}})
			if status != http.StatusSeeOther || loc != path+"/respond?sent=1" {
				t.Fatalf("post: %d to %q", status, loc)
			}
			instancetest.Eventually(t, "the mail to the editor", func() bool { return len(smtp.Messages()) == 1 })
			m := smtp.Messages()[0]
			if strings.Join(m.To, ",") != editor.Email {
				t.Errorf("recipients %v, want the editor", m.To)
			}
			if got := m.Subject(); got != "Response from Ana Neighbour to “Flour sacks”" {
				t.Errorf("subject %q", got)
			}
			if !strings.Contains(m.Header.Get("Reply-To"), "ana@neighbour.test") || !strings.Contains(m.Header.Get("From"), "directory@coop.test") {
				t.Errorf("From %q, Reply-To %q", m.Header.Get("From"), m.Header.Get("Reply-To"))
			}
			for _, want := range []string{"I have ten sacks.\nCall me.", "ana@neighbour.test", srv.URLOf(path), srv.URLOf("/admin/enterprises/bakery/responses")} {
				if !strings.Contains(m.Body, want) {
					t.Errorf("the body lacks %q:\n%s", want, m.Body)
				}
			}
			if smtp.Attempts() != 2 {
				t.Errorf("%d attempts, want 2 (one refused, one retried)", smtp.Attempts())
			}
			msgs, total, err := svc.ContactMessages(ctx, "bakery", directory.Page{Page: 1, PerPage: 5})
			if err != nil || total != 1 || msgs[0].ListingID != l.ID || msgs[0].Name != "Ana Neighbour" {
				t.Fatalf("stored messages %+v, %d, %v", msgs, total, err)
			}

			status, loc = postForm(t, srv, "/password-reset", "/password-reset", url.Values{"email": {"Editor@Bakery.test"}})
			if status != http.StatusSeeOther || loc != "/password-reset?sent=1" {
				t.Fatalf("reset request: %d to %q", status, loc)
			}
			instancetest.Eventually(t, "the password-reset mail", func() bool { return len(smtp.Messages()) == 2 })
			reset := smtp.Messages()[1]
			link := regexp.MustCompile(`https?://\S+/password-reset/coopdir_r_\S+`).FindString(reset.Body)
			if strings.Join(reset.To, ",") != editor.Email || link == "" {
				t.Fatalf("reset mail to %v without a link:\n%s", reset.To, reset.Body)
			}
			if code, _, body := instancetest.Fetch(t, link, "text/html"); code != http.StatusOK || !strings.Contains(string(body), editor.Email) {
				t.Errorf("the mailed link answers %d", code)
			}
			status, _ = postForm(t, srv, "/password-reset", "/password-reset", url.Values{"email": {"nobody@bakery.test"}})
			if status != http.StatusSeeOther {
				t.Errorf("unknown address: %d, want the same answer as a known one", status)
			}
		})
	}
}

// TestMatchMail runs a real instance on each engine with a real SMTP
// server: a need and an offer of two enterprises that could meet each
// other are matched in the background, and each enterprise's editor gets
// one mail naming the other's listing and the Matches page; a later round
// of matching sends nothing more.
func TestMatchMail(t *testing.T) {
	for _, engine := range instancetest.Engines {
		t.Run(string(engine), func(t *testing.T) {
			smtp := mailtest.Start(t, mailtest.Options{})
			srv := instancetest.Start(t, engine, func(c *instance.Config) {
				c.Mail = mail.Config{URL: smtp.URL(""), TLS: mail.NoTLS, From: "Test network <directory@coop.test>"}
				c.MatchInterval = 50 * time.Millisecond
			})
			ctx := directory.AsSystem(context.Background())
			svc := srv.Service()
			editors := map[string]string{"fund": "ed@fund.test", "movers": "ed@movers.test"}
			for handle, email := range editors {
				srv.Enterprise(handle, strings.ToUpper(handle[:1])+handle[1:]+" Co-op")
				if err := svc.AddUser(ctx, &directory.User{Email: email, Name: "Ed", Role: directory.RoleEditor}, handle, "a long enough password"); err != nil {
					t.Fatal(err)
				}
			}
			need := &directory.Listing{Type: directory.Need, Title: "Van for a food run", Category: "transport"}
			offer := &directory.Listing{Type: directory.Offer, Title: "Cargo van with driver", Category: "transport"}
			for handle, l := range map[string]*directory.Listing{"fund": need, "movers": offer} {
				if err := svc.CreateListing(ctx, handle, l); err != nil {
					t.Fatal(err)
				}
			}
			instancetest.Eventually(t, "a mail to each editor", func() bool { return len(smtp.Messages()) == 2 })
			got := map[string]*mailtest.Message{}
			for _, m := range smtp.Messages() {
				got[strings.Join(m.To, ",")] = m
			}
			checks := map[string][]string{
				"ed@fund.test":   {"New match for “Van for a food run”", "Cargo van with driver", srv.URLOf("/listings/" + strconv.FormatInt(offer.ID, 10)), srv.URLOf("/admin/enterprises/fund/matches")},
				"ed@movers.test": {"New match for “Cargo van with driver”", "Van for a food run", srv.URLOf("/admin/enterprises/movers/matches")},
			}
			for to, wants := range checks {
				m, ok := got[to]
				if !ok {
					t.Fatalf("no mail to %s among %v", to, got)
				}
				if m.Subject() != wants[0] {
					t.Errorf("%s: subject %q, want %q", to, m.Subject(), wants[0])
				}
				for _, w := range wants[1:] {
					if !strings.Contains(m.Body, w) {
						t.Errorf("%s: the body lacks %q:\n%s", to, w, m.Body)
					}
				}
			}
			// Editing the need rescores the match: nobody is told again.
			if _, err := svc.UpdateListing(ctx, need.ID, directory.ListingUpdate{Description: ptrTo("Saturday mornings")}); err != nil {
				t.Fatal(err)
			}
			instancetest.Eventually(t, "the edit to be matched", func() bool {
				ms, err := svc.ListingMatches(ctx, need.ID, 5)
				return err == nil && len(ms) == 1 && ms[0].UpdatedAt.After(ms[0].CreatedAt)
			})
			if n := len(smtp.Messages()); n != 2 {
				t.Errorf("%d mails after a rescoring, want still 2", n)
			}
		})
	}
}

func ptrTo[T any](v T) *T { return &v }
