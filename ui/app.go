package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/wallet"
)

// page is what the app shows.
type page int

const (
	pageCode page = iota
	pageConfirm
	pageResult
	pageHistory
	pageUsers
	pageInspector
	pageOverrides
	pageHome
	pageCalibrate
	pageScan
)

// titles name the pages in the header.
var titles = map[page]string{pageHistory: "History", pageUsers: "Users", pageInspector: "Inspector", pageOverrides: "Overrides",
	pageHome: "Home", pageCalibrate: "Calibration", pageScan: "Scan"}

// App is the root model: window size, global keys and routing.
type App struct {
	cfg     Config
	styles  Styles
	code    payCodeScreen
	history historyScreen
	users   usersScreen
	insp    inspectorScreen
	over    overridesScreen
	home    homeScreen
	calib   calibrateScreen
	scan    scanScreen
	inspGen int
	page    page
	held    wallet.Payment // the payment waiting for y/n
	result  wallet.Payment
	note    string
	user    wallet.User
	width   int
	height  int
	gen     int
	help    help.Model
	// dark is the terminal's background polarity, bgKnown whether the
	// terminal said so; profile is its colour profile, once known.
	dark    bool
	bgKnown bool
	profile colorprofile.Profile
	rkeys   resultKeys
	ckeys   confirmKeys
	nav     navKeys
	quitKey key.Binding
	// shown is what was last reported to Config.OnShown.
	shown Shown
}

// New builds the app.
func New(cfg Config) App {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.CodeBatch <= 0 || cfg.CodeBatch > 10 {
		cfg.CodeBatch = 4
	}
	m := App{cfg: cfg, styles: newStyles(true), code: newPayCodeScreen(cfg.Now, cfg.Barcode), help: help.New(), dark: true,
		history: newHistoryScreen(), users: newUsersScreen(), insp: newInspectorScreen(), over: newOverridesScreen(),
		home: newHomeScreen(), calib: newCalibrateScreen(), scan: newScanScreen(),
		rkeys: defaultResultKeys(), ckeys: defaultConfirmKeys(), nav: defaultNavKeys(),
		quitKey: key.NewBinding(key.WithKeys("ctrl+c"))}
	m.code.full, m.code.present, m.code.seamsNote = cfg.Display.Seamless, cfg.Display.Present, cfg.Display.SeamsNote
	if cfg.OnShown != nil {
		m.shown = m.Shown()
		cfg.OnShown(m.shown)
	}
	return m
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
	title := "Pay"
	if t, ok := titles[m.page]; ok {
		title = t
	}
	line := m.styles.Title.Render("mppwallet · "+title) + "  " + who + bal
	if m.width > 0 {
		line = ansi.Truncate(line, m.width, "…")
	}
	return line
}

// keyMap is the keys of the page shown.
func (m App) keyMap() help.KeyMap {
	switch m.page {
	case pageConfirm:
		return m.ckeys
	case pageResult:
		return m.rkeys
	}
	keys := withNav{nav: m.nav, quit: m.code.keys.Quit}
	switch m.page {
	case pageHome:
		keys.screen = m.home.help()
	case pageCalibrate:
		keys.screen, keys.all = m.calib.help(), m.calib.helpAll()
	case pageHistory:
		keys.screen, keys.all = m.history.help(), m.history.helpAll()
	case pageUsers:
		keys.screen, keys.all = m.users.help(), m.users.helpAll()
	case pageInspector:
		keys.screen = m.insp.help()
	case pageOverrides:
		keys.screen, keys.all = m.over.help(), m.over.helpAll()
	case pageScan:
		if m.scan.typing() {
			return m.scan.keys
		}
		keys.screen = m.scan.help()
	default:
		keys.screen = []key.Binding{m.code.keys.Toggle, m.code.keys.Reveal, m.code.keys.Refresh}
		keys.all = m.code.keys.screen()
	}
	return keys
}

// footer is the help line of the page shown: its main keys, always one
// line, so opening the full list (?) never takes rows from the page.
func (m App) footer() string {
	line := m.help.ShortHelpView(m.keyMap().ShortHelp())
	if m.width > 0 {
		line = ansi.Truncate(line, m.width, "…")
	}
	return line
}

// clip cuts a page's text to the window: lines to its width, and to the
// rows between the header and the footer, so no page scrolls the window
// or pushes the footer off it.
func (m App) clip(body string) string {
	if m.width <= 0 || m.height <= 0 {
		return body
	}
	rows := max(1, m.height-lipgloss.Height(m.header())-lipgloss.Height(m.footer())-2) // and the blank lines around
	lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
	if len(lines) > rows {
		lines = lines[:rows]
	}
	for i, l := range lines {
		lines[i] = ansi.Truncate(l, m.width, "…")
	}
	return strings.Join(lines, "\n") + "\n"
}

// helpPanel is every key of the page shown, drawn instead of the page
// while ? is down: the page's own layout (the code's fit) is untouched.
func (m App) helpPanel() string {
	title := "Pay"
	if t, ok := titles[m.page]; ok {
		title = t
	}
	switch m.page {
	case pageConfirm:
		title = "Confirm"
	case pageResult:
		title = "Result"
	}
	full := m.help.FullHelpView(m.keyMap().FullHelp())
	return m.styles.Title.Render("Keys: "+title) + "\n\n" + full + "\n\n" + m.styles.Muted.Render("? or esc hides the keys")
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
		body = confirmView(m.styles, heldOrder(m.held), m.width)
	case pageResult:
		body = resultView(m.styles, m.result, m.note, m.width)
		if m.cfg.Display.Present {
			body = m.presentResult()
		}
	case pageHistory:
		body = m.history.View(m.styles)
	case pageUsers:
		body = m.users.View(m.styles, m.cfg.CustomerID)
	case pageInspector:
		body = m.insp.View(m.styles)
	case pageOverrides:
		body = m.over.View(m.styles, m.user, m.cfg.Now())
	case pageHome:
		body = m.home.View(m.styles, m.user, m.history, m.cfg.Now())
	case pageCalibrate:
		c, _ := m.code.current()
		l, _, _, _ := m.code.layout(c.Value)
		body = m.calib.View(m.styles, c.Value, l, m.code.profile)
	case pageScan:
		body = m.scan.View(m.styles)
	default:
		body = m.code.View(m.styles)
	}
	var content string
	switch {
	case m.help.ShowAll:
		content = strings.Join([]string{m.header(), "", m.clip(m.helpPanel()), m.footer()}, "\n")
	case m.presenting():
		content = body
	case m.page == pageCode:
		// The Pay screen places itself in every row between the two.
		content = strings.Join([]string{m.header(), body, m.footer()}, "\n")
	default:
		content = strings.Join([]string{m.header(), "", m.clip(body), m.footer()}, "\n")
	}
	v := tea.NewView(content)
	v.AltScreen = true
	v.WindowTitle = "mppwallet"
	return v
}

// resize gives every screen the space left by the header and footer.
func (m *App) resize() {
	ch := m.chromeHeight()
	m.help.SetWidth(m.width)
	avail := m.height - lipgloss.Height(m.header()) - lipgloss.Height(m.footer())
	if m.presenting() {
		avail = m.height
	}
	m.code.SetSize(m.width, avail, m.height-avail)
	m.history.SetSize(m.width, m.height-ch)
	m.users.SetSize(m.width, m.height-ch)
	m.insp.SetSize(m.width, m.height-ch)
	m.over.SetSize(m.width, m.height-ch)
	m.home.SetSize(m.width, m.height-ch)
	m.calib.SetSize(m.width, m.height-ch)
	m.scan.SetSize(m.width, m.height-ch)
}

// applyProfile tells the code screen how to write the code's colours for
// the terminal's colour profile and background (or the theme the user
// set).
func (m *App) applyProfile() {
	dark, known := m.dark, m.bgKnown
	switch m.cfg.Theme {
	case "dark":
		dark, known = true, true
	case "light":
		dark, known = false, true
	}
	m.code.profile, m.code.colorNote = codeProfile(m.profile, dark, known)
	m.resize()
}

// show switches to a page reachable by the navigation keys and starts what
// it needs: the history and users load, the inspector starts polling.
func (m App) show(p page) (tea.Model, tea.Cmd) {
	if m.page == p {
		return m, nil
	}
	m.leaveScreen()
	m.page = p
	var cmd tea.Cmd
	switch p {
	case pageHistory:
		m.history.enter()
		cmd = m.refreshHistory()
	case pageUsers:
		m.users.loading = true
		cmd = loadUsers(m.cfg.Backend)
	case pageInspector:
		m.insp.detail = false
		cmd = tea.Batch(m.pollExchanges(), inspectorTick(m.inspGen))
	case pageOverrides:
		m.over.status, m.over.err = "", nil
		cmd = tea.Batch(m.refreshFaults(), loadUser(m.cfg.Backend, m.cfg.CustomerID))
	case pageHome:
		cmd = tea.Batch(m.refreshHistory(), loadUser(m.cfg.Backend, m.cfg.CustomerID))
	}
	m.resize()
	return m, cmd
}

// leaveScreen stops what the page shown runs in the background: the
// inspector's poll.
func (m *App) leaveScreen() {
	if m.page == pageInspector {
		m.inspGen++
	}
}

// refreshHistory reloads the history; it must be called on the model the
// caller keeps.
func (m *App) refreshHistory() tea.Cmd {
	m.history.loading = true
	return loadPayments(m.cfg.Backend, m.cfg.CustomerID)
}

// refreshFaults reloads the active faults; it must be called on the model
// the caller keeps.
func (m *App) refreshFaults() tea.Cmd {
	m.over.loading = true
	return loadFaults(m.cfg.Backend)
}

// pollExchanges asks for the exchanges after the last one shown, unless a
// poll is in flight.
func (m *App) pollExchanges() tea.Cmd {
	if m.insp.polling {
		return nil
	}
	m.insp.polling = true
	return loadExchanges(m.cfg.Backend, m.insp.lastSeq)
}

// switchUser shows another user's codes: the old codes are dropped, new
// ones fetched, the header reloaded, the history emptied.
func (m App) switchUser(id string) (tea.Model, tea.Cmd) {
	if id == m.cfg.CustomerID {
		return m.show(pageCode)
	}
	m.cfg.CustomerID = id
	m.user = wallet.User{}
	code := newPayCodeScreen(m.cfg.Now, m.code.barcode)
	code.reveal, code.full, code.present, code.profile, code.colorNote, code.seamsNote = m.code.reveal, m.code.full, m.code.present, m.code.profile, m.code.colorNote, m.code.seamsNote
	m.code = code
	m.history = newHistoryScreen()
	m.gen++
	m.leaveScreen()
	m.page = pageCode
	m.resize()
	return m, tea.Batch(m.fetch(), loadUser(m.cfg.Backend, id), tick(m.gen))
}
