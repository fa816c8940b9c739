package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"text/template"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// maxHelpWidth is the widest the help is ever wrapped to; narrower
// terminals get their own width, and output that is not a terminal 80.
const maxHelpWidth = 100

// helpWidth is the width the help is wrapped to on w.
func helpWidth(w io.Writer) int {
	f, ok := w.(*os.File)
	if !ok || !isTerminal(w) {
		return 80
	}
	cols, _, err := term.GetSize(f.Fd())
	if err != nil || cols <= 0 {
		return 80
	}
	return max(40, min(cols, maxHelpWidth))
}

// isTerminal reports whether w is a character device (a real terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func init() {
	cobra.AddTemplateFuncs(template.FuncMap{
		"wrapText":    wrapText,
		"commandList": commandList,
		"flagUsages": func(fs *pflag.FlagSet, width int) string {
			return strings.TrimRight(fs.FlagUsagesWrapped(width), " \n")
		},
	})
}

// setHelpLayout gives the tree a help wrapped to width: the summary, the
// usage line, the subcommands with their summaries in a hanging indent,
// the flags, the examples.
func setHelpLayout(root *cobra.Command, width int) {
	root.SetHelpTemplate(fmt.Sprintf(`{{wrapText (or .Long .Short) %d ""}}

{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`, width))
	root.SetUsageTemplate(fmt.Sprintf(`Usage:{{if .Runnable}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} <command> [flags]{{else}}
  {{.UseLine}}{{end}}{{end}}{{if .HasAvailableSubCommands}}

Commands:
{{commandList . %[1]d}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{flagUsages .LocalFlags %[1]d}}{{end}}{{if .HasAvailableInheritedFlags}}

Global flags:
{{flagUsages .InheritedFlags %[1]d}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Run '{{.CommandPath}} <command> --help' for a command's flags and examples.{{end}}
`, width))
}

// commandList lists c's subcommands, each summary wrapped under itself.
func commandList(c *cobra.Command, width int) string {
	pad := 0
	for _, s := range c.Commands() {
		if s.IsAvailableCommand() || s.Name() == "help" {
			pad = max(pad, len(s.Name()))
		}
	}
	var b strings.Builder
	for _, s := range c.Commands() {
		if !s.IsAvailableCommand() && s.Name() != "help" {
			continue
		}
		indent := strings.Repeat(" ", pad+4)
		b.WriteString("  " + s.Name() + strings.Repeat(" ", pad+2-len(s.Name())))
		b.WriteString(strings.TrimPrefix(wrapText(s.Short, width, indent), indent))
		b.WriteString("\n")
	}
	return strings.TrimRight(b.String(), "\n")
}

// wrapText wraps s at spaces so that no line, indent included, is wider
// than width; a word longer than the line stands alone on its line.
func wrapText(s string, width int, indent string) string {
	var out []string
	for _, para := range strings.Split(s, "\n") {
		line := indent
		for _, w := range strings.Fields(para) {
			if line != indent && len(line)+1+len(w) > width {
				out = append(out, line)
				line = indent
			}
			if line != indent {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
