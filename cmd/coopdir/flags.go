package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/coopdir/coopdir/directory"
)

// cliError is a mistake of the person running the program: exit code 2.
// Usage errors (flags, subcommands) also point at the help.
type cliError struct {
	msg   string
	usage bool
}

func (e *cliError) Error() string { return e.msg }

// usageErrorf reports a bad command line.
func usageErrorf(format string, args ...any) error {
	return &cliError{msg: fmt.Sprintf(format, args...), usage: true}
}

// inputErrorf reports bad input other than the command line (a file, a
// password): exit 2 without the pointer to the help.
func inputErrorf(format string, args ...any) error {
	return &cliError{msg: fmt.Sprintf(format, args...)}
}

func isUsage(err error) bool {
	var ce *cliError
	return errors.As(err, &ce) && ce.usage
}

// errHelpShown ends a command after it printed its help for -h: exit 0.
var errHelpShown = errors.New("help shown")

// exitCode maps an error to the exit code: our own and the domain's
// input errors are 2, anything unexpected is 1.
func exitCode(err error) int {
	var ce *cliError
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &ce):
		return ExitUsage
	}
	switch directory.ErrorCode(err) {
	case directory.EINVALID, directory.ECONFLICT, directory.ENOTFOUND, directory.ETOOLARGE,
		directory.EFORBIDDEN, directory.EUNAUTHORIZED:
		return ExitUsage
	}
	return ExitFailure
}

// oneLine folds a message onto one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// flagSet is a subcommand's flags: the standard flag package, silenced (we
// print our own one-line errors), with environment fallbacks.
type flagSet struct {
	*flag.FlagSet
	app      *App
	synopsis string
	about    string
	env      []envBinding
}

type envBinding struct{ flag, env string }

func (a *App) newFlags(name, synopsis, about string) *flagSet {
	fs := flag.NewFlagSet("coopdir "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flagSet{FlagSet: fs, app: a, synopsis: synopsis, about: about}
}

// stringVar defines a string flag that falls back to the environment
// variable env (when env is not empty) and then to def.
func (f *flagSet) stringVar(p *string, name, env, def, usage string) {
	f.StringVar(p, name, def, withEnv(usage, env))
	f.bind(name, env)
}

// boolVar defines a boolean flag with an environment fallback.
func (f *flagSet) boolVar(p *bool, name, env string, def bool, usage string) {
	f.BoolVar(p, name, def, withEnv(usage, env))
	f.bind(name, env)
}

// intVar defines an integer flag with an environment fallback.
func (f *flagSet) intVar(p *int, name, env string, def int, usage string) {
	f.IntVar(p, name, def, withEnv(usage, env))
	f.bind(name, env)
}

// durationVar defines a duration flag (Go syntax: 30s, 2m) with an
// environment fallback.
func (f *flagSet) durationVar(p *time.Duration, name, env string, def time.Duration, usage string) {
	f.DurationVar(p, name, def, withEnv(usage, env))
	f.bind(name, env)
}

func (f *flagSet) bind(name, env string) {
	if env != "" {
		f.env = append(f.env, envBinding{name, env})
	}
}

func withEnv(usage, env string) string {
	if env == "" {
		return usage
	}
	return usage + " (env " + env + ")"
}

// parse parses args: flags may come before, between and after the
// positional arguments (a lone "-" is positional; "--" ends the flags). It
// then fills unset flags from the environment and checks that there are
// between minPos and maxPos positional arguments (maxPos < 0: any number).
// For -h it prints the command's help and returns errHelpShown.
func (f *flagSet) parse(args []string, minPos, maxPos int) ([]string, error) {
	var pos []string
	for {
		if err := f.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				f.printHelp(f.app.Stdout)
				return nil, errHelpShown
			}
			return nil, usageErrorf("%s", err)
		}
		rest := f.Args()
		if len(rest) == 0 {
			break
		}
		if used := len(args) - len(rest); used > 0 && args[used-1] == "--" {
			pos = append(pos, rest...)
			break
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
	if err := f.applyEnv(); err != nil {
		return nil, err
	}
	switch {
	case len(pos) < minPos:
		return nil, usageErrorf("missing argument; usage: %s", f.synopsis)
	case maxPos >= 0 && len(pos) > maxPos:
		return nil, usageErrorf("unexpected argument %q", pos[maxPos])
	}
	return pos, nil
}

func (f *flagSet) applyEnv() error {
	set := map[string]bool{}
	f.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	for _, b := range f.env {
		v := f.app.Getenv(b.env)
		if set[b.flag] || v == "" {
			continue
		}
		if err := f.Set(b.flag, v); err != nil {
			return usageErrorf("environment variable %s: invalid value %q", b.env, v)
		}
	}
	return nil
}

// required reports the first of the named string flags that is empty.
func (f *flagSet) required(names ...string) error {
	for _, n := range names {
		if fl := f.Lookup(n); fl != nil && fl.Value.String() == "" {
			return usageErrorf("--%s is required", n)
		}
	}
	return nil
}

func (f *flagSet) printHelp(w io.Writer) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", f.synopsis, f.about)
	n := 0
	f.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		f.SetOutput(w)
		f.PrintDefaults()
		f.SetOutput(io.Discard)
	}
}
