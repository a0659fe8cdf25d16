package federation

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation/ap"
)

// ActivityContentType is the media type of every ActivityPub document we
// serve.
const ActivityContentType = mediaActivityJSON + "; charset=utf-8"

// DefaultCollectionPerPage is the number of items on a collection page when
// ServerOptions.PerPage is zero.
const DefaultCollectionPerPage = 20

// ServerOptions configure a Server.
type ServerOptions struct {
	// Network names the network until an admin saves the settings (and
	// stands in for a description the settings leave empty). When
	// Network.Published is zero, the creation time of the instance actor's
	// key stands in for it.
	Network NetworkInfo
	// Software and Version name the running program in NodeInfo.
	Software, Version string
	// Logger receives unexpected errors with their causes; nil means
	// slog.Default().
	Logger *slog.Logger
	// PerPage is the size of collection pages; zero means
	// DefaultCollectionPerPage.
	PerPage int
	// AuthorizedFetch requires a valid HTTP signature, from a domain that
	// is not blocked, on every GET except discovery and the instance
	// actor (which servers need to verify our own signed fetches).
	AuthorizedFetch bool
}

// ServerStore is what the Server reads beside the Service: the followers and
// follows of our actors, and the pages of local entries partners read (see
// directory.FederationStore and directory.PartnerStore). The instance's
// database provides it.
type ServerStore interface {
	ListFollowers(ctx context.Context, actor string, p directory.Page) ([]*directory.Follower, int, error)
	ListFollowing(ctx context.Context, actor string) ([]*directory.Following, error)
	LocalEnterprisesAfter(ctx context.Context, afterID int64, limit int) ([]*directory.Enterprise, error)
	OpenListingsAfter(ctx context.Context, afterID int64, today string, limit int) ([]*directory.Listing, error)
	LocalAnnouncementsAfter(ctx context.Context, afterID int64, limit int) ([]*directory.Announcement, error)
	FindPartnerByHost(ctx context.Context, host string) (*directory.Partner, error)
}

// Server serves the instance's ActivityPub documents over HTTP: the actors
// (enterprises, network, instance, needs, offers) with their collections,
// announcements and listings with their Create activities, and the
// discovery endpoints (WebFinger, host-meta, NodeInfo). It reads through
// the directory's Service and serves local entries only: a partner's entries
// are its own instance's to publish, so they are 404 here.
//
// It answers every request it gets with JSON-LD; choosing which requests
// reach it (content negotiation) is the web package's work.
type Server struct {
	svc       *directory.Service
	store     ServerStore
	keys      *Keys
	urls      URLs
	opt       ServerOptions
	log       *slog.Logger
	discovery *Discovery
	mux       *http.ServeMux

	// Set by the Node that answers our inboxes (see NewNode).
	inbox    http.HandlerFunc
	verifier *Verifier
}

var _ http.Handler = (*Server)(nil)

// NewServer returns the ActivityPub server of the instance at urls.
func NewServer(svc *directory.Service, store ServerStore, keys *Keys, urls URLs, opt ServerOptions) *Server {
	s := &Server{svc: svc, store: store, keys: keys, urls: urls, opt: opt, log: opt.Logger}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.opt.PerPage <= 0 {
		s.opt.PerPage = DefaultCollectionPerPage
	}
	s.discovery = &Discovery{
		URLs: urls, Software: opt.Software, Version: opt.Version,
		Lookup: s.enterpriseExists, LookupTopic: s.topicExists, NetworkName: s.networkName, Usage: s.usage,
	}
	s.mux = s.routes()
	return s
}

// routes lists every path the server answers (GET, and HEAD through GET).
func (s *Server) routes() *http.ServeMux {
	mux := http.NewServeMux()
	discovery := s.discovery.Routes()
	mux.Handle("GET /.well-known/", discovery)
	mux.Handle("GET /nodeinfo/", discovery)

	mux.HandleFunc("GET /enterprises/{handle}", s.enterpriseActor)
	mux.HandleFunc("GET /enterprises/{handle}/outbox", s.outbox)
	mux.HandleFunc("GET /enterprises/{handle}/followers", s.actorFollows(ActorRef{}, false))
	mux.HandleFunc("GET /enterprises/{handle}/following", s.actorFollows(ActorRef{}, true))
	mux.HandleFunc("POST /enterprises/{handle}/inbox", s.serveInbox)
	mux.HandleFunc("POST /inbox", s.serveInbox)
	mux.HandleFunc("GET /enterprises/{handle}/featured", s.featured)
	for _, name := range []string{NetworkUsername, InstanceUsername, NeedsUsername, OffersUsername} {
		ref, _ := instanceActorNamed(name)
		path := instanceActorPath(ref)
		mux.HandleFunc("GET "+path, s.instanceActor(ref))
		mux.HandleFunc("GET "+path+"/outbox", s.emptyCollection(ref, outboxOfActor))
		mux.HandleFunc("GET "+path+"/featured", s.emptyCollection(ref, featuredOfActor))
		mux.HandleFunc("GET "+path+"/followers", s.actorFollows(ref, false))
		mux.HandleFunc("GET "+path+"/following", s.actorFollows(ref, true))
		mux.HandleFunc("POST "+path+"/inbox", s.serveInbox)
	}
	s.topicRoutes(mux)
	mux.HandleFunc("GET "+DirectoryEnterprisesPath, s.directoryCollection(DirectoryEnterprisesPath, s.directoryEnterprises))
	mux.HandleFunc("GET "+DirectoryListingsPath, s.directoryCollection(DirectoryListingsPath, s.directoryListings))
	mux.HandleFunc("GET "+DirectoryAnnouncementsPath, s.directoryCollection(DirectoryAnnouncementsPath, s.directoryAnnouncements))

	mux.HandleFunc("GET /announcements/{id}", s.announcement(false))
	mux.HandleFunc("GET /announcements/{id}/create", s.announcement(true))
	mux.HandleFunc("GET /listings/{id}", s.listing(ListingProposal, false))
	mux.HandleFunc("GET /listings/{id}/create", s.listing(ListingProposal, true))
	mux.HandleFunc("GET /listings/{id}/note", s.listing(ListingNote, false))
	mux.HandleFunc("GET /listings/{id}/note/create", s.listing(ListingNote, true))
	mux.HandleFunc("GET /announcements/{id}/quotes/{stamp}", s.quoteStamp)
	mux.HandleFunc("GET /listings/{id}/note/quotes/{stamp}", s.quoteStamp)
	return mux
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opt.AuthorizedFetch && (r.Method == http.MethodGet || r.Method == http.MethodHead) && !fetchIsPublic(r.URL.Path) {
		if err := s.checkFetch(r); err != nil {
			w.Header().Add("Vary", "Accept")
			w.Header().Set("WWW-Authenticate", `Signature realm="coopdir",headers="(request-target) host date"`)
			var se *SignatureError
			if errors.As(err, &se) {
				http.Error(w, se.Reason, se.Status)
				return
			}
			s.fail(w, r, err)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// fetchIsPublic reports whether path stays readable without a signature
// under authorized fetch: discovery and the instance actor.
func fetchIsPublic(path string) bool {
	return strings.HasPrefix(path, "/.well-known/") || strings.HasPrefix(path, "/nodeinfo/") || path == instancePath
}

// checkFetch verifies the signature of a GET and refuses blocked domains.
func (s *Server) checkFetch(r *http.Request) error {
	if s.verifier == nil {
		return &SignatureError{Status: http.StatusUnauthorized, Reason: "this server requires signed requests"}
	}
	v, err := s.verifier.Verify(r, nil)
	if err != nil {
		return err
	}
	host, err := Host(v.Owner)
	if err != nil {
		return &SignatureError{Status: http.StatusForbidden, Reason: "the signing key has no valid owner"}
	}
	blocked, err := s.svc.DomainBlocked(r.Context(), host)
	if err != nil {
		return err
	}
	if blocked {
		return &SignatureError{Status: http.StatusForbidden, Reason: "your domain is blocked on this server"}
	}
	return nil
}

// serveInbox hands a POST to an inbox to the Node; without one, this
// server does not take activities.
func (s *Server) serveInbox(w http.ResponseWriter, r *http.Request) {
	if s.inbox == nil {
		http.Error(w, "this server does not accept activities", http.StatusServiceUnavailable)
		return
	}
	s.inbox(w, r)
}

// writeDocument sends an ActivityPub document, cacheable for a minute.
// Vary: Accept tells caches that the same URL gives browsers HTML.
func (s *Server) writeDocument(w http.ResponseWriter, r *http.Request, doc map[string]any, err error) {
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body, err := ap.Marshal(doc)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", ActivityContentType)
	if s.opt.AuthorizedFetch {
		// Only signed requests may read it: no shared cache may keep it.
		h.Set("Cache-Control", "private, max-age=60")
	} else {
		h.Set("Cache-Control", "public, max-age=60")
	}
	h.Add("Vary", "Accept")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// fail answers an error: 404 for what is not here (or not ours), 400 for a
// bad request, 500 for anything else, whose cause is logged and not shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	msg := "internal error"
	switch directory.ErrorCode(err) {
	case directory.ENOTFOUND:
		status, msg = http.StatusNotFound, "not found"
	case directory.EINVALID:
		status, msg = http.StatusBadRequest, directory.ErrorMessage(err)
	default:
		s.log.ErrorContext(r.Context(), "activitypub", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	w.Header().Add("Vary", "Accept")
	http.Error(w, msg, status)
}

// pathID parses the {id} of a path; anything but a positive number names
// nothing.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, directory.Errorf(directory.ENOTFOUND, "not found")
	}
	return id, nil
}

// enterpriseExists reports whether a local enterprise has handle, for
// WebFinger.
func (s *Server) enterpriseExists(ctx context.Context, handle string) (bool, error) {
	_, err := s.svc.Enterprise(ctx, handle)
	switch directory.ErrorCode(err) {
	case "":
		return true, nil
	case directory.ENOTFOUND:
		return false, nil
	}
	return false, err
}
