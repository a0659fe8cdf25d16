package web_test

import (
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"testing"

	"github.com/coopdir/coopdir/web"
)

// sessionIDs returns the ids of the sessions the account page lists, in
// its order, and the id of the one marked as this browser.
func sessionIDs(t *testing.T, page reply) (ids []string, current string) {
	t.Helper()
	rows := regexp.MustCompile(`(?s)<tr( aria-current="true")?>\s*<td>.*?action="/admin/account/sessions/(\d+)/end"`).FindAllSubmatch(page.Body, -1)
	for _, m := range rows {
		ids = append(ids, string(m[2]))
		if len(m[1]) > 0 {
			current = string(m[2])
		}
	}
	return ids, current
}

func TestAccountSessions(t *testing.T) {
	var e *env
	fresh := func(t *testing.T) {
		e = newEnv(t, func(o *web.Options) {
			o.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
		})
	}
	signIn := func(t *testing.T, ip, agent string) *browser {
		t.Helper()
		b := e.browser()
		b.post("/login", url.Values{"email": {"editor@test.example"}, "password": {seedPassword}},
			"X-Forwarded-For", ip, "User-Agent", agent).want(t, http.StatusSeeOther)
		return b
	}
	t.Run("lists each browser with its address and agent, and marks this one", func(t *testing.T) {
		fresh(t)
		laptop := signIn(t, "192.0.2.10", "Laptop/1.0")
		phone := signIn(t, "198.51.100.20", "Phone/2.0 <script>")
		page := phone.get("/admin/account").want(t, http.StatusOK).
			has(t, "Ed Editor", "192.0.2.10", "198.51.100.20", "Laptop/1.0", "Phone/2.0 &lt;script&gt;", "This browser",
				"Sign out every other browser (1)")
		if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		ids, current := sessionIDs(t, page)
		if len(ids) != 2 || current != ids[0] {
			t.Fatalf("sessions %v, current %q: want 2, the phone's (most recent) first", ids, current)
		}
		_, laptopCurrent := sessionIDs(t, laptop.get("/admin/account"))
		if laptopCurrent != ids[1] {
			t.Fatalf("the laptop sees itself as %q, want %s", laptopCurrent, ids[1])
		}
	})
	t.Run("ending a session signs that browser out", func(t *testing.T) {
		fresh(t)
		laptop := signIn(t, "192.0.2.10", "Laptop/1.0")
		phone := signIn(t, "198.51.100.20", "Phone/2.0")
		_, laptopID := sessionIDs(t, laptop.get("/admin/account"))
		phone.follow(phone.post("/admin/account/sessions/"+laptopID+"/end", nil), "/admin/account").
			want(t, http.StatusOK).has(t, "That browser was signed out.").lacks(t, "Laptop/1.0")
		laptop.get("/admin").want(t, http.StatusSeeOther)
		phone.get("/admin").want(t, http.StatusOK)
	})
	t.Run("ending this browser's own session signs it out", func(t *testing.T) {
		fresh(t)
		b := signIn(t, "192.0.2.10", "Laptop/1.0")
		_, id := sessionIDs(t, b.get("/admin/account"))
		r := b.post("/admin/account/sessions/"+id+"/end", nil).want(t, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != "/login" {
			t.Fatalf("Location %q", loc)
		}
		b.get("/admin").want(t, http.StatusSeeOther)
	})
	t.Run("signs out every other browser and keeps this one", func(t *testing.T) {
		fresh(t)
		a, b := signIn(t, "192.0.2.1", "A/1"), signIn(t, "192.0.2.2", "B/1")
		keep := signIn(t, "192.0.2.3", "C/1")
		keep.follow(keep.post("/admin/account/sessions/end-others", nil), "/admin/account").
			want(t, http.StatusOK).has(t, "Every other browser was signed out.").lacks(t, "Sign out every other browser")
		a.get("/admin").want(t, http.StatusSeeOther)
		b.get("/admin").want(t, http.StatusSeeOther)
		keep.get("/admin").want(t, http.StatusOK)
	})
	t.Run("cannot end another person's session", func(t *testing.T) {
		fresh(t)
		ed := signIn(t, "192.0.2.10", "Laptop/1.0")
		_, edID := sessionIDs(t, ed.get("/admin/account"))
		ad := e.browser().signIn("admin@test.example")
		ad.post("/admin/account/sessions/"+edID+"/end", nil).want(t, http.StatusNotFound)
		ad.post("/admin/account/sessions/nonsense/end", nil).want(t, http.StatusNotFound)
		ed.get("/admin").want(t, http.StatusOK)
	})
	t.Run("sends a signed-out visitor to sign in", func(t *testing.T) {
		fresh(t)
		e.browser().get("/admin/account").want(t, http.StatusSeeOther)
		e.browser().post("/admin/account/sessions/end-others", nil).want(t, http.StatusSeeOther)
	})
}
