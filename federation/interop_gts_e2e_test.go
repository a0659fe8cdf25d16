package federation_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// gtsPeer is a running GoToSocial server (scripts/interop/gotosocial.sh)
// with one user, bob, driven through its Mastodon client API.
type gtsPeer struct {
	t     testing.TB
	base  string // https://localhost:PORT
	token string // bob's OAuth access token
}

const (
	gtsUser     = "bob"
	gtsEmail    = "bob@example.org"
	gtsPassword = "Interop-Test-Password-1729!"
)

// startGoToSocial configures GoToSocial on a fresh SQLite database, over
// HTTPS with a certificate of the test CA, creates and confirms bob with its
// admin CLI, starts the server and signs bob in through OAuth. The server is
// stopped when t ends and its log shown when t failed.
func startGoToSocial(t testing.TB) *gtsPeer {
	t.Helper()
	bin := interopPeer(t, "GOTOSOCIAL_BIN", "the path of a gotosocial binary (scripts/interop/gotosocial.sh builds one)")
	ca := interopCA(t)
	cert, key := ca.Leaf(t)
	port := freePort(t)
	dir := t.TempDir()
	web := filepath.Join(filepath.Dir(bin), "web")
	if err := os.MkdirAll(filepath.Join(dir, "storage"), 0o755); err != nil {
		t.Fatal(err)
	}
	host := "localhost:" + strconv.Itoa(port)
	config := fmt.Sprintf(`host: %q
protocol: https
bind-address: 127.0.0.1
port: %d
db-type: sqlite
db-address: %q
storage-local-base-path: %q
web-template-base-dir: %q
web-asset-base-dir: %q
tls-certificate-chain: %q
tls-certificate-key: %q
letsencrypt-enabled: false
accounts-registration-open: false
advanced-rate-limit-requests: 0
advanced-throttling-multiplier: 0
instance-inject-mastodon-version: true
log-level: info
log-client-ip: false
http-client:
  allow-ips: ["127.0.0.0/8", "::1/128"]
  timeout: 10s
cache:
  memory-target: 64MiB
`, host, port, filepath.Join(dir, "gts.db"), filepath.Join(dir, "storage"),
		filepath.Join(web, "template")+"/", filepath.Join(web, "assets")+"/", cert, key)
	cfg := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "SSL_CERT_FILE="+ca.CertFile)
	admin := func(args ...string) {
		t.Helper()
		cmd := exec.Command(bin, append([]string{"--config-path", cfg, "admin", "account"}, args...)...)
		cmd.Env, cmd.Dir = env, dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("gotosocial admin account %s: %v\n%s", args[0], err, out)
		}
	}
	admin("create", "--username", gtsUser, "--email", gtsEmail, "--password", gtsPassword)
	admin("confirm", "--username", gtsUser)

	logs := &instancetest.SyncBuffer{}
	cmd := exec.Command(bin, "--config-path", cfg, "server", "start")
	cmd.Env, cmd.Dir = env, dir
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("gotosocial log:\n%s", logs.String())
		}
	})
	p := &gtsPeer{t: t, base: "https://" + host}
	// /livez answers during start-up (maintenance mode) too; the client API
	// answers once migrations are done. Its start compiles WebAssembly
	// modules, which takes minutes on a busy machine.
	within(t, 3*time.Minute, "gotosocial is ready", func() bool {
		resp, err := http.Get(p.base + "/api/v1/instance")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	p.token = p.signIn()
	return p
}

// freePort is a TCP port on 127.0.0.1 that nothing listened on a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// signIn registers an application and goes through GoToSocial's OAuth
// authorisation-code flow as a browser would (authorize, sign in with email
// and password, authorize again), then trades the code for bob's token.
func (p *gtsPeer) signIn() string {
	t := p.t
	t.Helper()
	const redirect = "https://client.invalid/callback"
	var app struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	p.form("POST", "/api/v1/apps", url.Values{
		"client_name": {"coopdir interop"}, "redirect_uris": {redirect}, "scopes": {"read write follow"},
	}, &app)
	// The browser keeps the session cookie and follows no redirect: each
	// step's answer is a redirect to the next.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	send := func(method, path string, form url.Values, want int) *http.Response {
		t.Helper()
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, _ := http.NewRequest(method, p.base+path, body)
		req.Header.Set("Accept", "text/html")
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := browser.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, raw)
		}
		return resp
	}
	// Without a session, authorize keeps the request and sends the browser
	// to the sign-in form (whose page we need not render).
	q := url.Values{"client_id": {app.ClientID}, "redirect_uri": {redirect}, "response_type": {"code"}, "scope": {"read write follow"}}
	send("GET", "/oauth/authorize?"+q.Encode(), nil, http.StatusSeeOther)
	send("POST", "/auth/sign_in", url.Values{"username": {gtsEmail}, "password": {gtsPassword}}, http.StatusFound)
	r := send("POST", "/oauth/authorize", url.Values{}, http.StatusFound)
	loc, err := url.Parse(r.Header.Get("Location"))
	if err != nil || loc.Query().Get("code") == "" {
		t.Fatalf("POST /oauth/authorize: %d, Location %q: no code", r.StatusCode, r.Header.Get("Location"))
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	p.form("POST", "/oauth/token", url.Values{
		"grant_type": {"authorization_code"}, "code": {loc.Query().Get("code")}, "redirect_uri": {redirect},
		"client_id": {app.ClientID}, "client_secret": {app.ClientSecret},
	}, &tok)
	if tok.AccessToken == "" {
		t.Fatal("no access token")
	}
	return tok.AccessToken
}

// form sends an API request with a form body (nil for none) and bob's token
// once he has one, and decodes the JSON answer into out; a status other
// than 200 fails the test.
func (p *gtsPeer) form(method, path string, form url.Values, out any) {
	p.t.Helper()
	if st, raw := p.do(method, path, form); st != http.StatusOK {
		p.t.Fatalf("gotosocial %s %s: %d %s", method, path, st, raw)
	} else if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			p.t.Fatalf("gotosocial %s %s: %v in %s", method, path, err, raw)
		}
	}
}

func (p *gtsPeer) do(method, path string, form url.Values) (int, []byte) {
	p.t.Helper()
	var body io.Reader
	if form != nil {
		body = bytes.NewReader([]byte(form.Encode()))
	}
	req, _ := http.NewRequest(method, p.base+path, body)
	req.Header.Set("Accept", "application/json")
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, raw
}

func (p *gtsPeer) actor() string   { return p.base + "/users/" + gtsUser }
func (p *gtsPeer) account() string { return gtsUser + "@" + strings.TrimPrefix(p.base, "https://") }

// gtsAccount and gtsStatus are the parts of the client API's answers the
// tests read.
type gtsAccount struct {
	ID          string `json:"id"`
	Acct        string `json:"acct"`
	URL         string `json:"url"`
	DisplayName string `json:"display_name"`
	Note        string `json:"note"`
	Locked      bool   `json:"locked"`
	Bot         bool   `json:"bot"`
}

type gtsStatus struct {
	ID       string     `json:"id"`
	URI      string     `json:"uri"`
	Content  string     `json:"content"`
	EditedAt *string    `json:"edited_at"`
	Account  gtsAccount `json:"account"`
	Reblog   *gtsStatus `json:"reblog"`
}

// resolve asks GoToSocial to find q (an account or a status URL), fetching
// it from its server.
func (p *gtsPeer) resolve(q, typ string) (accounts []gtsAccount, statuses []gtsStatus) {
	p.t.Helper()
	var r struct {
		Accounts []gtsAccount `json:"accounts"`
		Statuses []gtsStatus  `json:"statuses"`
	}
	p.form("GET", "/api/v2/search?"+url.Values{"q": {q}, "resolve": {"true"}, "type": {typ}}.Encode(), nil, &r)
	return r.Accounts, r.Statuses
}

func (p *gtsPeer) findAccount(t testing.TB, account string) gtsAccount {
	t.Helper()
	accounts, _ := p.resolve("@"+account, "accounts")
	if len(accounts) != 1 || accounts[0].Acct != account {
		t.Fatalf("GoToSocial finds %+v for @%s, want the one account", accounts, account)
	}
	return accounts[0]
}

// follow makes bob follow account and waits until GoToSocial says he does.
func (p *gtsPeer) follow(t testing.TB, account string) gtsAccount {
	t.Helper()
	a := p.findAccount(t, account)
	p.form("POST", "/api/v1/accounts/"+a.ID+"/follow", url.Values{}, nil)
	eventually(t, "bob follows "+account, func() bool {
		var rel []struct {
			Following bool `json:"following"`
			Requested bool `json:"requested"`
		}
		p.form("GET", "/api/v1/accounts/relationships?id="+a.ID, nil, &rel)
		return len(rel) == 1 && rel[0].Following
	})
	return a
}

// home is bob's home timeline.
func (p *gtsPeer) home() []gtsStatus {
	var l []gtsStatus
	p.form("GET", "/api/v1/timelines/home?limit=40", nil, &l)
	return l
}

// waitHome waits until bob's home timeline has a status for which match
// holds, and returns it.
func (p *gtsPeer) waitHome(t testing.TB, what string, match func(gtsStatus) bool) gtsStatus {
	t.Helper()
	var got gtsStatus
	eventually(t, "bob's home timeline shows "+what, func() bool {
		for _, s := range p.home() {
			if match(s) {
				got = s
				return true
			}
		}
		return false
	})
	return got
}

func (p *gtsPeer) post(status, inReplyTo string) gtsStatus {
	var s gtsStatus
	f := url.Values{"status": {status}, "visibility": {"public"}}
	if inReplyTo != "" {
		f.Set("in_reply_to_id", inReplyTo)
	}
	p.form("POST", "/api/v1/statuses", f, &s)
	return s
}

// TestInteropGoToSocial runs coopdir and a real GoToSocial against each
// other, in both directions, from cold caches.
func TestInteropGoToSocial(t *testing.T) {
	p := startGoToSocial(t)
	in := startTLSInstance(t)
	in.Enterprise("bakery", "Rye Bakery")
	bakery := in.URLOf("/enterprises/bakery")
	ctx := directory.AsSystem(context.Background())

	var bakeryAcct gtsAccount
	t.Run("bob finds an enterprise by WebFinger, follows it and is accepted", func(t *testing.T) {
		bakeryAcct = p.follow(t, in.Account("bakery"))
		if bakeryAcct.URL == "" || bakeryAcct.DisplayName != "Rye Bakery" || !strings.Contains(bakeryAcct.Note, "We make things together") {
			t.Errorf("GoToSocial reads the actor as %+v", bakeryAcct)
		}
		eventually(t, "bakery has bob as its follower", func() bool { return collectionTotal(t, bakery+"/followers") == 1 })
	})
	t.Run("bob follows the network", func(t *testing.T) { p.follow(t, in.Account("network")) })

	var annID string
	t.Run("an announcement is shown in bob's home timeline, and the network's boost", func(t *testing.T) {
		annID = in.URLOf(fmt.Sprintf("/announcements/%d", in.Announce("bakery", "Fresh **rye** today")))
		s := p.waitHome(t, "the announcement", func(s gtsStatus) bool { return s.URI == annID && s.Reblog == nil })
		if !strings.Contains(s.Content, "<strong>rye</strong>") || s.Account.Acct != in.Account("bakery") {
			t.Errorf("the announcement shows as %q by %s", s.Content, s.Account.Acct)
		}
		// The home timeline leaves out a boost of a post it shows already,
		// so the boost is looked for among the post's boosters.
		eventually(t, "the network boosted the announcement", func() bool {
			var by []gtsAccount
			p.form("GET", "/api/v1/statuses/"+s.ID+"/reblogged_by", nil, &by)
			return len(by) == 1 && by[0].Acct == in.Account("network")
		})
	})

	var need, offer string
	t.Run("a need and an offer are shown in bob's home timeline", func(t *testing.T) {
		need, offer = in.listing("bakery", directory.Need, "Flour sacks"), in.listing("bakery", directory.Offer, "Sourdough starter")
		for id, title := range map[string]string{need: "Flour sacks", offer: "Sourdough starter"} {
			p.waitHome(t, title, func(s gtsStatus) bool { return s.URI == id+"/note" && strings.Contains(s.Content, title) })
		}
	})

	// GoToSocial reads featured (pinned posts) only from a host of two
	// labels or more, which localhost is not, and of the outbox, followers
	// and following only totalItems, into counts that its own follow
	// bookkeeping races with (a check of the outbox count failed one run in
	// five): the Fedify peer reads every page of them.

	t.Run("an edit shows as edited", func(t *testing.T) {
		if _, err := in.Service().UpdateAnnouncement(ctx, idOf(t, annID), "Fresh rye and *spelt* today"); err != nil {
			t.Fatal(err)
		}
		p.waitHome(t, "the edited announcement", func(s gtsStatus) bool {
			return s.URI == annID && s.EditedAt != nil && strings.Contains(s.Content, "spelt")
		})
	})

	t.Run("a delete removes the post", func(t *testing.T) {
		if err := in.Service().DeleteListing(ctx, idOf(t, offer)); err != nil {
			t.Fatal(err)
		}
		eventually(t, "the offer is gone from bob's home timeline", func() bool {
			for _, s := range p.home() {
				if s.URI == offer+"/note" {
					return false
				}
			}
			return true
		})
		if _, statuses := p.resolve(offer+"/note", "statuses"); len(statuses) != 0 {
			t.Errorf("GoToSocial still finds the deleted offer: %+v", statuses)
		}
	})

	t.Run("bob's unfollow drops the follower", func(t *testing.T) {
		p.form("POST", "/api/v1/accounts/"+bakeryAcct.ID+"/unfollow", url.Values{}, nil)
		eventually(t, "bakery has no followers", func() bool { return collectionTotal(t, bakery+"/followers") == 0 })
	})

	t.Run("a follow of locked bob waits until he authorises it", func(t *testing.T) {
		var me gtsAccount
		p.form("PATCH", "/api/v1/accounts/update_credentials", url.Values{"locked": {"true"}}, &me)
		if !me.Locked {
			t.Fatal("bob's account is not locked")
		}
		f := in.Follow("bakery", p.account(), directory.FollowPending)
		var req gtsAccount
		eventually(t, "bob has bakery's follow request", func() bool {
			var l []gtsAccount
			p.form("GET", "/api/v1/follow_requests", nil, &l)
			for _, a := range l {
				if a.URL == bakery || a.Acct == in.Account("bakery") {
					req = a
					return true
				}
			}
			return false
		})
		for _, g := range in.Following("bakery") {
			if g.ID == f.ID && g.State != directory.FollowPending {
				t.Fatalf("the follow is %q before bob answered", g.State)
			}
		}
		p.form("POST", "/api/v1/follow_requests/"+req.ID+"/authorize", url.Values{}, nil)
		eventually(t, "the follow is accepted", func() bool {
			for _, g := range in.Following("bakery") {
				if g.ID == f.ID && g.TargetID == p.actor() {
					return g.State == directory.FollowAccepted
				}
			}
			return false
		})
	})

	t.Run("a post of bob's reaches the enterprise's feed", func(t *testing.T) {
		s := p.post("Hello from GoToSocial", "")
		eventually(t, "bob's post is in bakery's feed", func() bool { return hasPost(in.Feed("bakery"), s.URI, "Hello from GoToSocial") })
	})

	t.Run("bob's reply reaches the enterprise's responses", func(t *testing.T) {
		_, statuses := p.resolve(annID, "statuses")
		if len(statuses) != 1 {
			t.Fatalf("GoToSocial finds %d statuses at %s", len(statuses), annID)
		}
		s := p.post("Save me a loaf!", statuses[0].ID)
		eventually(t, "the reply is in bakery's responses", func() bool {
			for _, r := range in.responses("bakery") {
				if r.ObjectID == s.URI && r.Author == p.actor() && strings.Contains(r.Content, "Save me a loaf") {
					return true
				}
			}
			return false
		})
	})
}
