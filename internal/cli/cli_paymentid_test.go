package cli

import (
	"strings"
	"testing"
)

// The merchant commands that name a payment take either of its ids: the
// paymentRequestId or the paymentId the wallet's result page shows.
func TestMerchantNamesAPaymentByEitherID(t *testing.T) {
	w := cliSimStartWorld(t)
	var paid []cliSimChargeJSON
	for range 2 {
		out, _, code := cliSimCharge(t, w.dir, cliSimCode(t, w.dir, "alice"), "10.00", "USD")
		if code != 0 || out.PaymentID == "" || out.PaymentID == out.PaymentRequestID {
			t.Fatalf("charge: exit %d %+v", code, out)
		}
		paid = append(paid, out)
	}
	steps := []struct {
		name    string
		args    []string
		balance string // alice's, after the step
		want    string // at the start of stdout
	}{
		{"refund by paymentId", []string{"merchant", "refund", "--payment", paid[0].PaymentID, "--amount", "1.00"}, "8100", "REFUNDED"},
		{"refund by paymentRequestId", []string{"merchant", "refund", "--payment", paid[0].PaymentRequestID, "--amount", "2.00"}, "8300", "REFUNDED"},
		{"cancel by paymentId", []string{"merchant", "cancel", "--payment", paid[1].PaymentID}, "9300", "CANCELLED " + paid[1].PaymentRequestID},
		{"cancel by paymentRequestId", []string{"merchant", "cancel", "--payment", paid[0].PaymentRequestID}, "10000", "CANCELLED " + paid[0].PaymentRequestID},
	}
	for _, st := range steps {
		stdout, stderr, code := runCLI(t, "", append(st.args, "--data", w.dir)...)
		if code != 0 || stderr != "" || !strings.HasPrefix(stdout, st.want) {
			t.Fatalf("%s: exit %d stdout %q stderr %q", st.name, code, stdout, stderr)
		}
		if b := cliSimBalance(t, w.dir, "alice"); !cliAmountIs(b, "USD", st.balance) {
			t.Errorf("%s: balance %+v, want USD %s", st.name, b, st.balance)
		}
	}
	// The simulator filed each step under the payment it was about.
	sim := cliSimPayments(t, w.dir)
	if p := sim[paid[0].PaymentRequestID]; len(p.Refunds) != 2 || p.Status != "CANCELLED" {
		t.Errorf("the first payment: status %s, %d refunds; want CANCELLED and 2", p.Status, len(p.Refunds))
	}
	if p := sim[paid[1].PaymentRequestID]; len(p.Refunds) != 0 || p.Status != "CANCELLED" {
		t.Errorf("the second payment: status %s, %d refunds; want CANCELLED and none", p.Status, len(p.Refunds))
	}
}
