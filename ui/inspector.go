package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// inspectorKeep is how many exchanges the inspector retains.
const inspectorKeep = 500

// statusTTL is how long a passing status line ("Exported to ...") stays.
const statusTTL = 8 * time.Second

// inspectorStatusExpiredMsg clears the status line it was armed for.
type inspectorStatusExpiredMsg struct{ gen int }

// inspectorScreen is the live transcript of Alipay+ exchanges, newest
// last, with the signature verdict; enter shows the bodies.
type inspectorScreen struct {
	entries   []Exchange
	lastSeq   int64
	cursor    int
	detail    bool
	polling   bool
	status    string
	statusErr bool
	// statusGen numbers status lines, so that an old expiry does not
	// clear a newer line.
	statusGen int
	// vp scrolls the detail of the exchange under the cursor.
	vp     viewport.Model
	keys   inspectorKeys
	width  int
	height int
}

func newInspectorScreen() inspectorScreen {
	return inspectorScreen{keys: defaultInspectorKeys(), vp: newDetailViewport()}
}

// SetSize sets the space the screen may use.
func (s *inspectorScreen) SetSize(w, h int) {
	s.width, s.height = w, h
	s.vp.SetWidth(max(10, w))
	s.vp.SetHeight(max(1, h-1))
}

// openDetail fills the viewport with the exchange under the cursor.
func (s *inspectorScreen) openDetail(st Styles) {
	if s.cursor >= len(s.entries) {
		return
	}
	s.detail = true
	s.vp.SetContent(detailContent(st, s.entries[s.cursor], s.width))
	s.vp.GotoTop()
}

// loaded appends the new exchanges; a cursor on the last one follows.
func (s *inspectorScreen) loaded(msg exchangesLoadedMsg) {
	s.polling = false
	if msg.err != nil {
		s.status, s.statusErr = "Transcript: "+firstLine(msg.err.Error()), true
		return
	}
	if s.statusErr {
		s.status, s.statusErr = "", false
	}
	follow := len(s.entries) == 0 || s.cursor == len(s.entries)-1
	for _, x := range msg.exchanges {
		if x.Seq > s.lastSeq {
			s.entries = append(s.entries, x)
			s.lastSeq = x.Seq
		}
	}
	if drop := len(s.entries) - inspectorKeep; drop > 0 {
		s.entries = append([]Exchange(nil), s.entries[drop:]...)
		s.cursor = max(0, s.cursor-drop)
	}
	if follow && len(s.entries) > 0 {
		s.cursor = len(s.entries) - 1
	}
}

// exported shows where the transcript went, for statusTTL.
func (s *inspectorScreen) exported(msg transcriptExportedMsg) tea.Cmd {
	if msg.err != nil {
		s.status, s.statusErr = "Export failed: "+firstLine(msg.err.Error()), true
	} else {
		s.status, s.statusErr = "Exported to "+msg.path, false
	}
	s.statusGen++
	gen := s.statusGen
	return tea.Tick(statusTTL, func(time.Time) tea.Msg { return inspectorStatusExpiredMsg{gen: gen} })
}

// expire clears the status line msg was armed for, unless a newer one
// replaced it.
func (s *inspectorScreen) expire(msg inspectorStatusExpiredMsg) {
	if msg.gen == s.statusGen {
		s.status, s.statusErr = "", false
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Update moves the cursor, opens the bodies and asks for the export (the
// root runs it, with the backend).
func (s inspectorScreen) Update(msg tea.Msg, b Backend, st Styles) (inspectorScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	if s.detail {
		if key.Matches(k, s.keys.Back) {
			s.detail = false
			return s, nil
		}
		var cmd tea.Cmd
		s.vp, cmd = s.vp.Update(k)
		return s, cmd
	}
	switch {
	case key.Matches(k, s.keys.Up):
		s.cursor = max(0, s.cursor-1)
	case key.Matches(k, s.keys.Down):
		s.cursor = max(0, min(len(s.entries)-1, s.cursor+1))
	case key.Matches(k, s.keys.Open):
		s.openDetail(st)
	case key.Matches(k, s.keys.Export):
		s.status, s.statusErr = "Exporting…", false
		return s, exportTranscript(b)
	case key.Matches(k, s.keys.Back):
		return s, send(showScreenMsg{page: pageCode})
	}
	return s, nil
}

func (s inspectorScreen) help() []key.Binding {
	if s.detail {
		return []key.Binding{s.vp.KeyMap.Up, s.vp.KeyMap.PageUp, s.keys.Back}
	}
	return []key.Binding{s.keys.Up, s.keys.Open, s.keys.Export, s.keys.Back}
}

// View draws the list, or the bodies of the exchange under the cursor.
func (s inspectorScreen) View(st Styles) string {
	var b strings.Builder
	rows := max(1, s.height-3)
	if s.detail && s.cursor < len(s.entries) {
		return s.detailView(st)
	}
	tb := fitTable(max(s.width, 20)-2, col{title: "Seq", w: 5, right: true, drop: 4}, col{title: "Time", w: 8, drop: 3},
		col{title: "Dir", w: 3}, col{title: "API", w: 16, min: 10}, col{title: "Result", w: 22, min: 12},
		col{title: "Signature", w: 9, drop: 2}, col{title: "ms", w: 6, right: true, drop: 1})
	line := func(mark, seq, at, dir, api, result, sig, lat string) string {
		return mark + tb.row(seq, at, dir, api, result, sig, lat)
	}
	if len(s.entries) == 0 {
		b.WriteString(st.Muted.Render("No exchanges yet.") + "\n")
	} else {
		b.WriteString(st.Muted.Render(line("  ", "Seq", "Time", "Dir", "API", "Result", "Signature", "ms")) + "\n")
		first := max(0, min(s.cursor-rows/2, len(s.entries)-rows))
		for i := first; i < len(s.entries) && i < first+rows; i++ {
			x := s.entries[i]
			mark := "  "
			if i == s.cursor {
				mark = "› "
			}
			result := x.ResultStatus
			if x.ResultCode != "" {
				result += " " + x.ResultCode
			}
			if x.Findings > 0 {
				result += fmt.Sprintf(" !%d", x.Findings)
			}
			sig := x.Signature
			if strings.HasPrefix(sig, "invalid") {
				sig = "INVALID"
			}
			l := line(mark, fmt.Sprint(x.Seq), x.At.Local().Format("15:04:05"), walletDirection(x), x.API, result, sig,
				fmt.Sprintf("%.0f", x.LatencyMs))
			switch {
			case i == s.cursor:
				l = lipgloss.NewStyle().Reverse(true).Render(l)
			case strings.HasPrefix(x.Signature, "invalid"):
				l = st.Error.Render(l)
			}
			b.WriteString(l + "\n")
		}
	}
	if s.status != "" {
		style := st.Muted
		if s.statusErr {
			style = st.Warn
		}
		b.WriteString(style.Width(max(20, s.width)).Render(s.status) + "\n")
	}
	return b.String()
}

// verdict colours a signature verdict.
func (s inspectorScreen) verdict(st Styles, v string) string {
	switch {
	case v == "ok":
		return st.Success.Render("signature ok")
	case strings.HasPrefix(v, "invalid"), v == "missing":
		return st.Error.Render("signature " + v)
	}
	return st.Muted.Render("signature " + v)
}
