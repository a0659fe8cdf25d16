package federation_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coopdir/coopdir/instance"
)

// The interop suite runs coopdir against servers nobody here wrote
// (GoToSocial, a Fedify server) on loopback over HTTPS, with certificates of
// a throwaway certificate authority that every party trusts. The peers'
// programs are prepared by scripts/interop (GOTOSOCIAL_BIN, FEDIFY_PEER);
// without them the suite is skipped, except under CI=true, where it fails.

// testCA is the certificate authority of one test process.
type testCA struct {
	dir      string // holds ca.pem and the leaf certificates
	CertFile string // the CA certificate, PEM
	Pool     *x509.CertPool
	cert     *x509.Certificate
	key      *ecdsa.PrivateKey
	mu       sync.Mutex
	n        int
}

var (
	caOnce sync.Once
	caVal  *testCA
	caErr  error
)

// interopCA returns the process's test CA, made on first use, and makes
// http.DefaultTransport (which the tests' own requests use) trust it.
func interopCA(t testing.TB) *testCA {
	t.Helper()
	caOnce.Do(func() {
		caVal, caErr = newTestCA()
		if caErr == nil {
			http.DefaultTransport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: caVal.Pool}
		}
	})
	if caErr != nil {
		t.Fatal(caErr)
	}
	return caVal
}

func newTestCA() (*testCA, error) {
	dir, err := os.MkdirTemp("", "coopdir-interop-ca")
	if err != nil {
		return nil, err
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "coopdir interop test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(48 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	ca := &testCA{dir: dir, CertFile: filepath.Join(dir, "ca.pem"), Pool: x509.NewCertPool(), cert: cert, key: key}
	ca.Pool.AddCert(cert)
	if err := writePEM(ca.CertFile, "CERTIFICATE", der); err != nil {
		return nil, err
	}
	return ca, nil
}

// Leaf issues a server certificate for localhost, 127.0.0.1 and ::1 and
// returns the paths of its chain and key (PEM, the key as PKCS #8).
func (ca *testCA) Leaf(t testing.TB) (certFile, keyFile string) {
	t.Helper()
	ca.mu.Lock()
	ca.n++
	n := ca.n
	ca.mu.Unlock()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(int64(n) + 1),
		Subject:      pkix.Name{CommonName: "localhost"},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := writePEM(certFile, "CERTIFICATE", der); err != nil {
		t.Fatal(err)
	}
	if err := writePEM(keyFile, "PRIVATE KEY", kder); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

func writePEM(path, typ string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600)
}

// startTLSInstance starts coopdir over HTTPS at https://localhost:PORT on a
// fresh SQLite database, trusting the test CA for its outgoing requests.
func startTLSInstance(t testing.TB, tune ...func(*instance.Config)) *coop {
	t.Helper()
	ca := interopCA(t)
	cert, key := ca.Leaf(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	tls := func(c *instance.Config) {
		c.TLSCert, c.TLSKey, c.RootCAs = cert, key, ca.Pool
		c.BaseURL = "https://localhost:" + strconv.Itoa(port)
	}
	return startInstance(t, "127.0.0.1:"+strconv.Itoa(port), tempDB(t), append([]func(*instance.Config){tls}, tune...)...)
}

// interopPeer returns the value of env, the path of a peer's program; it
// skips the test when it is not set, or fails it under CI=true.
func interopPeer(t testing.TB, env, what string) string {
	t.Helper()
	p := os.Getenv(env)
	if p != "" {
		return p
	}
	msg := env + " is not set: " + what + " (make test prepares it with scripts/interop)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func TestServeTLS(t *testing.T) {
	in := startTLSInstance(t)
	if got := in.URL(); got[:8] != "https://" {
		t.Fatalf("URL %q", got)
	}
	resp, err := http.Get(in.URLOf("/.well-known/nodeinfo"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("status %d, tls %v", resp.StatusCode, resp.TLS != nil)
	}
}
