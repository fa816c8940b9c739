package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// crashStats counts what the crash test did.
type crashStats struct {
	payments, succeeded, failed, cancelled int
	refunds, refundsOK                     int
	inquiries                              int
	failCodes                              map[string]int
}

func (s crashStats) String() string {
	return fmt.Sprintf("%d payments (%d S, %d F %v, %d cancelled), %d refunds (%d S), %d inquiries after the last restart",
		s.payments, s.succeeded, s.failed, s.failCodes, s.cancelled, s.refunds, s.refundsOK, s.inquiries)
}

// reconcile checks the ledger against what the simulator (Alipay+) was
// told, and the restarted server's inquiryPayment against both:
//
//   - every user: opening − debits + refunds + cancels = balance, both by
//     the ledger's own entries and by the simulator's record of final
//     results (a payment Alipay+ saw as S costs payToAmount less its
//     successful refunds; one it saw cancelled or failed costs nothing);
//   - every paymentRequestId Alipay+ saw as S is in the ledger once, as
//     SUCCEEDED with the same paymentId and exactly one debit; nothing is
//     debited twice; the ledger has no payment Alipay+ does not know;
//   - every refund Alipay+ saw as S is in the ledger, and no other;
//   - inquiryPayment after the restart gives the result Alipay+ settled on.
func (w *crashWorld) reconcile() crashStats {
	t := w.t
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(w.d.dbPath())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	users, err := st.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ledgerPayments, err := st.Payments(ctx, wallet.PaymentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	ledgerRefunds, err := st.Refunds(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]wallet.Payment{}
	for _, p := range ledgerPayments {
		byID[p.RequestID] = p
	}
	refundByID := map[string]wallet.Refund{}
	for _, r := range ledgerRefunds {
		refundByID[r.RequestID] = r
	}

	// Entries: per user, the running balance; per ref, what moved.
	debits := map[string]int{}
	netByRef := map[string]int64{}
	for _, u := range users {
		entries, err := st.Entries(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		var running int64
		for i, e := range entries {
			running += e.Amount.Minor
			if e.BalanceAfter != running {
				t.Errorf("%s entry %d (%s %s): balance after %d, but the entries add up to %d", u.ID, i, e.Kind, e.Ref, e.BalanceAfter, running)
			}
			if e.Kind == wallet.EntryDebit {
				debits[e.Ref]++
			}
			if e.Kind != wallet.EntryOpening {
				netByRef[e.Ref] += e.Amount.Minor
			}
		}
		if running != u.Balance.Minor {
			t.Errorf("%s: balance %d, but the ledger entries add up to %d", u.ID, u.Balance.Minor, running)
		}
	}
	for ref, n := range debits {
		if n > 1 {
			t.Errorf("payment %s was debited %d times", ref, n)
		}
	}

	s := crashStats{failCodes: map[string]int{}}
	expected := map[string]int64{}
	for _, u := range crashUsers {
		expected[u.id] = u.opening
	}
	known := map[string]bool{}
	simRefunds := map[string]bool{}
	for _, p := range w.sim.Payments() {
		s.payments++
		known[p.RequestID] = true
		lp, inLedger := byID[p.RequestID]
		payTo, _ := strconv.ParseInt(p.PayToAmount.Value, 10, 64)
		var refundedOK int64
		for _, r := range p.Refunds {
			s.refunds++
			if r.Status != alipayplus.StatusSuccess {
				if lr, ok := refundByID[r.RefundRequestID]; ok {
					t.Errorf("refund %s of %s: Alipay+ was told %s %s, but the ledger has it (%s)", r.RefundRequestID, p.RequestID, r.Status, r.ResultCode, lr.Amount)
				}
				continue
			}
			s.refundsOK++
			simRefunds[r.RefundRequestID] = true
			v, _ := strconv.ParseInt(r.Amount.Value, 10, 64)
			refundedOK += v
			if lr, ok := refundByID[r.RefundRequestID]; !ok || lr.RefundID != r.RefundID || lr.Amount.Minor != v {
				t.Errorf("refund %s of %s: Alipay+ was told S (refundId %s, %d), the ledger has %+v (found %v)", r.RefundRequestID, p.RequestID, r.RefundID, v, lr, ok)
			}
		}
		switch p.Status {
		case simulator.StatusSuccess:
			s.succeeded++
			expected[p.CustomerID] -= payTo - refundedOK
			switch {
			case !inLedger:
				t.Errorf("payment %s: Alipay+ was told S, but the ledger does not have it", p.RequestID)
			case lp.Status != wallet.StatusSucceeded || lp.PaymentID != p.PaymentID:
				t.Errorf("payment %s: Alipay+ was told S with paymentId %s, the ledger has %s %s", p.RequestID, p.PaymentID, lp.Status, lp.PaymentID)
			}
			if debits[p.RequestID] != 1 {
				t.Errorf("payment %s: Alipay+ was told S, the ledger has %d debits", p.RequestID, debits[p.RequestID])
			}
			if got := netByRef[p.RequestID]; got != -payTo {
				t.Errorf("payment %s: the ledger moved %d for it, want -%d", p.RequestID, got, payTo)
			}
		case simulator.StatusCancelled:
			s.cancelled++
			if inLedger && lp.Status != wallet.StatusCancelled {
				t.Errorf("payment %s: Alipay+ cancelled it, the ledger has it %s", p.RequestID, lp.Status)
			}
			// Whatever was debited came back: the payment's debit, its
			// refunds and the cancel's credit add up to nothing.
			if got := netByRef[p.RequestID] + refundedOK; inLedger && got != 0 && lp.Status == wallet.StatusCancelled {
				t.Errorf("payment %s: cancelled, but debit and cancel credit add up to %d", p.RequestID, got)
			}
		case simulator.StatusFail:
			s.failed++
			s.failCodes[p.Result.ResultCode]++
			if inLedger && (lp.Status != wallet.StatusFailed || string(lp.ResultCode) != p.Result.ResultCode) {
				t.Errorf("payment %s: Alipay+ was told F %s, the ledger has %s %s", p.RequestID, p.Result.ResultCode, lp.Status, lp.ResultCode)
			}
			if debits[p.RequestID] != 0 {
				t.Errorf("payment %s: Alipay+ was told F, the ledger debited it", p.RequestID)
			}
		default:
			t.Errorf("payment %s is still %s", p.RequestID, p.Status)
		}
		w.checkInquiry(p)
		s.inquiries++
	}
	for _, lp := range ledgerPayments {
		if !known[lp.RequestID] {
			t.Errorf("the ledger has payment %s (%s), which Alipay+ never sent", lp.RequestID, lp.Status)
		}
	}
	for _, lr := range ledgerRefunds {
		if !simRefunds[lr.RequestID] {
			t.Errorf("the ledger has refund %s of %s (%s), which Alipay+ does not count as S", lr.RequestID, lr.PaymentRequestID, lr.Amount)
		}
	}
	for _, u := range users {
		if u.Balance.Minor != expected[u.ID] {
			t.Errorf("%s: balance %s, but opening − what Alipay+ saw paid + refunded = %s", u.ID, u.Balance,
				money.Money{Currency: "USD", Minor: expected[u.ID]})
		}
	}
	if s.succeeded == 0 || s.cancelled == 0 || s.refundsOK == 0 {
		t.Errorf("the run did not exercise enough: %s", s)
	}
	return s
}

// checkInquiry asks the restarted server about p as Alipay+ would and
// compares the answer with the result Alipay+ settled on.
func (w *crashWorld) checkInquiry(p simulator.Payment) {
	t := w.t
	t.Helper()
	c := alipayplus.NewClient(w.url.Load().(string), alipayplus.Signer{ClientID: defaultClientID, Key: w.alipayKey},
		&w.mppKey.PublicKey, alipayplus.WithRetry(alipayplus.Retry{}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := c.InquiryPayment(ctx, &alipayplus.InquiryPaymentRequest{AcquirerID: p.AcquirerID, PSPID: p.PSPID, PaymentRequestID: p.RequestID})
	if err != nil {
		var apErr *alipayplus.Error
		if p.Status == simulator.StatusFail && errors.As(err, &apErr) && apErr.Code == alipayplus.CodeOrderNotExist {
			return // declined before it reached the wallet
		}
		t.Errorf("inquiry of %s (%s) after the restart: %v", p.RequestID, p.Status, err)
		return
	}
	got := resp.PaymentResult
	switch p.Status {
	case simulator.StatusSuccess:
		if got.ResultStatus != alipayplus.StatusSuccess || resp.PaymentID != p.PaymentID {
			t.Errorf("inquiry of %s: %s %s paymentId %s; Alipay+ was told S paymentId %s", p.RequestID, got.ResultStatus, got.ResultCode, resp.PaymentID, p.PaymentID)
		}
	case simulator.StatusCancelled:
		if got.ResultStatus != alipayplus.StatusFail || got.ResultCode != alipayplus.CodeOrderIsClosed {
			t.Errorf("inquiry of %s: %s %s; Alipay+ cancelled it (want F ORDER_IS_CLOSED)", p.RequestID, got.ResultStatus, got.ResultCode)
		}
	case simulator.StatusFail:
		if got.ResultStatus != alipayplus.StatusFail || got.ResultCode != p.Result.ResultCode {
			t.Errorf("inquiry of %s: %s %s; Alipay+ was told F %s", p.RequestID, got.ResultStatus, got.ResultCode, p.Result.ResultCode)
		}
	}
}
