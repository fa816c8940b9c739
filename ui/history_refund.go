package ui

import (
	"context"
	"math/big"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
)

// refundTimeout bounds a refund: Alipay+ may retry the wallet for a while
// before it knows the outcome.
const refundTimeout = 90 * time.Second

// refundState is History's refund of the selected payment: the question,
// the call in flight, and the passing line that says how it went.
type refundState struct {
	// asking is the payment the question is about (amount: what is left).
	asking *wallet.Payment
	amount money.Money
	// running is the request ID of the refund in flight.
	running string
	status  string
	isErr   bool
	// gen numbers the status lines, so that an old expiry does not clear
	// a newer line.
	gen int
}

// refundedMsg is how a refund asked on History ended.
type refundedMsg struct {
	customerID, requestID string
	result                RefundResult
	err                   error
}

// refundStatusExpiredMsg clears the refund line it was armed for.
type refundStatusExpiredMsg struct{ gen int }

// refundLeft is what is left to refund of p, in the currency to ask it
// in: the merchant's, as Alipay+ refunds, unless part went back in the
// wallet's currency, which the merchant's running total does not count
// (then the wallet's, which refunds exactly what is left).
func refundLeft(p wallet.Payment) money.Money {
	left := money.Money{Currency: p.Amount.Currency, Minor: p.Refundable()}
	pa := p.PaymentAmount
	if pa.Currency == "" || pa.Currency == p.Amount.Currency || pa.Minor <= 0 || p.RefundedPayment > pa.Minor {
		return left
	}
	// The wallet credits a merchant-currency refund as the converted
	// running total minus what the earlier ones credited (wallet/refund.go).
	n := new(big.Int).Mul(big.NewInt(p.Amount.Minor), big.NewInt(p.RefundedPayment))
	if p.Amount.Minor-n.Quo(n, big.NewInt(pa.Minor)).Int64() != left.Minor {
		return left
	}
	return money.Money{Currency: pa.Currency, Minor: pa.Minor - p.RefundedPayment}
}

// askRefund asks whether to refund what is left of the selected payment,
// or says why it cannot be refunded.
func (s historyScreen) askRefund() (historyScreen, tea.Cmd) {
	p, ok := s.selected()
	switch {
	case !ok:
		return s, nil
	case s.refund.running != "":
		return s, s.refund.say("a refund is already running", true)
	case p.Status != wallet.StatusSucceeded:
		return s, s.refund.say("only a paid payment can be refunded (this one is "+string(p.Status)+")", true)
	case p.Refundable() <= 0:
		return s, s.refund.say("already refunded in full", true)
	}
	s.refund.asking, s.refund.amount, s.refund.status = &p, refundLeft(p), ""
	return s, nil
}

// answerRefund takes the answer to the question: y refunds, n or esc
// cancels; other keys wait.
func (s historyScreen) answerRefund(k tea.KeyPressMsg, b Backend, customerID string) (historyScreen, tea.Cmd) {
	switch {
	case key.Matches(k, s.keys.Yes):
		p, amt := *s.refund.asking, s.refund.amount
		s.refund.asking, s.refund.running = nil, p.RequestID
		s.refund.status, s.refund.isErr = "Refunding "+amt.String()+"…", false
		return s, refundPayment(b, customerID, p.RequestID, amt)
	case key.Matches(k, s.keys.No):
		s.refund.asking = nil
	}
	return s, nil
}

// refundPayment asks the backend for the refund, off the event loop.
func refundPayment(b Backend, customerID, requestID string, amount money.Money) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), refundTimeout)
		defer cancel()
		r, err := b.Refund(ctx, requestID, amount)
		return refundedMsg{customerID: customerID, requestID: requestID, result: r, err: err}
	}
}

// say shows a passing line for statusTTL.
func (r *refundState) say(line string, isErr bool) tea.Cmd {
	r.status, r.isErr = line, isErr
	r.gen++
	gen := r.gen
	return tea.Tick(statusTTL, func(time.Time) tea.Msg { return refundStatusExpiredMsg{gen: gen} })
}

// line is the question, or the passing line, under the table or detail.
func (r refundState) line(st Styles) string {
	switch {
	case r.asking != nil:
		p := r.asking
		return st.Title.Render("Refund "+r.amount.String()+" of "+p.Merchant.Name+" ("+p.RequestID+")?") +
			" " + st.Muted.Render("y refund all · n/esc cancel") + "\n"
	case r.status == "":
		return ""
	case r.isErr:
		return st.Error.Render(r.status) + "\n"
	}
	return st.Success.Render(r.status) + "\n"
}

// onRefund takes in how a refund ended: the line says so, and the history
// and balance reload (the cursor stays on the payment).
func (m App) onRefund(msg tea.Msg) (tea.Model, tea.Cmd) {
	r := &m.history.refund
	switch msg := msg.(type) {
	case refundStatusExpiredMsg:
		if msg.gen == r.gen {
			r.status, r.isErr = "", false
		}
		return m, nil
	case refundedMsg:
		if msg.customerID != m.cfg.CustomerID {
			return m, nil // for the user shown before a switch
		}
		r.running = ""
		line, isErr := "Refunded "+msg.result.Amount.String()+" (refundId "+msg.result.RefundID+")", false
		if msg.err != nil {
			line, isErr = "Refund failed: "+firstLine(msg.err.Error()), true
		}
		return m, tea.Batch(r.say(line, isErr), m.refreshHistory(), loadUser(m.cfg.Backend, m.cfg.CustomerID))
	}
	return m, nil
}
