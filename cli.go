package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
)

// cliEnv is what a command may touch of the outside world.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

// errHelp ends a command after it printed its help.
var errHelp = errors.New("help shown")

// errSilentFailure exits 1 after the command already said why.
var errSilentFailure = errors.New("failed")

// exitError ends a command with a chosen exit code and a one-line message.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is a mistake in the command line (exit 2).
type usageError struct {
	cmd string
	msg string
}

func (e *usageError) Error() string {
	if e.cmd == "" {
		return fmt.Sprintf("%s (see 'mppwallet --help')", e.msg)
	}
	return fmt.Sprintf("%s: %s (see 'mppwallet %s --help')", e.cmd, e.msg, e.cmd)
}

func usagef(cmd, format string, args ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// command is a node of the command tree: a group (subs) or a leaf (run).
type command struct {
	name     string
	summary  string
	usage    string
	examples []string
	// setup registers flags and returns the function that runs the command
	// with the parsed flags and remaining arguments.
	setup func(fs *flag.FlagSet, env *cliEnv) func(ctx context.Context, args []string) error
	// takesArgs lets positional arguments through; other leaves refuse them.
	takesArgs bool
	subs      []*command
}

func root() *command {
	return &command{
		name:    "",
		summary: "a terminal Alipay+ wallet (MPP) emulator",
		subs:    []*command{uiCmd(), serveCmd(), simCmd(), codesCmd(), scanCmd(), identifyCmd(), merchantCmd(), faultsCmd(), usersCmd(), paymentsCmd(), keysCmd(), sigCmd(), statusCmd(), selftestCmd(), benchCmd()},
	}
}

func (c *command) path(parent string) string {
	return strings.TrimSpace(parent + " " + c.name)
}

func (c *command) dispatch(ctx context.Context, env *cliEnv, args []string) error {
	return c.dispatchAt(ctx, env, "", args)
}

func (c *command) dispatchAt(ctx context.Context, env *cliEnv, parent string, args []string) error {
	path := c.path(parent)
	if c.setup != nil {
		return c.runLeaf(ctx, env, path, args)
	}
	if path == "" && (len(args) == 0 && isTerminal(env.stdout) || len(args) > 0 && strings.HasPrefix(args[0], "-") && !isHelpArg(args[0])) {
		// No command in a terminal: the wallet app.
		return c.subs[0].dispatchAt(ctx, env, "", args)
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		if len(args) > 1 && args[0] == "help" {
			return c.dispatchAt(ctx, env, parent, append(args[1:], "--help"))
		}
		c.printGroupHelp(env.stdout, path)
		if len(args) == 0 && path != "" {
			return usagef(path, "a subcommand is required")
		}
		return errHelp
	}
	for _, s := range c.subs {
		if s.name == args[0] {
			return s.dispatchAt(ctx, env, path, args[1:])
		}
	}
	return &usageError{cmd: path, msg: fmt.Sprintf("unknown command %q", args[0])}
}

func (c *command) runLeaf(ctx context.Context, env *cliEnv, path string, args []string) error {
	fs := flag.NewFlagSet(path, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	runFn := c.setup(fs, env)
	// Flags may come before or after positional arguments.
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				c.printLeafHelp(env.stdout, path, fs)
				return errHelp
			}
			return &usageError{cmd: path, msg: flagMessage(err)}
		}
		if fs.NArg() == 0 {
			break
		}
		if !c.takesArgs {
			return usagef(path, "unexpected argument %q", fs.Arg(0))
		}
		positional = append(positional, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return runFn(ctx, positional)
}

func (c *command) printGroupHelp(w io.Writer, path string) {
	title := "mppwallet"
	if path != "" {
		title += " " + path
	}
	fmt.Fprintf(w, "%s: %s\n\nUsage:\n  %s <command> [flags]\n\nCommands:\n", title, c.summary, title)
	for _, s := range c.subs {
		fmt.Fprintf(w, "  %-10s %s\n", s.name, s.summary)
	}
	fmt.Fprintf(w, "\nRun '%s <command> --help' for a command's flags and examples.\n", title)
	if path == "" {
		fmt.Fprint(w, "\nEvery command that uses a data dir takes --data DIR (or MPPWALLET_DATA); processes\n"+
			"sharing a data dir find each other's keys and addresses. Exit codes: 0 ok, 1 failure,\n2 bad usage.\n")
	}
}

func (c *command) printLeafHelp(w io.Writer, path string, fs *flag.FlagSet) {
	fmt.Fprintf(w, "mppwallet %s: %s\n\nUsage:\n  mppwallet %s\n", path, c.summary, c.usage)
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	sort.Strings(names)
	if len(names) > 0 {
		fmt.Fprint(w, "\nFlags:\n")
		for _, n := range names {
			f := fs.Lookup(n)
			arg, usage := flag.UnquoteUsage(f)
			line := "  --" + n
			if arg != "" {
				line += " " + arg
			}
			fmt.Fprintf(w, "%-32s %s", line, usage)
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				fmt.Fprintf(w, " (default %s)", f.DefValue)
			}
			fmt.Fprintln(w)
		}
	}
	if len(c.examples) > 0 {
		fmt.Fprint(w, "\nExamples:\n")
		for _, e := range c.examples {
			fmt.Fprintf(w, "  %s\n", e)
		}
	}
}

// envDefault returns the environment variable's value or def.
func (e *cliEnv) envDefault(name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// flagMessage rewrites the flag package's errors in the --flag style the
// help uses ("flag provided but not defined: -x" becomes "unknown flag --x").
func flagMessage(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + strings.TrimPrefix(name, "-")
	}
	msg = strings.Replace(msg, " for flag -", " for flag --", 1)
	return strings.Replace(msg, "flag needs an argument: -", "flag needs an argument: --", 1)
}

func isHelpArg(a string) bool { return a == "-h" || a == "--help" || a == "-help" }
