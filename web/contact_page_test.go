package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/mail"
	"github.com/coopdir/coopdir/mail/mailtest"
	"github.com/coopdir/coopdir/web"
)

// sendNow sends each mail at once with the real sender (the instance queues
// it; instance's TestMailThroughQueue covers the queue).
type sendNow struct{ s *mail.Sender }

func (n sendNow) Send(ctx context.Context, m mail.Message) error { return n.s.Send(ctx, m) }

// newMailEnv is newEnv with mail through a real SMTP server in the test.
func newMailEnv(t *testing.T, change ...func(*web.Options)) (*env, *mailtest.Server) {
	t.Helper()
	smtp := mailtest.Start(t, mailtest.Options{})
	sender, err := mail.NewSender(mail.Config{URL: smtp.URL(""), TLS: mail.NoTLS, From: "Testville <directory@testville.example>"})
	if err != nil {
		t.Fatal(err)
	}
	opts := append([]func(*web.Options){func(o *web.Options) { o.Mail, o.RespondMinAge = sendNow{sender}, -1 }}, change...)
	return newEnv(t, opts...), smtp
}

var formStampRE = regexp.MustCompile(`name="stamp" value="([^"]+)"`)

// stampOf returns the stamp of the form on the page at path.
func (b *browser) stampOf(path string) string {
	b.t.Helper()
	m := formStampRE.FindSubmatch(b.get(path).want(b.t, http.StatusOK).Body)
	if m == nil {
		b.t.Fatalf("%s has no stamped form", path)
	}
	return string(m[1])
}

// messages returns the stored messages to the enterprise handle.
func (e *env) messages(handle string) []*directory.ContactMessage {
	e.t.Helper()
	ms, _, err := e.svc.ContactMessages(directory.AsSystem(context.Background()), handle, directory.Page{Page: 1, PerPage: 50})
	if err != nil {
		e.t.Fatal(err)
	}
	return ms
}

func TestRespondForm(t *testing.T) {
	e, smtp := newMailEnv(t)
	b := e.browser()
	need := e.createListing(`{"enterprise":"shakyhands","type":"need","title":"Oak planks","category":"goods"}`)
	page := "/listings/" + strconv.FormatInt(need.ID, 10)
	action := page + "/respond"
	good := func(stamp string) url.Values {
		return url.Values{"name": {"Ana Neighbour"}, "reach": {"ana@neighbour.example"}, "message": {"I have planks.\nCome by."}, "stamp": {stamp}}
	}

	t.Run("a listing's Contact link goes to its Respond form", func(t *testing.T) {
		b.get(page).want(t, http.StatusOK).has(t, `<a href="#respond">Contact Shaky Hands Carpentry</a>`,
			`id="respond"`, `action="`+action+`"`, `name="website"`, "Respond to this need")
	})
	t.Run("an enterprise without contact details says so and offers the form", func(t *testing.T) {
		b.get("/enterprises/riverside").want(t, http.StatusOK).
			has(t, "has published no email, phone number or website", `href="#respond"`, `action="/enterprises/riverside/respond"`)
		b.get("/enterprises/shakyhands").want(t, http.StatusOK).lacks(t, "has published no email").has(t, `action="/enterprises/shakyhands/respond"`)
	})
	t.Run("a message is stored, mailed to the editors and listed in Responses", func(t *testing.T) {
		r := b.post(action, good(b.stampOf(page))).want(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != action+"?sent=1" {
			t.Fatalf("Location %q", loc)
		}
		b.get(action+"?sent=1").want(t, http.StatusOK).has(t, "your message was sent to Shaky Hands Carpentry", "by email")
		ms := e.messages("shakyhands")
		if len(ms) != 1 || ms[0].ListingID != need.ID || ms[0].Message != "I have planks.\nCome by." {
			t.Fatalf("stored %+v", ms)
		}
		mails := smtp.Messages()
		if len(mails) != 1 || strings.Join(mails[0].To, ",") != "editor@test.example" {
			t.Fatalf("mails %+v", mails)
		}
		if s := mails[0].Subject(); s != "Response from Ana Neighbour to “Oak planks”" {
			t.Errorf("subject %q", s)
		}
		if !strings.Contains(mails[0].Body, "I have planks.\nCome by.") || !strings.Contains(mails[0].Header.Get("Reply-To"), "ana@neighbour.example") {
			t.Errorf("mail:\n%s\n%s", mails[0].Raw, mails[0].Body)
		}
		editor := e.browser().signIn("editor@test.example")
		editor.get("/admin/enterprises/shakyhands/responses").want(t, http.StatusOK).
			has(t, "Ana Neighbour", `<a href="mailto:ana@neighbour.example">`, "I have planks.\nCome by.", `about <a href="`+page+`">the need “Oak planks”</a>`)
	})
	t.Run("a message to an enterprise without editors goes to the admins", func(t *testing.T) {
		before := len(smtp.Messages())
		path := "/enterprises/riverside"
		form := good(b.stampOf(path))
		form.Set("reach", "+1 555 0100")
		b.post(path+"/respond", form).want(t, http.StatusSeeOther)
		mails := smtp.Messages()
		if len(mails) != before+1 || strings.Join(mails[before].To, ",") != "admin@test.example" ||
			mails[before].Header.Get("Reply-To") != "" || !strings.Contains(mails[before].Body, "+1 555 0100") {
			t.Fatalf("mail %+v", mails[before:])
		}
	})
	t.Run("refuses bad input and stores nothing", func(t *testing.T) {
		long := strings.Repeat("x", directory.ContactMessageMax+1)
		for _, c := range []struct {
			name   string
			change func(url.Values)
			status int
			says   string
		}{
			{"a missing name", func(v url.Values) { v.Del("name") }, http.StatusUnprocessableEntity, "Your name: is required"},
			{"a missing way to reach", func(v url.Values) { v.Set("reach", "  ") }, http.StatusUnprocessableEntity, "How to reach you: is required"},
			{"a missing message", func(v url.Values) { v.Set("message", "") }, http.StatusUnprocessableEntity, "Your message: is required"},
			{"an overlong message", func(v url.Values) { v.Set("message", long) }, http.StatusUnprocessableEntity, "must be at most 5000 characters"},
			{"an overlong name", func(v url.Values) { v.Set("name", strings.Repeat("n", 101)) }, http.StatusUnprocessableEntity, "must be at most 100 characters"},
			{"a line break in the name (header injection)", func(v url.Values) { v.Set("name", "Ana\r\nBcc: victim@example.org") },
				http.StatusUnprocessableEntity, "must be on one line"},
			{"a line break in the way to reach", func(v url.Values) { v.Set("reach", "a@b.example\nBcc: c@d.example") },
				http.StatusUnprocessableEntity, "must be on one line"},
			{"the honeypot filled", func(v url.Values) { v.Set("website", "https://spam.example") }, http.StatusBadRequest, "a field that people never see"},
			{"no stamp", func(v url.Values) { v.Del("stamp") }, http.StatusBadRequest, "could not be checked"},
			{"a forged stamp", func(v url.Values) { v.Set("stamp", strconv.FormatInt(time.Now().Unix()-60, 10)+".forged") }, http.StatusBadRequest, "could not be checked"},
			{"another form's stamp", func(v url.Values) { v.Set("stamp", b.stampOf("/enterprises/riverside")) }, http.StatusBadRequest, "could not be checked"},
		} {
			t.Run(c.name, func(t *testing.T) {
				before, mailed := len(e.messages("shakyhands")), len(smtp.Messages())
				form := good(b.stampOf(page))
				c.change(form)
				r := b.post(action, form).want(t, c.status).has(t, c.says, `class="error-summary"`)
				if c.status == http.StatusUnprocessableEntity && !strings.Contains(string(r.Body), `name="stamp"`) {
					t.Error("the form is not shown again")
				}
				if len(e.messages("shakyhands")) != before || len(smtp.Messages()) != mailed {
					t.Error("a refused message was stored or mailed")
				}
			})
		}
	})
	t.Run("refuses a form shown too long ago", func(t *testing.T) {
		shift := e.shiftClock()
		stamp := b.stampOf(page)
		shift.Store(int64(web.DefaultRespondMaxAge + time.Hour))
		b.post(action, good(stamp)).want(t, http.StatusUnprocessableEntity).has(t, "shown too long ago")
		shift.Store(0)
	})
	t.Run("a partner's listing has no form here", func(t *testing.T) {
		ids := e.importFrom("partner.example", "faraway")
		p := "/listings/" + strconv.FormatInt(ids[0], 10)
		b.get(p).want(t, http.StatusOK).lacks(t, `id="respond"`)
		b.post(p+"/respond", good("1.x")).want(t, http.StatusNotFound)
	})
}

func TestRespondGuards(t *testing.T) {
	t.Run("refuses a post made too fast", func(t *testing.T) {
		e, smtp := newMailEnv(t, func(o *web.Options) { o.RespondMinAge = time.Hour })
		b := e.browser()
		form := url.Values{"name": {"Bot"}, "reach": {"bot@example.org"}, "message": {"hi"}, "stamp": {b.stampOf("/enterprises/shakyhands")}}
		b.post("/enterprises/shakyhands/respond", form).want(t, http.StatusUnprocessableEntity).has(t, "sent too quickly")
		if len(e.messages("shakyhands")) != 0 || len(smtp.Messages()) != 0 {
			t.Error("a post made too fast was stored or mailed")
		}
	})
	t.Run("limits the posts of one client address", func(t *testing.T) {
		e, smtp := newMailEnv(t, func(o *web.Options) { o.RespondLimit = 2 })
		b := e.browser()
		post := func() reply {
			form := url.Values{"name": {"Ana"}, "reach": {"ana@example.org"}, "message": {"hi"}, "stamp": {b.stampOf("/enterprises/shakyhands")}}
			return b.post("/enterprises/shakyhands/respond", form)
		}
		post().want(t, http.StatusSeeOther)
		post().want(t, http.StatusSeeOther)
		r := post().want(t, http.StatusTooManyRequests).has(t, "Too many messages from your address")
		if r.Header.Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		if len(e.messages("shakyhands")) != 2 || len(smtp.Messages()) != 2 {
			t.Errorf("%d stored, %d mailed, want 2", len(e.messages("shakyhands")), len(smtp.Messages()))
		}
	})
	t.Run("without SMTP a message is stored and not mailed", func(t *testing.T) {
		e := newEnv(t, func(o *web.Options) { o.RespondMinAge = -1 })
		b := e.browser()
		form := url.Values{"name": {"Ana"}, "reach": {"ana@example.org"}, "message": {"hi"}, "stamp": {b.stampOf("/enterprises/shakyhands")}}
		b.post("/enterprises/shakyhands/respond", form).want(t, http.StatusSeeOther)
		b.get("/enterprises/shakyhands/respond?sent=1").want(t, http.StatusOK).has(t, "Its editors read it on their pages")
		if len(e.messages("shakyhands")) != 1 {
			t.Error("not stored")
		}
	})
}

func TestForgotPassword(t *testing.T) {
	t.Run("without SMTP the page says to ask an admin", func(t *testing.T) {
		e := newEnv(t)
		b := e.browser()
		b.get("/login").want(t, http.StatusOK).has(t, `<a href="/password-reset">Forgot your password?</a>`)
		b.get("/password-reset").want(t, http.StatusOK).has(t, "Ask one of its admins").lacks(t, `name="email"`)
		b.post("/password-reset", url.Values{"email": {"editor@test.example"}}).want(t, http.StatusOK).has(t, "Ask one of its admins")
	})
	t.Run("with SMTP it mails a link, and answers the same for an unknown address", func(t *testing.T) {
		e, smtp := newMailEnv(t)
		b := e.browser()
		for _, addr := range []string{"nobody@test.example", " Editor@Test.example "} {
			r := b.post("/password-reset", url.Values{"email": {addr}, "stamp": {b.stampOf("/password-reset")}}).want(t, http.StatusSeeOther)
			if loc := r.Header.Get("Location"); loc != "/password-reset?sent=1" {
				t.Fatalf("%s: Location %q", addr, loc)
			}
		}
		b.get("/password-reset?sent=1").want(t, http.StatusOK).has(t, "If an account has this address")
		mails := smtp.Messages()
		if len(mails) != 1 || strings.Join(mails[0].To, ",") != "editor@test.example" {
			t.Fatalf("mails %+v", mails)
		}
		link := regexp.MustCompile(`/password-reset/coopdir_r_[A-Za-z0-9_-]+`).FindString(mails[0].Body)
		if link == "" || !strings.Contains(mails[0].Body, e.srv.URL+link) {
			t.Fatalf("no link in:\n%s", mails[0].Body)
		}
		b.get(link).want(t, http.StatusOK).has(t, "editor@test.example")
		r := b.post(link, url.Values{"password": {"a brand new password"}, "confirm": {"a brand new password"}}).want(t, http.StatusSeeOther)
		if r.Header.Get("Location") != "/admin" {
			t.Errorf("after the reset: %q", r.Header.Get("Location"))
		}
		b.get(link).want(t, http.StatusNotFound).has(t, "Forgot your password?")
	})
	t.Run("refuses the honeypot and limits requests", func(t *testing.T) {
		e, smtp := newMailEnv(t, func(o *web.Options) { o.RespondLimit = 2 })
		b := e.browser()
		b.post("/password-reset", url.Values{"email": {"editor@test.example"}, "website": {"x"}, "stamp": {b.stampOf("/password-reset")}}).
			want(t, http.StatusBadRequest)
		for range 2 {
			b.post("/password-reset", url.Values{"email": {"editor@test.example"}, "stamp": {b.stampOf("/password-reset")}}).want(t, http.StatusSeeOther)
		}
		b.post("/password-reset", url.Values{"email": {"editor@test.example"}, "stamp": {b.stampOf("/password-reset")}}).
			want(t, http.StatusTooManyRequests)
		if n := len(smtp.Messages()); n != 2 {
			t.Errorf("%d mails, want 2", n)
		}
	})
}
