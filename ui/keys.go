package ui

import "charm.land/bubbles/v2/key"

// codeKeys are the payment code screen's bindings.
type codeKeys struct {
	Toggle, FullSize, Reveal, Refresh, Calibrate, Quit key.Binding
	// Copy puts the code's digits on the clipboard (OSC 52) and shows them.
	Copy key.Binding
}

func defaultCodeKeys() codeKeys {
	return codeKeys{
		Toggle:    key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "QR/barcode")),
		FullSize:  key.NewBinding(key.WithKeys("g"), key.WithHelp("g", "seamless/compact QR")),
		Reveal:    key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "digits")),
		Refresh:   key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "new codes")),
		Calibrate: key.NewBinding(key.WithKeys("c"), key.WithHelp("c", "calibrate size")),
		Quit:      key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
		Copy:      key.NewBinding(key.WithKeys("x"), key.WithHelp("x", "copy digits")),
	}
}

// ShortHelp implements help.KeyMap.
func (k codeKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.Reveal, k.Refresh, k.Quit}
}

// screen is every binding of the code screen, for the full help.
func (k codeKeys) screen() []key.Binding {
	return []key.Binding{k.Toggle, k.FullSize, k.Reveal, k.Copy, k.Refresh, k.Calibrate}
}

// FullHelp implements help.KeyMap.
func (k codeKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// resultKeys are the result page's bindings.
type resultKeys struct {
	Back, Quit key.Binding
}

func defaultResultKeys() resultKeys {
	return resultKeys{
		Back: key.NewBinding(key.WithKeys("enter", "esc", " "), key.WithHelp("enter", "new code")),
		Quit: key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp implements help.KeyMap.
func (k resultKeys) ShortHelp() []key.Binding { return []key.Binding{k.Back, k.Quit} }

// FullHelp implements help.KeyMap.
func (k resultKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// confirmKeys answer a payment held for confirmation.
type confirmKeys struct {
	Yes, No key.Binding
}

func defaultConfirmKeys() confirmKeys {
	return confirmKeys{
		Yes: key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "pay")),
		No:  key.NewBinding(key.WithKeys("n"), key.WithHelp("n", "decline")),
	}
}

// ShortHelp implements help.KeyMap.
func (k confirmKeys) ShortHelp() []key.Binding { return []key.Binding{k.Yes, k.No} }

// FullHelp implements help.KeyMap.
func (k confirmKeys) FullHelp() [][]key.Binding { return [][]key.Binding{k.ShortHelp()} }

// navKeys switch screens from the code page and the other screens.
type navKeys struct {
	Home, Pay, History, Users, Inspector, Overrides, Scan key.Binding
	// Screens only stands for the six in the footer.
	Screens key.Binding
	// Help shows every key of the screen.
	Help key.Binding
}

func defaultNavKeys() navKeys {
	return navKeys{
		Home:      key.NewBinding(key.WithKeys("h"), key.WithHelp("h", "home")),
		Pay:       key.NewBinding(key.WithKeys("1"), key.WithHelp("1", "pay")),
		History:   key.NewBinding(key.WithKeys("2"), key.WithHelp("2", "history")),
		Users:     key.NewBinding(key.WithKeys("3"), key.WithHelp("3", "users")),
		Inspector: key.NewBinding(key.WithKeys("4"), key.WithHelp("4", "inspector")),
		Overrides: key.NewBinding(key.WithKeys("5"), key.WithHelp("5", "overrides")),
		Scan:      key.NewBinding(key.WithKeys("6"), key.WithHelp("6", "scan")),
		Screens:   key.NewBinding(key.WithKeys("1", "2", "3", "4", "5", "6"), key.WithHelp("1-6", "screens")),
		Help:      key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "keys")),
	}
}

// withNav is a screen's keymap followed by the screen keys and quit.
type withNav struct {
	screen []key.Binding
	// all is every binding of the screen for the full help; screen when
	// nil.
	all  []key.Binding
	nav  navKeys
	quit key.Binding
}

// ShortHelp implements help.KeyMap.
func (k withNav) ShortHelp() []key.Binding {
	return append(append(append([]key.Binding{}, k.screen...), k.quit), k.nav.Screens, k.nav.Help)
}

// FullHelp implements help.KeyMap: the screen's keys, the screens, and
// the keys that work everywhere.
func (k withNav) FullHelp() [][]key.Binding {
	all := k.all
	if all == nil {
		all = k.screen
	}
	n := k.nav
	return [][]key.Binding{all, {n.Home, n.Pay, n.History, n.Users, n.Inspector, n.Overrides, n.Scan}, {n.Help, k.quit}}
}

// listKeys move a cursor and open or leave the item under it.
type listKeys struct {
	Up, Down, Open, Back key.Binding
}

func defaultListKeys(open string) listKeys {
	return listKeys{
		// Up stands for both in the footer.
		Up:   key.NewBinding(key.WithKeys("up", "k"), key.WithHelp("↑↓", "move")),
		Down: key.NewBinding(key.WithKeys("down", "j"), key.WithHelp("↓/j", "down")),
		Open: key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", open)),
		Back: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
	}
}

// full is every key of a list for the ? help: up and down apart (the
// footer's Up stands for both), then extra, then open and back.
func (k listKeys) full(extra ...key.Binding) []key.Binding {
	up := key.NewBinding(key.WithKeys(k.Up.Keys()...), key.WithHelp("↑/k", "up"))
	return append(append([]key.Binding{up, k.Down}, extra...), k.Open, k.Back)
}

// inspectorKeys add the export.
type inspectorKeys struct {
	listKeys
	Export key.Binding
}

func defaultInspectorKeys() inspectorKeys {
	return inspectorKeys{listKeys: defaultListKeys("bodies"),
		Export: key.NewBinding(key.WithKeys("e"), key.WithHelp("e", "export"))}
}

// historyKeys add the refund of the selected payment and its answer.
type historyKeys struct {
	listKeys
	Refund key.Binding
	// Yes and No answer the refund's question.
	Yes, No key.Binding
}

func defaultHistoryKeys() historyKeys {
	return historyKeys{listKeys: defaultListKeys("details"),
		Refund: key.NewBinding(key.WithKeys("R"), key.WithHelp("R", "refund")),
		Yes:    key.NewBinding(key.WithKeys("y"), key.WithHelp("y", "refund all")),
		No:     key.NewBinding(key.WithKeys("n", "esc"), key.WithHelp("n/esc", "cancel"))}
}
