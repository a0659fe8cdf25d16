package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/web"
)

func TestLoginRateLimit(t *testing.T) {
	// The test server's peer is 127.0.0.1: trusting loopback lets each
	// request say its client address in X-Forwarded-For, as a proxy would.
	behindProxy := func(t *testing.T, change ...func(*web.Options)) *env {
		return newEnv(t, append([]func(*web.Options){func(o *web.Options) {
			o.LoginAttempts, o.LoginAddressAttempts = 3, 5
			o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
		}}, change...)...)
	}
	attempt := func(b *browser, ip, email, pw string) reply {
		return b.post("/login", url.Values{"email": {email}, "password": {pw}}, "X-Forwarded-For", "203.0.113.50, "+ip)
	}
	refused := func(t *testing.T, r reply) {
		t.Helper()
		r.want(t, http.StatusTooManyRequests).has(t, "Too many failed sign-in attempts")
		if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 || s > 600 {
			t.Fatalf("Retry-After %q", r.Header.Get("Retry-After"))
		}
		if r.cookie("coopdir_session") != nil {
			t.Fatal("a session was started over the limit")
		}
	}
	t.Run("failures from one address leave another address able to sign in", func(t *testing.T) {
		e := behindProxy(t)
		b := e.browser()
		for range 3 {
			attempt(b, "192.0.2.1", "Admin@Test.example", "wrong password").want(t, http.StatusUnprocessableEntity)
		}
		refused(t, attempt(b, "192.0.2.1", "admin@test.example", seedPassword))
		attempt(b, "192.0.2.2", "admin@test.example", seedPassword).want(t, http.StatusSeeOther)
		// The same address may still try another account.
		attempt(e.browser(), "192.0.2.1", "editor@test.example", seedPassword).want(t, http.StatusSeeOther)
	})
	t.Run("refuses an address over its own limit, whatever the email", func(t *testing.T) {
		e := behindProxy(t)
		b := e.browser()
		for i := range 5 {
			attempt(b, "198.51.100.1", "nobody"+strconv.Itoa(i)+"@test.example", "wrong password").want(t, http.StatusUnprocessableEntity)
		}
		refused(t, attempt(b, "198.51.100.1", "admin@test.example", seedPassword))
		attempt(b, "198.51.100.2", "admin@test.example", seedPassword).want(t, http.StatusSeeOther)
	})
	t.Run("successful sign-ins do not count", func(t *testing.T) {
		e := behindProxy(t)
		for range 8 {
			attempt(e.browser(), "192.0.2.1", "admin@test.example", seedPassword).want(t, http.StatusSeeOther)
		}
		for range 2 {
			attempt(e.browser(), "192.0.2.1", "admin@test.example", "wrong password").want(t, http.StatusUnprocessableEntity)
		}
		attempt(e.browser(), "192.0.2.1", "admin@test.example", seedPassword).want(t, http.StatusSeeOther)
	})
	t.Run("ignores a forged X-Forwarded-For from an untrusted peer", func(t *testing.T) {
		e := newEnv(t, func(o *web.Options) { o.LoginAttempts = 3 })
		b := e.browser()
		for i := range 3 {
			// Each attempt claims another address; all come from 127.0.0.1.
			attempt(b, "192.0.2."+strconv.Itoa(i+1), "admin@test.example", "wrong password").want(t, http.StatusUnprocessableEntity)
		}
		refused(t, attempt(b, "192.0.2.99", "admin@test.example", seedPassword))
	})
	t.Run("ignores a forged X-Forwarded-For sent through a trusted proxy", func(t *testing.T) {
		e := behindProxy(t)
		b := e.browser()
		for i := range 3 {
			// The proxy appends the real client (192.0.2.1) to what the
			// client wrote; the client rotates what it writes.
			forged := "198.51.100." + strconv.Itoa(i+1)
			b.post("/login", url.Values{"email": {"admin@test.example"}, "password": {"wrong password"}},
				"X-Forwarded-For", forged+", 192.0.2.1").want(t, http.StatusUnprocessableEntity)
		}
		refused(t, attempt(b, "192.0.2.1", "admin@test.example", seedPassword))
	})
}

func TestCrossSiteRequests(t *testing.T) {
	e := newEnv(t)
	b := e.browser().signIn("admin@test.example")
	settings := url.Values{"network_name": {"Hijacked"}}
	for _, tc := range []struct{ name, header, value string }{
		{"refuses a form posted from another site (Sec-Fetch-Site)", "Sec-Fetch-Site", "cross-site"},
		{"refuses a form posted from another origin (Origin)", "Origin", "https://evil.example"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := b.do(http.MethodPost, "/admin/settings", "application/x-www-form-urlencoded",
				strings.NewReader(settings.Encode()), tc.header, tc.value)
			r.want(t, http.StatusForbidden).has(t, "came from another site")
			b.get("/").want(t, http.StatusOK).lacks(t, "Hijacked")
		})
	}
	t.Run("refuses a sign-out from another site", func(t *testing.T) {
		b.do(http.MethodPost, "/logout", "", nil, "Sec-Fetch-Site", "cross-site").want(t, http.StatusForbidden)
		b.get("/admin").want(t, http.StatusOK)
	})
	t.Run("refuses an API write from a page of another site", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodDelete, e.srv.URL+"/api/v1/enterprises/shakyhands", nil)
		req.Header.Set("Authorization", "Bearer "+e.admin)
		req.Header.Set("Origin", "https://evil.example")
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Content-Type") != "application/problem+json" {
			t.Fatalf("status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		e.get("/api/v1/enterprises/shakyhands").want(t, http.StatusOK)
	})
	t.Run("accepts API writes from programs, which send no such headers", func(t *testing.T) {
		e.send(http.MethodPost, "/api/v1/enterprises", e.admin,
			`{"handle":"newcoop","name":"New Co-op","kind":"worker_coop"}`).want(t, http.StatusCreated)
	})
	t.Run("accepts a form posted from this site", func(t *testing.T) {
		b.post("/admin/settings", url.Values{"network_name": {"Cooperation Elsewhere"}}).want(t, http.StatusSeeOther)
		b.get("/").has(t, "Cooperation Elsewhere")
	})
}
