package instance

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/demo"
	"github.com/coopdir/coopdir/directory/markdown"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/mail"
	"github.com/coopdir/coopdir/web"
)

// Instance is one coopdir: its database, the directory's Service, the
// actors' keys, the federation node and, when it listens, the web server.
// Open prepares it, Serve answers requests until its context ends and then
// shuts down gracefully, Close releases the listener and the database.
type Instance struct {
	cfg     Config
	log     *slog.Logger
	db      Database
	ln      net.Listener
	addr    net.Addr
	http    *http.Server
	node    *federation.Node
	svc     *directory.Service
	keys    *federation.Keys
	baseURL string
}

// Open checks cfg, loads the instance secret, opens and migrates the
// database, loads the demo directory when asked and the database is empty,
// makes the instance actor's key on first start, starts listening on
// cfg.Listen (unless it is empty) and builds the federation node and the web
// handler. The caller must Close the instance.
func Open(ctx context.Context, cfg Config, log *slog.Logger) (*Instance, error) {
	if log == nil {
		log = slog.Default()
	}
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	secret, err := LoadSecret(cfg.SecretFile)
	if err != nil {
		return nil, err
	}
	db, err := OpenDatabase(ctx, cfg.Database)
	if err != nil {
		return nil, err
	}
	in := &Instance{cfg: cfg, log: log, db: db}
	if err := in.open(ctx, secret); err != nil {
		if in.ln != nil {
			in.ln.Close()
		}
		db.Close()
		return nil, err
	}
	return in, nil
}

// open prepares the directory, the keys, the listener and the handler.
func (in *Instance) open(ctx context.Context, secret []byte) error {
	in.log.Info("database ready", "engine", in.db.Engine())
	svc := NewService(in.db)
	svc.Secret = secret // seals two-step sign-in secrets
	// The configured names are the settings until an admin saves them.
	svc.Defaults = directory.Settings{NetworkName: in.cfg.NetworkName, NetworkDescription: in.cfg.NetworkDescription}
	if in.cfg.Demo {
		if err := in.loadDemo(ctx, svc); err != nil {
			return err
		}
	}
	keys, err := federation.NewKeys(in.db, secret)
	if err != nil {
		return err
	}
	instanceKey, err := CheckInstanceKey(directory.AsSystem(ctx), keys, in.cfg.SecretFile)
	if err != nil {
		return err
	}
	in.log.Info("actor keys ready", "secret_file", in.cfg.SecretFile)
	in.svc, in.keys = svc, keys
	in.baseURL = in.cfg.BaseURL
	if in.cfg.Listen != "" {
		if err := in.listen(); err != nil {
			return err
		}
	}
	ap, err := in.federation(instanceKey.CreatedAt)
	if err != nil {
		return err
	}
	// Check accepted the list.
	proxies, err := web.ParseTrustedProxies(in.cfg.TrustedProxies)
	if err != nil {
		return err
	}
	opt := web.Options{
		TrustedProxies:     proxies,
		ClientIPHeader:     in.cfg.ClientIPHeader,
		Federation:         in.node,
		RemoteFollow:       in.remoteFollow(),
		Partnerships:       in.node.Partners(),
		Murmurations:       in.node,
		MurmurationsImport: in.node,
		BaseURL:            in.baseURL,
		Logger:             in.log,
		NetworkName:        in.cfg.NetworkName,
		NetworkDescription: in.cfg.NetworkDescription,
		Health:             in.db.Ping,
		ActivityPub:        ap,
		FormKey:            formKey(secret),
		RespondMinAge:      in.cfg.RespondMinAge,
	}
	if in.cfg.Mail.Enabled() {
		opt.Mail = &mail.Queue{Insert: in.node.Enqueue}
	}
	handler := web.New(svc, opt)
	in.http = &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(in.log.Handler(), slog.LevelWarn),
	}
	return nil
}

// formKey derives the key that signs the public forms' timestamps from
// the instance secret, so that every process of the instance shares it.
func formKey(secret []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("coopdir public form stamps"))
	return m.Sum(nil)
}

// listen opens the listening socket, wrapped in TLS when a certificate is
// configured, and derives the base URL from it when none is set.
func (in *Instance) listen() error {
	scheme := "http"
	var tlsCfg *tls.Config
	if in.cfg.TLSCert != "" {
		cert, err := tls.LoadX509KeyPair(in.cfg.TLSCert, in.cfg.TLSKey)
		if err != nil {
			return fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12, NextProtos: []string{"h2", "http/1.1"}}
		scheme = "https"
	}
	ln, err := net.Listen("tcp", in.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", in.cfg.Listen, err)
	}
	in.addr = ln.Addr()
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	in.ln = ln
	if in.baseURL == "" {
		in.baseURL = DefaultBaseURL(scheme, in.addr)
	}
	return nil
}

// federation builds the ActivityPub server and the federation node (not
// started: Serve runs it; without Serve, what it sends waits in the queue).
func (in *Instance) federation(published time.Time) (*federation.Server, error) {
	urls, err := federation.NewURLs(in.baseURL)
	if err != nil {
		return nil, err
	}
	ap := federation.NewServer(in.svc, in.db, in.keys, urls, federation.ServerOptions{
		Network:  federation.NetworkInfo{Name: in.cfg.NetworkName, Description: in.cfg.NetworkDescription, Published: published},
		Software: "coopdir", Version: in.cfg.Version, Logger: in.log, AuthorizedFetch: in.cfg.AuthorizedFetch,
	})
	fo := in.cfg.Federation
	fo.URLs, fo.Service, fo.Store, fo.Keys, fo.Server, fo.Logger = urls, in.svc, in.db, in.keys, ap, in.log
	fo.Sanitize = markdown.New().Sanitize
	if in.cfg.Mail.Enabled() {
		sender, err := mail.NewSender(in.cfg.Mail)
		if err != nil {
			return nil, err
		}
		fo.Jobs = (&mail.Worker{Sender: sender}).Register
	}
	fo.AllowHTTP = in.cfg.AllowPrivateAddresses
	fo.Concurrency, fo.PerHost = in.cfg.DeliveryConcurrency, in.cfg.DeliveryPerHost
	fo.Client = federation.NewClient(federation.ClientOptions{
		AllowPrivate:   in.cfg.AllowPrivateAddresses,
		UserAgent:      "coopdir/" + in.cfg.Version + " (+" + in.baseURL + ")",
		RootCAs:        in.cfg.RootCAs,
		ConnectTimeout: in.cfg.OutgoingConnectTimeout,
		// The headers come within two thirds of the whole, as with the
		// defaults (10 s of 15 s).
		ReadTimeout:  in.cfg.OutgoingTimeout * 2 / 3,
		TotalTimeout: in.cfg.OutgoingTimeout,
	})
	in.node, err = federation.NewNode(in.db.QueueHandle(), fo)
	return ap, err
}

// remoteFollow is the lookup of the "Follow from your server" form: a
// client of its own, unsigned and with tighter limits than federation's
// (see federation.NewInteractions), under the same address rules.
func (in *Instance) remoteFollow() *federation.Interactions {
	return federation.NewInteractions(federation.ClientOptions{
		AllowPrivate:   in.cfg.AllowPrivateAddresses,
		UserAgent:      "coopdir/" + in.cfg.Version + " (+" + in.baseURL + ")",
		RootCAs:        in.cfg.RootCAs,
		ConnectTimeout: in.cfg.OutgoingConnectTimeout,
	}, in.cfg.AllowPrivateAddresses)
}

func (in *Instance) loadDemo(ctx context.Context, svc *directory.Service) error {
	err := demo.Load(ctx, svc)
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		in.log.Info("demo directory not loaded: the database already has enterprises")
		return nil
	case err != nil:
		return fmt.Errorf("load demo directory: %w", err)
	}
	in.log.Info("demo directory loaded")
	return nil
}

// Addr is the address the instance listens on (with the real port when the
// configured one was 0), or nil when it does not listen.
func (in *Instance) Addr() net.Addr { return in.addr }

// URL is the public base URL of the instance, without a trailing slash.
func (in *Instance) URL() string { return in.baseURL }

// Config is the checked configuration the instance was opened with.
func (in *Instance) Config() Config { return in.cfg }

// Service is the directory's Service of the instance.
func (in *Instance) Service() *directory.Service { return in.svc }

// Node is the federation node of the instance.
func (in *Instance) Node() *federation.Node { return in.node }

// Keys are the actors' keys of the instance.
func (in *Instance) Keys() *federation.Keys { return in.keys }

// Handler is the instance's whole HTTP handler (web pages, API and
// ActivityPub), for tests that serve it themselves.
func (in *Instance) Handler() http.Handler { return in.http.Handler }

// Serve starts the federation node and answers requests until ctx ends, then
// stops accepting new ones and waits (up to 20 seconds) for those in flight.
func (in *Instance) Serve(ctx context.Context) error {
	if in.ln == nil {
		return errors.New("instance: Serve needs an instance opened with a Listen address")
	}
	if err := in.node.Start(ctx); err != nil {
		return fmt.Errorf("start federation: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- in.http.Serve(in.ln) }()
	matched := make(chan struct{})
	mctx, stopMatching := context.WithCancel(ctx)
	defer func() { stopMatching(); <-matched }()
	go func() {
		defer close(matched)
		if interval := in.cfg.MatchInterval; interval >= 0 {
			in.matchLoop(mctx, cmp.Or(interval, DefaultMatchInterval))
		}
	}()
	in.log.Info("serving", "url", in.baseURL, "addr", in.ln.Addr().String(), "network", in.cfg.NetworkName)
	select {
	case err := <-errc:
		return errors.Join(fmt.Errorf("serve: %w", err), in.node.Stop(context.WithoutCancel(ctx)))
	case <-ctx.Done():
	}
	in.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := in.http.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if nerr := in.node.Stop(sctx); nerr != nil && err == nil {
		err = nerr
	}
	if err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	in.log.Info("stopped")
	return nil
}

// Close releases the listener (if Serve never ran) and the database.
func (in *Instance) Close() error {
	if in.ln != nil {
		in.ln.Close()
	}
	return in.db.Close()
}

// Database is the instance's open database (tests read and seed it
// directly; the program goes through the Service).
func (in *Instance) Database() Database { return in.db }
