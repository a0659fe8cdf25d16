package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/coopdir/coopdir/directory"
	"github.com/coopdir/coopdir/federation"
	"github.com/coopdir/coopdir/instance"
)

// secretFileFlag defines --secret-file with its COOPDIR_SECRET_FILE fallback.
func (f *flagSet) secretFileFlag(p *string) {
	f.stringVar(p, "secret-file", "COOPDIR_SECRET_FILE", "",
		"`PATH` of the instance secret that seals the actors' private keys; made when missing "+
			"(default: "+instance.SecretFileName+" beside a SQLite database; required with PostgreSQL)")
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
	if baseURL, err = instance.CheckBaseURL(baseURL); err != nil {
		return usageError(err)
	}
	if secretFile, err = instance.SecretPath(dsn, secretFile); err != nil {
		return usageError(err)
	}
	urls, err := federation.NewURLs(baseURL)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ctx, svc := directory.AsSystem(ctx), newService(db)
	ref, err := actorNamed(ctx, svc, pos[0])
	if err != nil {
		return err
	}
	keys, err := instance.OpenKeys(db, secretFile)
	if err != nil {
		return err
	}
	name := federation.ActorKeyName(ref)
	// A key sealed with another secret than the server's cannot be used:
	// refuse unless the secret opens the instance key. The instance key
	// itself may be rotated under a new secret, the first step of
	// recovering from a lost one.
	if name != federation.InstanceUsername {
		if _, err := instance.CheckInstanceKey(ctx, keys, secretFile); err != nil {
			return err
		}
	}
	if _, err := keys.Rotate(ctx, name); err != nil {
		return err
	}
	// The server's publisher sends Update{actor} from this event.
	if err := svc.ActorUpdated(ctx, name); err != nil {
		return err
	}
	fmt.Fprintln(a.Stdout, urls.ActorIDOf(ref)+"#main-key")
	return nil
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
