package ui

import (
	"image/color"
	"slices"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// helpKeysTried are the keys pressed on every screen.
var helpKeysTried = func() []tea.KeyPressMsg {
	var ks []tea.KeyPressMsg
	for _, r := range "abcdefghijklmnopqrstuvwxyz0123456789+-/ " {
		ks = append(ks, tea.KeyPressMsg{Code: r, Text: string(r)})
	}
	for _, c := range []rune{tea.KeyEnter, tea.KeyEscape, tea.KeyUp, tea.KeyDown, tea.KeyLeft, tea.KeyRight,
		tea.KeyPgUp, tea.KeyPgDown, tea.KeyTab, tea.KeyHome, tea.KeyEnd, tea.KeyBackspace} {
		ks = append(ks, tea.KeyPressMsg{Code: c})
	}
	return ks
}()

// helpKeyNames are the names key.Binding uses for a key press, the
// binding's own spelling included ("space" for " ").
func helpKeyNames(k tea.KeyPressMsg) []string {
	s := k.String()
	names := []string{s}
	if s == "space" {
		names = append(names, " ")
	}
	if s == " " {
		names = append(names, "space")
	}
	return names
}

// TestEveryKeyThatActsIsInTheHelp presses every letter, digit and common
// key on each screen (a fresh app each time) and fails for a key that
// changes the page, or what the page shows, yet is not among the keys the
// screen's ? help lists: a key the tester could not have learnt.
func TestEveryKeyThatActsIsInTheHelp(t *testing.T) {
	utcLocal(t)
	screens := []struct {
		name  string
		setup func(*harness)
	}{
		{"pay", func(*harness) {}},
		{"pay barcode", func(hs *harness) { hs.key("b") }},
		{"result", func(hs *harness) {
			hs.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventDecided, Payment: fxPayment(hs)}})
		}},
		{"confirm", func(hs *harness) {
			p := fxPayment(hs)
			p.PaymentID, p.Status, p.ResultCode, p.PaidAt = "", wallet.StatusProcessing, "", time.Time{}
			hs.send(paymentEventMsg{event: wallet.Event{Kind: wallet.EventReceived, Payment: p}})
		}},
		{"history", func(hs *harness) {
			hs.net.payments = demoPayments(hs.clock.t)
			hs.key("2")
			hs.deliverPayments()
		}},
		{"history detail", func(hs *harness) {
			hs.net.payments = demoPayments(hs.clock.t)
			hs.key("2")
			hs.deliverPayments()
			hs.key("enter")
		}},
		{"users", func(hs *harness) {
			hs.net.users = demoUsers()
			hs.key("3")
			hs.deliverUsers()
		}},
		{"inspector", func(hs *harness) {
			hs.net.exchanges = demoExchanges(hs.clock.t)
			hs.key("4")
			hs.deliverExchanges()
		}},
		{"inspector detail", func(hs *harness) {
			hs.net.exchanges = demoExchanges(hs.clock.t)
			hs.key("4")
			hs.deliverExchanges()
			hs.key("enter")
		}},
		{"overrides", func(hs *harness) { hs.key("5") }},
		{"scan", func(hs *harness) { hs.key("6") }},
		{"home", func(hs *harness) {
			hs.net.payments = demoPayments(hs.clock.t)
			hs.run(hs.key("h"))
		}},
		{"calibrate", func(hs *harness) { hs.run(hs.key("c")) }},
	}
	for _, sc := range screens {
		t.Run(sc.name, func(t *testing.T) {
			listed := map[string]bool{"?": true, "ctrl+c": true}
			hs := goldenHarness(t, color.Black, 120, 40)
			sc.setup(hs)
			for _, group := range hs.app.keyMap().FullHelp() {
				for _, b := range group {
					if b.Enabled() {
						for _, k := range b.Keys() {
							listed[k] = true
						}
					}
				}
			}
			for _, k := range helpKeysTried {
				hs := goldenHarness(t, color.Black, 120, 40)
				sc.setup(hs)
				page, before := hs.app.page, hs.app.View().Content
				hs.send(k)
				acted := hs.app.page != page || hs.app.View().Content != before
				known := slices.ContainsFunc(helpKeyNames(k), func(n string) bool { return listed[n] })
				if acted && !known {
					t.Errorf("%q acts on the %s screen but its help does not list it (lists %s)",
						k.String(), sc.name, strings.Join(sortedKeys(listed), " "))
				}
			}
		})
	}
}

func sortedKeys(m map[string]bool) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
