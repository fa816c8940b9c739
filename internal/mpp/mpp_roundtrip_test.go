package mpp_test

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
)

func apCode(err error) string {
	var e *alipayplus.Error
	if errors.As(err, &e) {
		return e.Code
	}
	if err != nil {
		return "error: " + err.Error()
	}
	return alipayplus.CodeSuccess
}

func TestPayRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	ctx := context.Background()

	resp, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-1", "u1"))
	if err != nil {
		t.Fatalf("pay: %v", err)
	}
	if resp.Result.ResultCode != "SUCCESS" || resp.PaymentID == "" || resp.CustomerID != "u1" {
		t.Fatalf("got %+v, want SUCCESS with paymentId and customerId u1", resp)
	}
	if pt, err := alipayplus.ParseTime(resp.PaymentTime); err != nil || !pt.Equal(h.clock.Now()) {
		t.Errorf("paymentTime %q, want %s", resp.PaymentTime, alipayplus.FormatTime(h.clock.Now()))
	}
	if got := h.balance("u1"); got != 49000 {
		t.Errorf("balance %d KRW, want 49000 (payToAmount debited)", got)
	}
	p, err := h.svc.Inquire(ctx, "PR-1")
	if err != nil {
		t.Fatal(err)
	}
	if p.Merchant.Name != "UGG" || p.Merchant.StoreName != "UGG-2" || p.PaymentAmount.String() != "100 JPY" ||
		p.Quote.Price != "10.0000" || p.CodeValue != "281006020000000000125733" {
		t.Errorf("stored payment lost request details: %+v", p)
	}

	// An identical repeat gets the stored answer and no second debit.
	again, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-1", "u1"))
	if err != nil || again.PaymentID != resp.PaymentID || again.PaymentTime != resp.PaymentTime {
		t.Errorf("repeat: got %+v, %v; want the first answer %+v", again, err, resp)
	}
	if got := h.balance("u1"); got != 49000 {
		t.Errorf("balance after repeat %d, want 49000", got)
	}

	// Same id, different amount: inconsistent, nothing changes.
	diff := testkit.PayRequest("PR-1", "u1")
	diff.PayToAmount.Value = "2000"
	if _, err := h.alipay.Pay(ctx, diff); apCode(err) != "REPEAT_REQ_INCONSISTENT" {
		t.Errorf("changed repeat: got %v, want REPEAT_REQ_INCONSISTENT", err)
	}
	if got := h.balance("u1"); got != 49000 {
		t.Errorf("balance after inconsistent repeat %d, want 49000", got)
	}
}

func TestPayDeclinesRoundTrip(t *testing.T) {
	cases := []struct {
		name    string
		balance string
		edit    func(*wallet.User)
		want    string
	}{
		{"balance", "999", nil, "USER_BALANCE_NOT_ENOUGH"},
		{"per-payment limit", "5000", func(u *wallet.User) { u.Limits.PerPayment = 999 }, "PAYMENT_AMOUNT_EXCEED_LIMIT"},
		{"daily amount", "5000", func(u *wallet.User) { u.Limits.DailyAmount = 500 }, "USER_AMOUNT_EXCEED_LIMIT"},
		{"daily count", "5000", func(u *wallet.User) { u.Limits.DailyCount = 0; u.Override = "PAYMENT_COUNT_EXCEED_LIMIT" }, "PAYMENT_COUNT_EXCEED_LIMIT"},
		{"kyc", "5000", func(u *wallet.User) { u.KYCVerified = false }, "USER_KYC_NOT_QUALIFIED"},
		{"risk", "5000", func(u *wallet.User) { u.Override = "RISK_REJECT" }, "RISK_REJECT"},
		{"verification", "5000", func(u *wallet.User) { u.Override = "USER_PAYMENT_VERIFICATION_FAILED" }, "USER_PAYMENT_VERIFICATION_FAILED"},
		{"frozen", "5000", func(u *wallet.User) { u.Status = wallet.UserFrozen }, "USER_STATUS_ABNORMAL"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			h.addUser("u1", c.balance, "KRW", c.edit)
			before := h.balance("u1")
			_, err := h.alipay.Pay(context.Background(), testkit.PayRequest("PR-"+c.name, "u1"))
			var apErr *alipayplus.Error
			if !errors.As(err, &apErr) || apErr.Code != c.want || apErr.Status != "F" {
				t.Fatalf("got %v, want F %s", err, c.want)
			}
			if got := h.balance("u1"); got != before {
				t.Errorf("balance %d, want %d unchanged", got, before)
			}
			inq, err := h.alipay.InquiryPayment(context.Background(), &alipayplus.InquiryPaymentRequest{
				AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-" + c.name})
			if err != nil || inq.PaymentResult == nil || inq.PaymentResult.ResultCode != c.want || inq.PaymentResult.ResultStatus != "F" {
				t.Errorf("inquiry: got %+v, %v; want paymentResult F %s", inq, err, c.want)
			}
		})
	}
}

func TestDailyCountLimitRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", func(u *wallet.User) { u.Limits.DailyCount = 2 })
	ctx := context.Background()
	for i := 1; i <= 2; i++ {
		if _, err := h.alipay.Pay(ctx, testkit.PayRequest(fmt.Sprintf("PR-%d", i), "u1")); err != nil {
			t.Fatalf("payment %d: %v", i, err)
		}
	}
	if _, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-3", "u1")); apCode(err) != "PAYMENT_COUNT_EXCEED_LIMIT" {
		t.Errorf("third payment: got %v, want PAYMENT_COUNT_EXCEED_LIMIT", err)
	}
	h.clock.Add(24 * time.Hour)
	if _, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-4", "u1")); err != nil {
		t.Errorf("next day: got %v, want SUCCESS", err)
	}
}

func TestInquiryCancelRefundRoundTrip(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	ctx := context.Background()
	inquiry := func(id string) (*alipayplus.InquiryPaymentResponse, error) {
		return h.alipay.InquiryPayment(ctx, &alipayplus.InquiryPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: id})
	}
	if _, err := inquiry("nope"); apCode(err) != "ORDER_NOT_EXIST" {
		t.Errorf("inquiry of unknown id: got %v, want ORDER_NOT_EXIST", err)
	}
	pay, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-1", "u1"))
	if err != nil {
		t.Fatal(err)
	}
	inq, err := inquiry("PR-1")
	if err != nil || inq.PaymentResult.ResultStatus != "S" || inq.PaymentID != pay.PaymentID ||
		inq.PayToAmount.Value != "1000" || inq.PaymentAmount.Currency != "JPY" || inq.CustomerID != "u1" {
		t.Errorf("inquiry after pay: got %+v, %v", inq, err)
	}

	refund := func(rid, value, currency string) (*alipayplus.RefundResponse, error) {
		return h.alipay.Refund(ctx, &alipayplus.RefundRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-1",
			PaymentID: pay.PaymentID, RefundRequestID: rid, RefundAmount: &alipayplus.Amount{Currency: currency, Value: value}})
	}
	r1, err := refund("RF-1", "30", "JPY") // 30 JPY = 300 KRW at the payment's rate
	if err != nil || r1.RefundID == "" || r1.RefundTime == "" {
		t.Fatalf("refund: got %+v, %v", r1, err)
	}
	if got := h.balance("u1"); got != 49300 {
		t.Errorf("balance after refund %d, want 49300", got)
	}
	if again, err := refund("RF-1", "30", "JPY"); err != nil || again.RefundID != r1.RefundID {
		t.Errorf("repeated refund: got %+v, %v; want the same refundId", again, err)
	}
	if _, err := refund("RF-1", "31", "JPY"); apCode(err) != "REPEAT_REQ_INCONSISTENT" {
		t.Errorf("refund id reused with another amount: got %v", err)
	}
	if _, err := refund("RF-2", "701", "KRW"); apCode(err) != "REFUND_AMOUNT_EXCEED" {
		t.Errorf("refund over the remainder: got %v, want REFUND_AMOUNT_EXCEED", err)
	}
	if got := h.balance("u1"); got != 49300 {
		t.Errorf("balance %d, want 49300 after refused refunds", got)
	}

	// Cancel returns what is left (700 KRW) once, however often it comes.
	for i := 0; i < 3; i++ {
		if _, err := h.alipay.CancelPayment(ctx, &alipayplus.CancelPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-1"}); err != nil {
			t.Fatalf("cancel %d: %v", i, err)
		}
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance after cancel %d, want 50000", got)
	}
	inq, err = inquiry("PR-1")
	if err != nil || inq.PaymentResult.ResultCode != "ORDER_IS_CLOSED" || inq.PaymentResult.ResultStatus != "F" {
		t.Errorf("inquiry after cancel: got %+v, %v; want paymentResult F ORDER_IS_CLOSED", inq, err)
	}
	if _, err := refund("RF-3", "1", "KRW"); apCode(err) != "ORDER_STATUS_INVALID" {
		t.Errorf("refund after cancel: got %v, want ORDER_STATUS_INVALID", err)
	}

	// Cancel of an unknown id succeeds and closes it: a late pay is refused.
	if _, err := h.alipay.CancelPayment(ctx, &alipayplus.CancelPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-late"}); err != nil {
		t.Fatalf("cancel of unknown id: %v", err)
	}
	if _, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-late", "u1")); apCode(err) != "ORDER_IS_CLOSED" {
		t.Errorf("pay after cancel: got %v, want ORDER_IS_CLOSED", err)
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance %d, want 50000", got)
	}
}

func TestHeldPaymentConfirmedWithNotify(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", func(u *wallet.User) { u.Override = wallet.OverrideAsk })
	ctx := context.Background()

	// Alipay+'s side of notifyPayment, on the real server framework.
	var mu sync.Mutex
	var notified []alipayplus.NotifyPaymentRequest
	gw := alipayplus.NewServer(alipayplus.ServerConfig{
		Key: h.alipayKey, PublicKey: func(string) (*rsa.PublicKey, bool) { return &h.mppKey.PublicKey, true },
	})
	alipayplus.Handle(gw, alipayplus.PathNotifyPayment, func(_ context.Context, _ *alipayplus.Call, req *alipayplus.NotifyPaymentRequest) *alipayplus.NotifyPaymentResponse {
		mu.Lock()
		notified = append(notified, *req)
		mu.Unlock()
		return &alipayplus.NotifyPaymentResponse{Response: alipayplus.Response{Result: alipayplus.Success()}}
	})
	gwSrv := httptest.NewServer(gw)
	defer gwSrv.Close()
	conf := &mpp.Confirmer{Wallet: h.svc, Client: alipayplus.NewClient(gwSrv.URL,
		alipayplus.Signer{ClientID: testClientID, Key: h.mppKey}, &h.alipayKey.PublicKey)}

	_, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-1", "u1"))
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Status != "U" || apErr.Code != "PAYMENT_IN_PROCESS" {
		t.Fatalf("pay for a user who confirms: got %v, want U PAYMENT_IN_PROCESS", err)
	}
	if !errors.Is(err, alipayplus.ErrUnknown) {
		t.Errorf("a U answer should match ErrUnknown")
	}
	inq, err := h.alipay.InquiryPayment(ctx, &alipayplus.InquiryPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-1"})
	if err != nil || inq.PaymentResult.ResultStatus != "U" || inq.PaymentResult.ResultCode != "PAYMENT_IN_PROCESS" {
		t.Errorf("inquiry while held: got %+v, %v", inq, err)
	}
	if got := h.balance("u1"); got != 50000 {
		t.Errorf("balance while held %d, want 50000", got)
	}
	p, err := conf.Confirm(ctx, "PR-1", true)
	if err != nil || p.Status != wallet.StatusSucceeded {
		t.Fatalf("confirm: got %+v, %v", p, err)
	}
	if got := h.balance("u1"); got != 49000 {
		t.Errorf("balance after confirm %d, want 49000", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(notified) != 1 || notified[0].PaymentRequestID != "PR-1" || notified[0].PaymentResult.ResultStatus != "S" ||
		notified[0].PaymentID != p.PaymentID || notified[0].PayToAmount.Value != "1000" {
		t.Errorf("notifyPayment: got %+v, want one S notification for PR-1", notified)
	}
}

func TestConcurrentIdenticalPaysDebitOnce(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	const n = 50
	var wg sync.WaitGroup
	ids := make([]string, n)
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			resp, err := h.alipay.Pay(context.Background(), testkit.PayRequest("PR-dup", "u1"))
			ids[i], errs[i] = resp.PaymentID, err
		}(i)
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil || ids[i] != ids[0] || ids[i] == "" {
			t.Fatalf("call %d: paymentId %q, err %v; want every call to get %q", i, ids[i], errs[i], ids[0])
		}
	}
	if got := h.balance("u1"); got != 49000 {
		t.Errorf("balance %d after %d identical pays, want 49000 (one debit)", got, n)
	}
	entries, _ := h.store.Entries(context.Background(), "u1")
	debits := 0
	for _, e := range entries {
		if e.Kind == wallet.EntryDebit {
			debits++
		}
	}
	if debits != 1 {
		t.Errorf("%d debit entries, want 1", debits)
	}
}

func TestLedgerSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	ctx := context.Background()
	pay, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-1", "u1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.alipay.Refund(ctx, &alipayplus.RefundRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-1",
		PaymentID: pay.PaymentID, RefundRequestID: "RF-1", RefundAmount: &alipayplus.Amount{Currency: "KRW", Value: "100"}}); err != nil {
		t.Fatal(err)
	}
	before := h.snapshot()
	h.stop()
	h.start()
	if after := h.snapshot(); after.String() != before.String() {
		t.Errorf("after restart the ledger differs:\n got %s\nwant %s", after, before)
	}
	inq, err := h.alipay.InquiryPayment(ctx, &alipayplus.InquiryPaymentRequest{AcquirerID: "a", PSPID: "p", PaymentRequestID: "PR-1"})
	if err != nil || inq.PaymentResult.ResultStatus != "S" || inq.PaymentID != pay.PaymentID {
		t.Errorf("inquiry after restart: got %+v, %v", inq, err)
	}
	again, err := h.alipay.Pay(ctx, testkit.PayRequest("PR-1", "u1"))
	if err != nil || again.PaymentID != pay.PaymentID {
		t.Errorf("repeat after restart: got %+v, %v; want the stored answer", again, err)
	}
	if got := h.balance("u1"); got != 49100 {
		t.Errorf("balance after restart %d, want 49100", got)
	}
}
