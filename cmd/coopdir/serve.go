package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/directory/storage"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/web"
)

// Defaults of serve.
const (
	defaultListen             = ":8080"
	defaultNetworkName        = "coopdir"
	defaultNetworkDescription = "A federated directory of co-ops, mutual-aid groups and their needs and offers."
	shutdownTimeout           = 20 * time.Second
)

// ServeConfig configures the web server; serve fills it from flags and the
// environment, tests may fill it directly.
type ServeConfig struct {
	Listen             string // host:port; port 0 picks a free one
	BaseURL            string // public URL; "" derives it from the address listened on
	Database           string // DSN, see storage.Parse
	Demo               bool   // load the demo directory into an empty database
	NetworkName        string
	NetworkDescription string
	// SecretFile holds the instance secret that seals the actors' private
	// keys; "" means coopdir.secret beside a SQLite database (check fills
	// it in; PostgreSQL needs it given).
	SecretFile string
	// AllowPrivateAddresses lets outgoing federation requests reach
	// loopback, private and other internal addresses, and WebFinger fall
	// back to plain http (tests, LAN installations).
	AllowPrivateAddresses bool
	// AuthorizedFetch requires signed GETs of our ActivityPub documents.
	AuthorizedFetch bool
	// TLSCert and TLSKey, both set, make the server speak HTTPS itself with
	// that certificate chain and key (PEM files); both empty serve plain
	// HTTP, for a reverse proxy in front.
	TLSCert, TLSKey string
	// RootCAs, when set, replaces the system's certificate authorities for
	// outgoing federation requests (tests with a throwaway CA; operators use
	// SSL_CERT_FILE).
	RootCAs *x509.CertPool
	// Federation tunes the delivery queue and publisher (tests shorten the
	// intervals); zero values take federation's defaults. Its URLs,
	// Service, Keys, Server, Client, Sanitize and Logger are set by serve.
	Federation federation.Options
}

func (a *App) serve(ctx context.Context, args []string) error {
	fs := a.newFlags("serve", "coopdir serve [flags]",
		"Applies migrations, then serves the directory over HTTP until interrupted (SIGINT or SIGTERM).")
	var cfg ServeConfig
	var logFormat, logLevel string
	fs.stringVar(&cfg.Listen, "listen", "COOPDIR_LISTEN", defaultListen, "`ADDR` to listen on, host:port")
	fs.stringVar(&cfg.BaseURL, "base-url", "COOPDIR_BASE_URL", "",
		"public `URL` of this instance, e.g. https://coop.example (default http://localhost:PORT)")
	fs.databaseFlag(&cfg.Database)
	fs.boolVar(&cfg.Demo, "demo", "COOPDIR_DEMO", false, "load the demo directory when the database is empty")
	fs.stringVar(&cfg.NetworkName, "network-name", "COOPDIR_NETWORK_NAME", defaultNetworkName, "`NAME` of the network this instance lists")
	fs.stringVar(&cfg.NetworkDescription, "network-description", "COOPDIR_NETWORK_DESCRIPTION", defaultNetworkDescription,
		"one-sentence description (`TEXT`) of the network")
	fs.secretFileFlag(&cfg.SecretFile)
	fs.boolVar(&cfg.AllowPrivateAddresses, "allow-private-addresses", "COOPDIR_ALLOW_PRIVATE_ADDRESSES", false,
		"let federation requests reach loopback, private and link-local addresses, and WebFinger fall back to http (tests and LAN installations)")
	fs.boolVar(&cfg.AuthorizedFetch, "authorized-fetch", "COOPDIR_AUTHORIZED_FETCH", false,
		"require HTTP signatures on GETs of ActivityPub documents (except discovery and the instance actor)")
	fs.stringVar(&cfg.TLSCert, "tls-cert", "COOPDIR_TLS_CERT", "",
		"serve HTTPS with the certificate chain in `FILE` (PEM; needs --tls-key)")
	fs.stringVar(&cfg.TLSKey, "tls-key", "COOPDIR_TLS_KEY", "", "private key `FILE` (PEM) of --tls-cert")
	fs.stringVar(&logFormat, "log-format", "COOPDIR_LOG_FORMAT", "text", "log format `FORMAT`: text or json")
	fs.stringVar(&logLevel, "log-level", "COOPDIR_LOG_LEVEL", "info", "log `LEVEL`: debug, info, warn or error")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	logger, err := newLogger(a, logFormat, logLevel)
	if err != nil {
		return err
	}
	if err := cfg.check(); err != nil {
		return err
	}
	srv, err := OpenServer(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer srv.Close()
	if a.Started != nil {
		a.Started(srv)
	}
	return srv.Serve(ctx)
}

func newLogger(a *App, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageErrorf("--log-level: %q is not one of debug, info, warn, error", level)
	}
	opt := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(a.Stderr, opt)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(a.Stderr, opt)), nil
	}
	return nil, usageErrorf("--log-format: %q is not text or json", format)
}

// check validates the configuration without touching the network or the
// database: every mistake here is a usage error.
func (c *ServeConfig) check() error {
	host, port, err := net.SplitHostPort(c.Listen)
	if err != nil {
		return usageErrorf("--listen: %q is not host:port, e.g. :8080 or 127.0.0.1:8080", c.Listen)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 || strings.ContainsAny(host, "/ ") {
		return usageErrorf("--listen: %q is not host:port, e.g. :8080 or 127.0.0.1:8080", c.Listen)
	}
	if c.BaseURL != "" {
		u, err := checkBaseURL(c.BaseURL)
		if err != nil {
			return err
		}
		c.BaseURL = u
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return usageErrorf("--tls-cert and --tls-key go together: give both, or neither for plain HTTP")
	}
	c.NetworkName = strings.TrimSpace(c.NetworkName)
	if c.NetworkName == "" {
		return usageErrorf("--network-name must not be empty")
	}
	if err := checkDatabase(c.Database); err != nil {
		return err
	}
	secret, err := secretPath(c.Database, c.SecretFile)
	c.SecretFile = secret
	return err
}

// checkBaseURL accepts an absolute http(s) URL with a host and no path,
// query or credentials, and returns it without a trailing slash. ActivityPub
// ids and WebFinger live at the root of the host, so a path would break them.
func checkBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	bad := err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != ""
	if bad {
		return "", usageErrorf("--base-url: %q is not an absolute http or https URL without a path, e.g. https://coop.example", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Server is the coopdir web server. OpenServer prepares it (database,
// migrations, demo data, listening socket), Serve answers requests until its
// context ends and then shuts down gracefully, Close releases the database.
// Tests and multi-instance federation tests run it in-process.
type Server struct {
	cfg     ServeConfig
	log     *slog.Logger
	db      storage.DB
	ln      net.Listener
	addr    net.Addr
	http    *http.Server
	node    *federation.Node
	svc     *directory.Service
	keys    *federation.Keys
	baseURL string
}

// OpenServer loads the instance secret, opens and migrates the database,
// loads the demo directory when asked and the database is empty, makes the
// instance actor's key on first start, and starts listening on cfg.Listen.
// The caller must Close the server. cfg is assumed checked (see serve).
func OpenServer(ctx context.Context, cfg ServeConfig, log *slog.Logger) (*Server, error) {
	secretFile, err := secretPath(cfg.Database, cfg.SecretFile)
	if err != nil {
		return nil, err
	}
	secret, err := loadSecret(secretFile)
	if err != nil {
		return nil, err
	}
	db, err := openDB(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, log: log, db: db}
	if err := s.open(ctx, secret, secretFile); err != nil {
		if s.ln != nil {
			s.ln.Close()
		}
		db.Close()
		return nil, err
	}
	return s, nil
}

// open prepares the directory, the keys, the listener and the handler.
func (s *Server) open(ctx context.Context, secret []byte, secretFile string) error {
	s.log.Info("database ready", "engine", s.db.Engine())
	svc := newService(s.db)
	// The flags are the settings until an admin saves them on the settings page.
	svc.Defaults = directory.Settings{NetworkName: s.cfg.NetworkName, NetworkDescription: s.cfg.NetworkDescription}
	if s.cfg.Demo {
		if err := s.loadDemo(ctx, svc); err != nil {
			return err
		}
	}
	keys, err := federation.NewKeys(s.db, secret)
	if err != nil {
		return err
	}
	instanceKey, err := checkInstanceKey(ctx, keys, secretFile)
	if err != nil {
		return err
	}
	s.log.Info("actor keys ready", "secret_file", secretFile)
	s.svc, s.keys = svc, keys
	if err := s.listen(); err != nil {
		return err
	}
	var ap *federation.Server
	if ap, s.node, err = newFederation(s.db, svc, keys, s.cfg, s.baseURL, instanceKey.CreatedAt, s.log); err != nil {
		return err
	}
	handler := web.New(svc, web.Options{
		Federation:         s.node,
		Partnerships:       s.node,
		BaseURL:            s.baseURL,
		Logger:             s.log,
		NetworkName:        s.cfg.NetworkName,
		NetworkDescription: s.cfg.NetworkDescription,
		Health:             s.db.Ping,
		ActivityPub:        ap,
	})
	s.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	return nil
}

// listen opens the listening socket, wrapped in TLS when a certificate is
// configured, and derives the base URL from it when none is set.
func (s *Server) listen() error {
	scheme := "http"
	var tlsCfg *tls.Config
	if s.cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(s.cfg.TLSCert, s.cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
		scheme = "https"
	}
	ln, err := net.Listen("tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", s.cfg.Listen, err)
	}
	s.addr = ln.Addr()
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	s.ln = ln
	s.baseURL = s.cfg.BaseURL
	if s.baseURL == "" {
		s.baseURL = defaultBaseURL(scheme, s.addr)
	}
	return nil
}

// newFederation builds the ActivityPub server and the federation node of
// an instance at baseURL (not started): serve runs them, and the partner
// commands use the node to send their activities through the queue.
func newFederation(db storage.DB, svc *directory.Service, keys *federation.Keys, cfg ServeConfig, baseURL string,
	published time.Time, log *slog.Logger) (*federation.Server, *federation.Node, error) {
	urls, err := federation.NewURLs(baseURL)
	if err != nil {
		return nil, nil, err
	}
	ap := federation.NewServer(svc, keys, urls, federation.ServerOptions{
		Network:  federation.NetworkInfo{Name: cfg.NetworkName, Description: cfg.NetworkDescription, Published: published},
		Software: "coopdir", Version: version, Logger: log, AuthorizedFetch: cfg.AuthorizedFetch,
	})
	fo := cfg.Federation
	fo.URLs, fo.Service, fo.Keys, fo.Server, fo.Logger = urls, svc, keys, ap, log
	fo.Sanitize = markdown.New().Sanitize
	fo.AllowHTTP = cfg.AllowPrivateAddresses
	fo.Client = federation.NewClient(federation.ClientOptions{
		AllowPrivate: cfg.AllowPrivateAddresses,
		UserAgent:    "coopdir/" + version + " (+" + baseURL + ")",
		RootCAs:      cfg.RootCAs,
	})
	node, err := federation.NewNode(db.QueueHandle(), fo)
	return ap, node, err
}

func (s *Server) loadDemo(ctx context.Context, svc *directory.Service) error {
	err := demo.Load(ctx, svc)
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		s.log.Info("demo directory not loaded: the database already has enterprises")
		return nil
	case err != nil:
		return fmt.Errorf("load demo directory: %w", err)
	}
	s.log.Info("demo directory loaded")
	return nil
}

// defaultBaseURL is SCHEME://localhost:PORT when listening on every
// interface, else SCHEME://HOST:PORT.
func defaultBaseURL(scheme string, addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}

// Addr is the address the server listens on (with the real port when the
// configured one was 0).
func (s *Server) Addr() net.Addr { return s.addr }

// URL is the public base URL of the instance, without a trailing slash.
func (s *Server) URL() string { return s.baseURL }

// Serve answers requests until ctx ends, then stops accepting new ones and
// waits (up to shutdownTimeout) for those in flight.
func (s *Server) Serve(ctx context.Context) error {
	if err := s.node.Start(ctx); err != nil {
		return fmt.Errorf("start federation: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.http.Serve(s.ln) }()
	s.log.Info("serving", "url", s.baseURL, "addr", s.ln.Addr().String(), "network", s.cfg.NetworkName)
	select {
	case err := <-errc:
		return errors.Join(fmt.Errorf("serve: %w", err), s.node.Stop(context.WithoutCancel(ctx)))
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := s.http.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if nerr := s.node.Stop(sctx); nerr != nil && err == nil {
		err = nerr
	}
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

// Close releases the listener (if Serve never ran) and the database.
func (s *Server) Close() error {
	s.ln.Close()
	return s.db.Close()
}
