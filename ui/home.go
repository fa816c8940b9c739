package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// homeScreen is the wallet's front page: who is paying, what they have,
// what they may spend, and their latest payments.
type homeScreen struct {
	keys   homeKeys
	width  int
	height int
}

func newHomeScreen() homeScreen { return homeScreen{keys: defaultHomeKeys()} }

// homeKeys are the home screen's own bindings.
type homeKeys struct {
	Pay, Switch key.Binding
}

func defaultHomeKeys() homeKeys {
	return homeKeys{
		Pay:    key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "pay code")),
		Switch: key.NewBinding(key.WithKeys("s"), key.WithHelp("s", "switch user")),
	}
}

// SetSize sets the space the screen may use.
func (s *homeScreen) SetSize(w, h int) { s.width, s.height = w, h }

// Update handles the home screen's keys: enter shows the payment code,
// s the user switcher.
func (s homeScreen) Update(msg tea.Msg) (homeScreen, tea.Cmd) {
	k, ok := msg.(tea.KeyPressMsg)
	if !ok {
		return s, nil
	}
	switch {
	case key.Matches(k, s.keys.Pay):
		return s, send(showScreenMsg{page: pageCode})
	case key.Matches(k, s.keys.Switch):
		return s, send(showScreenMsg{page: pageUsers})
	}
	return s, nil
}

// help is the screen's keys for the footer.
func (s homeScreen) help() []key.Binding { return []key.Binding{s.keys.Pay, s.keys.Switch} }

// homeRecent is how many payments the home screen lists at most.
const homeRecent = 8

// View draws the user card and the latest payments; payments are the
// history screen's list (newest first), today the start of the user's day.
func (s homeScreen) View(st Styles, u wallet.User, h historyScreen, now time.Time) string {
	if u.ID == "" {
		return st.Muted.Render("Loading the user…") + "\n"
	}
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "%s %s\n", st.Muted.Render(fmt.Sprintf("%-10s", k)), v) }
	name := u.ID
	if u.Name != "" {
		name = u.Name + st.Muted.Render(" ("+u.ID+")")
	}
	row("User", name)
	row("Balance", st.Amount.Render(u.Balance.String()))
	row("Status", userState(st, u))
	row("Limits", limitsText(u))
	if n, spent := today(h.payments, u.Currency(), now); n > 0 {
		row("Today", fmt.Sprintf("%d paid, %s", n, money.Money{Currency: u.Currency(), Minor: spent}))
	}
	b.WriteString("\n" + st.Title.Render("Recent payments") + "\n")
	switch {
	case h.err != nil:
		b.WriteString(st.Error.Render("Could not load the payments: "+h.err.Error()) + "\n")
	case h.loading && len(h.payments) == 0:
		b.WriteString(st.Muted.Render("Loading…") + "\n")
	case len(h.payments) == 0:
		b.WriteString(st.Muted.Render("No payments yet: press enter to show your payment code.") + "\n")
	default:
		// Rows left below the card: the card's lines, the title, and one
		// spare line for the "more" hint.
		room := s.height - lipgloss.Height(b.String()) - 1
		shown := min(len(h.payments), homeRecent, max(1, room))
		for _, p := range h.payments[:shown] {
			b.WriteString(recentLine(st, p, s.width) + "\n")
		}
		if more := len(h.payments) - shown; more > 0 {
			b.WriteString(st.Muted.Render(fmt.Sprintf("… %d more in History (2)", more)) + "\n")
		}
	}
	return b.String()
}

// userState says whether the user can pay, and how the next payments are
// overridden.
func userState(st Styles, u wallet.User) string {
	parts := []string{string(u.Status)}
	if u.Status == "" {
		parts[0] = string(wallet.UserActive)
	}
	if u.KYCVerified {
		parts = append(parts, "KYC verified")
	} else {
		parts = append(parts, st.Warn.Render("KYC not verified"))
	}
	switch u.Override {
	case "":
	case wallet.OverrideAsk:
		parts = append(parts, st.Warn.Render("asks before each payment"))
	default:
		parts = append(parts, st.Warn.Render("next payments fail with "+string(u.Override)))
	}
	if u.Status == wallet.UserFrozen {
		parts[0] = st.Error.Render(parts[0])
	}
	return strings.Join(parts, " · ")
}

// limitsText lists the user's limits, or says there are none.
func limitsText(u wallet.User) string {
	l := u.Limits
	var parts []string
	if l.PerPayment > 0 {
		parts = append(parts, money.Money{Currency: u.Currency(), Minor: l.PerPayment}.String()+" a payment")
	}
	if l.DailyAmount > 0 {
		parts = append(parts, money.Money{Currency: u.Currency(), Minor: l.DailyAmount}.String()+" a day")
	}
	if l.DailyCount > 0 {
		parts = append(parts, fmt.Sprintf("%d payments a day", l.DailyCount))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " · ")
}

// today counts the successful payments of the UTC day of now (the day the
// limits count) and what they cost in the wallet's currency.
func today(ps []wallet.Payment, currency string, now time.Time) (n int, spent int64) {
	y, m, d := now.UTC().Date()
	for _, p := range ps {
		t := paymentTime(p).UTC()
		if p.Status != wallet.StatusSucceeded || p.Amount.Currency != currency {
			continue
		}
		if ty, tm, td := t.Date(); ty == y && tm == m && td == d {
			n++
			spent += p.Amount.Minor
		}
	}
	return n, spent
}

// recentLine is one payment in a line: time, outcome, amount, merchant.
func recentLine(st Styles, p wallet.Payment, width int) string {
	when := "           "
	if t := paymentTime(p); !t.IsZero() {
		when = t.Local().Format("01-02 15:04")
	}
	var mark string
	switch {
	case p.Refunded > 0:
		mark = st.Warn.Render("↩")
	case p.Status == wallet.StatusSucceeded:
		mark = st.Success.Render("✔")
	case p.Status == wallet.StatusProcessing:
		mark = st.Warn.Render("…")
	default:
		mark = st.Error.Render("✘")
	}
	line := fmt.Sprintf("%s %s %14s  %s", when, mark, p.Amount.String(), p.Merchant.Name)
	if p.Status == wallet.StatusFailed {
		line += st.Muted.Render("  " + string(p.ResultCode))
	}
	if width > 0 && lipgloss.Width(line) > width {
		line = ansi.Truncate(line, width, "…")
	}
	return line
}
