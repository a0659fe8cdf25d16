package federation

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"os"
	"strings"
	"testing"

	"github.com/coopdir/coopdir/directory"
)

// testKey loads a fixed RSA-2048 private key from testdata (sig_key_a or
// sig_key_b), so tests do not spend time generating keys.
func testKey(tb testing.TB, name string) *rsa.PrivateKey {
	tb.Helper()
	data, err := os.ReadFile("testdata/sig_key_" + name + ".pem")
	if err != nil {
		tb.Fatal(err)
	}
	block, _ := pem.Decode(data)
	if block == nil {
		tb.Fatalf("testdata/sig_key_%s.pem is not PEM", name)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		tb.Fatal(err)
	}
	return key.(*rsa.PrivateKey)
}

func pemOf(t *testing.T, typ string, der []byte) string {
	t.Helper()
	return string(pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}))
}

func TestGenerateKey(t *testing.T) {
	key, err := GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if bits := key.N.BitLen(); bits != 2048 {
		t.Fatalf("key has %d bits, want 2048", bits)
	}
}

func TestPublicKeyPEM(t *testing.T) {
	key := testKey(t, "a")
	t.Run("encodes PKIX PUBLIC KEY that parses back", func(t *testing.T) {
		s, err := PublicKeyPEM(&key.PublicKey)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(s, "-----BEGIN PUBLIC KEY-----\n") {
			t.Fatalf("unexpected PEM: %q", s[:40])
		}
		pub, err := ParsePublicKeyPEM(s)
		if err != nil {
			t.Fatal(err)
		}
		if !pub.Equal(&key.PublicKey) {
			t.Fatal("parsed key differs")
		}
	})
	t.Run("accepts PKCS#1 RSA PUBLIC KEY", func(t *testing.T) {
		s := pemOf(t, "RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&key.PublicKey))
		pub, err := ParsePublicKeyPEM(s)
		if err != nil || !pub.Equal(&key.PublicKey) {
			t.Fatalf("got %v, %v", pub, err)
		}
	})
}

func TestParsePublicKeyPEMRejects(t *testing.T) {
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}
	ec, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	ed, _, _ := ed25519.GenerateKey(rand.Reader)
	pkix := func(pub any) string {
		der, err := x509.MarshalPKIXPublicKey(pub)
		if err != nil {
			t.Fatal(err)
		}
		return pemOf(t, "PUBLIC KEY", der)
	}
	private, _ := x509.MarshalPKCS8PrivateKey(testKey(t, "a"))
	tests := []struct {
		name, pem, want string
	}{
		{"rejects keys under 2048 bits", pkix(&small.PublicKey), "1024 bits; at least 2048"},
		{"rejects ECDSA keys", pkix(&ec.PublicKey), "ECDSA, not RSA"},
		{"rejects Ed25519 keys", pkix(ed), "Ed25519, not RSA"},
		{"rejects text that is not PEM", "hello", "not PEM"},
		{"rejects private key blocks", pemOf(t, "PRIVATE KEY", private), `unexpected PEM block "PRIVATE KEY"`},
		{"rejects damaged DER", pemOf(t, "PUBLIC KEY", []byte{1, 2, 3}), "does not parse"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParsePublicKeyPEM(tt.pem)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
			if directory.ErrorCode(err) != directory.EINVALID {
				t.Fatalf("code %q, want invalid", directory.ErrorCode(err))
			}
		})
	}
}

func TestSealPrivateKey(t *testing.T) {
	key := testKey(t, "a")
	secret := []byte("a long enough instance secret")
	sealed, err := SealPrivateKey(key, secret, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("opens with the same secret", func(t *testing.T) {
		got, err := OpenPrivateKey(sealed, secret)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(key) {
			t.Fatal("opened key differs")
		}
	})
	t.Run("starts with version 1 and hides the key", func(t *testing.T) {
		der, _ := x509.MarshalPKCS8PrivateKey(key)
		if sealed[0] != 1 || bytes.Contains(sealed, der[40:80]) {
			t.Fatal("sealed form leaks the key or lacks the version byte")
		}
	})
	t.Run("is deterministic for a fixed random source", func(t *testing.T) {
		a, _ := SealPrivateKey(key, secret, bytes.NewReader(make([]byte, 64)))
		b, _ := SealPrivateKey(key, secret, bytes.NewReader(make([]byte, 64)))
		if !bytes.Equal(a, b) {
			t.Fatal("same inputs sealed differently")
		}
	})
	refuse := func(t *testing.T, sealed, secret []byte, want string) {
		t.Helper()
		_, err := OpenPrivateKey(sealed, secret)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Fatalf("got %v, want error containing %q", err, want)
		}
	}
	t.Run("refuses a wrong secret", func(t *testing.T) {
		refuse(t, sealed, []byte("another instance secret"), "does not open")
	})
	t.Run("refuses damaged data", func(t *testing.T) {
		bad := bytes.Clone(sealed)
		bad[len(bad)-1] ^= 1
		refuse(t, bad, secret, "does not open")
	})
	t.Run("refuses an unknown version", func(t *testing.T) {
		bad := bytes.Clone(sealed)
		bad[0] = 9
		refuse(t, bad, secret, "unknown version 9")
	})
	t.Run("refuses truncated data", func(t *testing.T) {
		refuse(t, sealed[:10], secret, "too short")
	})
	t.Run("refuses a short secret", func(t *testing.T) {
		_, err := SealPrivateKey(key, []byte("short"), rand.Reader)
		if err == nil || !strings.Contains(err.Error(), "at least 16 bytes") {
			t.Fatalf("got %v", err)
		}
	})
}
