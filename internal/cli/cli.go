// Package cli is mppwallet's command line: the command tree on
// github.com/spf13/cobra (help, suggestions, completion, version), each
// command group in a file of its own (cmd_*.go), and the composition root
// that starts the wallet server, the simulator and the app (compose.go).
// Run is the whole program; main only hands it the process's arguments.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// cliEnv is what a command may touch of the outside world.
type cliEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

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

// Run executes one command line and returns the process exit code: 0
// success, 1 failure, 2 bad usage. A failure is one line on stderr; with
// --json it is also a JSON object on stdout (errorJSON), unless the
// command already reported it there (errSilentFailure).
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	root := newRoot(env, helpWidth(stdout))
	root.SetArgs(defaultCommand(args, isTerminal(stdout)))
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	if errors.Is(err, errSilentFailure) {
		return 1
	}
	code := exitCode(err)
	fmt.Fprintf(stderr, "mppwallet: %v\n", err)
	if wantsJSON(cmd, args, err) {
		writeFailureJSON(stdout, err, code)
	}
	return code
}

// exitCode is the exit code a failed command ends with: 2 for bad usage,
// an exitError's own, else 1.
func exitCode(err error) int {
	var ue *usageError
	var xe *exitError
	switch {
	case errors.As(err, &ue):
		return 2
	case errors.As(err, &xe):
		return xe.code
	}
	return 1
}

// defaultCommand makes the wallet app the command when none is named: no
// arguments in a terminal, or flags only ("mppwallet --user alice"). It
// also reads the standard flag package's "-help" as --help.
func defaultCommand(args []string, terminal bool) []string {
	for i, a := range args {
		if a == "--" {
			break
		}
		if a == "-help" {
			args = append(append(args[:i:i], "--help"), args[i+1:]...)
		}
	}
	switch {
	case len(args) == 0 && terminal:
		return []string{"ui"}
	case len(args) > 0 && strings.HasPrefix(args[0], "-") && !isHelpArg(args[0]) && args[0] != "--version" && args[0] != "-v":
		return append([]string{"ui"}, args...)
	}
	return args
}

func isHelpArg(a string) bool { return a == "-h" || a == "--help" }

// command declares one command of the tree: a group (subs) or a leaf
// (setup). newCommand builds the cobra command from it.
type command struct {
	name    string
	summary string
	// use is the usage line after the name: required flags and
	// arguments, e.g. "--code CODE --amount AMOUNT [flags]".
	use      string
	examples []string
	// setup registers flags and returns the function that runs the command
	// with the parsed flags and remaining arguments.
	setup func(fs *pflag.FlagSet, env *cliEnv) func(ctx context.Context, args []string) error
	// takesArgs lets positional arguments through; other leaves refuse them.
	takesArgs bool
	subs      []*command
}

// newRoot builds the whole command tree for one run.
func newRoot(env *cliEnv, width int) *cobra.Command {
	root := newCommand(env, &command{
		name:    "mppwallet",
		summary: "a terminal Alipay+ wallet (MPP) emulator",
		subs: []*command{uiCmd(), serveCmd(), simCmd(), codesCmd(), scanCmd(), identifyCmd(), merchantCmd(), posCmd(), faultsCmd(),
			usersCmd(), paymentsCmd(), reconcileCmd(), keysCmd(), sigCmd(), statusCmd(), selftestCmd(), benchCmd()},
	}, "")
	root.Long = "mppwallet: a terminal Alipay+ wallet (MPP) emulator. With no command, in a terminal, it starts the wallet app (ui).\n\n" +
		"Every command that uses a data dir takes --data DIR (or MPPWALLET_DATA); processes sharing a data dir find each other's " +
		"keys and addresses. Exit codes: 0 ok, 1 failure, 2 bad usage."
	root.Version = version()
	root.SetVersionTemplate("mppwallet {{.Version}}\n")
	root.AddCommand(versionCmd(env))
	root.SetHelpCommand(helpCmd(root))
	root.SetIn(env.stdin)
	root.SetOut(env.stdout)
	root.SetErr(env.stderr)
	root.SilenceErrors, root.SilenceUsage = true, true
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return &usageError{cmd: commandPath(c), msg: flagMessage(err)}
	})
	setHelpLayout(root, width)
	return root
}

// newCommand builds the cobra command of c; parent is the parent's path
// below the root ("" for the root and its children).
func newCommand(env *cliEnv, c *command, parent string) *cobra.Command {
	path := strings.TrimSpace(parent + " " + c.name)
	if parent == "" && c.name == "mppwallet" {
		path = ""
	}
	cc := &cobra.Command{
		Use:     strings.TrimSpace(c.name + " " + c.use),
		Short:   c.summary,
		Example: examples(c.examples),
		// A typo within two edits gets a "did you mean".
		SuggestionsMinimumDistance: 2,
	}
	if c.setup != nil {
		runFn := c.setup(cc.Flags(), env)
		cc.RunE = func(cmd *cobra.Command, args []string) error { return runFn(cmd.Context(), args) }
		cc.Args = func(_ *cobra.Command, args []string) error {
			if len(args) > 0 && !c.takesArgs {
				return usagef(path, "unexpected argument %q", args[0])
			}
			return nil
		}
		return cc
	}
	// A group runs only to say what is wrong: an unknown subcommand (with
	// suggestions) or none at all.
	cc.Args = cobra.ArbitraryArgs
	cc.RunE = func(cmd *cobra.Command, args []string) error {
		if len(args) > 0 {
			return unknownCommand(cmd, args[0])
		}
		if err := cmd.Help(); err != nil {
			return err
		}
		if path != "" {
			return usagef(path, "a subcommand is required")
		}
		return nil
	}
	for _, s := range c.subs {
		cc.AddCommand(newCommand(env, s, path))
	}
	return cc
}

// commandPath is the command's path below the root, e.g. "merchant charge".
func commandPath(c *cobra.Command) string {
	p := c.CommandPath()
	if r := c.Root(); r != nil {
		p = strings.TrimPrefix(p, r.Name())
	}
	return strings.TrimSpace(p)
}

func examples(ex []string) string {
	if len(ex) == 0 {
		return ""
	}
	return "  " + strings.Join(ex, "\n  ")
}

// envDefault returns the environment variable's value or def.
func (e *cliEnv) envDefault(name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// flagMessage rewrites pflag's errors in the one-line style of the other
// usage errors ("unknown flag: --x" becomes "unknown flag --x"), and says
// that long flags take two dashes when a single one was used.
func flagMessage(err error) string {
	msg := err.Error()
	if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: "); ok {
		if _, arg, ok := strings.Cut(rest, " in "); ok && len(arg) > 2 {
			return fmt.Sprintf("unknown flag %s (long flags take two dashes: -%s)", arg, arg)
		}
	}
	return strings.Replace(msg, "unknown flag: ", "unknown flag ", 1)
}

// helpCmd is "mppwallet help [command]": a command's help, and for a
// command that does not exist the usage error (exit 2) with suggestions
// that mistyping it anywhere else gets.
func helpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "show the help of any command, e.g. 'mppwallet help merchant charge'",
		ValidArgsFunction: func(c *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			cmd, _, err := root.Find(args)
			if err != nil {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, s := range cmd.Commands() {
				if s.IsAvailableCommand() && strings.HasPrefix(s.Name(), toComplete) {
					names = append(names, s.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err == nil && len(rest) > 0 {
				err = unknownCommand(cmd, rest[0])
			}
			if err != nil {
				return err
			}
			return cmd.Help()
		},
	}
}

// unknownCommand is the usage error for a subcommand of c that does not
// exist, with the nearest one as a suggestion.
func unknownCommand(c *cobra.Command, name string) error {
	msg := fmt.Sprintf("unknown command %q", name)
	if s := c.SuggestionsFor(name); len(s) > 0 {
		slices.Sort(s)
		msg += "; did you mean \"" + strings.Join(s, `" or "`) + "\"?"
	}
	return &usageError{cmd: commandPath(c), msg: msg}
}
