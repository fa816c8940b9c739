package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// walletDirection names an exchange's direction from the wallet's side:
// "out" for a call the wallet made to Alipay+, "in" for Alipay+'s call to
// the wallet; the simulator's own partners (the acquirer, a merchant's POS
// on the gateway) are named instead. The transcript records directions
// from the simulator's side ("in": it answered).
func walletDirection(x Exchange) string {
	switch {
	case strings.HasPrefix(x.API, "gateway."):
		return "pos"
	case strings.HasPrefix(x.API, "acquirer."):
		return "acq"
	case x.Direction == "in":
		return "out"
	case x.Direction == "out":
		return "in"
	}
	return x.Direction
}

// newDetailViewport is a viewport scrolled with keys no screen uses for
// anything else (letters stay the app's).
func newDetailViewport() viewport.Model {
	vp := viewport.New()
	off := key.NewBinding(key.WithDisabled())
	vp.KeyMap = viewport.KeyMap{
		Up:           key.NewBinding(key.WithKeys("up"), key.WithHelp("↑/↓", "scroll")),
		Down:         key.NewBinding(key.WithKeys("down")),
		PageUp:       key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup/pgdn", "page")),
		PageDown:     key.NewBinding(key.WithKeys("pgdown", "space")),
		HalfPageUp:   off,
		HalfPageDown: off,
		Left:         off,
		Right:        off,
	}
	return vp
}

// detailContent is everything about one exchange, wrapped to width: what
// was called, the verdicts, the findings, then each side's headers and
// pretty-printed body.
func detailContent(st Styles, x Exchange, width int) string {
	width = max(20, width)
	var b strings.Builder
	line := func(s string) { b.WriteString(ansi.Wrap(s, width, "") + "\n") }
	field := func(k, v string) { line(st.Muted.Render(fmt.Sprintf("%-10s", k)) + " " + v) }
	field("Direction", walletDirection(x)+directionNote(walletDirection(x)))
	if x.URI != "" {
		field("URI", x.URI)
	}
	result := strings.TrimSpace(x.ResultStatus + " " + x.ResultCode)
	if x.HTTPStatus != 0 {
		result += fmt.Sprintf(" (HTTP %d)", x.HTTPStatus)
	}
	field("Result", orDash(result))
	field("Latency", fmt.Sprintf("%.0f ms", x.LatencyMs))
	field("Time", x.At.Local().Format("2006-01-02 15:04:05.000 MST"))
	if x.Error != "" {
		field("Error", st.Error.Render(x.Error))
	}
	b.WriteString("\n")
	switch n := len(x.FindingMessages); {
	case n == 0 && x.Findings == 0:
		line(st.Success.Render("No conformance findings."))
	default:
		line(st.Warn.Render(fmt.Sprintf("%d conformance finding(s):", max(n, x.Findings))))
		for _, f := range x.FindingMessages {
			line("  ! " + f)
		}
	}
	for _, side := range []struct {
		name    string
		headers map[string]string
		body    string
	}{{"Request", x.RequestHeaders, x.RequestBody}, {"Response", x.ResponseHeaders, x.ResponseBody}} {
		b.WriteString("\n" + st.Title.Render(side.name) + "\n")
		names := make([]string, 0, len(side.headers))
		for k := range side.headers {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			line(st.Muted.Render(k+":") + " " + side.headers[k])
		}
		if len(names) > 0 {
			b.WriteString("\n")
		}
		if side.body == "" {
			line(st.Muted.Render("(no body)"))
			continue
		}
		for _, l := range strings.Split(prettyJSON(side.body), "\n") {
			line(l)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

func directionNote(d string) string {
	switch d {
	case "out":
		return "  (the wallet called Alipay+)"
	case "in":
		return "  (Alipay+ called the wallet)"
	case "pos":
		return "  (a merchant's POS called the acquiring gateway)"
	case "acq":
		return "  (Alipay+ and the acquirer)"
	}
	return ""
}

// prettyJSON indents a JSON body; anything else comes back as it is.
func prettyJSON(s string) string {
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(s), "", "  "); err != nil {
		return s
	}
	return out.String()
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// detailView is the detail of the exchange under the cursor in its
// viewport, with a title line and a scroll position.
func (s inspectorScreen) detailView(st Styles) string {
	x := s.entries[s.cursor]
	title := st.Title.Render(fmt.Sprintf("#%d %s %s", x.Seq, walletDirection(x), x.API)) + "  " + s.verdict(st, x.Signature)
	pos := st.Muted.Render(fmt.Sprintf("%3.0f%%", s.vp.ScrollPercent()*100))
	return lipgloss.JoinVertical(lipgloss.Left, ansi.Truncate(title+"  "+pos, max(10, s.width), "…"), s.vp.View())
}
