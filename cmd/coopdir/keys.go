package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/directory/storage"
	"github.com/coopdir/coopdir/federation"
)

// The instance secret seals the private keys of the ActivityPub actors in
// the database. It lives in a file of its own, outside the database, so that
// a copy of the database alone cannot sign as the instance's actors.
const (
	secretFileName = "coopdir.secret" // next to a SQLite database, when no --secret-file is given
	secretSize     = 32               // bytes of a new secret
	minSecretSize  = 16
)

// secretFileFlag defines --secret-file with its COOPDIR_SECRET_FILE fallback.
func (f *flagSet) secretFileFlag(p *string) {
	f.stringVar(p, "secret-file", "COOPDIR_SECRET_FILE", "",
		"`PATH` of the instance secret that seals the actors' private keys; made when missing "+
			"(default: "+secretFileName+" beside a SQLite database; required with PostgreSQL)")
}

// secretPath returns the secret file to use: file when given, else
// coopdir.secret beside a SQLite database. With PostgreSQL it must be given.
func secretPath(dsn, file string) (string, error) {
	if file != "" {
		return file, nil
	}
	engine, target, err := storage.Parse(dsn)
	if err != nil {
		return "", usageErrorf("--database: %s", directory.ErrorMessage(err))
	}
	if engine != storage.SQLite {
		return "", usageErrorf("--secret-file (or COOPDIR_SECRET_FILE) is required with a PostgreSQL database: " +
			"it names the file holding the secret that seals the actors' private keys")
	}
	return filepath.Join(filepath.Dir(target), secretFileName), nil
}

// loadSecret reads the instance secret from path, first making the file
// (32 random bytes, mode 0600) when it does not exist. It refuses a file
// that other users may read or that group members or others may write, and
// one shorter than 16 bytes.
func loadSecret(path string) ([]byte, error) {
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
		return nil, inputErrorf("secret file %s is not a regular file", path)
	}
	if perm := info.Mode().Perm(); perm&0o027 != 0 {
		return nil, inputErrorf("secret file %s has mode %04o: other users must not read it, nor anyone but its owner write it (chmod 600 %s)",
			path, perm, path)
	}
	secret, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("secret file: %w", err)
	}
	if len(secret) < minSecretSize {
		return nil, inputErrorf("secret file %s holds %d bytes; a secret needs at least %d", path, len(secret), minSecretSize)
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

// openKeys loads the instance secret and returns the actors' keys over db.
func openKeys(db directory.ActorKeyStore, secretFile string) (*federation.Keys, error) {
	secret, err := loadSecret(secretFile)
	if err != nil {
		return nil, err
	}
	return federation.NewKeys(db, secret)
}

// checkInstanceKey makes (on first start) the instance actor's key and
// checks that it opens with the secret: a secret file that was replaced
// would otherwise show only when something is signed. It returns the key.
func checkInstanceKey(ctx context.Context, keys *federation.Keys, secretFile string) (*directory.ActorKey, error) {
	k, err := keys.Key(ctx, federation.InstanceUsername, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("instance key: %w", err)
	}
	if _, err := keys.Open(k); err != nil {
		return nil, inputErrorf("the actors' keys were sealed with another secret than the one in %s: "+
			"restore that file from a backup, or rotate every key (coopdir keys rotate)", secretFile)
	}
	return k, nil
}

func (a *App) keysCmd(ctx context.Context, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		return a.keysRotate(ctx, args)
	}
	if len(args) == 0 {
		return usageErrorf("keys needs a subcommand: rotate")
	}
	if args[0] != "rotate" {
		return usageErrorf("unknown subcommand \"keys %s\"", args[0])
	}
	return a.keysRotate(ctx, args[1:])
}

func (a *App) keysRotate(ctx context.Context, args []string) error {
	fs := a.newFlags("keys", "coopdir keys rotate [--database DSN] [--secret-file PATH] [--base-url URL] HANDLE",
		"Replaces the signing key of an ActivityPub actor and prints the new key's id. HANDLE is an\n"+
			"enterprise's handle, or network, instance, needs or offers. Servers that cached the old key\n"+
			"fetch the new one when a signature no longer verifies; the running server also sends an\n"+
			"Update of the actor, with the new key, to the actor's followers.")
	var dsn, secretFile, baseURL string
	fs.databaseFlag(&dsn)
	fs.secretFileFlag(&secretFile)
	fs.stringVar(&baseURL, "base-url", "COOPDIR_BASE_URL", "http://localhost:8080",
		"public `URL` of the instance, to print the key id with")
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	if baseURL, err = checkBaseURL(baseURL); err != nil {
		return err
	}
	if secretFile, err = secretPath(dsn, secretFile); err != nil {
		return err
	}
	urls, err := federation.NewURLs(baseURL)
	if err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		ref, err := actorNamed(ctx, svc, pos[0])
		if err != nil {
			return err
		}
		keys, err := openKeys(svc.Store, secretFile)
		if err != nil {
			return err
		}
		name := federation.ActorKeyName(ref)
		if _, err := keys.Rotate(ctx, name); err != nil {
			return err
		}
		// The server's publisher sends Update{actor} from this event.
		ev := &directory.Event{Type: directory.EventActorUpdated, Actor: name, At: time.Now().UTC().Truncate(time.Microsecond)}
		if err := svc.Store.RecordEvent(ctx, ev); err != nil {
			return err
		}
		fmt.Fprintln(a.Stdout, urls.ActorIDOf(ref)+"#main-key")
		return nil
	})
}

// actorNamed finds the actor a handle names: one of the instance's own, or
// a local enterprise.
func actorNamed(ctx context.Context, svc *directory.Service, handle string) (federation.ActorRef, error) {
	handle = strings.ToLower(strings.TrimSpace(handle))
	switch handle {
	case federation.NetworkUsername, federation.InstanceUsername, federation.NeedsUsername, federation.OffersUsername:
		return federation.ActorRef{Kind: handle, Handle: handle}, nil
	}
	_, err := svc.Enterprise(ctx, handle)
	if directory.ErrorCode(err) == directory.ENOTFOUND {
		return federation.ActorRef{}, inputErrorf("no enterprise here has the handle %q; give an enterprise's handle, "+
			"or network, instance, needs or offers", handle)
	}
	if err != nil {
		return federation.ActorRef{}, err
	}
	return federation.ActorRef{Kind: federation.KindEnterprise, Handle: handle}, nil
}
