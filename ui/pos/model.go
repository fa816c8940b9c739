package pos

import (
	"context"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/internal/money"
)

// Defaults of Config.
const (
	DefaultLogSize       = 200
	DefaultQueueSize     = 8
	DefaultActionTimeout = 2 * time.Minute
)

// Config sets up the till.
type Config struct {
	// Till charges, refunds and voids.
	Till Till
	// Context is the parent of every call's context (default
	// context.Background()).
	Context context.Context
	// Amount is the next sale's amount; zero opens the amount entry at
	// start.
	Amount money.Money
	// Currency is the currency of an amount typed without one (default
	// Amount's, else USD).
	Currency string
	// Scanner frames the scans (prefix and suffix to strip).
	Scanner Scanner
	// Shop names the merchant, store and terminal in the header.
	Shop string
	// Now is the clock of the log (default time.Now).
	Now func() time.Time
	// LogSize bounds the till log (default DefaultLogSize lines).
	LogSize int
	// QueueSize bounds the scans waiting while a sale is in progress
	// (default DefaultQueueSize).
	QueueSize int
	// ActionTimeout bounds a refund or a void (default
	// DefaultActionTimeout); a charge's deadline is the Till's.
	ActionTimeout time.Duration
}

// mode is what the keys type into.
type mode int

const (
	modeScan mode = iota
	modeAmount
	modeRefund
)

// jobKind is what is in flight.
type jobKind int

const (
	jobNone jobKind = iota
	jobCharge
	jobRefund
	jobVoid
)

// job is the one call in flight; seq tells its answer from a stale one.
type job struct {
	kind   jobKind
	seq    int
	code   string
	amount money.Money
	cancel context.CancelFunc
	// voiding: the user voided the sale in progress (its context was
	// cancelled).
	voiding bool
}

// queued is a scan waiting for the sale in progress, at the amount set
// when it was scanned.
type queued struct {
	code   string
	amount money.Money
}

// Model is the till: a Bubble Tea model.
type Model struct {
	cfg           Config
	st            styles
	keys          keys
	help          help.Model
	width, height int
	mode          mode
	// scan is what the scanner has typed since its last terminator.
	scan   []rune
	entry  textinput.Model
	errMsg string
	amount money.Money
	busy   job
	seq    int
	queue  []queued
	// last is the last sale that landed (hasLast once there is one).
	last    Sale
	hasLast bool
	log     []entry
	till    till
	// status is the line under the scan: what just happened.
	status     string
	statusRole role
	// quitArmed: ctrl+c was pressed once while a call was in flight.
	quitArmed bool
}

// New returns the till, with the amount entry open when cfg has no amount.
func New(cfg Config) Model {
	if cfg.Context == nil {
		cfg.Context = context.Background()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Currency == "" {
		cfg.Currency = cfg.Amount.Currency
	}
	if cfg.Currency == "" {
		cfg.Currency = "USD"
	}
	if cfg.LogSize <= 0 {
		cfg.LogSize = DefaultLogSize
	}
	if cfg.QueueSize <= 0 {
		cfg.QueueSize = DefaultQueueSize
	}
	if cfg.ActionTimeout <= 0 {
		cfg.ActionTimeout = DefaultActionTimeout
	}
	in := textinput.New()
	in.Prompt = "› "
	in.CharLimit = 40
	st := in.Styles()
	st.Cursor.Blink = false // a steady cursor: no timers for a blink
	in.SetStyles(st)
	m := Model{cfg: cfg, st: newStyles(true), keys: defaultKeys(), help: help.New(), entry: in, amount: cfg.Amount,
		width: 80, height: 24}
	m.help.Styles = help.DefaultStyles(true)
	if m.amount.Minor <= 0 {
		m.openEntry(modeAmount)
	}
	return m
}

// Init implements tea.Model: it asks the terminal for its background.
func (m Model) Init() tea.Cmd { return tea.RequestBackgroundColor }

// Update implements tea.Model.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.entry.SetWidth(max(10, msg.Width-20))
		return m, nil
	case tea.BackgroundColorMsg:
		m.st = newStyles(msg.IsDark())
		m.help.Styles = help.DefaultStyles(msg.IsDark())
		return m, nil
	case tea.KeyPressMsg:
		return m.onKey(msg)
	case tea.PasteMsg:
		return m.onPaste(msg.Content)
	case chargedMsg:
		return m.onCharged(msg)
	case refundedMsg:
		return m.onRefunded(msg)
	case voidedMsg:
		return m.onVoided(msg)
	}
	return m, nil
}

// Amount is the next sale's amount (zero until one is set).
func (m Model) Amount() money.Money { return m.amount }

// Last is the last sale that landed, if any.
func (m Model) Last() (Sale, bool) { return m.last, m.hasLast }

// Busy reports whether a call is in flight.
func (m Model) Busy() bool { return m.busy.kind != jobNone }

// Queued is how many scans wait for the sale in progress.
func (m Model) Queued() int { return len(m.queue) }
