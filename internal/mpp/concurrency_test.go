package mpp_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
)

// entriesFor returns the user's ledger entries whose ref is ref.
func (h *harness) entriesFor(user, ref string) []wallet.Entry {
	h.t.Helper()
	all, err := h.store.Entries(context.Background(), user)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []wallet.Entry
	for _, e := range all {
		if e.Ref == ref {
			out = append(out, e)
		}
	}
	return out
}

// paidHarness is a harness where u1 (50000 KRW) paid PR-1 (1000 KRW).
func paidHarness(t *testing.T) (*harness, *alipayplus.PayResponse) {
	t.Helper()
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	pay, err := h.alipay.Pay(t.Context(), testkit.PayRequest("PR-1", "u1"))
	if err != nil {
		t.Fatal(err)
	}
	return h, pay
}

// storedRefunds returns the refundRequestIds stored for a payment and the
// total they credited.
func (h *harness) storedRefunds(payID string) (map[string]bool, int64) {
	h.t.Helper()
	refunds, err := h.store.Refunds(context.Background(), payID)
	if err != nil {
		h.t.Fatal(err)
	}
	stored := map[string]bool{}
	var total int64
	for _, r := range refunds {
		stored[r.RequestID] = true
		total += r.Amount.Minor
	}
	return stored, total
}

func (h *harness) cancelReq(id string) *alipayplus.CancelPaymentRequest {
	return &alipayplus.CancelPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: id}
}

func (h *harness) inquire(id string) (*alipayplus.InquiryPaymentResponse, error) {
	return h.alipay.InquiryPayment(context.Background(), &alipayplus.InquiryPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: id})
}

func refundReq(payID, paymentID, refundID, krw string) *alipayplus.RefundRequest {
	return &alipayplus.RefundRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: payID, PaymentID: paymentID,
		RefundRequestID: refundID, RefundAmount: &alipayplus.Amount{Currency: "KRW", Value: krw}}
}

// Thirty identical cancels at once: every one answers S, the money comes
// back once.
func TestConcurrentCancelsCreditOnce(t *testing.T) {
	h, _ := paidHarness(t)
	const n = 30
	errs := make([]error, n)
	testkit.Parallel(n, func(i int) { _, errs[i] = h.alipay.CancelPayment(context.Background(), h.cancelReq("PR-1")) })
	for i, err := range errs {
		if err != nil {
			t.Errorf("cancel %d: %v, want S", i, err)
		}
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance %d after %d cancels, want 50000 (one credit)", got, n)
	}
	if es := h.entriesFor("u1", "PR-1"); len(es) != 2 || es[1].Kind != wallet.EntryCancel {
		t.Errorf("entries for PR-1: %+v, want one debit and one cancel", es)
	}
}

// Thirty identical refunds at once: one credit, every answer the same
// refundId.
func TestConcurrentIdenticalRefundsCreditOnce(t *testing.T) {
	h, pay := paidHarness(t)
	const n = 30
	ids := make([]string, n)
	errs := make([]error, n)
	testkit.Parallel(n, func(i int) {
		r, err := h.alipay.Refund(context.Background(), refundReq("PR-1", pay.PaymentID, "RF-1", "300"))
		ids[i], errs[i] = r.RefundID, err
	})
	for i := range n {
		if errs[i] != nil || ids[i] == "" || ids[i] != ids[0] {
			t.Errorf("refund %d: refundId %q, err %v; want S with %q like the first", i, ids[i], errs[i], ids[0])
		}
	}
	if got := h.balance("u1"); got != 49300 {
		t.Errorf("balance %d, want 49300 (1000 paid, 300 refunded once)", got)
	}
}

// Thirty different refunds of 100 on a payment of 1000, at once: exactly ten
// succeed, the rest are REFUND_AMOUNT_EXCEED, and the answers match the
// ledger one for one.
func TestConcurrentRefundsNeverExceedThePayment(t *testing.T) {
	h, pay := paidHarness(t)
	const n = 30
	errs := make([]error, n)
	testkit.Parallel(n, func(i int) {
		_, errs[i] = h.alipay.Refund(context.Background(), refundReq("PR-1", pay.PaymentID, fmt.Sprintf("RF-%02d", i), "100"))
	})
	stored, _ := h.storedRefunds("PR-1")
	ok := 0
	for i, err := range errs {
		id := fmt.Sprintf("RF-%02d", i)
		switch code := apCode(err); code {
		case alipayplus.CodeSuccess:
			ok++
			if !stored[id] {
				t.Errorf("%s answered S but is not in the ledger", id)
			}
		case "REFUND_AMOUNT_EXCEED":
			if stored[id] {
				t.Errorf("%s answered REFUND_AMOUNT_EXCEED but is in the ledger", id)
			}
		default:
			t.Errorf("%s: %s, want S or REFUND_AMOUNT_EXCEED", id, code)
		}
	}
	if ok != 10 || len(stored) != 10 {
		t.Errorf("%d refunds answered S, %d stored; want 10 and 10", ok, len(stored))
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance %d, want 50000 (all of the 1000 refunded, no more)", got)
	}
}

// Pays and cancels for the same paymentRequestId arrive interleaved, ten of
// each at once, for many ids. Whatever the order: every cancel is S; a pay
// is S (it came first; all S answers carry one paymentId) or ORDER_IS_CLOSED;
// the user ends where they started; no debit follows the cancel; inquiry
// says ORDER_IS_CLOSED.
func TestConcurrentPayVersusCancel(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "500000", "KRW", nil)
	const ids, each = 12, 10
	rng := rand.New(rand.NewPCG(7, 7))
	for k := range ids {
		id := fmt.Sprintf("PR-%02d", k)
		// A shuffled mix of pays and cancels.
		ops := make([]bool, 2*each) // true = pay
		for i := range each {
			ops[i] = true
		}
		rng.Shuffle(len(ops), func(i, j int) { ops[i], ops[j] = ops[j], ops[i] })
		payIDs := make([]string, len(ops))
		codes := make([]string, len(ops))
		testkit.Parallel(len(ops), func(i int) {
			if ops[i] {
				resp, err := h.alipay.Pay(context.Background(), testkit.PayRequest(id, "u1"))
				codes[i], payIDs[i] = apCode(err), resp.PaymentID
				return
			}
			_, err := h.alipay.CancelPayment(context.Background(), h.cancelReq(id))
			codes[i] = apCode(err)
		})
		paidWith := ""
		for i, code := range codes {
			switch {
			case !ops[i] && code != alipayplus.CodeSuccess:
				t.Errorf("%s: a cancel answered %s, want S", id, code)
			case ops[i] && code == alipayplus.CodeSuccess:
				if paidWith != "" && payIDs[i] != paidWith {
					t.Errorf("%s: pays answered S with paymentIds %s and %s", id, paidWith, payIDs[i])
				}
				paidWith = payIDs[i]
			case ops[i] && code != alipayplus.CodeOrderIsClosed:
				t.Errorf("%s: a pay answered %s, want S or ORDER_IS_CLOSED", id, code)
			}
		}
		es := h.entriesFor("u1", id)
		switch {
		case paidWith == "" && len(es) != 0:
			t.Errorf("%s: no pay answered S, but the ledger has %+v", id, es)
		case paidWith != "" && (len(es) != 2 || es[0].Kind != wallet.EntryDebit || es[1].Kind != wallet.EntryCancel || es[0].Amount.Minor+es[1].Amount.Minor != 0):
			t.Errorf("%s: a pay answered S, want a debit then a cancel that returns it; the ledger has %+v", id, es)
		}
		inq, err := h.inquire(id)
		if err != nil || inq.PaymentResult.ResultCode != alipayplus.CodeOrderIsClosed {
			t.Errorf("%s: inquiry after the cancels: %+v, %v; want ORDER_IS_CLOSED", id, inq, err)
		}
		// And a pay that comes later still is refused.
		if _, err := h.alipay.Pay(context.Background(), testkit.PayRequest(id, "u1")); paidWith == "" && apCode(err) != alipayplus.CodeOrderIsClosed {
			t.Errorf("%s: a late pay got %s, want ORDER_IS_CLOSED", id, apCode(err))
		}
	}
	if got := h.balance("u1"); got != 500000 {
		t.Errorf("balance %d, want 500000: every payment was cancelled", got)
	}
}

// Refunds, cancels and inquiries on one paid payment, all at once: the
// refunds answered S plus the cancel's credit give back exactly the payment;
// refunds answered F left no trace; every inquiry is S or ORDER_IS_CLOSED.
func TestConcurrentRefundCancelInquiry(t *testing.T) {
	h, pay := paidHarness(t)
	const n = 36
	codes := make([]string, n)
	testkit.Parallel(n, func(i int) {
		switch i % 3 {
		case 0:
			_, err := h.alipay.Refund(context.Background(), refundReq("PR-1", pay.PaymentID, fmt.Sprintf("RF-%02d", i), "150"))
			codes[i] = apCode(err)
		case 1:
			_, err := h.alipay.CancelPayment(context.Background(), h.cancelReq("PR-1"))
			codes[i] = apCode(err)
		case 2:
			inq, err := h.inquire("PR-1")
			codes[i] = apCode(err)
			if err == nil {
				codes[i] = inq.PaymentResult.ResultCode
			}
		}
	})
	stored, refunded := h.storedRefunds("PR-1")
	for i, code := range codes {
		switch i % 3 {
		case 0:
			id := fmt.Sprintf("RF-%02d", i)
			if (code == alipayplus.CodeSuccess) != stored[id] {
				t.Errorf("%s answered %s, in the ledger: %v", id, code, stored[id])
			}
			if code != alipayplus.CodeSuccess && code != "ORDER_STATUS_INVALID" && code != "REFUND_AMOUNT_EXCEED" {
				t.Errorf("%s answered %s", id, code)
			}
		case 1:
			if code != alipayplus.CodeSuccess {
				t.Errorf("cancel answered %s", code)
			}
		case 2:
			if code != alipayplus.CodeSuccess && code != alipayplus.CodeOrderIsClosed {
				t.Errorf("inquiry answered %s", code)
			}
		}
	}
	es := h.entriesFor("u1", "PR-1")
	var cancelCredit int64
	for _, e := range es {
		if e.Kind == wallet.EntryCancel {
			cancelCredit += e.Amount.Minor
		}
	}
	if refunded+cancelCredit != 1000 {
		t.Errorf("refunds %d + cancel credit %d, want the 1000 paid", refunded, cancelCredit)
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance %d, want 50000", got)
	}
}
