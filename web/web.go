// Package web serves coopdir over HTTP: the JSON API under /api/v1, the
// server-rendered HTML pages and the health check. Handlers are thin: they
// parse the request, call the directory.Service and render its answer. Every
// route is listed in routes.go.
//
// Files are named noun first, then the face it is shown through: a
// listing's JSON API is in listing_api.go, its admin pages in
// listing_admin.go and its public page in listing_page.go, and so for
// enterprise, announcement, partner, block, following, user, settings,
// report and logo. What every admin page shares is in admin.go (the
// dashboard and the permission checks), admin_templates.go (the admin
// layout and flash messages) and form.go (the form controls, used by the
// login and invitation pages too).
//
// API conventions. Reads are public and cacheable for a minute (but an
// enterprise's following, feed and responses, which need a token); writes need
// Authorization: Bearer <token>, and the Service decides what the token's
// user may do. Bodies are JSON objects (Content-Type application/json, at
// most Options.MaxBodyBytes) whose members must all be known fields. PATCH
// bodies follow JSON merge patch at the top level: an absent member keeps
// the field, null clears it, objects (location) are replaced whole. Errors
// are RFC 9457 problem documents (application/problem+json) whose errors
// member lists {field, rule, message}. The status of a directory error code
// is set in one table, statusOf (problem.go). A request that cannot be read
// — malformed JSON, a value of the wrong JSON type, an unknown member, or a
// query parameter that does not parse or that the Service rejects — is 400,
// and so is an account to follow that is not an address; a body that reads
// but breaks a rule of the directory is 422.
package web

import (
	"cmp"
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// DefaultMaxBodyBytes caps request bodies when Options.MaxBodyBytes is zero.
const DefaultMaxBodyBytes = 64 << 10

// Options configure the handler returned by New.
type Options struct {
	// BaseURL is the public address of the instance, such as
	// https://coop.example, without a trailing slash. It prefixes Location
	// headers and problem type URIs; when empty they are host-relative paths.
	BaseURL string
	// Logger receives internal errors with their causes. Nil means slog.Default().
	Logger *slog.Logger
	// NetworkName and NetworkDescription head the HTML pages.
	NetworkName, NetworkDescription string
	// Health reports whether the instance can serve (typically a database
	// ping); GET /healthz answers 503 when it fails. Nil means always healthy.
	Health func(context.Context) error
	// MaxBodyBytes caps the size of a request body; larger ones get 413.
	// Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// LoginAttempts bounds the failed sign-ins per client address and
	// email address, LoginAddressAttempts those per client address, within
	// LoginWindow. Successful sign-ins do not count. Zero means
	// DefaultLoginAttempts, DefaultLoginAddressAttempts, DefaultLoginWindow.
	LoginAttempts        int
	LoginAddressAttempts int
	LoginWindow          time.Duration
	// TrustedProxies are the reverse proxies whose forwarded client
	// address is believed (see ParseTrustedProxies). Empty believes none:
	// the connection's peer is the client.
	TrustedProxies []netip.Prefix
	// ClientIPHeader names the header in which the trusted proxies pass
	// the client's address: X-Forwarded-For (when empty), Forwarded (RFC
	// 7239, its for= values) or another comma-separated list such as
	// X-Real-IP.
	ClientIPHeader string
	// ActivityPub, when set, answers the requests of ActivityPub clients
	// and the discovery endpoints (see activityPub in activitypub.go):
	// the same URL serves a browser its HTML page and a fediverse server
	// its JSON-LD document. cmd fills it; web never builds those documents.
	ActivityPub http.Handler
	// Federation follows and unfollows remote accounts for the
	// enterprises; cmd fills it. When nil, following answers 503 and the
	// admin page offers no form.
	Federation Federator
	// Mail, when set, queues the mails of the Respond forms (to the
	// enterprise's editors) and the password-reset links people ask for;
	// cmd fills it when the operator configured SMTP. When nil, messages
	// are only stored and the password-reset page says to ask an admin.
	Mail Mailer
	// FormKey signs the timestamps of the public forms (Respond, password
	// reset); cmd derives it from the instance secret, so that every
	// process of the instance accepts the others' forms. Empty picks a
	// random key at start.
	FormKey []byte
	// RespondMinAge and RespondMaxAge bound the time between showing a
	// public form and its post (a bot posts at once; a negative
	// RespondMinAge accepts any, for tests). RespondLimit bounds the posts
	// of the Respond form (and the password-reset requests) per client
	// address within RespondWindow. Zero means DefaultRespondMinAge,
	// DefaultRespondMaxAge, DefaultRespondLimit, DefaultRespondWindow.
	RespondMinAge, RespondMaxAge time.Duration
	RespondLimit                 int
	RespondWindow                time.Duration
	// RemoteFollow finds where visitors follow our actors from their own
	// server (the "Follow from your server" form); cmd fills it. When nil
	// the form says to search for the address instead.
	RemoteFollow RemoteFollow
	// FollowLookups bounds the follow lookups per client address within
	// 10 minutes. Zero means DefaultFollowLookups.
	FollowLookups int
	// Partnerships asks other networks to partner with this one and
	// answers their requests; cmd fills it. When nil, the partnership
	// API's writes answer 503 and the admin page offers no forms.
	Partnerships Partnerships
	// Murmurations tells how the registrations with the Murmurations
	// index went, for the settings page; cmd fills it. When nil, the page
	// lists none.
	Murmurations MurmurationsStatus
	// MurmurationsImport imports profiles from a Murmurations index as
	// durable jobs, for Admin > Murmurations import; cmd fills it. When
	// nil, the page offers no form.
	MurmurationsImport MurmurationsImporter
}

// server holds what the handlers share.
type server struct {
	svc   *directory.Service
	opt   Options
	log   *slog.Logger
	pages map[string]*template.Template // in English, for template tests; nil in New's servers
	// localePages holds the server's copies of the pages of each
	// language, made as they are first shown (see page).
	localePages *serverPages
	maxBody     int64
	// networks names the partner networks in the labels of their entries.
	networks *networkNames
	// logins counts failed sign-ins (see login).
	logins *loginLimit
	// stamps sign the public forms' timestamps; responds and resets count
	// the posts of the Respond and forgotten-password forms.
	stamps           *formStamps
	responds, resets *postLimit
	// followLookups counts the follow lookups per client address, at most
	// followMax (see followRemote).
	followLookups *limiter
	followMax     int
}

// New returns the HTTP handler of the instance. It parses the embedded
// templates once and panics if they are broken (a test renders every one).
func New(svc *directory.Service, opt Options) http.Handler {
	s := &server{
		svc:     svc,
		opt:     opt,
		log:     opt.Logger,
		maxBody: opt.MaxBodyBytes,
	}
	s.localePages = &serverPages{}
	pageSets() // parse them now: a broken template stops the start
	s.opt.BaseURL = strings.TrimSuffix(opt.BaseURL, "/")
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.maxBody <= 0 {
		s.maxBody = DefaultMaxBodyBytes
	}
	if s.opt.NetworkName == "" {
		s.opt.NetworkName = "coopdir"
	}
	s.bindNetworkNames()
	s.logins = newLoginLimit(s.opt)
	s.stamps = newFormStamps(s.opt, func() time.Time { return svc.Now() })
	s.responds = newPostLimit(s.opt.RespondLimit, s.opt.RespondWindow)
	s.resets = newPostLimit(s.opt.RespondLimit, s.opt.RespondWindow)
	s.followLookups, s.followMax = newLimiter(followWindow, time.Now), cmp.Or(max(s.opt.FollowLookups, 0), DefaultFollowLookups)
	return s.routes()
}

// url returns the public address of path on this instance.
func (s *server) url(path string) string { return s.opt.BaseURL + path }

// health answers GET /healthz: "ok", or 503 when Options.Health fails.
func (s *server) health(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if s.opt.Health != nil {
		if err := s.opt.Health(r.Context()); err != nil {
			s.log.ErrorContext(r.Context(), "health check failed", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("unavailable\n"))
			return
		}
	}
	_, _ = w.Write([]byte("ok\n"))
}

// recoverPanics turns a panicking handler into a logged 500 problem instead
// of a dropped connection.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.ErrorContext(r.Context(), "handler panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				s.fail(w, r, directory.Errorf(directory.EINTERNAL, "internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		next.ServeHTTP(w, r)
	})
}
