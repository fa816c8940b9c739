package ui

import "charm.land/bubbles/v2/key"

// codeKeys are the payment code screen's bindings.
type codeKeys struct {
	Toggle, Reveal, Refresh, Quit key.Binding
}

func defaultCodeKeys() codeKeys {
	return codeKeys{
		Toggle:  key.NewBinding(key.WithKeys("b"), key.WithHelp("b", "QR / barcode")),
		Reveal:  key.NewBinding(key.WithKeys("r"), key.WithHelp("r", "show / hide digits")),
		Refresh: key.NewBinding(key.WithKeys("f"), key.WithHelp("f", "fetch new codes")),
		Quit:    key.NewBinding(key.WithKeys("q", "ctrl+c"), key.WithHelp("q", "quit")),
	}
}

// ShortHelp implements help.KeyMap.
func (k codeKeys) ShortHelp() []key.Binding {
	return []key.Binding{k.Toggle, k.Reveal, k.Refresh, k.Quit}
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
