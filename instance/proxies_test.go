package instance_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
	"github.com/coopdir/coopdir/web"
)

// TestSignInLimitBehindProxy runs a real instance behind a (pretend)
// trusted proxy on 127.0.0.1: failures from one client address do not keep
// another from signing in with the same email.
func TestSignInLimitBehindProxy(t *testing.T) {
	srv := instancetest.Start(t, instancetest.SQLite, func(c *instance.Config) { c.TrustedProxies = "127.0.0.1" })
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	signIn := func(t *testing.T, addr, password string) int {
		t.Helper()
		form := url.Values{"email": {srv.Admin}, "password": {password}}
		req, err := http.NewRequest(http.MethodPost, srv.URLOf("/login"), strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", addr)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for range web.DefaultLoginAttempts {
		if got := signIn(t, "192.0.2.1", "wrong password"); got != http.StatusUnprocessableEntity {
			t.Fatalf("wrong password: %d", got)
		}
	}
	if got := signIn(t, "192.0.2.1", "correct horse battery"); got != http.StatusTooManyRequests {
		t.Fatalf("right password from the guessing address: %d, want 429", got)
	}
	if got := signIn(t, "198.51.100.7", "correct horse battery"); got != http.StatusSeeOther {
		t.Fatalf("right password from another address: %d, want 303", got)
	}
}
