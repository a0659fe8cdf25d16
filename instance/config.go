package instance

import (
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/mail"
	"github.com/coopdir/coopdir/web"
)

// Defaults of a Config.
const (
	DefaultListen             = ":8080"
	DefaultNetworkName        = "coopdir"
	DefaultNetworkDescription = "A federated directory of co-ops, mutual-aid groups and their needs and offers."
	shutdownTimeout           = 20 * time.Second
)

// Config configures an instance; serve fills it from flags and the
// environment, tests fill it directly. Each field is one of serve's flags.
type Config struct {
	// Listen is host:port; port 0 picks a free one. Empty opens the
	// instance without a listener, for the admin commands that queue
	// federation work for the server (BaseURL is then required).
	Listen string
	// BaseURL is the public URL; "" derives it from the address listened
	// on (http://localhost:PORT when listening on every interface).
	BaseURL            string
	Database           string // DSN, see ParseDSN
	Demo               bool   // load the demo directory into an empty database
	NetworkName        string
	NetworkDescription string
	// SecretFile holds the instance secret that seals the actors' private
	// keys; "" means coopdir.secret beside a SQLite database (Check fills
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
	// TrustedProxies lists the reverse proxies (IP addresses and CIDR
	// prefixes, comma-separated) whose forwarded client address is
	// believed, for the sign-in limit and the sessions' addresses; empty
	// believes none. ClientIPHeader names the header they set:
	// X-Forwarded-For when empty, Forwarded (RFC 7239) or X-Real-IP.
	TrustedProxies, ClientIPHeader string
	// RootCAs, when set, replaces the system's certificate authorities for
	// outgoing federation requests (tests with a throwaway CA; operators use
	// SSL_CERT_FILE).
	RootCAs *x509.CertPool
	// Version is the software version named in NodeInfo and the User-Agent.
	Version string
	// DeliveryConcurrency bounds the federation jobs (deliveries, partner
	// backfills) this process runs at once, 1 to 1000; DeliveryPerHost the
	// deliveries it runs at once to one remote host, 1 to 100. Zero takes
	// the default (federation.DefaultConcurrency, DefaultPerHost); Check
	// fills it in.
	DeliveryConcurrency, DeliveryPerHost int
	// OutgoingConnectTimeout bounds the TCP connect and TLS handshake of
	// each outgoing federation request, OutgoingTimeout the whole request
	// (a delivery attempt, a fetch); each 1s to 5m, the first at most the
	// second. Zero takes the default (federation.DefaultTotalTimeout, and
	// DefaultConnectTimeout or OutgoingTimeout when that is shorter);
	// Check fills it in. The job timeouts and the
	// rescue of jobs left by a crashed process follow OutgoingTimeout.
	OutgoingConnectTimeout, OutgoingTimeout time.Duration
	// Federation tunes the delivery queue and publisher (tests shorten the
	// intervals); zero values take federation's defaults. Its URLs,
	// Service, Store, Keys, Server, Client, Sanitize and Logger are set by
	// Open, and its Concurrency and PerHost come from DeliveryConcurrency
	// and DeliveryPerHost.
	Federation federation.Options
	// Mail is the SMTP server through which the instance mails the
	// Respond forms' messages to enterprises' editors and the
	// password-reset links people ask for; its zero value sends no mail.
	// Its RootCAs default to RootCAs.
	Mail mail.Config
	// RespondMinAge is the least time between showing a public form
	// (Respond, password reset) and its post; zero takes
	// web.DefaultRespondMinAge, a negative value accepts any (tests).
	RespondMinAge time.Duration
	// MatchInterval is how often Serve matches the listings written or
	// imported since (directory.Service.MatchPending); zero takes
	// DefaultMatchInterval, a negative value turns matching off (the
	// benchmarks' loaders).
	MatchInterval time.Duration
}

// DefaultMatchInterval is how often Serve looks for listings to match.
const DefaultMatchInterval = time.Second

// MaxMatchInterval is the longest --match-interval: a new need should find
// its offers, and their editors hear of it, within the hour.
const MaxMatchInterval = time.Hour

// Limits of the delivery settings (see Config).
const (
	MaxDeliveryConcurrency = 1000
	MaxDeliveryPerHost     = 100
	MinOutgoingTimeout     = time.Second
	MaxOutgoingTimeout     = 5 * time.Minute
)

// ConfigError is a setting with a bad value: nothing was opened. Setting is
// the name of its flag (without dashes); the message names the flag as the
// command line spells it.
type ConfigError struct {
	Setting string
	Message string
}

func (e *ConfigError) Error() string { return e.Message }

// configErrorf returns a *ConfigError of setting whose message is
// "--setting: " and the formatted problem.
func configErrorf(setting, format string, args ...any) error {
	return &ConfigError{Setting: setting, Message: "--" + setting + ": " + fmt.Sprintf(format, args...)}
}

// Check validates the configuration without touching the network or the
// database, and fills in what follows from the rest (the secret file beside
// a SQLite database, the canonical base URL). Every mistake is a
// *ConfigError.
func (c *Config) Check() error {
	if c.Listen != "" {
		if err := checkListen(c.Listen); err != nil {
			return err
		}
	} else if c.BaseURL == "" {
		return &ConfigError{Setting: "base-url",
			Message: "--base-url (or COOPDIR_BASE_URL) is required: it must be the base URL the server runs under"}
	}
	if c.BaseURL != "" {
		u, err := CheckBaseURL(c.BaseURL)
		if err != nil {
			return err
		}
		c.BaseURL = u
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		return &ConfigError{Setting: "tls-cert", Message: "--tls-cert and --tls-key go together: give both, or neither for plain HTTP"}
	}
	c.NetworkName = strings.TrimSpace(c.NetworkName)
	if c.NetworkName == "" {
		return &ConfigError{Setting: "network-name", Message: "--network-name must not be empty"}
	}
	if err := CheckDSN(c.Database); err != nil {
		return err
	}
	if err := c.checkDelivery(); err != nil {
		return err
	}
	if err := c.checkProxies(); err != nil {
		return err
	}
	if c.MatchInterval > MaxMatchInterval {
		return configErrorf("match-interval", "%s is longer than %s", c.MatchInterval, MaxMatchInterval)
	}
	if err := c.checkMail(); err != nil {
		return err
	}
	secret, err := SecretPath(c.Database, c.SecretFile)
	c.SecretFile = secret
	return err
}

// checkMail checks the SMTP settings, when there are any.
func (c *Config) checkMail() error {
	if !c.Mail.Enabled() {
		for flag, v := range map[string]string{"smtp-from": c.Mail.From, "smtp-password-file": c.Mail.PasswordFile, "smtp-tls": c.Mail.TLS} {
			if v != "" {
				return configErrorf(flag, "needs --smtp-url")
			}
		}
		return nil
	}
	if c.Mail.RootCAs == nil {
		c.Mail.RootCAs = c.RootCAs
	}
	var se *mail.Setting
	if err := c.Mail.Check(); errors.As(err, &se) {
		return configErrorf(se.Flag, "%s", se.Message)
	} else if err != nil {
		return err
	}
	return nil
}

// clientIPHeaders are the headers a trusted proxy may pass the client's
// address in (see web.Options.ClientIPHeader), by lowercase name.
var clientIPHeaders = map[string]string{
	"x-forwarded-for": "X-Forwarded-For", "forwarded": "Forwarded", "x-real-ip": "X-Real-IP",
}

// checkProxies checks the trusted proxies and names their header
// canonically.
func (c *Config) checkProxies() error {
	if _, err := web.ParseTrustedProxies(c.TrustedProxies); err != nil {
		return configErrorf("trusted-proxies", "%v", err)
	}
	if c.ClientIPHeader == "" {
		return nil
	}
	h, ok := clientIPHeaders[strings.ToLower(strings.TrimSpace(c.ClientIPHeader))]
	if !ok {
		return configErrorf("client-ip-header", "%q is not X-Forwarded-For, Forwarded or X-Real-IP", c.ClientIPHeader)
	}
	c.ClientIPHeader = h
	return nil
}

// checkDelivery fills in and checks the delivery settings.
func (c *Config) checkDelivery() error {
	fill(&c.DeliveryConcurrency, federation.DefaultConcurrency)
	fill(&c.DeliveryPerHost, federation.DefaultPerHost)
	switch {
	case c.DeliveryConcurrency < 1 || c.DeliveryConcurrency > MaxDeliveryConcurrency:
		return configErrorf("delivery-concurrency", "%d is not between 1 and %d", c.DeliveryConcurrency, MaxDeliveryConcurrency)
	case c.DeliveryPerHost < 1 || c.DeliveryPerHost > MaxDeliveryPerHost:
		return configErrorf("delivery-per-host", "%d is not between 1 and %d", c.DeliveryPerHost, MaxDeliveryPerHost)
	}
	fill(&c.OutgoingTimeout, federation.DefaultTotalTimeout)
	if err := checkTimeout("outgoing-timeout", c.OutgoingTimeout); err != nil {
		return err
	}
	fill(&c.OutgoingConnectTimeout, min(federation.DefaultConnectTimeout, c.OutgoingTimeout))
	if err := checkTimeout("outgoing-connect-timeout", c.OutgoingConnectTimeout); err != nil {
		return err
	}
	if c.OutgoingConnectTimeout > c.OutgoingTimeout {
		return configErrorf("outgoing-connect-timeout", "%s is longer than --outgoing-timeout (%s), which bounds the whole request",
			c.OutgoingConnectTimeout, c.OutgoingTimeout)
	}
	return nil
}

func checkTimeout(setting string, d time.Duration) error {
	if d < MinOutgoingTimeout || d > MaxOutgoingTimeout {
		return configErrorf(setting, "%s is not between %s and %s", d, MinOutgoingTimeout, MaxOutgoingTimeout)
	}
	return nil
}

// fill sets a zero setting to its default.
func fill[T int | time.Duration](v *T, def T) {
	if *v == 0 {
		*v = def
	}
}

func checkListen(listen string) error {
	host, port, err := net.SplitHostPort(listen)
	if err == nil {
		n, perr := strconv.Atoi(port)
		if perr == nil && n >= 0 && n <= 65535 && !strings.ContainsAny(host, "/ ") {
			return nil
		}
	}
	return configErrorf("listen", "%q is not host:port, e.g. :8080 or 127.0.0.1:8080", listen)
}

// CheckBaseURL accepts an absolute http(s) URL with a host and no path,
// query or credentials, and returns it without a trailing slash. ActivityPub
// ids and WebFinger live at the root of the host, so a path would break them.
func CheckBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	bad := err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.Opaque != ""
	if bad {
		return "", configErrorf("base-url", "%q is not an absolute http or https URL without a path, e.g. https://coop.example", s)
	}
	return u.Scheme + "://" + u.Host, nil
}

// DefaultBaseURL is SCHEME://localhost:PORT when listening on every
// interface, else SCHEME://HOST:PORT.
func DefaultBaseURL(scheme string, addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return scheme + "://" + addr.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, port)
}
