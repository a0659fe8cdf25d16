// Package mailtest runs a real SMTP server inside a test process (go-smtp),
// so that tests hold a whole SMTP conversation with the instance's mailer
// and then read the mailbox.
package mailtest

import (
	"bytes"
	"crypto/tls"
	"errors"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Options configure a Server.
type Options struct {
	// TLS, when set, makes the server offer STARTTLS with it.
	TLS *tls.Config
	// User and Password, when set, are the only credentials AUTH PLAIN
	// accepts, and a mail needs them.
	User, Password string
	// FailFirst answers the first FailFirst messages with a temporary
	// failure (451), as a busy server does.
	FailFirst int
}

// Message is a mail the server accepted.
type Message struct {
	From   string
	To     []string // the envelope's recipients
	Header mail.Header
	Body   string // decoded text
	Raw    []byte
	Auth   string // the user that authenticated, if any
	TLS    bool   // the session was encrypted
}

// Subject is the decoded Subject header.
func (m *Message) Subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		return m.Header.Get("Subject")
	}
	return s
}

// Server is a running SMTP server.
type Server struct {
	opt  Options
	srv  *smtp.Server
	addr *net.TCPAddr

	mu       sync.Mutex
	messages []*Message
	failed   int
	attempts int
}

// Start starts a server on a free loopback port; the test's end stops it.
func Start(t testing.TB, opt Options) *Server {
	t.Helper()
	s := &Server{opt: opt}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	s.srv.Domain = "mail.test"
	s.srv.AllowInsecureAuth = opt.TLS == nil
	s.srv.TLSConfig = opt.TLS
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	s.srv.MaxMessageBytes = 1 << 20
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s.addr = ln.Addr().(*net.TCPAddr)
	go func() { _ = s.srv.Serve(ln) }()
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// URL is the server's address as serve's --smtp-url takes it, with user
// when given.
func (s *Server) URL(user string) string {
	if user != "" {
		user += "@"
	}
	return "smtp://" + user + "127.0.0.1:" + strconv.Itoa(s.addr.Port)
}

// Messages returns the mails accepted so far.
func (s *Server) Messages() []*Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*Message(nil), s.messages...)
}

// Attempts is how many messages were offered, accepted or not.
func (s *Server) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

type session struct {
	s    *Server
	conn *smtp.Conn
	auth string
	from string
	to   []string
}

var _ smtp.AuthSession = (*session)(nil)

func (ss *session) AuthMechanisms() []string {
	if ss.s.opt.User == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, user, password string) error {
		if user != ss.s.opt.User || password != ss.s.opt.Password {
			return errors.New("invalid credentials")
		}
		ss.auth = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opt.User != "" && ss.auth == "" {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s := ss.s
	s.mu.Lock()
	defer s.mu.Unlock()
	s.attempts++
	if s.failed < s.opt.FailFirst {
		s.failed++
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "try again later"}
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: err.Error()}
	}
	_, m.TLS = ss.conn.TLSConnectionState()
	m.From, m.To, m.Auth = ss.from, append([]string(nil), ss.to...), ss.auth
	s.messages = append(s.messages, m)
	return nil
}

// parse reads a single-part text mail, decoding quoted-printable or
// base64 bodies as go-mail writes them.
func parse(raw []byte) (*Message, error) {
	pm, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	var body io.Reader = pm.Body
	switch strings.ToLower(pm.Header.Get("Content-Transfer-Encoding")) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		b, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		dec, err := decodeBase64(b)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(dec)
	}
	text, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	return &Message{Header: pm.Header, Body: strings.ReplaceAll(string(text), "\r\n", "\n"), Raw: raw}, nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }
