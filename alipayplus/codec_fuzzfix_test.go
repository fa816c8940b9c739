package alipayplus_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// TestDecodeNamesEmptyKey: a field whose name is "" is still named in the
// violation, so the PARAM_ILLEGAL message says which field (found by
// FuzzDecodeMessages: the message was ` is "": omit optional fields ...`).
func TestDecodeNamesEmptyKey(t *testing.T) {
	for body, want := range map[string]string{
		`{"":""}`:                 `"" is "": omit optional fields or send null`,
		`{"env":{"":""}}`:         `env."" is "": omit optional fields or send null`,
		`{"customerId":"c","":1}`: `"" is 1: Alipay+ sends every scalar as a string`,
	} {
		vs, err := alipayplus.Decode([]byte(body), &alipayplus.GetPaymentCodeRequest{})
		if err != nil || len(vs) != 1 || vs[0].String() != want {
			t.Errorf("Decode(%s): violations %v, %v; want %q", body, vs, err, want)
		}
	}
}

// TestEncodeLeavesEmptyAmountFieldsOut: an amount that is present but
// empty (an unchecked one, like a goods unit amount or the customs
// declaration amount of a valid pay request) encodes as {} and not as
// {"currency":"","value":""}, which our own server refuses as PARAM_ILLEGAL
// (found by FuzzDecodeMessages: a valid request re-encoded to a body the
// wallet rejects).
func TestEncodeLeavesEmptyAmountFieldsOut(t *testing.T) {
	body := `{"acquirerId":"a","pspId":"p","paymentRequestId":"PR","order":{"goods":[{"goodsUnitAmount":{}}]},` +
		`"paymentAmount":{"currency":"JPY","value":"1"},"payToAmount":{"currency":"JPY","value":"1"},` +
		`"paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"c","customerId":"u"},"customsDeclarationAmount":{}}`
	var req alipayplus.PayRequest
	if vs, err := alipayplus.Decode([]byte(body), &req); err != nil || len(vs) != 0 || req.Validate() != nil {
		t.Fatalf("Decode: %v %v %v", vs, err, req.Validate())
	}
	enc, err := alipayplus.Encode(&req)
	if err != nil {
		t.Fatal(err)
	}
	if vs, err := alipayplus.Decode(enc, &alipayplus.PayRequest{}); err != nil || len(vs) != 0 {
		t.Errorf("re-encoded body %s: violations %v, %v", enc, vs, err)
	}
	if got, _ := alipayplus.Encode(alipayplus.Amount{}); string(got) != "{}" {
		t.Errorf("empty Amount encodes as %s, want {}", got)
	}
}
