package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// page is what the app shows.
type page int

const (
	pageCode page = iota
	pageConfirm
	pageResult
)

// App is the root model: window size, global keys and routing.
type App struct {
	cfg     Config
	styles  Styles
	code    payCodeScreen
	page    page
	held    wallet.Payment // the payment waiting for y/n
	result  wallet.Payment
	note    string
	user    wallet.User
	width   int
	height  int
	gen     int
	help    help.Model
	rkeys   resultKeys
	ckeys   confirmKeys
	quitKey key.Binding
}

// New builds the app.
func New(cfg Config) App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CodeBatch <= 0 || cfg.CodeBatch > 10 {
		cfg.CodeBatch = 4
	}
	return App{cfg: cfg, styles: newStyles(true), code: newPayCodeScreen(cfg.Now, cfg.Barcode), help: help.New(),
		rkeys: defaultResultKeys(), ckeys: defaultConfirmKeys(),
		quitKey: key.NewBinding(key.WithKeys("ctrl+c"))}
}

// Init implements tea.Model.
func (m App) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.fetch(), loadUser(m.cfg.Backend, m.cfg.CustomerID),
		waitForEvent(m.cfg.Events), tick(m.gen))
}

// fetch marks a fetch in flight and returns its command. It must be
// called on the model the caller keeps.
func (m *App) fetch() tea.Cmd {
	m.code.fetching = true
	return fetchCodes(m.cfg.Backend, m.cfg.CustomerID, m.cfg.CodeBatch)
}

// Update implements tea.Model.
func (m App) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.code.SetSize(msg.Width, msg.Height-m.chromeHeight(), m.chromeHeight())
		return m, nil
	case tea.BackgroundColorMsg:
		m.styles = newStyles(msg.IsDark())
		m.help.Styles = help.DefaultStyles(msg.IsDark())
		return m, nil
	case codesFetchedMsg:
		m.code.fetched(msg)
		return m, nil
	case userLoadedMsg:
		if msg.err == nil {
			m.user = msg.user
		}
		return m, nil
	case tickMsg:
		if msg.gen != m.gen {
			return m, nil
		}
		m.code.prune()
		var cmds []tea.Cmd
		if m.code.needFetch() {
			cmds = append(cmds, m.fetch())
		}
		return m, tea.Batch(append(cmds, tick(m.gen))...)
	case paymentEventMsg:
		return m.onEvent(msg.event)
	case confirmedMsg:
		m.page = pageResult
		m.result, m.note = msg.payment, ""
		if msg.err != nil {
			if msg.payment.RequestID == "" {
				m.result = m.held
			}
			m.note = msg.err.Error()
		}
		return m, loadUser(m.cfg.Backend, m.cfg.CustomerID)
	case tea.KeyPressMsg:
		return m.onKey(msg)
	}
	return m, nil
}

// onEvent shows the result page when a payment for one of our codes is
// decided, and asks the user when one is held for confirmation.
func (m App) onEvent(e wallet.Event) (tea.Model, tea.Cmd) {
	next := waitForEvent(m.cfg.Events)
	p := e.Payment
	if p.CustomerID != m.cfg.CustomerID {
		return m, next
	}
	ours := m.code.markUsed(p.CodeValue) || p.Mode == wallet.ModeUPM
	if !ours {
		return m, next
	}
	switch e.Kind {
	case wallet.EventReceived:
		m.page, m.held = pageConfirm, p
	case wallet.EventDecided:
		if m.page == pageConfirm && m.held.RequestID == p.RequestID {
			return m, next // our own answer; confirmedMsg shows it
		}
		m.page, m.result, m.note = pageResult, p, ""
	default:
		return m, tea.Batch(next, loadUser(m.cfg.Backend, m.cfg.CustomerID))
	}
	return m, tea.Batch(next, loadUser(m.cfg.Backend, m.cfg.CustomerID))
}

func (m App) onKey(k tea.KeyPressMsg) (tea.Model, tea.Cmd) {
	if key.Matches(k, m.quitKey) {
		return m, tea.Quit
	}
	switch m.page {
	case pageConfirm:
		switch {
		case key.Matches(k, m.ckeys.Yes):
			return m, confirm(m.cfg.Backend, m.held.RequestID, true)
		case key.Matches(k, m.ckeys.No):
			return m, confirm(m.cfg.Backend, m.held.RequestID, false)
		}
		return m, nil
	case pageResult:
		switch {
		case key.Matches(k, m.rkeys.Quit):
			return m, tea.Quit
		case key.Matches(k, m.rkeys.Back):
			m.page = pageCode
			m.gen++
			m.code.prune()
			var cmds []tea.Cmd
			if m.code.needFetch() {
				cmds = append(cmds, m.fetch())
			}
			return m, tea.Batch(append(cmds, tick(m.gen))...)
		}
		return m, nil
	}
	if key.Matches(k, m.code.keys.Quit) {
		return m, tea.Quit
	}
	var cmd tea.Cmd
	m.code, cmd = m.code.Update(k)
	if key.Matches(k, m.code.keys.Refresh) {
		return m, tea.Batch(cmd, m.fetch())
	}
	return m, cmd
}

// header is the title line.
func (m App) header() string {
	who := m.cfg.CustomerID
	if m.user.Name != "" {
		who = m.user.Name
	}
	bal := ""
	if m.user.ID != "" {
		bal = "  " + m.styles.Amount.Render(m.user.Balance.String())
	}
	return m.styles.Title.Render("mppwallet · Pay") + "  " + who + bal
}

// footer is the help line of the page shown.
func (m App) footer() string {
	switch m.page {
	case pageConfirm:
		return m.help.View(m.ckeys)
	case pageResult:
		return m.help.View(m.rkeys)
	}
	return m.help.View(m.code.keys)
}

// chromeHeight is the rows the header and footer take, measured.
func (m App) chromeHeight() int {
	return lipgloss.Height(m.header()) + lipgloss.Height(m.footer()) + 2
}

// View implements tea.Model.
func (m App) View() tea.View {
	var body string
	switch m.page {
	case pageConfirm:
		p := m.held
		body = m.styles.Title.Render(fmt.Sprintf("Pay %s to %s?", p.PaymentAmount, p.Merchant.Name)) + "\n\n"
		if p.Amount.Currency != p.PaymentAmount.Currency {
			body += fmt.Sprintf("Charged to your wallet: %s (rate %s %s)\n", p.Amount, p.Quote.Price, p.Quote.CurrencyPair)
		}
		body += m.styles.Muted.Render("Store "+p.Merchant.StoreName) + "\n"
	case pageResult:
		body = resultView(m.styles, m.result, m.note)
	default:
		body = m.code.View(m.styles)
	}
	content := strings.Join([]string{m.header(), "", body, m.footer()}, "\n")
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "mppwallet"
	return v
}
