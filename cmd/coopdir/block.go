package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/coopdir/coopdir/directory"
)

const blockSynopsis = "coopdir block add DOMAIN [--reason TEXT] | block list | block remove DOMAIN"

func (a *App) block(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageErrorf("block needs a subcommand: add, list or remove")
	}
	switch args[0] {
	case "-h", "-help", "--help":
		fs := a.newFlags("block", blockSynopsis,
			"Manages the domain blocks. A block refuses a domain and its subdomains, on any port:\n"+
				"their follows are rejected, their activities dropped, deliveries to them stopped,\n"+
				"and what they had sent (followers, follows, feed posts, responses, partner entries)\n"+
				"is removed. Run 'coopdir block add -h' and so on for each subcommand's flags.")
		_, err := fs.parse(args, 0, 0)
		return err
	case "add":
		return a.blockAdd(ctx, args[1:])
	case "list":
		return a.blockList(ctx, args[1:])
	case "remove":
		return a.blockRemove(ctx, args[1:])
	}
	return usageErrorf("unknown subcommand \"block %s\"", args[0])
}

// domainArg parses the one DOMAIN argument of block add and block remove,
// so that a bad domain is refused before the database is opened.
func domainArg(fs *flagSet, args []string, dsn *string) (string, error) {
	pos, err := fs.parse(args, 1, 1)
	if err != nil {
		return "", err
	}
	if err := checkDatabase(*dsn); err != nil {
		return "", err
	}
	return directory.NormalizeDomain(pos[0])
}

func (a *App) blockAdd(ctx context.Context, args []string) error {
	fs := a.newFlags("block", "coopdir block add DOMAIN [--reason TEXT]",
		"Blocks DOMAIN and its subdomains (coop.example also covers www.coop.example and\n"+
			"coop.example:8443, not evil-coop.example), removes what they had sent, and prints\n"+
			"what was removed. Reports they sent are kept.")
	var reason, dsn string
	fs.StringVar(&reason, "reason", "", fmt.Sprintf("why, for the other admins (`TEXT`, at most %d characters)", directory.MaxBlockReason))
	fs.databaseFlag(&dsn)
	domain, err := domainArg(fs, args, &dsn)
	if err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		b := &directory.DomainBlock{Domain: domain, Reason: reason}
		p, err := svc.BlockDomain(ctx, b)
		if directory.ErrorCode(err) == directory.ECONFLICT {
			return inputErrorf("%s is already blocked", domain)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "blocked %s\nremoved %s\n", b.Domain, p.Summary())
		return nil
	})
}

func (a *App) blockList(ctx context.Context, args []string) error {
	fs := a.newFlags("block", "coopdir block list",
		"Lists the blocked domains, sorted, with the day each was blocked (UTC) and the reason.")
	var dsn string
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		blocks, err := svc.DomainBlocks(ctx)
		if err != nil {
			return err
		}
		printBlocks(a.Stdout, blocks)
		return nil
	})
}

// printBlocks writes blocks as a table, or says there are none.
func printBlocks(w io.Writer, blocks []*directory.DomainBlock) {
	if len(blocks) == 0 {
		fmt.Fprintln(w, "no domain is blocked")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DOMAIN\tBLOCKED\tREASON")
	for _, b := range blocks {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", b.Domain, b.CreatedAt.UTC().Format(directory.DateLayout), oneLine(b.Reason))
	}
	tw.Flush()
}

func (a *App) blockRemove(ctx context.Context, args []string) error {
	fs := a.newFlags("block", "coopdir block remove DOMAIN",
		"Lifts the block of DOMAIN. What the block removed does not come back by itself:\n"+
			"its actors have to follow again, and partner entries to be sent again.")
	var dsn string
	fs.databaseFlag(&dsn)
	domain, err := domainArg(fs, args, &dsn)
	if err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		err := svc.UnblockDomain(ctx, domain)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return inputErrorf("%s is not blocked", domain)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "unblocked %s\n", domain)
		return nil
	})
}
