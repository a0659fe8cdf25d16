// Package mail sends the instance's e-mail through the operator's SMTP
// server: the messages of the Respond forms to an enterprise's editors,
// and the password-reset links people ask for. Sending is a job of the
// instance's durable queue (see Worker): a request only queues the mail,
// and a mail server that is down or slow is retried with backoff.
package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	stdmail "net/mail"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLS modes of a Config.
const (
	StartTLS = "starttls" // plain connection upgraded with STARTTLS, which must succeed (port 587)
	TLS      = "tls"      // TLS from the first byte (port 465)
	NoTLS    = "none"     // no encryption: a relay on the same host, or a test server
)

// DefaultTimeout bounds one delivery to the SMTP server. It stays well
// under the time after which the queue takes a running job for one whose
// process died (16 s at the least), so that a slow server never gets the
// same mail twice.
const DefaultTimeout = 10 * time.Second

// Config is the operator's SMTP settings. The zero Config sends nothing.
type Config struct {
	// URL is smtp://[user@]host[:port]; empty disables mail.
	URL string
	// TLS is StartTLS (when empty), TLS or NoTLS.
	TLS string
	// PasswordFile holds the password of URL's user (its first line).
	PasswordFile string
	// From is the sender address, such as "Cooperation Jackson
	// <directory@coop.example>".
	From string
	// RootCAs, when set, replaces the system's certificate authorities
	// (tests with a throwaway CA).
	RootCAs *x509.CertPool
	// Timeout bounds one delivery [DefaultTimeout].
	Timeout time.Duration
}

// Enabled reports whether mail is configured.
func (c Config) Enabled() bool { return c.URL != "" }

// Setting is a mistake in the Config: Flag names the serve flag (without
// dashes) that has it.
type Setting struct {
	Flag    string
	Message string
}

func (e *Setting) Error() string { return "--" + e.Flag + ": " + e.Message }

// server is a checked Config.
type server struct {
	host     string
	port     int
	tls      string
	user     string
	password string
	from     *stdmail.Address
	roots    *x509.CertPool
	timeout  time.Duration
}

// Check validates c and reads its password file. Mistakes are *Setting
// errors.
func (c Config) Check() error {
	_, err := c.server()
	return err
}

func (c Config) server() (*server, error) {
	s := &server{tls: c.TLS, roots: c.RootCAs, timeout: c.Timeout}
	if s.tls == "" {
		s.tls = StartTLS
	}
	if s.timeout <= 0 {
		s.timeout = DefaultTimeout
	}
	switch s.tls {
	case StartTLS, TLS, NoTLS:
	default:
		return nil, &Setting{"smtp-tls", fmt.Sprintf("%q is not starttls, tls or none", c.TLS)}
	}
	u, err := url.Parse(c.URL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" || u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return nil, &Setting{"smtp-url", "must look like smtp://user@mail.example:587 (user and port optional)"}
	}
	if _, has := u.User.Password(); has {
		return nil, &Setting{"smtp-url", "put the password in --smtp-password-file, not in the URL"}
	}
	s.host, s.user = u.Hostname(), u.User.Username()
	if s.port, err = port(u.Port(), s.tls); err != nil {
		return nil, err
	}
	if s.user != "" && c.PasswordFile == "" {
		return nil, &Setting{"smtp-password-file", "is required when --smtp-url names a user"}
	}
	if c.PasswordFile != "" {
		b, err := os.ReadFile(c.PasswordFile)
		if err != nil {
			return nil, &Setting{"smtp-password-file", err.Error()}
		}
		s.password, _, _ = strings.Cut(string(b), "\n")
		s.password = strings.TrimSuffix(s.password, "\r")
	}
	if s.from, err = stdmail.ParseAddress(c.From); err != nil || c.From == "" {
		return nil, &Setting{"smtp-from", "must be an address such as \"Our network <directory@coop.example>\""}
	}
	return s, nil
}

// port returns the port of the URL, or the default of the TLS mode.
func port(p, mode string) (int, error) {
	if p == "" {
		switch mode {
		case TLS:
			return 465, nil
		case NoTLS:
			return 25, nil
		}
		return 587, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return 0, &Setting{"smtp-url", "the port must be a number from 1 to 65535"}
	}
	return n, nil
}

// Message is one mail to send. Every field is plain text; the sender sets
// the From, Date and Message-ID headers.
type Message struct {
	To []string `json:"to"`
	// ReplyTo, when set, is where answers go (the person who wrote in),
	// named ReplyToName.
	ReplyTo     string `json:"reply_to,omitempty"`
	ReplyToName string `json:"reply_to_name,omitempty"`
	Subject     string `json:"subject"`
	Body        string `json:"body"`
}

// Sender delivers messages to the configured SMTP server.
type Sender struct {
	s *server
}

// NewSender returns a Sender for c, which must be enabled.
func NewSender(c Config) (*Sender, error) {
	s, err := c.server()
	if err != nil {
		return nil, err
	}
	return &Sender{s: s}, nil
}

// errPermanent marks a message that no retry can send.
var errPermanent = errors.New("mail: message cannot be sent")

// Send delivers m in one SMTP session.
func (sd *Sender) Send(ctx context.Context, m Message) error {
	msg, err := sd.message(m)
	if err != nil {
		return err
	}
	c, err := sd.client()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, sd.s.timeout)
	defer cancel()
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("mail to %s: %w", sd.s.host, err)
	}
	return nil
}

// message builds the mail; go-mail encodes the headers (a name with
// non-ASCII letters) and refuses line breaks in them.
func (sd *Sender) message(m Message) (*gomail.Msg, error) {
	if len(m.To) == 0 {
		return nil, fmt.Errorf("%w: no recipient", errPermanent)
	}
	if strings.ContainsAny(m.Subject+m.ReplyToName+m.ReplyTo, "\r\n") {
		return nil, fmt.Errorf("%w: a line break in a header", errPermanent)
	}
	msg := gomail.NewMsg()
	msg.FromMailAddress(sd.s.from)
	if err := msg.To(m.To...); err != nil {
		return nil, fmt.Errorf("%w: %w", errPermanent, err)
	}
	if m.ReplyTo != "" {
		if err := msg.ReplyToFormat(m.ReplyToName, m.ReplyTo); err != nil {
			return nil, fmt.Errorf("%w: %w", errPermanent, err)
		}
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)
	return msg, nil
}

func (sd *Sender) client() (*gomail.Client, error) {
	s := sd.s
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(s.timeout),
		gomail.WithTLSConfig(&tls.Config{ServerName: s.host, RootCAs: s.roots, MinVersion: tls.VersionTLS12})}
	switch s.tls {
	case TLS:
		opts = append(opts, gomail.WithSSL())
	case StartTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case NoTLS:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user), gomail.WithPassword(s.password))
	}
	return gomail.NewClient(s.host, opts...)
}
