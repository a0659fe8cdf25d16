package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// RemoteFollow finds where a visitor of our pages can follow one of our
// actors from their own fediverse server ("Follow from your server"). cmd
// fills it; web never fetches anything itself.
type RemoteFollow interface {
	// FollowURL returns the absolute http(s) address on the visitor's own
	// server where they can follow the actor whose id is uri; visitor is
	// what they typed: their account (@name@host, name@host) or their
	// server (host). Errors are *directory.Error with a safe message and
	// one FieldError on "account" whose rule is format, allowed, exists,
	// reachable or template (see followStatus).
	FollowURL(ctx context.Context, visitor, uri string) (string, error)
}

// Defaults of the follow lookups' rate limit (Options.FollowLookups): each
// lookup makes the server fetch from another one, so a client gets a few
// dozen per followWindow.
const (
	DefaultFollowLookups = 20
	followWindow         = 10 * time.Minute
)

// followStatus is the status of a follow page whose lookup broke a rule.
var followStatus = map[string]int{
	"format":    http.StatusUnprocessableEntity,
	"allowed":   http.StatusUnprocessableEntity,
	"template":  http.StatusUnprocessableEntity,
	"exists":    http.StatusNotFound,
	"reachable": http.StatusBadGateway,
}

// followBox is the part of an actor's page that says how to follow it: its
// fediverse address (with a copy button, added by follow.js) and the
// "Follow from your server" form.
type followBox struct {
	Actor   string // the form's value naming the actor: an enterprise handle, network, needs or offers
	Name    string // of the actor, for people
	Address string // its fediverse address, @handle@host
	Lookup  bool   // the form can look the visitor's server up (Options.RemoteFollow is set)
	Account string // what the visitor typed, shown again after an error
	Error   string // what went wrong with it
}

// followView is the data of follow.html.
type followView struct {
	layout
	Follow *followBox
	Back   string // the actor's page
}

// followTarget is one of our actors that people can follow.
type followTarget struct {
	name, path, page string
}

// instanceFollowTargets are the instance's own actors that people follow
// (the instance actor, which serves partnerships between networks, is not
// one).
var instanceFollowTargets = map[string]followTarget{
	"network": {path: "/network", page: "/"},
	"needs":   {path: "/needs", page: "/board?type=need"},
	"offers":  {path: "/offers", page: "/board?type=offer"},
}

// followTargetOf finds the actor a form names: network, needs, offers, or
// the handle of a local enterprise or of a topic. ENOTFOUND otherwise.
func (s *server) followTargetOf(r *http.Request, actor string) (followTarget, error) {
	if t, ok := instanceFollowTargets[actor]; ok {
		t.name = instanceActorName(actor, s.settings(r).NetworkName)
		return t, nil
	}
	if directory.ValidateHandle(actor) != nil {
		return followTarget{}, directory.Errorf(directory.ENOTFOUND, "there is no such account here")
	}
	e, err := s.svc.Enterprise(r.Context(), actor)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		if ss, terr := s.svc.SavedSearch(r.Context(), actor); terr == nil {
			p := topicPath(ss.Handle)
			return followTarget{name: ss.Name, path: p, page: p}, nil
		}
	}
	if err != nil {
		return followTarget{}, err
	}
	p := enterprisePath(e.Handle)
	return followTarget{name: e.Name, path: p, page: p}, nil
}

// instanceActorName is the name of the instance's actor network, needs or
// offers, as its actor document gives it.
func instanceActorName(actor, network string) string {
	switch actor {
	case "needs":
		return "Needs · " + network // translated by its pattern
	case "offers":
		return "Offers · " + network // translated by its pattern
	}
	return network
}

// newFollowBox returns the follow box of actor (a form value, see
// followTargetOf) named name, and makes the page lay out what it needs: the
// copy script and a form-action that lets the form's answer lead to the
// visitor's server.
func (s *server) newFollowBox(r *http.Request, lay *layout, actor, name string) *followBox {
	lay.Scripts = append(lay.Scripts, assets.url("follow.js"))
	lay.FormAction = followFormAction
	return &followBox{Actor: actor, Name: name, Address: "@" + actor + "@" + s.fediverseHost(r), Lookup: s.opt.RemoteFollow != nil}
}

// followFormAction is the CSP form-action of pages with a follow box: the
// form posts here, and its answer redirects to the visitor's server, which
// the browser checks against form-action too.
const followFormAction = "'self' https: http:"

// fediverseHost is the host of our fediverse addresses: the host of the
// base URL (as WebFinger answers it), else of the request.
func (s *server) fediverseHost(r *http.Request) string {
	if u, err := url.Parse(s.opt.BaseURL); err == nil && u.Host != "" {
		return strings.ToLower(u.Host)
	}
	return strings.ToLower(r.Host)
}

// absoluteURL is the absolute address of path here, from the base URL or
// else the request.
func (s *server) absoluteURL(r *http.Request, path string) string {
	if s.opt.BaseURL != "" {
		return s.url(path)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// followPage answers GET /follow?actor=…: how to follow one of our actors,
// with the "Follow from your server" form.
func (s *server) followPage(w http.ResponseWriter, r *http.Request) {
	s.renderFollow(w, r, http.StatusOK, r.URL.Query().Get("actor"), "", "")
}

// renderFollow shows the follow page of actor with what the visitor typed
// and the error, if any.
func (s *server) renderFollow(w http.ResponseWriter, r *http.Request, status int, actor, account, problem string) {
	t, err := s.followTargetOf(r, actor)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	v := followView{layout: s.layout(r, translate(r, "Follow %s", t.name)), Back: t.page}
	v.NoIndex = true
	v.Canonical = s.url("/follow?" + url.Values{"actor": {actor}}.Encode())
	v.Follow = s.newFollowBox(r, &v.layout, actor, t.name)
	v.Follow.Account, v.Follow.Error = account, problem
	if status != http.StatusOK {
		w = noStore(w)
	}
	s.render(w, r, status, "follow.html", v)
}

// followRemote answers POST /follow (actor, account): it finds where the
// visitor's server lets them follow the actor and sends them there with
// 303, or shows the follow page with what went wrong. Lookups count
// against the client's address (Options.FollowLookups per 10 minutes).
func (s *server) followRemote(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.maxBody)
	if err := r.ParseForm(); err != nil {
		s.renderError(w, r, http.StatusBadRequest, "The form could not be read.")
		return
	}
	actor, account := r.PostFormValue("actor"), strings.TrimSpace(r.PostFormValue("account"))
	if len(account) > 1000 {
		account = account[:1000]
	}
	t, err := s.followTargetOf(r, actor)
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if s.opt.RemoteFollow == nil {
		s.renderFollow(w, r, http.StatusServiceUnavailable, actor, account,
			msg("This server cannot look other servers up. Search for the address above in your app instead."))
		return
	}
	if ok, wait, _ := s.followLookups.allow(limitKey{name: "ip " + s.clientIP(r), max: s.followMax}); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(max(int(wait.Round(time.Second)/time.Second), 1)))
		s.renderFollow(w, r, http.StatusTooManyRequests, actor, account,
			"Too many lookups from your address. Please wait "+waitText(wait)+" and try again, or search for the address above in your app.") // translated by its pattern
		return
	}
	target, err := s.opt.RemoteFollow.FollowURL(r.Context(), account, s.absoluteURL(r, t.path))
	if err != nil {
		status, msg := s.followProblem(r, err)
		s.renderFollow(w, r, status, actor, account, msg)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// followProblem is the status and message of a failed lookup.
func (s *server) followProblem(r *http.Request, err error) (int, string) {
	for _, f := range directory.ErrorFields(err) {
		if status, ok := followStatus[f.Rule]; ok && f.Field == "account" {
			return status, f.Message
		}
	}
	s.log.ErrorContext(r.Context(), "follow lookup", "err", err)
	return http.StatusBadGateway, msg("Your server could not be looked up. Search for the address above in your app instead.")
}

// helpFollowPage answers GET /help/follow: following for people new to the
// fediverse.
func (s *server) helpFollowPage(w http.ResponseWriter, r *http.Request) {
	v := followView{layout: s.layout(r, "Following on the fediverse")}
	v.Description = translate(r, "How to follow the enterprises of %s from Mastodon or any other fediverse server.", v.Network)
	v.Follow = s.newFollowBox(r, &v.layout, "network", v.Network)
	s.render(w, r, http.StatusOK, "help_follow.html", v)
}
