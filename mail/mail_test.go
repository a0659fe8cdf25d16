package mail_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/mail"
	"github.com/coopdir/coopdir/mail/mailtest"
)

// testTLS returns a server TLS config for 127.0.0.1 and the pool that
// trusts it (httptest's certificate).
func testTLS(t *testing.T) (*tls.Config, *x509.CertPool) {
	t.Helper()
	hs := httptest.NewUnstartedServer(nil)
	hs.StartTLS()
	t.Cleanup(hs.Close)
	roots := x509.NewCertPool()
	roots.AddCert(hs.Certificate())
	return &tls.Config{Certificates: hs.TLS.Certificates, MinVersion: tls.VersionTLS12}, roots
}

func passwordFile(t *testing.T, password string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "smtp-password")
	if err := os.WriteFile(p, []byte(password+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var msg = mail.Message{To: []string{"ed@bakery.example"}, ReplyTo: "ana@n.example", ReplyToName: "Ana Ñeighbour",
	Subject: "Response from Ana Ñeighbour to “Flour”", Body: "I have flour.\nCall me."}

func TestSender(t *testing.T) {
	ctx := context.Background()
	t.Run("sends over STARTTLS with a password", func(t *testing.T) {
		cfg, roots := testTLS(t)
		smtp := mailtest.Start(t, mailtest.Options{TLS: cfg, User: "coop", Password: "s3cret"})
		s, err := mail.NewSender(mail.Config{URL: smtp.URL("coop"), PasswordFile: passwordFile(t, "s3cret"),
			From: "Our network <dir@coop.example>", RootCAs: roots})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, msg); err != nil {
			t.Fatal(err)
		}
		got := smtp.Messages()
		if len(got) != 1 || !got[0].TLS || got[0].Auth != "coop" || strings.Join(got[0].To, ",") != "ed@bakery.example" || got[0].From != "dir@coop.example" {
			t.Fatalf("received %+v", got)
		}
		if got[0].Subject() != msg.Subject || strings.TrimSuffix(got[0].Body, "\n") != msg.Body || !strings.Contains(got[0].Header.Get("Reply-To"), "<ana@n.example>") {
			t.Errorf("subject %q, body %q, reply-to %q", got[0].Subject(), got[0].Body, got[0].Header.Get("Reply-To"))
		}
	})
	t.Run("refuses to send in the clear when STARTTLS is required", func(t *testing.T) {
		smtp := mailtest.Start(t, mailtest.Options{})
		s, err := mail.NewSender(mail.Config{URL: smtp.URL(""), From: "dir@coop.example"})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, msg); err == nil || len(smtp.Messages()) != 0 {
			t.Fatalf("sent without TLS: %v", err)
		}
	})
	t.Run("a wrong password is refused", func(t *testing.T) {
		cfg, roots := testTLS(t)
		smtp := mailtest.Start(t, mailtest.Options{TLS: cfg, User: "coop", Password: "s3cret"})
		s, err := mail.NewSender(mail.Config{URL: smtp.URL("coop"), PasswordFile: passwordFile(t, "wrong"), From: "dir@coop.example", RootCAs: roots})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Send(ctx, msg); err == nil || len(smtp.Messages()) != 0 {
			t.Fatalf("sent with a wrong password: %v", err)
		}
	})
	t.Run("refuses a line break in a header", func(t *testing.T) {
		smtp := mailtest.Start(t, mailtest.Options{})
		s, err := mail.NewSender(mail.Config{URL: smtp.URL(""), TLS: mail.NoTLS, From: "dir@coop.example"})
		if err != nil {
			t.Fatal(err)
		}
		bad := msg
		bad.Subject = "Hi\r\nBcc: victim@example.org"
		if err := s.Send(ctx, bad); err == nil || smtp.Attempts() != 0 {
			t.Fatalf("sent a subject with a line break: %v", err)
		}
	})
}

func TestConfigCheck(t *testing.T) {
	pw := passwordFile(t, "pw")
	for _, c := range []struct {
		name string
		cfg  mail.Config
		flag string
	}{
		{"another scheme", mail.Config{URL: "https://mail.example", From: "a@b.example"}, "smtp-url"},
		{"no host", mail.Config{URL: "smtp://", From: "a@b.example"}, "smtp-url"},
		{"a password in the URL", mail.Config{URL: "smtp://u:p@mail.example", From: "a@b.example"}, "smtp-url"},
		{"a bad port", mail.Config{URL: "smtp://mail.example:99999", From: "a@b.example"}, "smtp-url"},
		{"a user without password file", mail.Config{URL: "smtp://u@mail.example", From: "a@b.example"}, "smtp-password-file"},
		{"a missing password file", mail.Config{URL: "smtp://u@mail.example", PasswordFile: "/nonexistent/pw", From: "a@b.example"}, "smtp-password-file"},
		{"an unknown TLS mode", mail.Config{URL: "smtp://mail.example", TLS: "ssl", From: "a@b.example"}, "smtp-tls"},
		{"no sender", mail.Config{URL: "smtp://mail.example"}, "smtp-from"},
		{"a bad sender", mail.Config{URL: "smtp://mail.example", From: "not an address"}, "smtp-from"},
	} {
		t.Run("refuses "+c.name, func(t *testing.T) {
			var se *mail.Setting
			if err := c.cfg.Check(); !errors.As(err, &se) || se.Flag != c.flag {
				t.Fatalf("got %v, want an error of --%s", err, c.flag)
			}
		})
	}
	t.Run("accepts a full setting", func(t *testing.T) {
		cfg := mail.Config{URL: "smtp://coop@mail.example:465", TLS: mail.TLS, PasswordFile: pw, From: "Net <dir@coop.example>"}
		if err := cfg.Check(); err != nil {
			t.Fatal(err)
		}
	})
}
