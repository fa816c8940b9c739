package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// docSection returns the text under the first heading of doc that names
// `name` in backquotes, up to the next heading of the same or a higher
// level.
func docSection(doc, name string) (string, bool) {
	lines := strings.Split(doc, "\n")
	for i, l := range lines {
		level := len(l) - len(strings.TrimLeft(l, "#"))
		if level == 0 || !strings.Contains(l, "`"+name+"`") && strings.TrimSpace(l[level:]) != name {
			continue
		}
		end := len(lines)
		for j := i + 1; j < len(lines); j++ {
			if n := len(lines[j]) - len(strings.TrimLeft(lines[j], "#")); n > 0 && n <= level && strings.HasPrefix(lines[j][n:], " ") {
				end = j
				break
			}
		}
		return strings.Join(lines[i:end], "\n"), true
	}
	return "", false
}

// Every command that runs something has a section in docs/commands.md (its
// own, or its group's) with an example of it, and every flag it takes is
// named there or among the flags common to every command.
func TestEveryCommandAndFlagIsDocumented(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "commands.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	common, ok := docSection(doc, "Common to every command")
	if !ok {
		t.Fatal("docs/commands.md has no section 'Common to every command'")
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasParent() && c.Parent().Name() == "completion" {
			return // cobra's own scripts, documented under completion
		}
		if c.HasParent() && !c.HasSubCommands() {
			// A subcommand may be documented in its group's section.
			path := commandPath(c)
			sec, ok := docSection(doc, path)
			if group := commandPath(c.Parent()); group != "" {
				gsec, gok := docSection(doc, group)
				sec, ok = sec+"\n"+gsec, ok || gok
			}
			switch {
			case !ok:
				t.Errorf("docs/commands.md has no section for `%s`", path)
			case !strings.Contains(sec, "mppwallet "+path):
				t.Errorf("docs/commands.md: the section of `%s` has no example of it", path)
			default:
				c.LocalFlags().VisitAll(func(f *pflag.Flag) {
					if f.Name == "help" || strings.Contains(sec, "--"+f.Name) || strings.Contains(common, "--"+f.Name) {
						return
					}
					t.Errorf("docs/commands.md: `%s` does not document --%s", path, f.Name)
				})
			}
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(testRoot())
}
