package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// version describes this build: the module version ("v1.2.3" when built by
// go install …@v1.2.3, "(devel)" from a checkout), the VCS revision and
// time when the build recorded them, and the Go version.
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown build)"
	}
	v := bi.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, at, dirty string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			at = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = ", modified"
			}
		}
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	if rev != "" {
		v += fmt.Sprintf(" (%s %s%s)", rev, at, dirty)
	}
	return v + " " + bi.GoVersion
}

// versionCmd is "mppwallet version", the same as --version.
func versionCmd(env *cliEnv) *cobra.Command {
	return newCommand(env, &command{
		name:     "version",
		summary:  "print mppwallet's version (the same as --version)",
		use:      "[flags]",
		examples: []string{"mppwallet version", "mppwallet --version"},
		setup: func(_ *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			return func(context.Context, []string) error {
				_, err := fmt.Fprintf(env.stdout, "mppwallet %s\n", version())
				return err
			}
		},
	}, "")
}
