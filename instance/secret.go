package instance

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
)

// The instance secret seals the private keys of the ActivityPub actors in
// the database. It lives in a file of its own, outside the database, so that
// a copy of the database alone cannot sign as the instance's actors.
const (
	SecretFileName = "coopdir.secret" // next to a SQLite database, when no --secret-file is given
	secretSize     = 32               // bytes of a new secret
	minSecretSize  = 16
)

// SecretPath returns the secret file to use: file when given, else
// coopdir.secret beside a SQLite database. With PostgreSQL it must be given.
func SecretPath(dsn, file string) (string, error) {
	if file != "" {
		return file, nil
	}
	engine, target, err := ParseDSN(dsn)
	if err != nil {
		return "", &ConfigError{Setting: "database", Message: "--database: " + directory.ErrorMessage(err)}
	}
	if engine != SQLite {
		return "", &ConfigError{Setting: "secret-file", Message: "--secret-file (or COOPDIR_SECRET_FILE) is required with a PostgreSQL database: " +
			"it names the file holding the secret that seals the actors' private keys"}
	}
	return filepath.Join(filepath.Dir(target), SecretFileName), nil
}

// LoadSecret reads the instance secret from path, first making the file
// (32 random bytes, mode 0600) when it does not exist. It refuses a file
// that other users may read or that group members or others may write, and
// one shorter than 16 bytes.
func LoadSecret(path string) ([]byte, error) {
	secret, err := readSecret(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := createSecret(path, rand.Reader); err != nil {
			return nil, err
		}
		secret, err = readSecret(path)
	}
	return secret, err
}

func readSecret(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		return nil, fmt.Errorf("secret file: %w", err)
	}
	if !info.Mode().IsRegular() {
		return nil, directory.Errorf(directory.EINVALID, "secret file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o027 != 0 {
		return nil, directory.Errorf(directory.EINVALID, "secret file %s has mode %04o: other users must not read it, nor anyone but its owner write it (chmod 600 %s)",
			path, perm, path)
	}
	secret, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret file: %w", err)
	}
	if len(secret) < minSecretSize {
		return nil, directory.Errorf(directory.EINVALID, "secret file %s holds %d bytes; a secret needs at least %d", path, len(secret), minSecretSize)
	}
	return secret, nil
}

// createSecret writes a new secret to path. The file appears whole or not
// at all: it is written under another name and then linked to path, so two
// processes starting together end with one secret.
func createSecret(path string, random io.Reader) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("create secret folder: %w", err)
	}
	secret := make([]byte, secretSize)
	if _, err := io.ReadFull(random, secret); err != nil {
		return fmt.Errorf("make secret: %w", err)
	}
	tmp, err := os.CreateTemp(dir, ".coopdir-secret-*") // mode 0600
	if err != nil {
		return fmt.Errorf("create secret file: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(secret)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("write secret file: %w", err)
	}
	if err := os.Link(tmp.Name(), path); err != nil && !errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("create secret file: %w", err)
	}
	return nil
}

// OpenKeys loads the instance secret and returns the actors' keys over db.
func OpenKeys(db directory.ActorKeyStore, secretFile string) (*federation.Keys, error) {
	secret, err := LoadSecret(secretFile)
	if err != nil {
		return nil, err
	}
	return federation.NewKeys(db, secret)
}

// CheckInstanceKey makes (on first start) the instance actor's key and
// checks that it opens with the secret: a secret file that was replaced
// would otherwise show only when something is signed. It returns the key.
func CheckInstanceKey(ctx context.Context, keys *federation.Keys, secretFile string) (*directory.ActorKey, error) {
	k, err := keys.Key(ctx, federation.InstanceUsername, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("instance key: %w", err)
	}
	if _, err := keys.Open(k); err != nil {
		return nil, directory.Errorf(directory.EINVALID, "the actors' keys were sealed with another secret than the one in %s: "+
			"restore that file from a backup; if it is lost, rotate the instance key first (coopdir keys rotate instance), "+
			"then every other actor's key", secretFile)
	}
	return k, nil
}
