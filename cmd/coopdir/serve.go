package main

import (
	"context"
	"errors"
	"log/slog"

	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/web"
)

func (a *App) serve(ctx context.Context, args []string) error {
	fs := a.newFlags("serve", "coopdir serve [flags]",
		"Applies migrations, then serves the directory over HTTP until interrupted (SIGINT or SIGTERM).")
	cfg := instance.Config{Version: version}
	var logFormat, logLevel string
	fs.stringVar(&cfg.Listen, "listen", "COOPDIR_LISTEN", instance.DefaultListen, "`ADDR` to listen on, host:port")
	fs.stringVar(&cfg.BaseURL, "base-url", "COOPDIR_BASE_URL", "",
		"public `URL` of this instance, e.g. https://coop.example (default http://localhost:PORT)")
	fs.databaseFlag(&cfg.Database)
	fs.boolVar(&cfg.Demo, "demo", "COOPDIR_DEMO", false, "load the demo directory when the database is empty")
	fs.stringVar(&cfg.NetworkName, "network-name", "COOPDIR_NETWORK_NAME", instance.DefaultNetworkName, "`NAME` of the network this instance lists")
	fs.stringVar(&cfg.NetworkDescription, "network-description", "COOPDIR_NETWORK_DESCRIPTION", instance.DefaultNetworkDescription,
		"one-sentence description (`TEXT`) of the network")
	fs.secretFileFlag(&cfg.SecretFile)
	fs.boolVar(&cfg.AllowPrivateAddresses, "allow-private-addresses", "COOPDIR_ALLOW_PRIVATE_ADDRESSES", false,
		"let federation requests reach loopback, private and link-local addresses, and WebFinger fall back to http (tests and LAN installations)")
	fs.boolVar(&cfg.AuthorizedFetch, "authorized-fetch", "COOPDIR_AUTHORIZED_FETCH", false,
		"require HTTP signatures on GETs of ActivityPub documents (except discovery and the instance actor)")
	fs.stringVar(&cfg.TLSCert, "tls-cert", "COOPDIR_TLS_CERT", "",
		"serve HTTPS with the certificate chain in `FILE` (PEM; needs --tls-key)")
	fs.stringVar(&cfg.TLSKey, "tls-key", "COOPDIR_TLS_KEY", "", "private key `FILE` (PEM) of --tls-cert")
	fs.stringVar(&cfg.TrustedProxies, "trusted-proxies", "COOPDIR_TRUSTED_PROXIES", "",
		"comma-separated `LIST` of the reverse proxies (IP addresses, CIDR prefixes such as 10.0.0.0/8) whose forwarded client address is believed; by default none is, and the connection's peer is the client")
	fs.stringVar(&cfg.ClientIPHeader, "client-ip-header", "COOPDIR_CLIENT_IP_HEADER", web.DefaultClientIPHeader,
		"`HEADER` in which the trusted proxies pass the client's address: X-Forwarded-For, Forwarded or X-Real-IP")
	fs.intVar(&cfg.DeliveryConcurrency, "delivery-concurrency", "COOPDIR_DELIVERY_CONCURRENCY", federation.DefaultConcurrency,
		"`N` deliveries in flight (and federation jobs run) at once by this process, 1 to 1000")
	fs.intVar(&cfg.DeliveryPerHost, "delivery-per-host", "COOPDIR_DELIVERY_PER_HOST", federation.DefaultPerHost,
		"`N` deliveries run at once to one remote host by this process, 1 to 100")
	// The connect timeout's default depends on --outgoing-timeout, which
	// it may not pass: Check fills it in.
	fs.durationVar(&cfg.OutgoingConnectTimeout, "outgoing-connect-timeout", "COOPDIR_OUTGOING_CONNECT_TIMEOUT", 0,
		"`DURATION` an outgoing federation request may take to connect (TCP and TLS), 1s to 5m and at most --outgoing-timeout (default "+
			federation.DefaultConnectTimeout.String()+", or --outgoing-timeout when shorter)")
	fs.durationVar(&cfg.OutgoingTimeout, "outgoing-timeout", "COOPDIR_OUTGOING_TIMEOUT", federation.DefaultTotalTimeout,
		"`DURATION` an outgoing federation request (a delivery attempt, a fetch) may take in all, 1s to 5m")
	fs.durationVar(&cfg.MatchInterval, "match-interval", "COOPDIR_MATCH_INTERVAL", instance.DefaultMatchInterval,
		"`DURATION` between two rounds of matching needs with offers (and mailing editors of new matches), at most 1h; negative turns matching off")
	fs.stringVar(&cfg.Mail.URL, "smtp-url", "COOPDIR_SMTP_URL", "",
		"SMTP server (`URL` smtp://[user@]host[:port]) through which the Respond forms' messages and password-reset links are mailed; none by default, and then no mail is sent")
	fs.stringVar(&cfg.Mail.TLS, "smtp-tls", "COOPDIR_SMTP_TLS", "",
		"`MODE` of encryption to the SMTP server: starttls (the default, port 587), tls (port 465) or none (a relay on this host)")
	fs.stringVar(&cfg.Mail.PasswordFile, "smtp-password-file", "COOPDIR_SMTP_PASSWORD_FILE", "",
		"`FILE` whose first line is the password of --smtp-url's user")
	fs.stringVar(&cfg.Mail.From, "smtp-from", "COOPDIR_SMTP_FROM", "",
		"sender `ADDRESS` of the mails, such as \"Our network <directory@coop.example>\" (required with --smtp-url)")
	fs.stringVar(&logFormat, "log-format", "COOPDIR_LOG_FORMAT", "text", "log format `FORMAT`: text or json")
	fs.stringVar(&logLevel, "log-level", "COOPDIR_LOG_LEVEL", "info", "log `LEVEL`: debug, info, warn or error")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	logger, err := newLogger(a, logFormat, logLevel)
	if err != nil {
		return err
	}
	if err := cfg.Check(); err != nil {
		return usageError(err)
	}
	srv, err := instance.Open(ctx, cfg, logger)
	if err != nil {
		return usageError(err)
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

// usageError makes a *instance.ConfigError a usage error (exit 2, with the
// pointer to the help); other errors pass unchanged.
func usageError(err error) error {
	var ce *instance.ConfigError
	if errors.As(err, &ce) {
		return usageErrorf("%s", ce.Message)
	}
	return err
}
