package cli

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// groupPaths lists every command of the tree, groups included.
func groupPaths(c *cobra.Command, parent []string) [][]string {
	path := parent
	if c.HasParent() {
		path = append(append([]string{}, parent...), c.Name())
	}
	out := [][]string{path}
	for _, s := range c.Commands() {
		out = append(out, groupPaths(s, path)...)
	}
	return out
}

// Every help page fits an 80-column terminal's idea of 100 columns at
// most: no line of 'mppwallet --help' or of any command's --help is wider.
func TestHelpFitsInHundredColumns(t *testing.T) {
	cliIsolate(t)
	paths := groupPaths(testRoot(), nil)
	if len(paths) < 30 {
		t.Fatalf("only %d commands found", len(paths))
	}
	for _, p := range paths {
		t.Run("mppwallet "+strings.Join(p, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append(p, "--help")...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			if !strings.Contains(stdout, "Usage:") {
				t.Fatalf("no usage in\n%s", stdout)
			}
			for _, line := range strings.Split(stdout, "\n") {
				if n := utf8.RuneCountInString(line); n > maxHelpWidth {
					t.Errorf("%d columns: %q", n, line)
				}
			}
		})
	}
}

// A flag's placeholder names what to give, in capitals (ADDR, FILE, N) or
// as a type (string, int, duration); a lower-case word such as "dark" would
// read as the default.
func TestFlagPlaceholdersNeverLookLikeDefaults(t *testing.T) {
	types := map[string]bool{"string": true, "int": true, "duration": true, "float": true, "stringArray": true, "": true}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			name, _ := pflag.UnquoteUsage(f)
			if types[name] {
				return
			}
			for _, r := range name {
				if unicode.IsLower(r) {
					t.Errorf("%s --%s: placeholder %q reads like a value; use capitals", c.CommandPath(), f.Name, name)
					return
				}
			}
		})
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(testRoot())
}

// The root's help names every command, and --version and version print the
// same line.
func TestVersionAndCompletion(t *testing.T) {
	cliIsolate(t)
	v1, _, code1 := runCLI(t, "", "--version")
	v2, _, code2 := runCLI(t, "", "version")
	if code1 != 0 || code2 != 0 || v1 != v2 || !strings.HasPrefix(v1, "mppwallet ") {
		t.Errorf("--version %q (exit %d), version %q (exit %d): want the same 'mppwallet …' line, exit 0", v1, code1, v2, code2)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		out, stderr, code := runCLI(t, "", "completion", shell)
		if code != 0 || stderr != "" || !strings.Contains(out, "mppwallet") || len(out) < 1000 {
			t.Errorf("completion %s: exit %d, stderr %q, %d bytes", shell, code, stderr, len(out))
		}
	}
	// The completion script's helper answers with the commands.
	out, _, code := runCLI(t, "", "__complete", "merch")
	if code != 0 || !strings.Contains(out, "merchant") {
		t.Errorf("__complete merch: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, "", "__complete", "merchant", "charge", "--cu")
	if !strings.Contains(out, "--currency") {
		t.Errorf("__complete merchant charge --cu:\n%s", out)
	}
}

// A mistyped command gets the nearest one as a suggestion, exit 2.
func TestMistypedCommandSuggests(t *testing.T) {
	cliIsolate(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"merchnt"}, `did you mean "merchant"?`},
		{[]string{"merchant", "chrage"}, `did you mean "charge"?`},
		{[]string{"help", "statsu"}, `did you mean "status"?`},
		{[]string{"users", "lst"}, `"list"`},
	} {
		_, stderr, code := runCLI(t, "", tt.args...)
		if code != 2 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
		assertOneErrorLine(t, stderr)
	}
}
