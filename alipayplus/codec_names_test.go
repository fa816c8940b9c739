package alipayplus_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// TestDecodeMatchesFieldNamesExactly: a key that differs from a field's
// name only in case is ignored, as Alipay+ (case-sensitive) ignores it,
// whichever order the keys come in and at any depth; encoding/json alone
// would have taken it for the field.
func TestDecodeMatchesFieldNamesExactly(t *testing.T) {
	tests := []struct {
		name, body        string
		wantID, wantValue string
	}{
		{"exact", `{"paymentRequestId":"A","paymentAmount":{"currency":"USD","value":"100"}}`, "A", "100"},
		{"capitalised only", `{"PaymentRequestId":"B"}`, "", ""},
		{"lower-cased only", `{"paymentrequestid":"B"}`, "", ""},
		{"exact, then a variant", `{"paymentRequestId":"A","paymentrequestid":"B"}`, "A", ""},
		{"a variant, then exact", `{"paymentrequestid":"B","paymentRequestId":"A"}`, "A", ""},
		{"capitalised variant after exact", `{"paymentRequestId":"A","PaymentRequestId":"B"}`, "A", ""},
		{"variant inside an amount", `{"paymentRequestId":"A","paymentAmount":{"currency":"USD","Value":"100"}}`, "A", ""},
		{"variant and exact inside an amount", `{"paymentAmount":{"VALUE":"999","currency":"USD","value":"100"}}`, "", "100"},
		{"an exact key twice: the last, as Alipay+ keeps", `{"paymentRequestId":"A","paymentAmount":{"currency":"USD","value":"1"},"paymentAmount":{"currency":"USD","value":"100"}}`, "A", "100"},
		{"variant with a number (lenient path)", `{"paymentRequestId":"A","paymentAmount":{"currency":"USD","value":100,"vAlue":"5"}}`, "A", "100"},
		{"long s folds to s (lenient path)", "{\"paymentRequestId\":\"A\",\"paymentReque\u017ftId\":\"B\"}", "A", ""},
		{"long s alone", "{\"paymentReque\u017ftId\":\"B\"}", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var req alipayplus.PayRequest
			if _, err := alipayplus.Decode([]byte(tt.body), &req); err != nil {
				t.Fatal(err)
			}
			value := ""
			if req.PaymentAmount != nil {
				value = req.PaymentAmount.Value
			}
			if req.PaymentRequestID != tt.wantID || value != tt.wantValue {
				t.Errorf("paymentRequestId %q, paymentAmount.value %q; want %q and %q", req.PaymentRequestID, value, tt.wantID, tt.wantValue)
			}
		})
	}
	// Unknown keys are still ignored, whatever their case.
	var req alipayplus.PayRequest
	if _, err := alipayplus.Decode([]byte(`{"paymentRequestId":"A","SomethingNew":"x","somethingNew":"y"}`), &req); err != nil || req.PaymentRequestID != "A" {
		t.Errorf("unknown keys: %q, %v", req.PaymentRequestID, err)
	}
}
