package pos

import "charm.land/bubbles/v2/key"

// keys are the till's bindings. None is a key a scanner types: a payment
// code is digits (and a merchant's code printable text), so every action
// is a ctrl combination or a function key, and everything printable goes
// into the scan.
type keys struct {
	Charge, Amount, Refund, Void, Clear, Quit key.Binding
	// Submit and Cancel are the amount entry's.
	Submit, Cancel key.Binding
}

func defaultKeys() keys {
	return keys{
		// ctrl+j and ctrl+m are what some terminals make of a scanner's
		// LF and CR.
		Charge: key.NewBinding(key.WithKeys("enter", "tab", "ctrl+j", "ctrl+m"), key.WithHelp("enter/tab", "charge")),
		Amount: key.NewBinding(key.WithKeys("ctrl+a", "f2"), key.WithHelp("ctrl+a", "amount")),
		Refund: key.NewBinding(key.WithKeys("ctrl+r", "f3"), key.WithHelp("ctrl+r", "refund")),
		Void:   key.NewBinding(key.WithKeys("ctrl+x", "f4"), key.WithHelp("ctrl+x", "void")),
		Clear:  key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear")),
		Quit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
		Submit: key.NewBinding(key.WithKeys("enter", "tab", "ctrl+j", "ctrl+m"), key.WithHelp("enter", "ok")),
		Cancel: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "cancel")),
	}
}

// scanHelp is the footer while scanning.
type scanHelp struct{ k keys }

// ShortHelp implements help.KeyMap.
func (h scanHelp) ShortHelp() []key.Binding {
	return []key.Binding{h.k.Charge, h.k.Amount, h.k.Refund, h.k.Void, h.k.Quit}
}

// FullHelp implements help.KeyMap: with esc, which clears a half scan
// (and quits when there is none).
func (h scanHelp) FullHelp() [][]key.Binding {
	return [][]key.Binding{append(h.ShortHelp(), h.k.Clear)}
}

// entryHelp is the footer while an amount is typed.
type entryHelp struct{ k keys }

// ShortHelp implements help.KeyMap.
func (h entryHelp) ShortHelp() []key.Binding { return []key.Binding{h.k.Submit, h.k.Cancel, h.k.Quit} }

// FullHelp implements help.KeyMap.
func (h entryHelp) FullHelp() [][]key.Binding { return [][]key.Binding{h.ShortHelp()} }
