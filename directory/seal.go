package directory

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"io"
)

// Sealed value layout: version | salt | nonce | AES-256-GCM ciphertext.
const (
	sealVersion   byte = 1
	sealSaltSize       = 16
	sealNonceSize      = 12
	// MinSecretSize is the shortest instance secret that seals.
	MinSecretSize = 16
)

// Seal encrypts plain for storage with AES-256-GCM under a key derived from
// the instance secret (HKDF-SHA256 with a fresh random salt and info, which
// names what is sealed so that one kind never opens as another). random
// supplies the salt and nonce. EINVALID when the secret is shorter than
// MinSecretSize.
func Seal(plain, secret []byte, info string, random io.Reader) ([]byte, error) {
	head := make([]byte, 1+sealSaltSize+sealNonceSize)
	head[0] = sealVersion
	if _, err := io.ReadFull(random, head[1:]); err != nil {
		return nil, Internal(err, "read random salt and nonce")
	}
	salt, nonce := head[1:1+sealSaltSize], head[1+sealSaltSize:]
	aead, err := sealCipher(secret, salt, info)
	if err != nil {
		return nil, err
	}
	return aead.Seal(head, nonce, plain, head[:1]), nil
}

// Unseal decrypts a value sealed by Seal with the same info. A wrong
// secret, a damaged value or an unknown version give an EINVALID error
// whose message starts with what, the name of the value.
func Unseal(sealed, secret []byte, info, what string) ([]byte, error) {
	headSize := 1 + sealSaltSize + sealNonceSize
	if len(sealed) < headSize {
		return nil, Errorf(EINVALID, "%s is too short", what)
	}
	if sealed[0] != sealVersion {
		return nil, Errorf(EINVALID, "%s has unknown version %d", what, sealed[0])
	}
	salt, nonce := sealed[1:1+sealSaltSize], sealed[1+sealSaltSize:headSize]
	aead, err := sealCipher(secret, salt, info)
	if err != nil {
		return nil, err
	}
	plain, err := aead.Open(nil, nonce, sealed[headSize:], sealed[:1])
	if err != nil {
		return nil, Errorf(EINVALID, "%s does not open with this instance secret (wrong secret or damaged data)", what)
	}
	return plain, nil
}

func sealCipher(secret, salt []byte, info string) (cipher.AEAD, error) {
	if len(secret) < MinSecretSize {
		return nil, Errorf(EINVALID, "instance secret must be at least %d bytes", MinSecretSize)
	}
	k, err := hkdf.Key(sha256.New, secret, salt, info, 32)
	if err != nil {
		return nil, Internal(err, "derive key")
	}
	block, err := aes.NewCipher(k)
	if err != nil {
		return nil, Internal(err, "AES")
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, Internal(err, "GCM")
	}
	return aead, nil
}
