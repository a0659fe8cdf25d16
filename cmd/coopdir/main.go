// Command coopdir runs a federated directory of co-ops: the web server and the
// administration commands (migrate, user, token, import, export, keys,
// block, partner). See docs/CLI.md.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"github.com/coopdir/coopdir/instance"
)

// version is set at build time: go build -ldflags '-X main.version=v1.2.3'.
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// After the first signal, restore the default behaviour so that a
		// second Ctrl-C ends a shutdown that hangs.
		<-ctx.Done()
		stop()
	}()
	code := Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// Exit codes of the program.
const (
	ExitOK      = 0 // success
	ExitFailure = 1 // a runtime failure: database unreachable, disk full…
	ExitUsage   = 2 // bad flags, unknown subcommand or bad input; nothing changed
)

// App is one run of the program with its surroundings: main fills it from
// the process, tests from buffers, so that they run the real program
// in-process.
type App struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string // environment lookup; nil means none

	// Started, if set, is called by serve once it accepts connections, before
	// it blocks: tests learn the address from it. Serve stops when the
	// context given to Run is cancelled.
	Started func(*instance.Instance)
}

// Run runs the program with args (without the program name) and returns its
// exit code: ExitOK, ExitFailure or ExitUsage.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	a := &App{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: getenv}
	return a.Run(ctx, args)
}

// command is one subcommand: it parses its own args and does its work.
type command struct {
	name    string
	summary string
	run     func(a *App, ctx context.Context, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", (*App).serve},
		{"migrate", "apply database migrations", (*App).migrate},
		{"user", "manage accounts: user add, user two-step-off", (*App).user},
		{"token", "manage API tokens: token create", (*App).token},
		{"import", "import a directory from a JSON file or CSV tables", (*App).importCmd},
		{"export", "export the whole local directory as JSON or CSV", (*App).export},
		{"backup", "copy a live SQLite database to a file", (*App).backup},
		{"keys", "manage the actors' signing keys: keys rotate", (*App).keysCmd},
		{"block", "manage domain blocks: block add|list|remove", (*App).block},
		{"partner", "manage partner networks: partner add|list|share|remove|approve|reject", (*App).partner},
		{"version", "print the version", (*App).versionCmd},
		{"help", "show help for the program or a subcommand", (*App).help},
	}
}

// Run runs the subcommand named by args[0] and maps its error to an exit
// code, printing one line for it on Stderr.
func (a *App) Run(ctx context.Context, args []string) int {
	if a.Getenv == nil {
		a.Getenv = func(string) string { return "" }
	}
	if len(args) == 0 {
		return a.exit("coopdir", usageErrorf("missing subcommand"))
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		a.printUsage(a.Stdout)
		return ExitOK
	case "-v", "-version", "--version":
		name = "version"
	}
	cmd, ok := findCommand(name)
	if !ok {
		return a.exit("coopdir", usageErrorf("unknown subcommand %q", name))
	}
	label := "coopdir " + name
	if len(rest) > 0 && slices.Contains(subcommands[name], rest[0]) {
		label += " " + rest[0]
	}
	return a.exit(label, cmd.run(a, ctx, rest))
}

// subcommands are the commands that take one, named in their messages.
var subcommands = map[string][]string{"user": {"add", "two-step-off"}, "token": {"create"}, "keys": {"rotate"},
	"block": {"add", "list", "remove"}, "partner": {"add", "list", "remove", "approve", "reject"}}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// exit prints err (if any) as one line starting with label and returns the
// exit code for it.
func (a *App) exit(label string, err error) int {
	if err == nil || errors.Is(err, errHelpShown) {
		return ExitOK
	}
	msg := oneLine(err.Error())
	if isUsage(err) {
		msg += "; run 'coopdir help' for usage"
	}
	fmt.Fprintf(a.Stderr, "%s: %s\n", label, msg)
	return exitCode(err)
}

func (a *App) printUsage(w io.Writer) {
	fmt.Fprint(w, "coopdir runs a federated directory of co-ops.\n\nUsage:\n  coopdir <command> [flags]\n\nCommands:\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'coopdir help <command> [<subcommand>]' for its flags; see docs/CLI.md.\n")
}

func (a *App) versionCmd(_ context.Context, args []string) error {
	fs := a.newFlags("version", "coopdir version", "Prints the version of this build.")
	if _, err := fs.parse(args, 0, 0); err != nil {
		return err
	}
	fmt.Fprintf(a.Stdout, "coopdir %s\n", version)
	return nil
}

// help prints the program's usage, or the help of a command or of one of
// its subcommands: help user add prints what user add -h prints.
func (a *App) help(ctx context.Context, args []string) error {
	if len(args) == 0 {
		a.printUsage(a.Stdout)
		return nil
	}
	cmd, ok := findCommand(args[0])
	if !ok {
		return usageErrorf("unknown subcommand %q", args[0])
	}
	if len(args) > 2 || (len(args) == 2 && !slices.Contains(subcommands[cmd.name], args[1])) {
		return usageErrorf("unknown subcommand %q", strings.Join(args, " "))
	}
	if cmd.name == "help" {
		a.printUsage(a.Stdout)
		return nil
	}
	// Every command and subcommand prints its own help for -h.
	return cmd.run(a, ctx, append(args[1:], "-h"))
}
