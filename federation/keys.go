package federation

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"

	"github.com/coopdir/coopdir/directory"
)

// KeyBits is the size of the RSA keys we generate and the smallest size we
// accept from others.
const KeyBits = 2048

// Sealed private keys (see directory.Seal).
const (
	sealInfo      = "coopdir actor private key v1"
	minSecretSize = directory.MinSecretSize
)

// GenerateKey returns a new RSA-2048 key for an actor. random is passed to
// crypto/rsa, which since Go 1.26 ignores it and always uses the system's
// secure source (tests wanting fixed keys use testing/cryptotest).
func GenerateKey(random io.Reader) (*rsa.PrivateKey, error) {
	key, err := rsa.GenerateKey(random, KeyBits)
	if err != nil {
		return nil, directory.Internal(err, "generate RSA key")
	}
	return key, nil
}

// PublicKeyPEM encodes pub as a PKIX "PUBLIC KEY" PEM block, the form Mastodon
// publishes in an actor's publicKey.publicKeyPem.
func PublicKeyPEM(pub *rsa.PublicKey) (string, error) {
	if pub == nil {
		return "", directory.Errorf(directory.EINVALID, "no public key")
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return "", directory.Internal(err, "encode public key")
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})), nil
}

// ParsePublicKeyPEM decodes a remote actor's public key: a PKIX "PUBLIC KEY"
// or a PKCS#1 "RSA PUBLIC KEY" PEM block. It returns an EINVALID error for
// anything that is not an RSA key of at least 2048 bits.
func ParsePublicKeyPEM(s string) (*rsa.PublicKey, error) {
	block, _ := pem.Decode([]byte(s))
	if block == nil {
		return nil, directory.Errorf(directory.EINVALID, "public key is not PEM encoded")
	}
	var pub any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		pub, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
	default:
		return nil, directory.Errorf(directory.EINVALID, "unexpected PEM block %q; want PUBLIC KEY or RSA PUBLIC KEY", block.Type)
	}
	if err != nil {
		return nil, &directory.Error{Code: directory.EINVALID, Message: "public key does not parse", Err: err}
	}
	return checkRSAPublic(pub)
}

func checkRSAPublic(pub any) (*rsa.PublicKey, error) {
	key, ok := pub.(*rsa.PublicKey)
	if !ok {
		return nil, directory.Errorf(directory.EINVALID, "public key is %s, not RSA", keyKind(pub))
	}
	if bits := key.N.BitLen(); bits < KeyBits {
		return nil, directory.Errorf(directory.EINVALID, "RSA public key has %d bits; at least %d are required", bits, KeyBits)
	}
	return key, nil
}

func keyKind(pub any) string {
	switch pub.(type) {
	case ed25519.PublicKey:
		return "Ed25519"
	case *ecdsa.PublicKey:
		return "ECDSA"
	default:
		return fmt.Sprintf("of type %T", pub)
	}
}

// SealPrivateKey encrypts key for storage with AES-256-GCM under a key
// derived from the instance secret (directory.Seal). random supplies the
// salt and nonce. The secret must be at least 16 bytes.
func SealPrivateKey(key *rsa.PrivateKey, secret []byte, random io.Reader) ([]byte, error) {
	if key == nil {
		return nil, directory.Errorf(directory.EINVALID, "no private key to seal")
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, directory.Internal(err, "encode private key")
	}
	return directory.Seal(der, secret, sealInfo, random)
}

// OpenPrivateKey decrypts a key sealed by SealPrivateKey. A wrong secret, a
// damaged value or an unknown version give an EINVALID error.
func OpenPrivateKey(sealed, secret []byte) (*rsa.PrivateKey, error) {
	der, err := directory.Unseal(sealed, secret, sealInfo, "sealed private key")
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, directory.Internal(err, "decode private key")
	}
	key, ok := parsed.(*rsa.PrivateKey)
	if !ok {
		return nil, directory.Errorf(directory.EINVALID, "sealed private key is not RSA")
	}
	return key, nil
}
