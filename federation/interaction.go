package federation

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// SubscribeRel is the WebFinger link relation whose template says where an
// account's server lets its user follow (or otherwise interact with) a
// remote account: Mastodon answers
// https://host/authorize_interaction?uri={uri}.
const SubscribeRel = "http://ostatus.org/schema/1.0/subscribe"

// Limits of the interaction lookups. A visitor of a page makes us fetch,
// so they are tighter than the federation client's: a WebFinger answer is
// about a kilobyte.
const (
	InteractionTimeout  = 5 * time.Second
	InteractionMaxBytes = 64 << 10
	maxVisitorInput     = 320
	maxTemplate         = 2048
)

// Rules of the errors of FollowURL: the rule of its one FieldError, on
// the field "account".
const (
	RuleFormat    = "format"    // not an account or a server name
	RuleAllowed   = "allowed"   // a private, loopback or otherwise internal address
	RuleExists    = "exists"    // the server has no such account
	RuleReachable = "reachable" // the server did not answer, or not with a usable document
	RuleTemplate  = "template"  // the account's server offers no usable template
)

// Interactions finds, for a visitor of our pages, the address on their own
// server where they can follow one of our actors ("remote follow"). From
// an account it asks the account's server by WebFinger for its subscribe
// template; a bare server name gets Mastodon's /authorize_interaction,
// once the server has answered at all. Each lookup is one or two GETs
// through its own Client (unsigned, InteractionTimeout and
// InteractionMaxBytes when its options leave them zero), which refuses
// internal addresses unless it allows private ones.
type Interactions struct {
	client    *Client
	allowHTTP bool
}

// NewInteractions returns the lookup. opt configures its Client; its
// Signer is dropped (nothing of ours is fetched). allowHTTP lets it fall
// back to http when https does not answer (tests and LAN setups, with
// AllowPrivate).
func NewInteractions(opt ClientOptions, allowHTTP bool) *Interactions {
	opt.Signer = nil
	if opt.TotalTimeout <= 0 {
		opt.TotalTimeout = InteractionTimeout
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = InteractionMaxBytes
	}
	return &Interactions{client: NewClient(opt), allowHTTP: allowHTTP}
}

// visitor is what a visitor typed: an account (User and Host) or a server
// (Host only).
type visitor struct{ User, Host string }

// userPattern is what we take for the user part of an account: the
// characters that Mastodon, Misskey, Pleroma and GoToSocial allow.
var userPattern = regexp.MustCompile(`^[A-Za-z0-9._~+-]{1,64}$`)

// parseVisitor reads @name@host, name@host, acct:name@host, host, or
// http(s)://host with no path, strictly. host may have a port.
func parseVisitor(s string) (visitor, error) {
	s = strings.TrimSpace(s)
	bad := func() (visitor, error) {
		return visitor{}, interactionError(directory.EINVALID, RuleFormat,
			"This is not a fediverse address or a server name: give yours like @you@your.server, or just your.server")
	}
	if s == "" || len(s) > maxVisitorInput {
		return bad()
	}
	if rest, ok := cutSchemePrefix(s); ok {
		s = strings.TrimSuffix(rest, "/")
		if strings.ContainsAny(s, "/?#@") {
			return bad()
		}
	}
	s = strings.TrimPrefix(s, "acct:")
	account := strings.HasPrefix(s, "@")
	s = strings.TrimPrefix(s, "@")
	var v visitor
	user, host, ok := strings.Cut(s, "@")
	if account && !ok {
		return bad()
	}
	if ok {
		if !userPattern.MatchString(user) {
			return bad()
		}
		v.User, s = user, host
	}
	if s == "" || strings.ContainsAny(s, "/?#@\\ \t%") {
		return bad()
	}
	u, err := parseID("https://" + s + "/")
	if err != nil || u.Path != "/" {
		return bad()
	}
	// A name of one label ("alice") is a typo far more often than a
	// server; one with a port is a test or LAN server.
	if !strings.Contains(u.Host, ".") && !strings.Contains(u.Host, ":") {
		return bad()
	}
	v.Host = u.Host
	return v, nil
}

func cutSchemePrefix(s string) (string, bool) {
	lower := strings.ToLower(s)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(lower, p) {
			return s[len(p):], true
		}
	}
	return "", false
}

// FollowURL returns the address on the visitor's own server where they can
// follow the actor whose id is uri. visitor is their account (@name@host,
// name@host) or just their server (host). Errors are *directory.Error with
// a safe message and one FieldError on "account" whose rule is one of
// RuleFormat, RuleAllowed, RuleExists, RuleReachable, RuleTemplate
// (codes EINVALID, or ENOTFOUND for RuleExists and RuleReachable).
func (i *Interactions) FollowURL(ctx context.Context, visitorInput, uri string) (string, error) {
	v, err := parseVisitor(visitorInput)
	if err != nil {
		return "", err
	}
	if err := i.checkLiteral(v.Host); err != nil {
		return "", err
	}
	if v.User == "" {
		return i.serverFallback(ctx, v.Host, uri)
	}
	tmpl, err := i.subscribeTemplate(ctx, v)
	if err != nil {
		return "", err
	}
	return fillTemplate(tmpl, uri, v)
}

// checkLiteral refuses a host written as an internal IP address before
// anything is fetched (names that resolve to one are refused at connect).
func (i *Interactions) checkLiteral(host string) error {
	if i.client.opt.AllowPrivate {
		return nil
	}
	name := host
	if h, _, ok := strings.Cut(strings.TrimPrefix(host, "["), "]"); ok {
		name = h
	} else if h, _, ok := strings.Cut(host, ":"); ok {
		name = h
	}
	if a, err := netip.ParseAddr(name); err == nil && checkPublic(a) != nil {
		return notPublic(host)
	}
	return nil
}

func notPublic(host string) error {
	return interactionError(directory.EINVALID, RuleAllowed, host+" is not a public server address")
}

// get fetches a JSON document from host over https, or over http when
// https does not answer and allowHTTP is set.
func (i *Interactions) get(ctx context.Context, host, pathQuery string) ([]byte, string, error) {
	body, err := i.client.FetchJRD(ctx, "https://"+host+pathQuery)
	if err != nil && i.allowHTTP && !answered(err) {
		// The http answer, or failure, is the one that tells: a server
		// on plain http fails https at the handshake.
		body, err = i.client.FetchJRD(ctx, "http://"+host+pathQuery)
		return body, "http", err
	}
	return body, "https", err
}

// answered reports whether a failed fetch got an HTTP answer.
func answered(err error) bool {
	var fe *FetchError
	return errors.As(err, &fe) && (fe.Status != 0 || fe.answered)
}

// subscribeTemplate asks the account's server for its subscribe template.
func (i *Interactions) subscribeTemplate(ctx context.Context, v visitor) (string, error) {
	acct := v.User + "@" + v.Host
	body, _, err := i.get(ctx, v.Host, "/.well-known/webfinger?"+url.Values{"resource": {"acct:" + acct}}.Encode())
	if err != nil {
		var fe *FetchError
		if errors.As(err, &fe) && (fe.Status == http.StatusNotFound || fe.Status == http.StatusGone) {
			return "", interactionError(directory.ENOTFOUND, RuleExists, v.Host+" knows no account "+acct)
		}
		return "", unreachable(v.Host, err)
	}
	var jrd struct {
		Links []struct {
			Rel      string `json:"rel"`
			Template string `json:"template"`
		} `json:"links"`
	}
	if err := json.Unmarshal(body, &jrd); err != nil {
		return "", interactionError(directory.ENOTFOUND, RuleReachable, v.Host+" did not answer with a WebFinger document")
	}
	for _, l := range jrd.Links {
		if l.Rel == SubscribeRel && l.Template != "" {
			return l.Template, nil
		}
	}
	return "", interactionError(directory.EINVALID, RuleTemplate, v.Host+" does not say where its users follow accounts of other servers: "+
		"search for our address in your app's search box instead")
}

// fillTemplate puts uri into a subscribe template. Only an absolute
// http(s) template with {uri} that gives an absolute http(s) address is
// taken: anything else (javascript:, a relative address, no {uri}) is
// refused.
func fillTemplate(tmpl, uri string, v visitor) (string, error) {
	refuse := interactionError(directory.EINVALID, RuleTemplate, v.Host+" gave an unusable address to follow from: "+
		"search for our address in your app's search box instead")
	if len(tmpl) > maxTemplate || !strings.Contains(tmpl, "{uri}") || strings.ContainsFunc(tmpl, isSpaceOrControl) {
		return "", refuse
	}
	if _, ok := cutSchemePrefix(tmpl); !ok {
		return "", refuse
	}
	target := strings.ReplaceAll(tmpl, "{uri}", url.QueryEscape(uri))
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.Opaque != "" {
		return "", refuse
	}
	if _, err := normalizeHost(u.Hostname(), u.Port(), u.Scheme); err != nil {
		return "", refuse
	}
	return u.String(), nil
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// serverFallback sends a visitor who named only their server to its
// /authorize_interaction, Mastodon's page for following an account of
// another server, after checking that the server has that page:
// GoToSocial, for one, answers 404 there.
func (i *Interactions) serverFallback(ctx context.Context, host, uri string) (string, error) {
	pathQuery := "/authorize_interaction?" + url.Values{"uri": {uri}}.Encode()
	status, scheme, err := i.probe(ctx, host, pathQuery)
	switch {
	case err != nil:
		return "", unreachable(host, err)
	case status == http.StatusNotFound || status == http.StatusGone || status == http.StatusMethodNotAllowed:
		return "", interactionError(directory.EINVALID, RuleTemplate, host+" has no page for following accounts of other servers: "+
			"give your full address (like @you@"+host+"), or search for our address in your app's search box")
	case status >= 500:
		return "", unreachable(host, statusError(scheme+"://"+host+pathQuery, status))
	}
	return scheme + "://" + host + pathQuery, nil
}

// probe GETs pathQuery on host over https (or http, as get does) without
// following redirects or reading the body, and returns the status: a
// signed-out visitor gets a redirect to the sign-in page from Mastodon.
func (i *Interactions) probe(ctx context.Context, host, pathQuery string) (int, string, error) {
	status, err := i.probeOnce(ctx, "https://"+host+pathQuery)
	if err != nil && i.allowHTTP {
		status, err = i.probeOnce(ctx, "http://"+host+pathQuery)
		return status, "http", err
	}
	return status, "https", err
}

func (i *Interactions) probeOnce(ctx context.Context, rawURL string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, i.client.opt.TotalTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return 0, &FetchError{URL: rawURL, Reason: "cannot build request", Err: err}
	}
	req.Header.Set("Accept", "text/html")
	req.Header.Set("User-Agent", i.client.opt.UserAgent)
	resp, err := i.client.deliver.Do(req)
	if err != nil {
		return 0, i.client.transportError(ctx, rawURL, err)
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// unreachable describes a failed fetch for the visitor.
func unreachable(host string, err error) error {
	var ae *addressError
	if errors.As(err, &ae) {
		return notPublic(host)
	}
	var fe *FetchError
	msg := host + " could not be reached"
	switch {
	case errors.As(err, &fe) && fe.tooLarge:
		msg = host + " answered with too much data"
	case errors.As(err, &fe) && fe.answered:
		msg = host + " did not answer with a WebFinger document"
	case errors.As(err, &fe) && fe.Status != 0:
		msg = host + " answered with an error (HTTP " + strconv.Itoa(fe.Status) + ")"
	case errors.As(err, &fe) && fe.Reason == "timed out":
		msg = host + " did not answer in time"
	}
	return &directory.Error{Code: directory.ENOTFOUND, Message: msg, Err: err,
		Fields: []directory.FieldError{{Field: "account", Rule: RuleReachable, Message: msg}}}
}

func interactionError(code, rule, msg string) error {
	return &directory.Error{Code: code, Message: msg,
		Fields: []directory.FieldError{{Field: "account", Rule: rule, Message: msg}}}
}
