package instance_test

import (
	"context"
	"errors"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/instance"
)

func TestConfigCheck(t *testing.T) {
	good := func() instance.Config {
		return instance.Config{Listen: "127.0.0.1:0", Database: "sqlite:" + filepath.Join(t.TempDir(), "c.db"), NetworkName: "Net"}
	}
	t.Run("fills in the secret file beside a SQLite database and trims the base URL", func(t *testing.T) {
		c := good()
		c.BaseURL = "https://coop.example/"
		if err := c.Check(); err != nil {
			t.Fatal(err)
		}
		if c.BaseURL != "https://coop.example" {
			t.Errorf("base URL %q", c.BaseURL)
		}
		if want := filepath.Join(filepath.Dir(strings.TrimPrefix(c.Database, "sqlite:")), instance.SecretFileName); c.SecretFile != want {
			t.Errorf("secret file %q, want %q", c.SecretFile, want)
		}
	})
	tests := []struct {
		name, setting, message string
		change                 func(*instance.Config)
	}{
		{"refuses a listen address without a port", "listen", `--listen: "localhost" is not host:port`,
			func(c *instance.Config) { c.Listen = "localhost" }},
		{"refuses a port out of range", "listen", "is not host:port", func(c *instance.Config) { c.Listen = ":70000" }},
		{"refuses a base URL with a path", "base-url", "without a path", func(c *instance.Config) { c.BaseURL = "https://coop.example/dir" }},
		{"refuses a base URL of another scheme", "base-url", "is not an absolute http or https URL",
			func(c *instance.Config) { c.BaseURL = "ftp://coop.example" }},
		{"needs a base URL without a listener", "base-url", "is required", func(c *instance.Config) { c.Listen = "" }},
		{"refuses a certificate without its key", "tls-cert", "go together", func(c *instance.Config) { c.TLSCert = "cert.pem" }},
		{"refuses an empty network name", "network-name", "must not be empty", func(c *instance.Config) { c.NetworkName = "  " }},
		{"refuses an unknown database address", "database", "is not a database address",
			func(c *instance.Config) { c.Database = "mysql://db/coop" }},
		{"needs a secret file with PostgreSQL", "secret-file", "is required with a PostgreSQL database",
			func(c *instance.Config) { c.Database = "postgres://coopdir@localhost/coopdir" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := good()
			tt.change(&c)
			err := c.Check()
			var ce *instance.ConfigError
			if !errors.As(err, &ce) || ce.Setting != tt.setting || !strings.Contains(ce.Message, tt.message) {
				t.Fatalf("Check() = %v, want a ConfigError of %s saying %q", err, tt.setting, tt.message)
			}
		})
	}
}

func TestOpenWithoutListener(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := instance.Config{Database: "sqlite:" + filepath.Join(dir, "c.db"), BaseURL: "https://coop.example", NetworkName: "Net"}
	in, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	if in.Addr() != nil || in.URL() != "https://coop.example" {
		t.Errorf("addr %v, url %q", in.Addr(), in.URL())
	}
	if err := in.Serve(ctx); err == nil {
		t.Error("Serve without a listener did not fail")
	}
	// The instance actor's key was made on first open and opens again.
	if _, err := in.Keys().Key(directory.AsSystem(ctx), directory.ActorInstance, time.Time{}); err != nil {
		t.Errorf("instance key: %v", err)
	}
}

func TestOpenRefusesAnotherSecret(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := instance.Config{Listen: "127.0.0.1:0", Database: "sqlite:" + filepath.Join(dir, "c.db"), NetworkName: "Net"}
	in, err := instance.Open(ctx, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := in.Addr().(*net.TCPAddr); !ok || !strings.HasPrefix(in.URL(), "http://127.0.0.1:") {
		t.Errorf("addr %v, url %q", in.Addr(), in.URL())
	}
	in.Close()
	cfg.SecretFile = filepath.Join(dir, "other.secret")
	_, err = instance.Open(ctx, cfg, nil)
	if directory.ErrorCode(err) != directory.EINVALID || !strings.Contains(err.Error(), "sealed with another secret") {
		t.Fatalf("Open with a new secret = %v, want EINVALID about another secret", err)
	}
}
