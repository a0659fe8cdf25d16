package web_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/web"
)

// password is the password of the seeded users (web_test.go).
const seedPassword = "a long enough password"

// browser is a client with a cookie jar that does not follow redirects,
// so that tests see each step of Post/Redirect/Get.
type browser struct {
	t *testing.T
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	return &browser{t: e.t, e: e, c: c}
}

// do sends a request; headers are name, value pairs.
func (b *browser) do(method, path, contentType string, body io.Reader, headers ...string) reply {
	b.t.Helper()
	req, err := http.NewRequest(method, b.e.srv.URL+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return readReply(b.t, b.c, req)
}

func (b *browser) get(path string) reply { b.t.Helper(); return b.do(http.MethodGet, path, "", nil) }

// post submits a form as a browser on this site would.
func (b *browser) post(path string, form url.Values, headers ...string) reply {
	b.t.Helper()
	headers = append([]string{"Sec-Fetch-Site", "same-origin", "Origin", b.e.srv.URL}, headers...)
	return b.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()), headers...)
}

// upload submits a multipart form with one file in field "logo".
func (b *browser) upload(path, filename string, data []byte) reply {
	b.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile("logo", filename)
	if err != nil {
		b.t.Fatal(err)
	}
	_, _ = fw.Write(data)
	if err := mw.Close(); err != nil {
		b.t.Fatal(err)
	}
	return b.do(http.MethodPost, path, mw.FormDataContentType(), &buf, "Sec-Fetch-Site", "same-origin")
}

// follow checks that r redirects (303) to location, and gets it.
func (b *browser) follow(r reply, location string) reply {
	b.t.Helper()
	if r.Status != http.StatusSeeOther || r.Header.Get("Location") != location {
		b.t.Fatalf("got %d to %q, want 303 to %q; body: %s", r.Status, r.Header.Get("Location"), location, r.Body)
	}
	return b.get(location)
}

// signIn signs in as email with the seeded password.
func (b *browser) signIn(email string) *browser {
	b.t.Helper()
	r := b.post("/login", url.Values{"email": {email}, "password": {seedPassword}})
	if r.Status != http.StatusSeeOther {
		b.t.Fatalf("sign in as %s: status %d: %s", email, r.Status, r.Body)
	}
	return b
}

// has fails the test unless the body contains every string of want.
func (r reply) has(t *testing.T, want ...string) reply {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(string(r.Body), w) {
			t.Fatalf("page lacks %q:\n%s", w, r.Body)
		}
	}
	return r
}

// lacks fails the test if the body contains any string of unwanted.
func (r reply) lacks(t *testing.T, unwanted ...string) reply {
	t.Helper()
	for _, w := range unwanted {
		if strings.Contains(string(r.Body), w) {
			t.Fatalf("page has %q:\n%s", w, r.Body)
		}
	}
	return r
}

// cookie returns the Set-Cookie of the reply for name, or nil.
func (r reply) cookie(name string) *http.Cookie {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// shiftClock makes the Service's clock run ahead by the returned offset.
// Call it before the first request.
func (e *env) shiftClock() *atomic.Int64 {
	var offset atomic.Int64
	base := e.svc.Now
	e.svc.Now = func() time.Time { return base().Add(time.Duration(offset.Load())) }
	return &offset
}

func TestSignInAndOut(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	t.Run("sends a signed-out visitor of /admin to the sign-in page", func(t *testing.T) {
		r := b.get("/admin/settings").want(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/login?next=%2Fadmin%2Fsettings" {
			t.Fatalf("Location %q", loc)
		}
		b.get("/login?next=%2Fadmin%2Fsettings").want(t, http.StatusOK).
			has(t, `name="next" value="/admin/settings"`, `<label for="f-email">`, `<label for="f-password">`)
	})
	t.Run("signs in and goes on to next", func(t *testing.T) {
		r := b.post("/login", url.Values{"email": {"ADMIN@test.example "}, "password": {seedPassword}, "next": {"/admin/settings"}})
		page := b.follow(r, "/admin/settings").want(t, http.StatusOK).has(t, "Network settings", "Sign out", "You are signed in.")
		if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q, want no-store", cc)
		}
		b.get("/").want(t, http.StatusOK).has(t, `href="/admin"`, "Sign out")
	})
	t.Run("signs out and the old session is gone", func(t *testing.T) {
		u, _ := url.Parse(e.srv.URL)
		old := b.c.Jar.Cookies(u)
		b.follow(b.post("/logout", nil), "/").want(t, http.StatusOK).has(t, "Sign in")
		b.get("/admin").want(t, http.StatusSeeOther)
		stale := e.browser()
		stale.c.Jar.SetCookies(u, old)
		r := stale.get("/admin").want(t, http.StatusSeeOther)
		if c := r.cookie("coopdir_session"); c == nil || c.MaxAge >= 0 {
			t.Fatalf("stale cookie not cleared: %+v", c)
		}
	})
	t.Run("refuses a wrong password, keeping the email", func(t *testing.T) {
		r := e.browser().post("/login", url.Values{"email": {"admin@test.example"}, "password": {"not the password"}})
		r.want(t, http.StatusUnprocessableEntity).has(t, "Wrong email or password", `value="admin@test.example"`)
		if r.cookie("coopdir_session") != nil {
			t.Fatal("a session cookie was set")
		}
	})
	t.Run("signed-in users are sent on from the sign-in page", func(t *testing.T) {
		b := e.browser().signIn("editor@test.example")
		if r := b.get("/login?next=/admin/listings/1").want(t, http.StatusSeeOther); r.Header.Get("Location") != "/admin/listings/1" {
			t.Fatalf("Location %q", r.Header.Get("Location"))
		}
	})
}

func TestSessionCookie(t *testing.T) {
	for _, tc := range []struct {
		name, base string
		secure     bool
	}{
		{"is HttpOnly, SameSite=Lax and not Secure over http", "", false},
		{"is Secure when the public address is https", "https://coop.example", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, func(o *web.Options) {
				if tc.base != "" {
					o.BaseURL = tc.base
				}
			})
			r := e.browser().post("/login", url.Values{"email": {"admin@test.example"}, "password": {seedPassword}})
			c := r.cookie("coopdir_session")
			if c == nil || !strings.HasPrefix(c.Value, directory.SessionPrefix) {
				t.Fatalf("no session cookie: %v", r.Header["Set-Cookie"])
			}
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure != tc.secure ||
				c.MaxAge != int(directory.SessionTTL/time.Second) {
				t.Fatalf("cookie %+v", c)
			}
		})
	}
	t.Run("an unknown session is cleared and the page shown signed out", func(t *testing.T) {
		e := newEnv(t)
		req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/", nil)
		req.AddCookie(&http.Cookie{Name: "coopdir_session", Value: directory.SessionPrefix + "forged"})
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		cleared := false
		for _, c := range resp.Cookies() {
			cleared = cleared || (c.Name == "coopdir_session" && c.MaxAge < 0)
		}
		if resp.StatusCode != http.StatusOK || !cleared {
			t.Fatalf("status %d, cookies %v", resp.StatusCode, resp.Header["Set-Cookie"])
		}
	})
	t.Run("a session ends when it expires", func(t *testing.T) {
		e := newEnv(t)
		offset := e.shiftClock()
		b := e.browser().signIn("admin@test.example")
		b.get("/admin").want(t, http.StatusOK)
		offset.Store(int64(directory.SessionTTL + time.Hour))
		b.get("/admin").want(t, http.StatusSeeOther)
	})
}

func TestOpenRedirect(t *testing.T) {
	e := newEnv(t, func(o *web.Options) { o.LoginAttempts = 100 })
	for _, next := range []string{"//evil.example", "https://evil.example", `/\evil.example`, `/\/evil.example`,
		"http:/evil.example", "javascript:alert(1)", "/\t/evil.example", "evil.example", "", "///evil.example"} {
		t.Run("refuses next="+next, func(t *testing.T) {
			r := e.browser().post("/login", url.Values{"email": {"admin@test.example"}, "password": {seedPassword}, "next": {next}})
			r.want(t, http.StatusSeeOther)
			if loc := r.Header.Get("Location"); loc != "/admin" {
				t.Fatalf("Location %q, want /admin", loc)
			}
		})
	}
	t.Run("keeps a local next with its query", func(t *testing.T) {
		r := e.browser().post("/login", url.Values{"email": {"admin@test.example"}, "password": {seedPassword}, "next": {"/admin?q=river&page=1"}})
		if loc := r.want(t, http.StatusSeeOther).Header.Get("Location"); loc != "/admin?q=river&page=1" {
			t.Fatalf("Location %q", loc)
		}
	})
}
