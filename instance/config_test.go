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
	"github.com/coopdir/coopdir/federation"
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
	t.Run("fills in the delivery defaults and keeps values in range", func(t *testing.T) {
		c := good()
		if err := c.Check(); err != nil {
			t.Fatal(err)
		}
		if c.DeliveryConcurrency != federation.DefaultConcurrency || c.DeliveryPerHost != federation.DefaultPerHost ||
			c.OutgoingConnectTimeout != federation.DefaultConnectTimeout || c.OutgoingTimeout != federation.DefaultTotalTimeout {
			t.Errorf("defaults: %d, %d, %s, %s", c.DeliveryConcurrency, c.DeliveryPerHost, c.OutgoingConnectTimeout, c.OutgoingTimeout)
		}
		c = good()
		c.OutgoingTimeout = 2 * time.Second
		if err := c.Check(); err != nil || c.OutgoingConnectTimeout != 2*time.Second {
			t.Errorf("the default connect timeout with a 2s outgoing timeout: %s, %v", c.OutgoingConnectTimeout, err)
		}
		c = good()
		c.DeliveryConcurrency, c.DeliveryPerHost, c.OutgoingConnectTimeout, c.OutgoingTimeout = 1000, 1, time.Second, 5*time.Minute
		if err := c.Check(); err != nil {
			t.Fatal(err)
		}
		if c.DeliveryConcurrency != 1000 || c.DeliveryPerHost != 1 || c.OutgoingConnectTimeout != time.Second || c.OutgoingTimeout != 5*time.Minute {
			t.Errorf("limits changed: %d, %d, %s, %s", c.DeliveryConcurrency, c.DeliveryPerHost, c.OutgoingConnectTimeout, c.OutgoingTimeout)
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
		{"refuses a negative delivery concurrency", "delivery-concurrency", "--delivery-concurrency: -1 is not between 1 and 1000",
			func(c *instance.Config) { c.DeliveryConcurrency = -1 }},
		{"refuses a delivery concurrency above 1000", "delivery-concurrency", "1001 is not between 1 and 1000",
			func(c *instance.Config) { c.DeliveryConcurrency = 1001 }},
		{"refuses a per-host limit above 100", "delivery-per-host", "--delivery-per-host: 101 is not between 1 and 100",
			func(c *instance.Config) { c.DeliveryPerHost = 101 }},
		{"refuses a negative per-host limit", "delivery-per-host", "-4 is not between 1 and 100",
			func(c *instance.Config) { c.DeliveryPerHost = -4 }},
		{"refuses an outgoing timeout under a second", "outgoing-timeout", "--outgoing-timeout: 500ms is not between 1s and 5m0s",
			func(c *instance.Config) { c.OutgoingTimeout = 500 * time.Millisecond }},
		{"refuses an outgoing timeout over five minutes", "outgoing-timeout", "10m0s is not between 1s and 5m0s",
			func(c *instance.Config) { c.OutgoingTimeout = 10 * time.Minute }},
		{"refuses a negative connect timeout", "outgoing-connect-timeout", "-1s is not between 1s and 5m0s",
			func(c *instance.Config) { c.OutgoingConnectTimeout = -time.Second }},
		{"refuses a connect timeout longer than the whole request", "outgoing-connect-timeout",
			"--outgoing-connect-timeout: 30s is longer than --outgoing-timeout (10s)",
			func(c *instance.Config) { c.OutgoingConnectTimeout, c.OutgoingTimeout = 30*time.Second, 10*time.Second }},
		{"refuses a trusted proxy that is a host name", "trusted-proxies", `--trusted-proxies: "proxy.example" is not an IP address`,
			func(c *instance.Config) { c.TrustedProxies = "10.0.0.1, proxy.example" }},
		{"refuses a trusted prefix out of range", "trusted-proxies", `"10.0.0.0/40" is not an IP address or CIDR prefix`,
			func(c *instance.Config) { c.TrustedProxies = "10.0.0.0/40" }},
		{"refuses an unknown client address header", "client-ip-header", `"X-Client" is not X-Forwarded-For, Forwarded or X-Real-IP`,
			func(c *instance.Config) { c.ClientIPHeader = "X-Client" }},
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
