// Package pos is the till of `mppwallet pos`: a Bubble Tea v2 model for a
// tester with a USB barcode scanner (a keyboard wedge, which types the
// customer's payment code and then Enter or Tab into the focused window).
// Each scan is checked here (a payment code is 16 to 32 digits; a URL is a
// merchant's code) and charged through a Till; the view shows each sale as
// it lands (amount, status, result code, payment id), a running till log
// and the till's total, and keys set the next amount, refund or void the
// last sale.
//
// The package sees the network only through the Till interface and its own
// value types (Sale, Refund), so it never imports the protocol:
//
//	m := pos.New(pos.Config{Till: till, Amount: money.Money{Currency: "USD", Minor: 1250}})
//	_, err := tea.NewProgram(m).Run()
//
// CleanScan and ParseAmount are shared with the headless command, which
// reads one code a line from a pipe.
package pos
