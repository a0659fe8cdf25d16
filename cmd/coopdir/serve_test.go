package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coopdir/coopdir/instance"
	"github.com/coopdir/coopdir/instance/instancetest"
)

// startServe runs "coopdir serve args…" in-process and returns the running
// server and a function that stops it gracefully and returns the exit code
// and the log.
func startServe(t *testing.T, env map[string]string, args ...string) (*instance.Instance, func() (int, string)) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var logs instancetest.SyncBuffer
	started := make(chan *instance.Instance, 1)
	finished := make(chan struct{})
	var code int
	app := &App{
		Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &logs,
		Getenv:  func(k string) string { return env[k] },
		Started: func(s *instance.Instance) { started <- s },
	}
	go func() {
		defer close(finished)
		code = app.Run(ctx, append([]string{"serve"}, args...))
	}()
	wait := func() bool {
		select {
		case <-finished:
			return true
		case <-time.After(30 * time.Second):
			return false
		}
	}
	stop := func() (int, string) {
		t.Helper()
		cancel()
		if !wait() {
			t.Fatalf("serve did not stop; log:\n%s", logs.String())
		}
		return code, logs.String()
	}
	t.Cleanup(func() { cancel(); wait() })
	select {
	case s := <-started:
		return s, stop
	case <-finished:
		t.Fatalf("serve exited with %d before it started; log:\n%s", code, logs.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start; log:\n%s", logs.String())
	}
	return nil, nil
}

func get(t *testing.T, u string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// testServeDemo starts serve --demo on a free port over database dsn and
// checks what a visitor sees.
func testServeDemo(t *testing.T, dsn string) {
	srv, stop := startServe(t, nil, "--demo", "--listen", "127.0.0.1:0", "--database", dsn, "--log-format", "json",
		"--secret-file", filepath.Join(t.TempDir(), "coopdir.secret")) // PostgreSQL needs one
	base := "http://" + srv.Addr().String()
	if srv.URL() != base {
		t.Errorf("base URL %q, want it derived from the address: %q", srv.URL(), base)
	}
	if code, body := get(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz: %d %s", code, body)
	}
	code, body := get(t, base+"/api/v1/enterprises?per_page=50")
	var page struct {
		Items []struct {
			Handle string `json:"handle"`
			Demo   bool   `json:"demo"`
		} `json:"items"`
		Total int `json:"total"`
	}
	if err := json.Unmarshal(body, &page); code != http.StatusOK || err != nil {
		t.Fatalf("/api/v1/enterprises: %d %v %s", code, err, body)
	}
	if page.Total != 5 || len(page.Items) != 5 {
		t.Errorf("%d enterprises (%d on the page), want the 5 demo ones", page.Total, len(page.Items))
	}
	for _, it := range page.Items {
		if !it.Demo {
			t.Errorf("%s is not marked demo", it.Handle)
		}
	}
	exit, logs := stop()
	if exit != ExitOK {
		t.Errorf("exit %d, want 0", exit)
	}
	for _, want := range []string{`"msg":"demo directory loaded"`, `"msg":"serving","url":"` + base + `"`, `"msg":"stopped"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("log lacks %s:\n%s", want, logs)
		}
	}
}

func TestServeDemoSQLite(t *testing.T) {
	testServeDemo(t, tempDB(t))
}

// TestServeDemoPostgres runs the same test on a fresh database of the
// PostgreSQL server DATABASE_URL points at, when it does.
func TestServeDemoPostgres(t *testing.T) {
	testServeDemo(t, instancetest.DSN(t, instancetest.Postgres))
}

func TestServeKeepsANonEmptyDirectory(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	r.ok("import", "--database", db, writeFile(t, "shaky.csv", shakyCSV))
	srv, stop := startServe(t, map[string]string{"DATABASE_URL": db, "COOPDIR_DEMO": "true"}, "--listen", "127.0.0.1:0")
	_, body := get(t, "http://"+srv.Addr().String()+"/api/v1/enterprises")
	if !strings.Contains(string(body), `"total":1`) {
		t.Errorf("enterprises: %s", body)
	}
	if code, logs := stop(); code != ExitOK || !strings.Contains(logs, "demo directory not loaded") {
		t.Errorf("exit %d, log:\n%s", code, logs)
	}
}

func TestServeBaseURL(t *testing.T) {
	srv, stop := startServe(t, map[string]string{"COOPDIR_BASE_URL": "https://coop.example/"},
		"--listen", "127.0.0.1:0", "--database", tempDB(t))
	if srv.URL() != "https://coop.example" {
		t.Errorf("URL = %q", srv.URL())
	}
	stop()
}

func TestServeDeliverySettings(t *testing.T) {
	t.Run("flags set them", func(t *testing.T) {
		srv, stop := startServe(t, nil, "--listen", "127.0.0.1:0", "--database", tempDB(t),
			"--delivery-concurrency", "64", "--delivery-per-host", "8", "--outgoing-connect-timeout", "2s", "--outgoing-timeout", "40s",
			"--match-interval", "30s")
		c := srv.Config()
		if c.DeliveryConcurrency != 64 || c.DeliveryPerHost != 8 || c.OutgoingConnectTimeout != 2*time.Second || c.OutgoingTimeout != 40*time.Second {
			t.Errorf("settings: %d, %d, %s, %s", c.DeliveryConcurrency, c.DeliveryPerHost, c.OutgoingConnectTimeout, c.OutgoingTimeout)
		}
		if c.MatchInterval != 30*time.Second {
			t.Errorf("match interval %s", c.MatchInterval)
		}
		stop()
	})
	t.Run("the environment sets them, and a flag wins", func(t *testing.T) {
		srv, stop := startServe(t, map[string]string{"COOPDIR_DELIVERY_CONCURRENCY": "5", "COOPDIR_DELIVERY_PER_HOST": "1",
			"COOPDIR_OUTGOING_CONNECT_TIMEOUT": "3s", "COOPDIR_OUTGOING_TIMEOUT": "1m"},
			"--listen", "127.0.0.1:0", "--database", tempDB(t), "--delivery-per-host", "2")
		c := srv.Config()
		if c.DeliveryConcurrency != 5 || c.DeliveryPerHost != 2 || c.OutgoingConnectTimeout != 3*time.Second || c.OutgoingTimeout != time.Minute {
			t.Errorf("settings: %d, %d, %s, %s", c.DeliveryConcurrency, c.DeliveryPerHost, c.OutgoingConnectTimeout, c.OutgoingTimeout)
		}
		stop()
	})
}

func TestServeTrustedProxies(t *testing.T) {
	srv, stop := startServe(t, map[string]string{"COOPDIR_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"},
		"--listen", "127.0.0.1:0", "--database", tempDB(t), "--client-ip-header", "forwarded")
	if c := srv.Config(); c.TrustedProxies != "127.0.0.1, 10.0.0.0/8" || c.ClientIPHeader != "Forwarded" {
		t.Errorf("trusted proxies %q, header %q", c.TrustedProxies, c.ClientIPHeader)
	}
	stop()
}

func TestServeSMTPSettings(t *testing.T) {
	pw := filepath.Join(t.TempDir(), "smtp-password")
	if err := os.WriteFile(pw, []byte("s3cret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, stop := startServe(t, map[string]string{"COOPDIR_SMTP_URL": "smtp://coop@mail.example:465", "COOPDIR_SMTP_PASSWORD_FILE": pw},
		"--listen", "127.0.0.1:0", "--database", tempDB(t), "--smtp-tls", "tls", "--smtp-from", "Net <dir@coop.example>")
	if m := srv.Config().Mail; m.URL != "smtp://coop@mail.example:465" || m.TLS != "tls" || m.PasswordFile != pw || m.From != "Net <dir@coop.example>" {
		t.Errorf("mail settings %+v", m)
	}
	stop()
}

func TestServeShortOutgoingTimeout(t *testing.T) {
	srv, stop := startServe(t, nil, "--listen", "127.0.0.1:0", "--database", tempDB(t), "--outgoing-timeout", "2s")
	if c := srv.Config(); c.OutgoingConnectTimeout != 2*time.Second || c.OutgoingTimeout != 2*time.Second {
		t.Errorf("timeouts: connect %s, whole %s; want the connect timeout cut to the whole", c.OutgoingConnectTimeout, c.OutgoingTimeout)
	}
	stop()
}

func TestServeUsageErrors(t *testing.T) {
	r := newRunner(t)
	db := tempDB(t)
	tests := []struct {
		name   string
		args   []string
		env    map[string]string
		stderr string
	}{
		{"a relative base URL", []string{"--base-url", "coop.example"}, nil,
			`--base-url: "coop.example" is not an absolute http or https URL without a path, e.g. https://coop.example`},
		{"an ftp base URL", []string{"--base-url", "ftp://coop.example"}, nil,
			`--base-url: "ftp://coop.example" is not an absolute http or https URL without a path, e.g. https://coop.example`},
		{"a base URL with a path", []string{"--base-url", "https://coop.example/dir"}, nil,
			`--base-url: "https://coop.example/dir" is not an absolute http or https URL without a path, e.g. https://coop.example`},
		{"a bad base URL from the environment", nil, map[string]string{"COOPDIR_BASE_URL": "https://"},
			`--base-url: "https://" is not an absolute http or https URL without a path, e.g. https://coop.example`},
		{"a listen address without a port", []string{"--listen", "localhost"}, nil,
			`--listen: "localhost" is not host:port, e.g. :8080 or 127.0.0.1:8080`},
		{"a bad log format", []string{"--log-format", "xml"}, nil, `--log-format: "xml" is not text or json`},
		{"a bad log level", []string{"--log-level", "loud"}, nil, `--log-level: "loud" is not one of debug, info, warn, error`},
		{"a bad boolean in COOPDIR_DEMO", nil, map[string]string{"COOPDIR_DEMO": "maybe"},
			`environment variable COOPDIR_DEMO: invalid value "maybe"`},
		{"an empty network name", []string{"--network-name", " "}, nil, "--network-name must not be empty"},
		{"a certificate without its key", []string{"--tls-cert", "cert.pem"}, nil,
			"--tls-cert and --tls-key go together: give both, or neither for plain HTTP"},
		{"a key without its certificate", nil, map[string]string{"COOPDIR_TLS_KEY": "key.pem"},
			"--tls-cert and --tls-key go together: give both, or neither for plain HTTP"},
		{"a delivery concurrency above 1000", []string{"--delivery-concurrency", "5000"}, nil,
			"--delivery-concurrency: 5000 is not between 1 and 1000"},
		{"a delivery concurrency that is not a number", []string{"--delivery-concurrency", "lots"}, nil,
			`invalid value "lots" for flag -delivery-concurrency: parse error`},
		{"a negative per-host limit from the environment", nil, map[string]string{"COOPDIR_DELIVERY_PER_HOST": "-2"},
			"--delivery-per-host: -2 is not between 1 and 100"},
		{"a per-host limit that is not a number in the environment", nil, map[string]string{"COOPDIR_DELIVERY_PER_HOST": "four"},
			`environment variable COOPDIR_DELIVERY_PER_HOST: invalid value "four"`},
		{"a match interval over an hour from the environment", nil, map[string]string{"COOPDIR_MATCH_INTERVAL": "2h"},
			"--match-interval: 2h0m0s is longer than 1h0m0s"},
		{"an outgoing timeout under a second", []string{"--outgoing-timeout", "200ms"}, nil,
			"--outgoing-timeout: 200ms is not between 1s and 5m0s"},
		{"an outgoing timeout without a unit", []string{"--outgoing-timeout", "15"}, nil,
			`invalid value "15" for flag -outgoing-timeout: parse error`},
		{"a connect timeout over five minutes from the environment", nil, map[string]string{"COOPDIR_OUTGOING_CONNECT_TIMEOUT": "1h"},
			"--outgoing-connect-timeout: 1h0m0s is not between 1s and 5m0s"},
		{"a connect timeout longer than the request", []string{"--outgoing-connect-timeout", "20s", "--outgoing-timeout", "10s"}, nil,
			"--outgoing-connect-timeout: 20s is longer than --outgoing-timeout (10s), which bounds the whole request"},
		{"a trusted proxy that is a host name", []string{"--trusted-proxies", "10.0.0.1,proxy.example"}, nil,
			`--trusted-proxies: "proxy.example" is not an IP address or CIDR prefix such as 10.0.0.0/8`},
		{"a bad trusted prefix from the environment", nil, map[string]string{"COOPDIR_TRUSTED_PROXIES": "10.0.0.0/99"},
			`--trusted-proxies: "10.0.0.0/99" is not an IP address or CIDR prefix such as 10.0.0.0/8`},
		{"an unknown client address header", []string{"--client-ip-header", "X-Client"}, nil,
			`--client-ip-header: "X-Client" is not X-Forwarded-For, Forwarded or X-Real-IP`},
		{"an SMTP sender without a server", []string{"--smtp-from", "dir@coop.example"}, nil, "--smtp-from: needs --smtp-url"},
		{"an SMTP URL of another scheme from the environment", nil, map[string]string{"COOPDIR_SMTP_URL": "https://mail.example", "COOPDIR_SMTP_FROM": "dir@coop.example"},
			"--smtp-url: must look like smtp://user@mail.example:587 (user and port optional)"},
		{"an SMTP password in the URL", []string{"--smtp-url", "smtp://u:pw@mail.example", "--smtp-from", "dir@coop.example"}, nil,
			"--smtp-url: put the password in --smtp-password-file, not in the URL"},
		{"an SMTP server without a sender", []string{"--smtp-url", "smtp://mail.example"}, nil,
			`--smtp-from: must be an address such as "Our network <directory@coop.example>"`},
		{"an unknown SMTP TLS mode", []string{"--smtp-url", "smtp://mail.example", "--smtp-from", "dir@coop.example", "--smtp-tls", "ssl"}, nil,
			`--smtp-tls: "ssl" is not starttls, tls or none`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			r.env = map[string]string{"DATABASE_URL": db}
			for k, v := range tt.env {
				r.env[k] = v
			}
			r.fails(ExitUsage, "coopdir serve: "+tt.stderr+hint, append([]string{"serve"}, tt.args...)...)
		})
	}
}

func TestServeTLSFilesThatDoNotLoad(t *testing.T) {
	r := newRunner(t)
	missing := filepath.Join(t.TempDir(), "missing.pem")
	res := r.run("serve", "--listen", "127.0.0.1:0", "--database", tempDB(t), "--tls-cert", missing, "--tls-key", missing)
	if res.code != ExitFailure || !strings.Contains(res.stderr, "--tls-cert/--tls-key:") {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
}

func TestServePortInUseIsARuntimeFailure(t *testing.T) {
	srv, stop := startServe(t, nil, "--listen", "127.0.0.1:0", "--database", tempDB(t))
	defer stop()
	r := newRunner(t)
	res := r.run("serve", "--listen", srv.Addr().String(), "--database", tempDB(t))
	if res.code != ExitFailure || !strings.Contains(res.stderr, "coopdir serve: listen on "+srv.Addr().String()) {
		t.Errorf("exit %d, stderr %q", res.code, res.stderr)
	}
}
