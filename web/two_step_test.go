package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory/totp"
	"github.com/coopdir/coopdir/web"
)

const editorEmail = "editor@test.example"

// shownSecret returns the secret the account page offers.
func shownSecret(t *testing.T, page reply) string {
	t.Helper()
	m := regexp.MustCompile(`name="secret" value="([A-Z2-7]+)"`).FindSubmatch(page.Body)
	if m == nil {
		t.Fatalf("no secret on the page: %s", page.Body)
	}
	return string(m[1])
}

// codeNow returns the code of secret at the service's clock.
func (e *env) codeNow(t *testing.T, secret string) string {
	t.Helper()
	c, err := totp.Code(secret, e.svc.Now())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// enableTwoStep turns two-step sign-in on for b and returns the secret and
// the recovery codes shown.
func (e *env) enableTwoStep(t *testing.T, b *browser) (string, []string) {
	t.Helper()
	secret := shownSecret(t, b.get("/admin/account").want(t, http.StatusOK))
	page := b.post("/admin/account/two-step", url.Values{"secret": {secret}, "code": {e.codeNow(t, secret)}}).
		want(t, http.StatusOK).has(t, "Two-step sign-in is on.")
	var codes []string
	for _, m := range regexp.MustCompile(`<li><code>([0-9A-Z]{5}-[0-9A-Z]{5})</code></li>`).FindAllSubmatch(page.Body, -1) {
		codes = append(codes, string(m[1]))
	}
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	return secret, codes
}

// passwordStep gives the password and returns the second step's form.
func passwordStep(t *testing.T, b *browser) url.Values {
	t.Helper()
	page := b.post("/login", url.Values{"email": {editorEmail}, "password": {seedPassword}, "next": {"/admin"}}).
		want(t, http.StatusOK).has(t, "Sign-in code", `action="/login/code"`)
	m := regexp.MustCompile(`name="ticket" value="([^"]+)"`).FindSubmatch(page.Body)
	if m == nil {
		t.Fatal("no ticket")
	}
	return url.Values{"email": {editorEmail}, "ticket": {string(m[1])}, "next": {"/admin"}}
}

func withCode(form url.Values, code string) url.Values {
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set("code", code)
	return f
}

func TestTwoStepSignIn(t *testing.T) {
	var (
		e     *env
		clock *atomic.Int64
	)
	fresh := func(t *testing.T) {
		e = newEnv(t, func(o *web.Options) { o.LoginAttempts = 3 })
		clock = e.shiftClock()
	}
	nextStep := func() { clock.Add(int64(30 * time.Second)) }
	t.Run("refuses to turn on with a wrong, malformed or overlong code, or a forged secret", func(t *testing.T) {
		fresh(t)
		b := e.browser().signIn(editorEmail)
		page := b.get("/admin/account").has(t, `<img src="data:image/png;base64,`, "otpauth://totp/")
		if csp := page.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' https: data:;") {
			t.Errorf("CSP %q lets the QR code show", csp)
		}
		secret := shownSecret(t, page)
		wrong := "000000"
		if e.codeNow(t, secret) == wrong {
			wrong = "111111"
		}
		for _, form := range []url.Values{
			{"secret": {secret}, "code": {wrong}},
			{"secret": {secret}, "code": {"12a456"}},
			{"secret": {secret}, "code": {"1234567890123"}},
			{"secret": {"not base32!"}, "code": {e.codeNow(t, secret)}},
		} {
			b.post("/admin/account/two-step", form).want(t, http.StatusUnprocessableEntity).lacks(t, "Two-step sign-in is on")
		}
		// Still off: the password alone signs in.
		e.browser().signIn(editorEmail).get("/admin").want(t, http.StatusOK)
	})
	t.Run("once on, the secret is not shown again and signing in asks for a code", func(t *testing.T) {
		fresh(t)
		b := e.browser().signIn(editorEmail)
		secret, _ := e.enableTwoStep(t, b)
		b.get("/admin/account").want(t, http.StatusOK).has(t, "Two-step sign-in is on", "10 recovery codes left").lacks(t, secret)
		nb := e.browser()
		form := passwordStep(t, nb)
		nb.get("/admin").want(t, http.StatusSeeOther) // no session yet
		nextStep()                                    // the enabling code's step is used
		nb.follow(nb.post("/login/code", withCode(form, e.codeNow(t, secret))), "/admin")
		nb.get("/admin").want(t, http.StatusOK)
	})
	t.Run("refuses a wrong code and counts it against the sign-in limit", func(t *testing.T) {
		fresh(t)
		secret, _ := e.enableTwoStep(t, e.browser().signIn(editorEmail))
		nb := e.browser()
		form := passwordStep(t, nb)
		right := e.codeNow(t, secret)
		for _, c := range []string{"999999", "abcdef", "12345678901234567890123456789012345678901234567890"} {
			if c == right {
				continue
			}
			nb.post("/login/code", withCode(form, c)).want(t, http.StatusUnprocessableEntity).has(t, "Sign-in code")
		}
		nb.post("/login/code", withCode(form, e.codeNow(t, secret))).want(t, http.StatusTooManyRequests)
		nb.get("/admin").want(t, http.StatusSeeOther)
	})
	t.Run("refuses a reused code and a forged ticket", func(t *testing.T) {
		fresh(t)
		secret, _ := e.enableTwoStep(t, e.browser().signIn(editorEmail))
		nextStep()
		code := e.codeNow(t, secret)
		first := e.browser()
		first.follow(first.post("/login/code", withCode(passwordStep(t, first), code)), "/admin")
		second := e.browser()
		second.post("/login/code", withCode(passwordStep(t, second), code)).want(t, http.StatusUnprocessableEntity).has(t, "used already")
		forged := withCode(passwordStep(t, second), e.codeNow(t, secret))
		tk := []byte(forged.Get("ticket"))
		tk[30] ^= 'A' ^ 'B' // a letter still, another MAC
		forged.Set("ticket", string(tk))
		second.post("/login/code", forged).want(t, http.StatusUnprocessableEntity).has(t, "took too long")
		second.get("/admin").want(t, http.StatusSeeOther)
	})
	t.Run("a recovery code signs in once", func(t *testing.T) {
		fresh(t)
		_, codes := e.enableTwoStep(t, e.browser().signIn(editorEmail))
		b := e.browser()
		b.follow(b.post("/login/code", withCode(passwordStep(t, b), codes[3])), "/admin")
		b.get("/admin/account").has(t, "9 recovery codes left")
		again := e.browser()
		again.post("/login/code", withCode(passwordStep(t, again), codes[3])).want(t, http.StatusUnprocessableEntity)
	})
	t.Run("turning off needs a current code or the password", func(t *testing.T) {
		fresh(t)
		b := e.browser().signIn(editorEmail)
		secret, _ := e.enableTwoStep(t, b)
		b.post("/admin/account/two-step/off", url.Values{"password": {"not the password"}}).want(t, http.StatusUnprocessableEntity)
		b.post("/admin/account/two-step/off", url.Values{"code": {"12345x"}}).want(t, http.StatusUnprocessableEntity)
		nextStep()
		b.follow(b.post("/admin/account/two-step/off", url.Values{"code": {e.codeNow(t, secret)}}), "/admin/account").
			has(t, "Two-step sign-in is off.")
		b2 := e.browser().signIn(editorEmail) // the password alone again
		e.enableTwoStep(t, b2)
		b2.follow(b2.post("/admin/account/two-step/off", url.Values{"password": {seedPassword}}), "/admin/account")
	})
	t.Run("failures to turn off count in the sign-in limit", func(t *testing.T) {
		fresh(t)
		b := e.browser().signIn(editorEmail)
		e.enableTwoStep(t, b)
		b.post("/admin/account/two-step/off", url.Values{}).want(t, http.StatusUnprocessableEntity)
		for range 2 {
			b.post("/admin/account/two-step/off", url.Values{"password": {"not the password"}}).want(t, http.StatusUnprocessableEntity)
		}
		b.post("/admin/account/two-step/off", url.Values{"password": {seedPassword}}).want(t, http.StatusTooManyRequests)
		b.get("/admin/account").has(t, "Two-step sign-in is on")
	})
	t.Run("a password reset still asks for the code", func(t *testing.T) {
		fresh(t)
		secret, _ := e.enableTwoStep(t, e.browser().signIn(editorEmail))
		link := strings.TrimPrefix(resetLink(t, e.browser().signIn("admin@test.example"), editorEmail), e.srv.URL)
		b := e.browser()
		page := b.post(link, url.Values{"password": {seedPassword + "!"}, "confirm": {seedPassword + "!"}}).
			want(t, http.StatusOK).has(t, "Sign-in code")
		b.get("/admin").want(t, http.StatusSeeOther)
		m := regexp.MustCompile(`name="ticket" value="([^"]+)"`).FindSubmatch(page.Body)
		if m == nil {
			t.Fatal("no ticket")
		}
		nextStep()
		form := url.Values{"email": {editorEmail}, "ticket": {string(m[1])}, "next": {"/admin"}, "code": {e.codeNow(t, secret)}}
		b.follow(b.post("/login/code", form), "/admin")
		b.get("/admin").want(t, http.StatusOK)
	})
	t.Run("an admin turns off someone's two-step sign-in", func(t *testing.T) {
		fresh(t)
		ed := e.browser().signIn(editorEmail)
		e.enableTwoStep(t, ed)
		admin := e.browser().signIn("admin@test.example")
		page := admin.get("/admin/users").want(t, http.StatusOK)
		m := regexp.MustCompile(`action="/admin/users/(\d+)/two-step/off"`).FindAllSubmatch(page.Body, -1)
		if len(m) != 1 {
			t.Fatalf("%d two-step buttons, want 1 (the editor's)", len(m))
		}
		ed.post("/admin/users/"+string(m[0][1])+"/two-step/off", nil).want(t, http.StatusForbidden)
		admin.follow(admin.post("/admin/users/"+string(m[0][1])+"/two-step/off", nil), "/admin/users").
			want(t, http.StatusOK).has(t, "Two-step sign-in of that account is off")
		e.browser().signIn(editorEmail).get("/admin").want(t, http.StatusOK)
		admin.post("/admin/users/"+string(m[0][1])+"/two-step/off", nil).want(t, http.StatusNotFound)
	})
}
