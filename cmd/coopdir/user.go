package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"golang.org/x/term"

	"github.com/coopdir/coopdir/directory"
)

// maxPasswordInput bounds what --password-stdin reads.
const maxPasswordInput = 4096

func (a *App) user(ctx context.Context, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		return a.userAdd(ctx, args)
	}
	if len(args) == 0 {
		return usageErrorf("user needs a subcommand: add, two-step-off")
	}
	switch args[0] {
	case "add":
		return a.userAdd(ctx, args[1:])
	case "two-step-off":
		return a.userTwoStepOff(ctx, args[1:])
	}
	return usageErrorf("unknown subcommand \"user %s\"", args[0])
}

// userTwoStepOff turns off the two-step sign-in of an account whose owner
// lost the phone and the recovery codes, when no admin can sign in to do
// it on Admin > Users (the last admin's own phone, say).
func (a *App) userTwoStepOff(ctx context.Context, args []string) error {
	fs := a.newFlags("user", "coopdir user two-step-off --email E",
		"Turns off the two-step sign-in of an account and signs out every browser of it;\n"+
			"its owner then signs in with the password alone (and may turn it on again).")
	var email, dsn string
	fs.StringVar(&email, "email", "", "`EMAIL` of the account")
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := fs.required("email"); err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		ended, err := svc.ResetTwoStepByEmail(ctx, email)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return inputErrorf("%s: no account with that email has two-step sign-in on; nothing changed", email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "two-step sign-in of %s is off; %d browser session(s) signed out\n", email, ended)
		return nil
	})
}

func (a *App) userAdd(ctx context.Context, args []string) error {
	fs := a.newFlags("user", "coopdir user add --email E --name N --role admin|editor [--enterprise HANDLE] [--password-stdin]",
		"Creates an account. The password is asked twice on the terminal (without echo),\n"+
			"or read from standard input with --password-stdin. An editor manages one enterprise.")
	var email, name, role, enterprise, dsn string
	var fromStdin bool
	fs.StringVar(&email, "email", "", "`EMAIL` address, used to sign in")
	fs.StringVar(&name, "name", "", "the person's `NAME`")
	fs.StringVar(&role, "role", "", "`ROLE`: admin (manages everything) or editor (manages one enterprise)")
	fs.StringVar(&enterprise, "enterprise", "", "`HANDLE` of the enterprise an editor manages")
	fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from standard input")
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := fs.required("email", "name", "role"); err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	pw, err := a.readPassword(fromStdin)
	if err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		u := &directory.User{Email: email, Name: name, Role: directory.Role(role)}
		if err := svc.AddUser(ctx, u, enterprise, pw); err != nil {
			return err
		}
		fmt.Fprintf(a.Stdout, "added %s %s (%s)\n", u.Role, u.Email, u.Name)
		return nil
	})
}

// readPassword reads the new password from stdin (--password-stdin: the
// first line) or asks for it twice on the terminal.
func (a *App) readPassword(fromStdin bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(io.LimitReader(a.Stdin, maxPasswordInput)).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", fmt.Errorf("read password: %w", err)
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd, ok := terminalFD(a.Stdin)
	if !ok {
		return "", usageErrorf("standard input is not a terminal: pass the password with --password-stdin")
	}
	fmt.Fprint(a.Stderr, "Password: ")
	first, err := term.ReadPassword(fd)
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	fmt.Fprint(a.Stderr, "Repeat password: ")
	second, err := term.ReadPassword(fd)
	fmt.Fprintln(a.Stderr)
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if string(first) != string(second) {
		return "", inputErrorf("the passwords do not match; nothing changed")
	}
	return string(first), nil
}

// terminalFD returns the file descriptor of r when r is a terminal.
func terminalFD(r any) (int, bool) {
	f, ok := r.(interface{ Fd() uintptr })
	if !ok {
		return 0, false
	}
	fd := int(f.Fd())
	return fd, term.IsTerminal(fd)
}

func (a *App) token(ctx context.Context, args []string) error {
	if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
		return a.tokenCreate(ctx, args)
	}
	if len(args) == 0 {
		return usageErrorf("token needs a subcommand: create")
	}
	if args[0] != "create" {
		return usageErrorf("unknown subcommand \"token %s\"", args[0])
	}
	return a.tokenCreate(ctx, args[1:])
}

func (a *App) tokenCreate(ctx context.Context, args []string) error {
	fs := a.newFlags("token", "coopdir token create --user EMAIL [--name NAME]",
		"Creates an API token for a user and prints its secret, once: only its hash is stored.")
	var email, name, dsn string
	fs.StringVar(&email, "user", "", "`EMAIL` of the user the token acts as")
	fs.StringVar(&name, "name", "", "`NAME`: what the token is for, e.g. \"import script\"")
	fs.databaseFlag(&dsn)
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	if err := fs.required("user"); err != nil {
		return err
	}
	if err := checkDatabase(dsn); err != nil {
		return err
	}
	return withService(ctx, dsn, func(ctx context.Context, svc *directory.Service) error {
		secret, err := svc.CreateToken(ctx, email, name)
		if directory.ErrorCode(err) == directory.ENOTFOUND {
			return inputErrorf("no user with email %q", email)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(a.Stdout, secret)
		return nil
	})
}
