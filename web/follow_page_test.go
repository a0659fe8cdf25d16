package web_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/web"
)

// withRemoteFollow gives the instance the real lookup of the follow form,
// allowed to reach loopback addresses (the test's remote servers) or not.
func withRemoteFollow(allowPrivate bool) func(*web.Options) {
	return func(o *web.Options) {
		o.RemoteFollow = federation.NewInteractions(federation.ClientOptions{AllowPrivate: allowPrivate, TotalTimeout: 2 * time.Second}, true)
	}
}

// remoteServer is a fediverse server of a visitor, on a real port: its
// WebFinger answers with what webfinger writes, and it counts requests.
type remoteServer struct {
	*httptest.Server
	hits      atomic.Int64
	resources chan string
}

func newRemoteServer(t *testing.T, webfinger func(w http.ResponseWriter, r *http.Request, base string)) *remoteServer {
	t.Helper()
	rs := &remoteServer{resources: make(chan string, 16)}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs.hits.Add(1)
		switch r.URL.Path {
		case "/.well-known/webfinger":
			select {
			case rs.resources <- r.URL.Query().Get("resource"):
			default:
			}
			webfinger(w, r, rs.URL)
		case "/authorize_interaction":
			// Mastodon sends a signed-out visitor to sign in first.
			http.Redirect(w, r, "/auth/sign_in", http.StatusFound)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(rs.Close)
	return rs
}

// host is the server's host:port.
func (rs *remoteServer) host() string { return strings.TrimPrefix(rs.URL, "http://") }

// jrdWith answers a JRD whose links are links.
func jrdWith(links ...map[string]string) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, r *http.Request, base string) {
		for _, l := range links {
			if t, ok := l["template"]; ok {
				l["template"] = strings.ReplaceAll(t, "BASE", base)
			}
		}
		w.Header().Set("Content-Type", "application/jrd+json")
		json.NewEncoder(w).Encode(map[string]any{"subject": r.URL.Query().Get("resource"), "links": links})
	}
}

func subscribe(template string) map[string]string {
	return map[string]string{"rel": federation.SubscribeRel, "template": template}
}

// followReply is the answer to a POST /follow, redirects not followed.
type followReply struct {
	Status   int
	Location string
	Header   http.Header
	Body     string
}

func (e *env) postFollow(actor, account string) followReply {
	e.t.Helper()
	client := *e.srv.Client()
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.PostForm(e.srv.URL+"/follow", url.Values{"actor": {actor}, "account": {account}})
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return followReply{Status: resp.StatusCode, Location: resp.Header.Get("Location"), Header: resp.Header, Body: string(b)}
}

func TestActorPagesShowTheirAddressAndFollowBox(t *testing.T) {
	e := newEnv(t, withRemoteFollow(true))
	host := strings.TrimPrefix(e.srv.URL, "http://")
	for _, c := range []struct{ path, address, actor string }{
		{"/enterprises/shakyhands", "@shakyhands@" + host, "shakyhands"},
		{"/", "@network@" + host, "network"},
		{"/board?type=need", "@needs@" + host, "needs"},
		{"/board?type=offer", "@offers@" + host, "offers"},
		{"/follow?actor=riverside", "@riverside@" + host, "riverside"},
		{"/help/follow", "@network@" + host, "network"},
	} {
		t.Run(c.path, func(t *testing.T) {
			r := e.get(c.path).want(t, http.StatusOK)
			page := string(r.Body)
			contains(t, page, `data-copy translate="no">`+c.address+`</strong>`, `<form method="post" action="/follow"`,
				`name="actor" value="`+c.actor+`"`, `<label for="follow-account">`, `>Follow from your server</button>`,
				`href="/help/follow"`, `/follow.js"`)
			if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "form-action 'self' https: http:;") || !strings.Contains(csp, "script-src 'self'") {
				t.Errorf("CSP %q: the form's answer could not lead to the visitor's server", csp)
			}
		})
	}
	t.Run("the enterprise's meta line has the full address", func(t *testing.T) {
		contains(t, string(e.get("/enterprises/shakyhands").Body), ` · <span translate="no">@shakyhands@`+host+`</span>`)
	})
	t.Run("the board of both types and the directory show no box", func(t *testing.T) {
		for _, p := range []string{"/board", "/directory"} {
			lacks(t, string(e.get(p).want(t, http.StatusOK).Body), `action="/follow"`)
		}
	})
	t.Run("the help page explains following", func(t *testing.T) {
		contains(t, string(e.get("/help/follow").Body), "What is the fediverse?", "@name@server", "search box")
	})
	t.Run("an unknown actor has no follow page", func(t *testing.T) {
		for _, actor := range []string{"nobody", "instance", "", "../admin", "<script>"} {
			e.get("/follow?actor="+url.QueryEscape(actor)).want(t, http.StatusNotFound)
			if r := e.postFollow(actor, "alice@example.social"); r.Status != http.StatusNotFound {
				t.Errorf("POST for actor %q: %d", actor, r.Status)
			}
		}
	})
}

func TestFollowFromYourServerRedirectsToTheTemplate(t *testing.T) {
	e := newEnv(t, withRemoteFollow(true))
	remote := newRemoteServer(t, jrdWith(
		map[string]string{"rel": "self", "type": "application/activity+json", "href": "https://x.example/users/alice"},
		subscribe("BASE/authorize_interaction?uri={uri}"),
	))
	for _, c := range []struct{ actor, account, uri string }{
		{"shakyhands", "@alice@" + remote.host(), e.srv.URL + "/enterprises/shakyhands"},
		{"network", "alice@" + strings.ToUpper(remote.host()), e.srv.URL + "/network"},
		{"needs", " acct:alice@" + remote.host() + " ", e.srv.URL + "/needs"},
		{"offers", "alice@" + remote.host(), e.srv.URL + "/offers"},
	} {
		t.Run(c.actor, func(t *testing.T) {
			r := e.postFollow(c.actor, c.account)
			want := remote.URL + "/authorize_interaction?uri=" + url.QueryEscape(c.uri)
			if r.Status != http.StatusSeeOther || r.Location != want {
				t.Fatalf("%d to %q, want 303 to %q; body: %s", r.Status, r.Location, want, r.Body)
			}
			if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if got := <-remote.resources; got != "acct:alice@"+remote.host() {
				t.Errorf("WebFinger asked for %q", got)
			}
		})
	}
}

func TestFollowFromABareServerUsesAuthorizeInteraction(t *testing.T) {
	e := newEnv(t, withRemoteFollow(true))
	remote := newRemoteServer(t, jrdWith())
	r := e.postFollow("shakyhands", remote.host())
	want := remote.URL + "/authorize_interaction?uri=" + url.QueryEscape(e.srv.URL+"/enterprises/shakyhands")
	if r.Status != http.StatusSeeOther || r.Location != want {
		t.Fatalf("%d to %q, want 303 to %q; body: %s", r.Status, r.Location, want, r.Body)
	}
	if remote.hits.Load() == 0 {
		t.Error("the server was not asked whether it answers")
	}
	t.Run("unless it does not answer", func(t *testing.T) {
		r := e.postFollow("shakyhands", closedHost(t))
		wantRefused(t, r, http.StatusBadGateway, "could not be reached")
	})
	t.Run("or has no such page", func(t *testing.T) {
		other := httptest.NewServer(http.NotFoundHandler())
		t.Cleanup(other.Close)
		host := strings.TrimPrefix(other.URL, "http://")
		wantRefused(t, e.postFollow("shakyhands", host), http.StatusUnprocessableEntity, host+" has no page for following accounts of other servers")
	})
	t.Run("or fails", func(t *testing.T) {
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "down", http.StatusBadGateway) }))
		t.Cleanup(other.Close)
		wantRefused(t, e.postFollow("shakyhands", strings.TrimPrefix(other.URL, "http://")), http.StatusBadGateway, "answered with an error (HTTP 502)")
	})
}

// closedHost is 127.0.0.1 with a port nothing listens on.
func closedHost(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	host := ln.Addr().String()
	ln.Close()
	return host
}

// wantRefused checks that a follow was refused on the form with status and
// a message containing msg.
func wantRefused(t *testing.T, r followReply, status int, msg string) {
	t.Helper()
	if r.Status != status || r.Location != "" {
		t.Fatalf("%d (Location %q), want %d on the form; body: %s", r.Status, r.Location, status, r.Body)
	}
	contains(t, r.Body, `role="alert"`, `aria-invalid="true"`, `<form method="post" action="/follow"`, msg)
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
}

func TestFollowFromYourServerRefusesBadAnswers(t *testing.T) {
	e := newEnv(t, withRemoteFollow(true))
	huge := strings.Repeat(`{"rel":"x","href":"https://x.example/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"},`, 2000)
	for _, c := range []struct {
		name      string
		webfinger func(http.ResponseWriter, *http.Request, string)
		status    int
		msg       string
	}{
		{"a javascript: template", jrdWith(subscribe("javascript:alert(document.domain)//{uri}")), http.StatusUnprocessableEntity, "gave an unusable address to follow from"},
		{"a template without {uri}", jrdWith(subscribe("BASE/authorize_interaction")), http.StatusUnprocessableEntity, "gave an unusable address to follow from"},
		{"a relative template", jrdWith(subscribe("/authorize_interaction?uri={uri}")), http.StatusUnprocessableEntity, "gave an unusable address to follow from"},
		{"a data: template", jrdWith(subscribe("data:text/html,<script>{uri}</script>")), http.StatusUnprocessableEntity, "gave an unusable address to follow from"},
		{"no template", jrdWith(map[string]string{"rel": "self", "href": "https://x.example/u/alice"}), http.StatusUnprocessableEntity, "does not say where its users follow"},
		{"an unknown account", func(w http.ResponseWriter, r *http.Request, _ string) { http.NotFound(w, r) }, http.StatusNotFound, "knows no account alice@"},
		{"a server error", func(w http.ResponseWriter, r *http.Request, _ string) {
			http.Error(w, "down", http.StatusInternalServerError)
		}, http.StatusBadGateway, "answered with an error (HTTP 500)"},
		{"an HTML page", func(w http.ResponseWriter, r *http.Request, _ string) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html>hello</html>")
		}, http.StatusBadGateway, "did not answer with a WebFinger document"},
		{"a huge answer", func(w http.ResponseWriter, r *http.Request, _ string) {
			w.Header().Set("Content-Type", "application/jrd+json")
			io.WriteString(w, `{"links":[`+huge+`{"rel":"`+federation.SubscribeRel+`","template":"https://x.example/?uri={uri}"}]}`)
		}, http.StatusBadGateway, "answered with too much data"},
		{"no answer in time", func(w http.ResponseWriter, r *http.Request, _ string) {
			<-r.Context().Done() // the lookup gives up and hangs up
		}, http.StatusBadGateway, "did not answer in time"},
	} {
		t.Run(c.name, func(t *testing.T) {
			remote := newRemoteServer(t, c.webfinger)
			wantRefused(t, e.postFollow("shakyhands", "alice@"+remote.host()), c.status, c.msg)
		})
	}
}

func TestFollowFromYourServerRefusesBadInput(t *testing.T) {
	e := newEnv(t, withRemoteFollow(true))
	remote := newRemoteServer(t, jrdWith(subscribe("BASE/authorize_interaction?uri={uri}")))
	for _, account := range []string{"", "not a handle!!", "@alice", "alice", "alice@" + remote.host() + "/x",
		"javascript:alert(1)", "https://" + remote.host() + "/@alice", "<script>alert(1)</script>@" + remote.host(),
		"alice@@" + remote.host(), strings.Repeat("a", 400) + "@" + remote.host()} {
		r := e.postFollow("shakyhands", account)
		wantRefused(t, r, http.StatusUnprocessableEntity, "This is not a fediverse address or a server name: give yours like @you@your.server")
		lacks(t, r.Body, "<script>alert")
	}
	if n := remote.hits.Load(); n != 0 {
		t.Errorf("bad input made %d requests to the server", n)
	}
}

func TestFollowFromYourServerRefusesInternalAddresses(t *testing.T) {
	e := newEnv(t, withRemoteFollow(false))
	remote := newRemoteServer(t, jrdWith(subscribe("BASE/authorize_interaction?uri={uri}")))
	port := remote.host()[strings.LastIndex(remote.host(), ":"):]
	for _, account := range []string{"alice@" + remote.host(), remote.host(), "alice@localhost" + port, "localhost" + port, "alice@[::1]" + port, "alice@10.1.2.3"} {
		t.Run(account, func(t *testing.T) {
			wantRefused(t, e.postFollow("shakyhands", account), http.StatusUnprocessableEntity, "is not a public server address")
		})
	}
	if n := remote.hits.Load(); n != 0 {
		t.Errorf("the loopback server got %d requests", n)
	}
}

func TestFollowLookupsAreRateLimited(t *testing.T) {
	e := newEnv(t, withRemoteFollow(true), func(o *web.Options) { o.FollowLookups = 2 })
	remote := newRemoteServer(t, jrdWith(subscribe("BASE/authorize_interaction?uri={uri}")))
	for range 2 {
		if r := e.postFollow("shakyhands", "alice@"+remote.host()); r.Status != http.StatusSeeOther {
			t.Fatalf("a lookup within the limit: %d %s", r.Status, r.Body)
		}
	}
	before := remote.hits.Load()
	r := e.postFollow("network", "alice@"+remote.host())
	wantRefused(t, r, http.StatusTooManyRequests, "Too many lookups from your address")
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After")
	}
	if remote.hits.Load() != before {
		t.Error("a lookup over the limit reached the server")
	}
}

func TestFollowBoxWithoutLookup(t *testing.T) {
	e := newEnv(t)
	page := string(e.get("/enterprises/shakyhands").want(t, http.StatusOK).Body)
	contains(t, page, "@shakyhands@", "Search for this address in your app")
	lacks(t, page, `action="/follow"`)
	r := e.postFollow("shakyhands", "alice@example.social")
	if r.Status != http.StatusServiceUnavailable || !strings.Contains(r.Body, "cannot look other servers up") {
		t.Fatalf("%d %s", r.Status, r.Body)
	}
}
