package federation

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Media types and limits of the client.
const (
	mediaActivityJSON = "application/activity+json"
	asNamespace       = "https://www.w3.org/ns/activitystreams"
	acceptActivity    = mediaActivityJSON + `, application/ld+json; profile="` + asNamespace + `"`
	acceptJRD         = "application/jrd+json, application/json"
	postResponseCap   = 64 << 10
	maxResponseHeads  = 64 << 10
)

// Default timeouts of a Client (see ClientOptions).
const (
	DefaultConnectTimeout = 5 * time.Second
	DefaultReadTimeout    = 10 * time.Second
	DefaultTotalTimeout   = 15 * time.Second
)

// ClientOptions configures a Client. Zero values take the defaults in brackets.
type ClientOptions struct {
	AllowPrivate   bool          // connect to private, loopback and other internal addresses (tests, LAN setups)
	ConnectTimeout time.Duration // TCP connect and TLS handshake [DefaultConnectTimeout]
	ReadTimeout    time.Duration // wait for the response headers [DefaultReadTimeout, at most TotalTimeout]
	TotalTimeout   time.Duration // whole request, body included [DefaultTotalTimeout]
	MaxBytes       int64         // largest response body, after decompression [1 MiB]
	MaxRedirects   int           // redirects followed by fetches [3]; negative: none
	UserAgent      string        // [coopdir]
	// RootCAs, when set, are the certificate authorities trusted for https
	// (tests with a throwaway CA); nil trusts the system's (which Go also
	// reads from SSL_CERT_FILE and SSL_CERT_DIR).
	RootCAs *x509.CertPool
	// Signer, when set and returning a non-nil Signer, signs every GET, for
	// servers that require authorized fetch.
	Signer func(ctx context.Context) *Signer
	// PreferRFC9421 signs requests to hosts not yet known with RFC 9421
	// first instead of draft-cavage (see Client).
	PreferRFC9421 bool
}

// Client makes every outgoing ActivityPub request: it only speaks http(s),
// refuses internal addresses at connect time (after DNS, so a name pointing
// at 127.0.0.1 is refused too), caps body sizes and times out. It is safe for
// concurrent use.
//
// A signed request that a host answers with 400 or 401 is sent once more,
// signed with the other scheme (draft-cavage or RFC 9421); when that one
// succeeds, the client remembers the scheme for the host and signs its
// later requests with it first.
type Client struct {
	opt     ClientOptions
	fetch   *http.Client // follows redirects, checking each
	deliver *http.Client // never follows redirects
	schemes hostSchemes  // the signature scheme to try first, per host

	// checkAddr decides whether a dialled address is allowed; tests replace it.
	checkAddr func(netip.AddrPort) error
}

// FetchError says why an outgoing request failed. Status is the HTTP status
// when the server answered, 0 otherwise. Reason is meant for logs and admins.
type FetchError struct {
	URL    string
	Status int
	Reason string
	Err    error

	temporary bool
	// answered is set when the server gave a 2xx answer that was refused
	// (too large, not the type or the JSON asked for); tooLarge when it
	// was too large.
	answered, tooLarge bool
}

// Error implements the error interface.
func (e *FetchError) Error() string {
	if e.Status != 0 {
		return fmt.Sprintf("fetch %s: status %d: %s", e.URL, e.Status, e.Reason)
	}
	return fmt.Sprintf("fetch %s: %s", e.URL, e.Reason)
}

// Unwrap returns the cause.
func (e *FetchError) Unwrap() error { return e.Err }

// Temporary reports whether trying again later may succeed: timeouts,
// connection failures, 429 and 5xx answers. Refused addresses, bad URLs and
// unacceptable documents are permanent.
func (e *FetchError) Temporary() bool { return e.temporary }

// NewClient returns a Client with opt, defaults filled in.
func NewClient(opt ClientOptions) *Client {
	opt = withDefaults(opt)
	c := &Client{opt: opt}
	if opt.PreferRFC9421 {
		c.schemes.preferred = SchemeRFC9421
	}
	c.checkAddr = c.allowAddr
	dialer := &net.Dialer{
		Timeout:   opt.ConnectTimeout,
		KeepAlive: 30 * time.Second,
		Control:   c.control,
	}
	transport := &http.Transport{
		Proxy:                  nil, // a proxy would hide the real address from the check
		DialContext:            dialer.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    opt.ConnectTimeout,
		ResponseHeaderTimeout:  opt.ReadTimeout,
		MaxResponseHeaderBytes: maxResponseHeads,
		MaxIdleConnsPerHost:    4,
		IdleConnTimeout:        90 * time.Second,
		ExpectContinueTimeout:  time.Second,
	}
	if opt.RootCAs != nil {
		transport.TLSClientConfig = &tls.Config{RootCAs: opt.RootCAs, MinVersion: tls.VersionTLS12}
	}
	c.fetch = &http.Client{Transport: transport, CheckRedirect: c.checkRedirect}
	c.deliver = &http.Client{Transport: transport, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	return c
}

func withDefaults(opt ClientOptions) ClientOptions {
	if opt.ConnectTimeout <= 0 {
		opt.ConnectTimeout = DefaultConnectTimeout
	}
	if opt.TotalTimeout <= 0 {
		opt.TotalTimeout = DefaultTotalTimeout
	}
	if opt.ReadTimeout <= 0 {
		opt.ReadTimeout = min(DefaultReadTimeout, opt.TotalTimeout)
	}
	if opt.MaxBytes <= 0 {
		opt.MaxBytes = 1 << 20
	}
	if opt.MaxRedirects == 0 {
		opt.MaxRedirects = 3
	}
	if opt.UserAgent == "" {
		opt.UserAgent = "coopdir"
	}
	return opt
}

// FetchDocument GETs an ActivityPub document. It follows up to MaxRedirects
// redirects, accepts only a 2xx answer typed application/activity+json (or
// application/ld+json with the ActivityStreams profile), and requires the
// document's top-level id to be the final URL (fragments aside). It returns
// the body and the final URL; failures are *FetchError.
func (c *Client) FetchDocument(ctx context.Context, rawURL string) ([]byte, *url.URL, error) {
	body, final, ctype, err := c.get(ctx, rawURL, acceptActivity)
	if err != nil {
		return nil, nil, err
	}
	if !isActivityType(ctype) {
		return nil, nil, &FetchError{URL: final.String(), Reason: fmt.Sprintf("content type %q is not an ActivityPub document", ctype)}
	}
	var doc struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, nil, &FetchError{URL: final.String(), Reason: "document is not a JSON object with a string id", Err: err}
	}
	if !sameDocument(doc.ID, final.String()) {
		return nil, nil, &FetchError{URL: final.String(), Reason: fmt.Sprintf("document id %q is not the URL it was fetched from", doc.ID)}
	}
	return body, final, nil
}

// FetchJRD GETs a WebFinger (JRD) document typed application/jrd+json or
// application/json, following redirects like FetchDocument.
func (c *Client) FetchJRD(ctx context.Context, rawURL string) ([]byte, error) {
	body, final, ctype, err := c.get(ctx, rawURL, acceptJRD)
	if err != nil {
		return nil, err
	}
	if mt, _, _ := mime.ParseMediaType(ctype); mt != "application/jrd+json" && mt != "application/json" {
		return nil, &FetchError{URL: final.String(), Reason: fmt.Sprintf("content type %q is not JRD or JSON", ctype), answered: true}
	}
	if !json.Valid(body) {
		return nil, &FetchError{URL: final.String(), Reason: "response is not valid JSON", answered: true}
	}
	return body, nil
}

// Post delivers an activity to an inbox, signed by signer, typed
// application/activity+json. Redirects are not followed. A 400 or 401
// answer makes it send the activity once more with the other signature
// scheme (see Client). It returns the response status; anything but 2xx is
// also a *FetchError.
func (c *Client) Post(ctx context.Context, inbox string, body []byte, signer *Signer) (int, error) {
	u, err := checkURL(inbox)
	if err != nil {
		return 0, err
	}
	scheme := c.schemes.first(u.Host)
	status, err := c.post(ctx, u, body, signer, scheme)
	if !knockAgain(status) {
		return status, err
	}
	if status, err = c.post(ctx, u, body, signer, scheme.other()); err == nil {
		c.schemes.remember(u.Host, scheme.other())
	}
	return status, err
}

// post sends one POST signed with scheme.
func (c *Client) post(ctx context.Context, u *url.URL, body []byte, signer *Signer, scheme SignatureScheme) (int, error) {
	inbox := u.String()
	ctx, cancel := context.WithTimeout(ctx, c.opt.TotalTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		return 0, &FetchError{URL: inbox, Reason: "cannot build request", Err: err}
	}
	req.Header.Set("Content-Type", mediaActivityJSON)
	req.Header.Set("Accept", acceptActivity)
	req.Header.Set("User-Agent", c.opt.UserAgent)
	if err := signer.Sign(req, body, scheme); err != nil {
		return 0, &FetchError{URL: inbox, Reason: "cannot sign request", Err: err}
	}
	resp, err := c.deliver.Do(req)
	if err != nil {
		return 0, c.transportError(ctx, inbox, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, postResponseCap))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, statusError(inbox, resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// get performs a capped, timed GET and returns the body, the final URL and
// the response's content type. A signed GET answered 400 or 401 is sent
// once more with the other signature scheme (see Client).
func (c *Client) get(ctx context.Context, rawURL, accept string) ([]byte, *url.URL, string, error) {
	u, err := checkURL(rawURL)
	if err != nil {
		return nil, nil, "", err
	}
	scheme := c.schemes.first(u.Host)
	body, final, ctype, err := c.getSigned(ctx, u, accept, scheme)
	var fe *FetchError
	if !errors.As(err, &fe) || !knockAgain(fe.Status) || c.getSigner(ctx) == nil {
		return body, final, ctype, err
	}
	if body, final, ctype, err = c.getSigned(ctx, u, accept, scheme.other()); err == nil {
		c.schemes.remember(u.Host, scheme.other())
	}
	return body, final, ctype, err
}

// getSigned performs one GET, signed with scheme when the client signs.
func (c *Client) getSigned(ctx context.Context, u *url.URL, accept string, scheme SignatureScheme) ([]byte, *url.URL, string, error) {
	rawURL := u.String()
	ctx, cancel := context.WithTimeout(ctx, c.opt.TotalTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if err != nil {
		return nil, nil, "", &FetchError{URL: rawURL, Reason: "cannot build request", Err: err}
	}
	req.Header.Set("Accept", accept)
	req.Header.Set("User-Agent", c.opt.UserAgent)
	if err := c.signGet(req, scheme); err != nil {
		return nil, nil, "", &FetchError{URL: rawURL, Reason: "cannot sign request", Err: err}
	}
	resp, err := c.fetch.Do(req)
	if err != nil {
		return nil, nil, "", c.transportError(ctx, rawURL, err)
	}
	defer resp.Body.Close()
	final := resp.Request.URL
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, nil, "", statusError(final.String(), resp.StatusCode)
	}
	body, err := c.readCapped(ctx, final.String(), resp)
	if err != nil {
		return nil, nil, "", err
	}
	return body, final, resp.Header.Get("Content-Type"), nil
}

// readCapped reads at most MaxBytes of the body. The cap applies to what the
// transport hands us, which is the decompressed stream when the server
// answered gzip to the Accept-Encoding the transport added itself.
func (c *Client) readCapped(ctx context.Context, where string, resp *http.Response) ([]byte, error) {
	max := c.opt.MaxBytes
	tooLarge := &FetchError{URL: where, Status: resp.StatusCode, Reason: fmt.Sprintf("response is larger than %d bytes", max),
		answered: true, tooLarge: true}
	if resp.ContentLength > max {
		return nil, tooLarge
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return nil, c.transportError(ctx, where, err)
	}
	if int64(len(body)) > max {
		return nil, tooLarge
	}
	return body, nil
}

// getSigner is the signer of GETs, or nil when they go unsigned.
func (c *Client) getSigner(ctx context.Context) *Signer {
	if c.opt.Signer == nil {
		return nil
	}
	return c.opt.Signer(ctx)
}

func (c *Client) signGet(req *http.Request, scheme SignatureScheme) error {
	if s := c.getSigner(req.Context()); s != nil {
		return s.Sign(req, nil, scheme)
	}
	return nil
}

// checkRedirect applies the URL rules to every hop, counts hops, refuses a
// downgrade from https to http and signs the new request again when the
// first one was signed.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	if c.opt.MaxRedirects < 0 || len(via) > c.opt.MaxRedirects {
		return &FetchError{URL: via[0].URL.String(), Reason: fmt.Sprintf("too many redirects (at most %d are followed)", max(c.opt.MaxRedirects, 0))}
	}
	if _, err := checkURL(req.URL.String()); err != nil {
		return err
	}
	if via[len(via)-1].URL.Scheme == "https" && req.URL.Scheme == "http" {
		return &FetchError{URL: req.URL.String(), Reason: "refused: redirect from https to http"}
	}
	if via[0].Header.Get("Signature") != "" {
		scheme := SchemeCavage
		if via[0].Header.Get("Signature-Input") != "" {
			scheme = SchemeRFC9421
		}
		return c.signGet(req, scheme)
	}
	return nil
}

// checkURL accepts absolute http(s) URLs with a host and no user information.
func checkURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &FetchError{URL: raw, Reason: "not a valid URL", Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &FetchError{URL: raw, Reason: fmt.Sprintf("refused: scheme %q (only http and https)", u.Scheme)}
	}
	if u.Host == "" || u.Opaque != "" {
		return nil, &FetchError{URL: raw, Reason: "URL has no host"}
	}
	if u.User != nil {
		return nil, &FetchError{URL: raw, Reason: "refused: URL carries a user name or password"}
	}
	return u, nil
}

// transportError turns an error of http.Client.Do or of a body read into a
// *FetchError with a clear reason.
func (c *Client) transportError(ctx context.Context, where string, err error) *FetchError {
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe
	}
	var ae *addressError
	if errors.As(err, &ae) {
		return &FetchError{URL: where, Reason: ae.Error(), Err: err}
	}
	var ne net.Error
	if errors.Is(ctx.Err(), context.DeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout()) {
		return &FetchError{URL: where, Reason: "timed out", Err: err, temporary: true}
	}
	return &FetchError{URL: where, Reason: "request failed", Err: err, temporary: true}
}

func statusError(where string, status int) *FetchError {
	return &FetchError{
		URL: where, Status: status,
		Reason:    "unexpected status " + http.StatusText(status),
		temporary: status == http.StatusTooManyRequests || status >= 500,
	}
}

// isActivityType accepts application/activity+json, and application/ld+json
// whose profile names ActivityStreams, ignoring case and other parameters.
func isActivityType(ctype string) bool {
	mt, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return false
	}
	switch mt {
	case mediaActivityJSON:
		return true
	case "application/ld+json":
		for _, p := range strings.Fields(params["profile"]) {
			if strings.EqualFold(strings.TrimSuffix(p, "/"), asNamespace) {
				return true
			}
		}
	}
	return false
}

// control runs after DNS, right before each connect, with the actual address.
func (c *Client) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return &addressError{addr: address, kind: "an unparseable"}
	}
	return c.checkAddr(ap)
}

func (c *Client) allowAddr(ap netip.AddrPort) error {
	if c.opt.AllowPrivate {
		return nil
	}
	return checkPublic(ap.Addr())
}
