package ui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/wallet"
)

// codesFetchedMsg carries the answer to a getPaymentCode request.
type codesFetchedMsg struct {
	customerID string // whose codes; a switch of user drops the others
	codes      []wallet.PaymentCode
	err        error
}

// tickMsg drives the countdown and the rotation; gen drops stale ticks.
type tickMsg struct{ gen int }

// paymentEventMsg is a wallet event (a pay callback landed, ...).
type paymentEventMsg struct{ event wallet.Event }

// confirmedMsg is the result of the user's answer to a held payment.
type confirmedMsg struct {
	payment wallet.Payment
	err     error
}

// userLoadedMsg refreshes the header (name, balance).
type userLoadedMsg struct {
	user wallet.User
	err  error
}

// fetchCodes asks the backend for codes off the event loop.
func fetchCodes(b Backend, customerID string, n int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		codes, err := b.FetchCodes(ctx, customerID, n)
		return codesFetchedMsg{customerID: customerID, codes: codes, err: err}
	}
}

func loadUser(b Backend, id string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		u, err := b.User(ctx, id)
		return userLoadedMsg{user: u, err: err}
	}
}

func confirm(b Backend, requestID string, approve bool) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		p, err := b.Confirm(ctx, requestID, approve)
		return confirmedMsg{payment: p, err: err}
	}
}

// waitForEvent delivers the next wallet event; the app re-arms it.
func waitForEvent(ch <-chan wallet.Event) tea.Cmd {
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		e, ok := <-ch
		if !ok {
			return nil
		}
		return paymentEventMsg{event: e}
	}
}

// tick schedules the next second.
func tick(gen int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{gen: gen} })
}

// showScreenMsg asks the root to show a screen (navigation by message).
type showScreenMsg struct{ page page }

// switchUserMsg asks the root to show another user's codes.
type switchUserMsg struct{ id string }

// paymentsLoadedMsg carries the history of a customer.
type paymentsLoadedMsg struct {
	customerID string
	payments   []wallet.Payment
	err        error
}

// usersLoadedMsg carries the wallet's users.
type usersLoadedMsg struct {
	users []wallet.User
	err   error
}

// exchangesLoadedMsg carries the exchanges after a sequence number.
type exchangesLoadedMsg struct {
	exchanges []Exchange
	err       error
}

// inspectorTickMsg drives the inspector's poll; gen drops stale ticks.
type inspectorTickMsg struct{ gen int }

// transcriptExportedMsg reports where the transcript was written.
type transcriptExportedMsg struct {
	path string
	err  error
}

// historyLimit is how many payments the history screen asks for.
const historyLimit = 200

func loadPayments(b Backend, customerID string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ps, err := b.Payments(ctx, customerID, historyLimit)
		return paymentsLoadedMsg{customerID: customerID, payments: ps, err: err}
	}
}

func loadUsers(b Backend) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		us, err := b.Users(ctx)
		return usersLoadedMsg{users: us, err: err}
	}
}

func loadExchanges(b Backend, since int64) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		xs, err := b.Exchanges(ctx, since)
		return exchangesLoadedMsg{exchanges: xs, err: err}
	}
}

func exportTranscript(b Backend) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		path, err := b.ExportTranscript(ctx)
		return transcriptExportedMsg{path: path, err: err}
	}
}

func inspectorTick(gen int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return inspectorTickMsg{gen: gen} })
}

func send(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }
